/**
 * The tables, described once: the CDK app builds them from this, and the local
 * runtime creates the same tables in its embedded engine.
 */
export interface TableDefinition {
  partitionKey: string;
  sortKey?: string;
  /** `include`: only these attributes besides the keys (writes that change nothing else skip the index); default all. */
  indexes?: Record<string, { partitionKey: string; sortKey: string; include?: readonly string[] }>;
  /** Streams carry what happens to items to asynchronous consumers (the download log, outgoing events). */
  stream?: boolean;
  timeToLiveAttribute?: string;
}

export const TABLES = {
  /** Download links. The hot path touches only this table, one item, one write. */
  links: {
    partitionKey: 'id',
    indexes: {
      byCustomer: { partitionKey: 'customerId', sortKey: 'listKey' },
      byInvoice: { partitionKey: 'invoiceId', sortKey: 'listKey' },
      // Every link of a product, grouped by customer: what an update repoints and whom it tells (never on the hot path).
      byProduct: { partitionKey: 'productId', sortKey: 'customerId' },
      // Sparse: links whose stamped copy is made (`copyExpiryPartition` set then, removed with the copies) and that expire,
      // by expiry: what the copy sweep removes. Downloads change nothing it holds, so they never write to it.
      byCopyExpiry: { partitionKey: 'copyExpiryPartition', sortKey: 'expiresAt', include: ['copyKey', 'fileVersion'] },
    },
    stream: true,
  },
  /** Invoices: payment state by `occurredAt`, the link seed, the issued link ids; found by the buyer's email for the Download Manager. */
  invoices: { partitionKey: 'invoiceId', stream: true, indexes: { byEmail: { partitionKey: 'customerEmail', sortKey: 'createdAt' } } },
  products: { partitionKey: 'productId' },
  /** One claim per external id (`shopify:product:<id>`, …) naming its product: unique by key, found in one read by the connectors. */
  externalIds: { partitionKey: 'externalId' },
  /** Files; `byCreated` is the file library, newest first (one constant partition: a shop has thousands of files, not millions). */
  files: { partitionKey: 'fileId', indexes: { byCreated: { partitionKey: 'listPartition', sortKey: 'listKey' } } },
  /** Each link's download log and the operators' actions on it, kept for a retention period. */
  /** Each link's log; its stream carries refusals to the dashboard. */
  linkLog: { partitionKey: 'linkId', sortKey: 'entryKey', timeToLiveAttribute: 'expiresAtEpoch', stream: true },
  /**
   * License keys and the slots of units bought (`slot#…`, which key each was given). `byPool` lists a
   * product's pool (`poolKey` = `available#…` / `assigned#…`), `byCustomer` a buyer's keys; the
   * stream carries activations, validations and operators' actions to the license log.
   */
  licenses: {
    partitionKey: 'key',
    indexes: {
      byCustomer: { partitionKey: 'customerId', sortKey: 'listKey' },
      byPool: { partitionKey: 'poolProductId', sortKey: 'poolKey' },
    },
    stream: true,
  },
  /** Each license key's log, kept for a retention period. */
  licenseLog: { partitionKey: 'key', sortKey: 'entryKey', timeToLiveAttribute: 'expiresAtEpoch' },
  /** Updates of a product's files for past buyers: each item is one update's progress; its stream drives the next batch. */
  productUpdates: { partitionKey: 'productId', sortKey: 'updateId', stream: true },
  /** The ledger of outgoing effects (events published, emails sent): one item per dispatch, kept a month. */
  dispatches: { partitionKey: 'id', timeToLiveAttribute: 'expiresAtEpoch' },
  /** The operator dashboard's counters: one item per UTC day (`day#YYYY-MM-DD`), and a marker per change counted (`counted#…`, expired by TTL). */
  dashboard: { partitionKey: 'pk', timeToLiveAttribute: 'expiresAtEpoch' },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof TABLES;

/** The environment variable that carries each table's physical name. */
export const TABLE_ENV: Record<TableName, string> = {
  links: 'LINKS_TABLE',
  invoices: 'INVOICES_TABLE',
  products: 'PRODUCTS_TABLE',
  externalIds: 'EXTERNAL_IDS_TABLE',
  files: 'FILES_TABLE',
  linkLog: 'LINK_LOG_TABLE',
  dispatches: 'DISPATCHES_TABLE',
  licenses: 'LICENSES_TABLE',
  licenseLog: 'LICENSE_LOG_TABLE',
  productUpdates: 'PRODUCT_UPDATES_TABLE',
  dashboard: 'DASHBOARD_TABLE',
};
