import type { TableName } from '../adapters/dynamo/tables';
import type { FunctionName } from '../functions/manifest';
import type { FilesAccess, TableAccess } from './constructs/api-function';

/**
 * What each function may touch, in one table to review. The record is keyed
 * by every `FunctionName`, so a new function does not compile until someone
 * decides its permissions. Only functions the catalog routes, triggers or
 * streams to are deployed.
 */
export interface FunctionAccess {
  readonly tables?: Partial<Record<TableName, TableAccess>>;
  /** Tables the function lists with `Scan` (small, operator-facing lists only). */
  readonly scan?: readonly TableName[];
  /** The files bucket (see `FilesAccess`). */
  readonly files?: FilesAccess;
  /** Reads the link-signing key set. */
  readonly signingKey?: boolean;
  /** events:PutEvents on the default bus. */
  readonly publishEvents?: boolean;
  /** ses:SendEmail from the configured sender. */
  readonly sendEmail?: boolean;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default FUNCTION_TIMEOUTS (10 s for HTTP, 30 s for consumers) */
  readonly timeoutSeconds?: number;
}

export const FUNCTION_ACCESS: Readonly<Record<FunctionName, FunctionAccess>> = {
  // The hot path: one conditional UpdateItem on the link, then a presign; a refusal is appended to the link's log.
  download: { tables: { links: 'update', linkLog: 'append' }, files: 'presign-get', signingKey: true, memorySize: 1024 },
  'customer-downloads': { tables: { links: 'read', invoices: 'read' }, signingKey: true },
  // Publishing an update writes the product and the update; its preview reads the product's links (byProduct).
  'admin-catalog': {
    tables: { products: 'readWrite', files: 'readWrite', productUpdates: 'readWrite', links: 'read' },
    scan: ['products'],
    files: 'manage',
  },
  'admin-manager': {
    tables: { links: 'readWrite', invoices: 'readWrite', linkLog: 'readWrite', products: 'read', files: 'read' },
    signingKey: true,
  },
  // Writes links and invoices only; what it decides reaches the shop through the invoices stream, never directly.
  'payment-events': { tables: { links: 'readWrite', invoices: 'readWrite', products: 'read', files: 'read' } },
  // The links stream: served downloads become log entries.
  'link-log': { tables: { linkLog: 'append' } },
  // The invoices stream is the outbox: it reads the issued links, signs their URLs, claims each event's dispatch and publishes.
  'invoice-outbox': { tables: { links: 'read', dispatches: 'update' }, signingKey: true, publishEvents: true },
  // Builds the email from the invoice and its links (never from the event's detail), claims its dispatch, sends it.
  'delivery-email': { tables: { invoices: 'read', links: 'read', dispatches: 'update' }, signingKey: true, sendEmail: true },
  // The system's own events confirm their dispatch.
  'dispatch-receipts': { tables: { dispatches: 'update' } },
  // SES's events: "Email Sent" confirms an email's dispatch; bounces and complaints are recorded on it.
  'email-events': { tables: { dispatches: 'update' } },
  // The links stream: reads a stamped link's original and invoice (the buyer's address), writes and removes only under stamped/.
  'pdf-stamper': { tables: { links: 'update', invoices: 'read' }, files: 'stamp', memorySize: 3008, timeoutSeconds: 300 },
  // The updates stream: each step repoints a page of the product's links (conditional writes) or tells its customers (event + email, by dispatch).
  'product-updates': {
    tables: { productUpdates: 'readWrite', links: 'readWrite', invoices: 'read', products: 'read', dispatches: 'update' },
    signingKey: true,
    publishEvents: true,
    sendEmail: true,
  },
};
