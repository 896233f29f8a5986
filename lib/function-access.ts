import type { TableName } from '../adapters/dynamo/tables';
import type { FunctionName } from '../functions/manifest';
import type { FilesAccess, TableAccess } from './constructs/api-function';

/**
 * What each function may touch, in one table to review: the exact DynamoDB
 * actions per table (test/infra/permissions.test.ts proves every call is
 * allowed and every grant is used). The record is keyed
 * by every `FunctionName`, so a new function does not compile until someone
 * decides its permissions. Only functions the catalog routes, triggers or
 * streams to are deployed.
 */
export interface FunctionAccess {
  readonly tables?: Partial<Record<TableName, TableAccess>>;
  /** The files bucket (see `FilesAccess`). */
  readonly files?: FilesAccess;
  /** Reads the link-signing key set. */
  readonly signingKey?: boolean;
  /** Reads the license-certificate keyring. */
  readonly licenseKey?: boolean;
  /** events:PutEvents on the default bus. */
  readonly publishEvents?: boolean;
  /** ses:SendEmail from the configured sender. */
  readonly sendEmail?: boolean;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default FUNCTION_TIMEOUTS (10 s for HTTP, 30 s for consumers) */
  readonly timeoutSeconds?: number;
}

/** A storefront connector: payment-events' own use case, after mapping the order's lines by their external ids. */
const CONNECTOR_ACCESS: FunctionAccess = {
  tables: {
    links: ['BatchGetItem', 'PutItem', 'UpdateItem'],
    invoices: ['GetItem', 'UpdateItem'],
    products: ['BatchGetItem'],
    files: ['BatchGetItem'],
    externalIds: ['BatchGetItem'],
  },
};

export const FUNCTION_ACCESS: Readonly<Record<FunctionName, FunctionAccess>> = {
  // The hot path: one conditional UpdateItem on the link, then a presign; a refusal is appended to the link's log.
  download: { tables: { links: ['UpdateItem'], linkLog: ['BatchWriteItem'] }, files: 'presign-get', signingKey: true, memorySize: 1024 },
  'customer-downloads': { tables: { links: ['Query:byCustomer', 'Query:byInvoice'], invoices: ['GetItem'], licenses: ['Query:byCustomer'] }, signingKey: true },
  // Products are listed with Scan (a shop's catalogue is small and operator-facing).
  'admin-catalog': {
    tables: {
      products: ['GetItem', 'PutItem', 'Scan'],
      externalIds: ['PutItem', 'DeleteItem', 'BatchGetItem'],
      files: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'Query:byCreated'],
      licenses: ['BatchGetItem', 'PutItem', 'Query:byPool'],
      // Publishing an update writes the product and the update; its preview reads the product's links (byProduct).
      productUpdates: ['GetItem', 'PutItem', 'Query'],
      links: ['Query:byProduct'],
    },
    files: 'manage',
  },
  'admin-manager': {
    tables: {
      links: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'Query:byCustomer', 'Query:byInvoice'],
      invoices: ['GetItem', 'UpdateItem', 'Query:byEmail'],
      // The log, and beside it the sharing records: links' aggregates (BatchGetItem), customers' reset counts (GetItem, UpdateItem).
      linkLog: ['BatchWriteItem', 'Query', 'BatchGetItem', 'GetItem', 'UpdateItem'],
      licenses: ['GetItem', 'UpdateItem', 'Query:byCustomer'],
      licenseLog: ['Query'],
      dashboard: ['BatchGetItem'],
    },
    signingKey: true,
  },
  // Writes links, invoices and license keys only; what it decides reaches the shop through the invoices stream, never directly.
  'payment-events': {
    tables: {
      links: ['BatchGetItem', 'PutItem', 'UpdateItem'],
      invoices: ['GetItem', 'UpdateItem'],
      products: ['BatchGetItem'],
      files: ['BatchGetItem'],
      licenses: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'Query:byPool'],
    },
  },
  // The links stream: served downloads become log entries and each link's sharing aggregate (beside its log); a link over the
  // threshold is flagged (a conditional UpdateItem, suspended where its product says), and each new flag is announced by dispatch.
  'link-log': {
    tables: { linkLog: ['BatchWriteItem', 'BatchGetItem', 'PutItem'], links: ['UpdateItem'], products: ['BatchGetItem'], dispatches: ['UpdateItem'] },
    publishEvents: true,
  },
  // The invoices stream is the outbox: it reads the issued links, signs their URLs, claims each event's dispatch and publishes.
  'invoice-outbox': { tables: { links: ['BatchGetItem'], dispatches: ['UpdateItem'] }, signingKey: true, publishEvents: true },
  // Builds the email from the invoice and its links (never from the event's detail), claims its dispatch, sends it.
  'delivery-email': {
    tables: { invoices: ['GetItem'], links: ['BatchGetItem'], licenses: ['BatchGetItem'], dispatches: ['UpdateItem'] },
    signingKey: true,
    sendEmail: true,
  },
  // The system's own events confirm their dispatch.
  'dispatch-receipts': { tables: { dispatches: ['UpdateItem'] } },
  // SES's events: "Email Sent" confirms an email's dispatch; bounces and complaints are recorded on it, bounces counted on the dashboard.
  'email-events': { tables: { dispatches: ['UpdateItem'], dashboard: ['PutItem', 'UpdateItem'] } },
  // The storefront connectors: the provider's event, mapped by the products' external ids, then payment-events' own use case.
  'storefront-events': CONNECTOR_ACCESS,
  'woocommerce-webhook': CONNECTOR_ACCESS,
  // The activation API: one conditional UpdateItem per call on the key; signs certificates with the license keyring.
  licenses: { tables: { licenses: ['UpdateItem'] }, licenseKey: true },
  // The licenses stream: activations, validations and operators' actions become log entries.
  'license-log': { tables: { licenseLog: ['BatchWriteItem'] } },
  // The links stream: reads a stamped link's original and invoice (the buyer's address), writes and removes only under stamped/.
  'pdf-stamper': { tables: { links: ['UpdateItem'], invoices: ['GetItem'] }, files: 'stamp', memorySize: 3008, timeoutSeconds: 300 },
  // The links and linkLog streams: each change's counters and its marker in one transaction (a conditional Put, ADDs).
  'dashboard-aggregates': { tables: { dashboard: ['PutItem', 'UpdateItem'] } },
  // Hourly: expired links' stamped copies from the sparse index, deleted (under stamped/ only), then the link told (conditional).
  'copy-sweeper': { tables: { links: ['Query:byCopyExpiry', 'UpdateItem'] }, files: 'sweep-copies', timeoutSeconds: 300 },
  // The updates stream: each step repoints a page of the product's links (conditional writes) or tells its customers (event + email, by dispatch).
  'product-updates': {
    tables: {
      productUpdates: ['GetItem', 'PutItem'],
      links: ['UpdateItem', 'Query:byProduct'],
      invoices: ['GetItem'],
      products: ['GetItem'],
      dispatches: ['UpdateItem'],
    },
    signingKey: true,
    publishEvents: true,
    sendEmail: true,
  },
};
