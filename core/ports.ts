import type { OutgoingEvent } from './events';
import type { StoredFile } from './file';
import type { Invoice, PaymentState } from './invoice';
import type { Link, LinkStatus } from './link';
import type { LinkLogEntry } from './link-log';
import type { DigitalProduct, ProductFilter } from './product';
import type { SigningKeySet } from './token';

/** One page of a newest-first listing; `nextCursor` is opaque to callers. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** What one download attempt records about who asked. */
export interface Requester {
  ip: string | null;
  userAgent: string | null;
}

/** Links by id, by customer and by invoice. Creation never overwrites; redemption decides and counts in one write. */
export interface LinkStore {
  /**
   * Counts one download if, and only if, the link belongs to `customerId`, is
   * active, unexpired at `now` and under its limit — atomically. On refusal,
   * returns the link as it was (or undefined when there is none) so the caller
   * can say why.
   */
  redeem(
    linkId: string,
    customerId: string,
    now: string,
    requester: Requester,
  ): Promise<{ served: true; link: Link } | { served: false; link: Link | undefined }>;
  /** Writes the links that do not exist yet; existing ones stay as they are. Returns how many it wrote. */
  createMissing(links: Link[]): Promise<number>;
  get(linkId: string): Promise<Link | undefined>;
  getMany(linkIds: string[]): Promise<Link[]>;
  listByCustomer(customerId: string, page: PageRequest): Promise<Page<Link>>;
  listByInvoice(invoiceId: string, page: PageRequest): Promise<Page<Link>>;
  /** Moves a link to the status of a newer payment state; older or equal keys and revoked links are left alone. */
  applyPaymentState(linkId: string, status: LinkStatus, stateKey: string): Promise<void>;
  /** Operator reset: the count back to zero and/or a new expiry (null = never). Undefined when there is no such link. */
  reset(linkId: string, change: { resetCount: boolean; expiresAt?: string | null | undefined }): Promise<Link | undefined>;
  /** Revokes for good; `hide` also takes it out of the listings (a regenerated link). */
  revoke(linkId: string, meta: { at: string; reason: string; hide: boolean }): Promise<Link | undefined>;
}

/** Each link's log: downloads (served, refused) and operators' actions, newest first. */
export interface LinkLog {
  record(entries: LinkLogEntry[]): Promise<void>;
  list(linkId: string, page: PageRequest): Promise<Page<LinkLogEntry>>;
}

export interface InvoiceStore {
  get(invoiceId: string): Promise<Invoice | undefined>;
  /** The invoices bought with exactly this email address, newest first (the Download Manager's search by email). */
  listByEmail(customerEmail: string, limit: number): Promise<Invoice[]>;
  /** Creates the invoice if absent (with a fresh link seed) and records the purchase facts it does not have yet. */
  recordPurchase(input: {
    invoiceId: string;
    customerId: string | null;
    customerEmail: string | null;
    productIds: string[];
    allLinesDigital: boolean;
    now: string;
  }): Promise<void>;
  /** Records that delivery was refused; true the first time only (so a replay publishes nothing new). */
  markRejected(invoiceId: string, reason: string, now: string): Promise<boolean>;
  /** Adds products to the invoice's partially refunded ones (creating the invoice if it is new); idempotent. */
  recordRefundedLines(invoiceId: string, productIds: string[], now: string): Promise<void>;
  /**
   * Records `state` if `stateKey` is newer than the stored one and the invoice is not refunded. `changed` says
   * whether it did; `invoice` is the item as that write left it (or found it), so the caller need not read it again.
   */
  recordState(invoiceId: string, state: PaymentState, stateKey: string, now: string): Promise<{ changed: boolean; invoice: Invoice | undefined }>;
  /** Fixes the link ids of the current generation unless another delivery already did; returns the invoice after. */
  fixLinkIds(invoiceId: string, generation: number, linkIds: string[]): Promise<Invoice>;
  /** Marks the generation's links issued, with the lines that could not be delivered; only once per generation. Returns the invoice after. */
  markLinksIssued(invoiceId: string, generation: number, now: string, undeliverable?: Invoice['undeliverable']): Promise<Invoice | undefined>;
  /** Starts a new generation of links (new seed, new ids) if the invoice is still at `fromGeneration`. */
  startGeneration(invoiceId: string, fromGeneration: number, next: { linkSeed: string; linkIds: string[] }): Promise<boolean>;
}

export interface CatalogStore {
  getProduct(productId: string): Promise<DigitalProduct | undefined>;
  getProducts(productIds: string[]): Promise<DigitalProduct[]>;
  /**
   * Writes the product if, and only if, the stored one is still what the
   * caller read: absent, or at `version` (one conditional write). False when
   * someone else wrote first; nothing changed then.
   */
  saveProduct(product: DigitalProduct, expected: 'absent' | { version: number }): Promise<boolean>;
  /** Products sorted by name (or id), then id (`productSortKey`), filtered. */
  listProducts(page: PageRequest & ProductFilter): Promise<Page<DigitalProduct>>;
  getFile(fileId: string): Promise<StoredFile | undefined>;
  getFiles(fileIds: string[]): Promise<StoredFile[]>;
  /** The file library: newest first; `q` matches the display name in any case. */
  listFiles(page: PageRequest & { q?: string | undefined }): Promise<Page<StoredFile>>;
  putFile(file: StoredFile): Promise<void>;
  /** Marks a pending file ready with its verified size; false if it was not pending. */
  completeFile(fileId: string, update: { size: number; contentType: string; completedAt: string }): Promise<boolean>;
}

/** The files bucket, as far as the domain needs it: presigned URLs and what an object is. */
export interface FileStorage {
  presignDownload(input: { objectKey: string; fileName: string; contentType: string; expiresInSeconds: number }): Promise<string>;
  presignUpload(input: { objectKey: string; contentType: string; expiresInSeconds: number }): Promise<string>;
  startMultipartUpload(input: { objectKey: string; contentType: string }): Promise<string>;
  presignUploadPart(input: { objectKey: string; uploadId: string; partNumber: number; expiresInSeconds: number }): Promise<string>;
  completeMultipartUpload(input: { objectKey: string; uploadId: string; parts: { partNumber: number; etag: string }[] }): Promise<void>;
  describe(objectKey: string): Promise<{ size: number; contentType: string | null } | undefined>;
  list(input: { prefix?: string | undefined; cursor?: string | undefined; limit: number }): Promise<Page<{ key: string; size: number; lastModified: string }>>;
}

/** The link-signing keys, cached; `refresh` asks the source again (e.g. after a rotation). */
export interface SigningKeySource {
  current(): Promise<SigningKeySet>;
  refresh(): Promise<SigningKeySet>;
}

export interface EventPublisher {
  publish(events: OutgoingEvent[]): Promise<void>;
}

/** Where an input that can never succeed is parked, with why. */
export interface DeadLetters {
  park(input: { source: string; reason: string; payload: unknown }): Promise<void>;
}

/** Where a dispatch (one outgoing event or email, by id) stands; see core/dispatch.ts. */
export type DispatchState = { status: 'claimed'; attempt: number } | { status: 'sent' } | { status: 'held'; attempt: number; leaseUntil: string };

/** The ledger of outgoing effects: one entry per dispatch id, claimed before the effect and marked sent after. */
export interface DispatchLedger {
  /** Claims a free dispatch (new, or released after a refused send) until `now + leaseMs`; otherwise its state. */
  claim(id: string, input: { key: string; now: string; leaseMs: number }): Promise<DispatchState>;
  /** Claims a dispatch still held by `attempt` (whose lease is over); otherwise its state. */
  takeOver(id: string, input: { attempt: number; now: string; leaseMs: number }): Promise<DispatchState>;
  /** Records that the effect happened (by its sender, or by the receipt it produced); idempotent. */
  markSent(id: string, input: { at: string; messageId?: string | undefined }): Promise<void>;
  /** A receipt of the effect (it came back from the outside): marks a claimed dispatch sent; one never claimed stays as it is. */
  confirm(id: string, input: { at: string }): Promise<void>;
  /** Frees a claim whose send was refused, so that a retry acts at once. */
  release(id: string, attempt: number): Promise<void>;
  /** Records what the mail system reported after sending (a bounce, a complaint); idempotent. */
  recordFeedback(id: string, input: { at: string; kind: 'bounce' | 'complaint' | 'delivery' | 'reject'; detail?: string | undefined }): Promise<void>;
}

/** One email, ready to send: the raw MIME message and the dispatch id its receipts will name. */
export interface OutgoingEmail {
  to: string;
  raw: Buffer;
  dispatchId: string;
  /** What kind of email (a tag for the mail system's reports): `delivery`, `update`, … */
  kind: string;
  /** What it is about (an invoice id), for the mail system's reports and an operator looking for it. */
  reference?: string | undefined;
}

/** Sends email (SES in AWS, the outbox locally). */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
