import type { CountedChange, DayCounters } from './dashboard';
import type { OutgoingEvent } from './events';
import type { StoredFile } from './file';
import type { Invoice, IssuedLicense, PaymentState } from './invoice';
import type { License, LicenseLogEntry, LicenseSlot } from './license';
import type { Link, LinkStatus } from './link';
import type { LinkLogEntry } from './link-log';
import type { DigitalProduct, ProductFilter } from './product';
import type { SharingAggregate } from './sharing';
import type { ProductUpdate, UpdateTarget } from './product-update';
import type { SigningKeySet } from './token';

/** The external ids a product's write claims and lets go of (`externalIdChanges` in core/product.ts). */
export interface ExternalIdChanges {
  claim: string[];
  release: string[];
}

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

/** What the sweep of expired stamped copies needs of a link: which copies it has (every version up to `fileVersion`). */
export interface ExpiredCopy {
  id: string;
  copyKey: string;
  fileVersion: number;
  expiresAt: string;
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
  /**
   * Every link ever issued for a product (revoked and regenerated ones too),
   * grouped by customer (ordered by customer id); `customerId` keeps one
   * customer's. Eventually consistent: for bulk work, not for decisions.
   */
  listByProduct(productId: string, page: PageRequest & { customerId?: string | undefined }): Promise<Page<Link>>;
  /**
   * Points a link that serves `from` (and is not revoked) at the file `to`,
   * one version up, keeping token, count and limit — one conditional write.
   * `already` when this very update did it before (a re-run), `skipped` when
   * the link serves another file, is revoked or is gone.
   */
  repoint(linkId: string, change: { from: string; to: UpdateTarget; updateId: string; at: string }): Promise<'repointed' | 'already' | 'skipped'>;
  /**
   * Records how a stamped link's copy of `fileVersion` came out: `stamped`
   * (the copy is ready: the link serves it), or `original` (the file cannot be
   * stamped: the link serves the file as it is). Only while the link is still
   * at that version and key; false otherwise (an update moved it on).
   */
  settleCopy(linkId: string, copy: { copyKey: string; fileVersion: number; outcome: 'stamped' | 'original' }): Promise<boolean>;
  /**
   * Links whose stamped copy is made and which expired before `before`,
   * soonest expiry first: the sparse `byCopyExpiry` index (a copy recorded as
   * made puts a link there, `markCopiesRemoved` takes it out). Eventually consistent.
   */
  listExpiredCopies(before: string, page: PageRequest): Promise<Page<ExpiredCopy>>;
  /**
   * Records that a link's copies are removed: it has no copy ready (a new
   * expiry makes it again) and leaves the index; only while the link is still
   * at this key and version, false otherwise (an update moved it on: a later
   * sweep sees it again).
   */
  markCopiesRemoved(linkId: string, copy: { copyKey: string; fileVersion: number; at: string }): Promise<boolean>;
  /** Moves a link to the status of a newer payment state; older or equal keys and revoked links are left alone. */
  applyPaymentState(linkId: string, status: LinkStatus, stateKey: string): Promise<void>;
  /** Operator reset: the count back to zero and/or a new expiry (null = never). Undefined when there is no such link. */
  reset(linkId: string, change: { resetCount: boolean; expiresAt?: string | null | undefined }): Promise<Link | undefined>;
  /** Revokes for good; `hide` also takes it out of the listings (a regenerated link). */
  revoke(linkId: string, meta: { at: string; reason: string; hide: boolean }): Promise<Link | undefined>;
  /**
   * Flags a link as shared (core/sharing.ts), once: only while it has no flag
   * and its flag was not reset after `at`; `suspend` also refuses its
   * downloads until an operator resets it. The link as it is after (flagged
   * now or before), or undefined when there is no such link or a reset came later.
   */
  flagShared(linkId: string, flag: { at: string; networks: number; suspend: boolean }): Promise<Link | undefined>;
  /** Operator: the flag (and a sharing suspension) lifted, if it is still the one set at `flaggedAt`; downloads before `at` no longer count. */
  clearSharingFlag(linkId: string, change: { flaggedAt: string; at: string }): Promise<Link | undefined>;
}

/**
 * The sharing signals' own records (core/sharing.ts): each link's networks and
 * user agents with when they were last seen, and each customer's count of
 * operator resets. Written only off the download's path.
 */
export interface SharingStore {
  /** The aggregates of these links (missing: none stored yet). */
  getMany(linkIds: string[]): Promise<Map<string, SharingAggregate>>;
  /** Writes the aggregate over the version it was read at (0: absent); false when another write came first (nothing changed then). */
  save(aggregate: SharingAggregate): Promise<boolean>;
  /** Counts operator resets of a customer's links. */
  countResets(customerId: string, resets: number, at: string): Promise<void>;
  resetsOf(customerId: string): Promise<number>;
}

/** Each link's log: downloads (served, refused) and operators' actions, newest first. */
export interface LinkLog {
  record(entries: LinkLogEntry[]): Promise<void>;
  list(linkId: string, page: PageRequest): Promise<Page<LinkLogEntry>>;
}

/**
 * The dashboard's counters per UTC day, kept up to date by the stream
 * consumers (never a table scan). `count` adds each change's tallies exactly
 * once by its id, however often the same change is given; it reports how many
 * changes were new.
 */
export interface DashboardCounters {
  count(changes: CountedChange[]): Promise<{ counted: number; alreadyCounted: number }>;
  /** The counters of those days that have any. */
  read(days: string[]): Promise<DayCounters[]>;
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
    /** Units bought per product, when the event says. */
    quantities?: Record<string, number> | undefined;
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
  /** Marks the generation's links issued, with the lines that could not be delivered and the license keys given; only once per generation. Returns the invoice after. */
  markLinksIssued(
    invoiceId: string,
    generation: number,
    now: string,
    undeliverable?: Invoice['undeliverable'],
    licenses?: IssuedLicense[] | undefined,
  ): Promise<Invoice | undefined>;
  /** Starts a new generation of links (new seed, new ids) if the invoice is still at `fromGeneration`. */
  startGeneration(invoiceId: string, fromGeneration: number, next: { linkSeed: string; linkIds: string[] }): Promise<boolean>;
}

export interface CatalogStore {
  getProduct(productId: string): Promise<DigitalProduct | undefined>;
  getProducts(productIds: string[]): Promise<DigitalProduct[]>;
  /**
   * Writes the product if, and only if, the stored one is still what the
   * caller read: absent, or at `version` (one conditional write). False when
   * someone else wrote first; nothing changed then. With `externalIds`, the
   * product claims those ids and lets go of the released ones in the same
   * transaction; an id another product holds is a `conflict`
   * (`EXTERNAL_ID_TAKEN`) and nothing is written.
   */
  saveProduct(product: DigitalProduct, expected: 'absent' | { version: number }, externalIds?: ExternalIdChanges): Promise<boolean>;
  /**
   * The product each external id names (external id → product id), in one
   * read; ids that name no product are missing from the map.
   */
  productsOfExternalIds(externalIds: string[]): Promise<Map<string, string>>;
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

/** Updates of products' files for past buyers (core/product-update.ts): each one its own progress. */
export interface ProductUpdateStore {
  /** Writes a new update; its id is fresh, so this never overwrites. */
  create(update: ProductUpdate): Promise<void>;
  get(productId: string, updateId: string): Promise<ProductUpdate | undefined>;
  /** A product's updates, newest first. */
  list(productId: string, page: PageRequest): Promise<Page<ProductUpdate>>;
  /** Writes the update's next state if, and only if, it is still at `expectedStep`; false when another run got there first. */
  advance(update: ProductUpdate, expectedStep: number): Promise<boolean>;
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

/** Objects a function reads and writes whole: the originals it stamps, the stamped copies (under `stamped/` only). */
export interface ObjectStore {
  /** The object's size, or undefined when there is none. */
  sizeOf(key: string): Promise<number | undefined>;
  read(key: string): Promise<Uint8Array>;
  write(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Removes these objects; absent ones are no error. */
  remove(keys: string[]): Promise<void>;
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

/** What an activation attempt found: a seat taken now, the instance's seat it already had, or a refusal with the key as it was. */
export type ActivationResult = { outcome: 'activated' | 'already-active'; license: License } | { outcome: 'refused'; license: License | undefined };

/** A license-key change by the seller's software or an operator: who, for the key's log. */
export interface LicenseActionMeta {
  now: string;
  requester?: Requester | undefined;
  /** The operator's `sub`, for admin actions. */
  actor?: string | undefined;
}

/**
 * License keys, their pools and their activations. Each slot (one unit
 * bought) gets one key, once; an activation is decided by one conditional
 * write, so concurrent activations never exceed the key's limit.
 */
export interface LicenseStore {
  /** The keys of the slots that have one (slot id → key). */
  assignedKeys(slotIds: string[]): Promise<Map<string, string>>;
  /** Writes the new key and gives it to the slot in one transaction; if the slot already has a key, that key. */
  assignGenerated(slot: LicenseSlot, key: string): Promise<string>;
  /** Takes an available key of the product's pool for the slot (a conditional write); the slot's key if it had one; undefined when the pool is dry. */
  assignFromPool(slot: LicenseSlot): Promise<string | undefined>;
  get(key: string): Promise<License | undefined>;
  getMany(keys: string[]): Promise<License[]>;
  /** Moves a key to the status of a newer payment state; older or equal keys and revoked keys are left alone. */
  applyPaymentState(key: string, status: 'active' | 'suspended' | 'revoked', stateKey: string): Promise<void>;
  /** Adds keys to the product's pool; a key already in this pool is left as it is, one anywhere else is a conflict (nothing is imported then). */
  importPool(productId: string, keys: string[], now: string): Promise<{ imported: number; alreadyImported: number; conflicts: string[] }>;
  listPool(productId: string, status: 'available' | 'assigned', page: PageRequest): Promise<Page<License>>;
  countPool(productId: string): Promise<{ available: number; assigned: number }>;
  /** The customer's keys, newest first. */
  listByCustomer(customerId: string, page: PageRequest): Promise<Page<License>>;
  /** One conditional write: a seat for the instance if the key is sold, active and under its limit (or the instance's seat already). */
  activate(key: string, instanceId: string, activationId: string, meta: LicenseActionMeta): Promise<ActivationResult>;
  /** One write that also records the check (for the key's log); undefined for a key that is not sold. */
  recordValidation(key: string, instanceId: string | null, meta: LicenseActionMeta): Promise<License | undefined>;
  /** Frees the instance's seat (nothing to free is fine); undefined for a key that is not sold. */
  deactivate(key: string, instanceId: string, meta: LicenseActionMeta): Promise<License | undefined>;
  /** Operator: every seat freed; undefined for a key that is not sold. */
  resetActivations(key: string, meta: LicenseActionMeta): Promise<License | undefined>;
  /** Operator: revoked for good; undefined for a key that is not sold. */
  revoke(key: string, meta: LicenseActionMeta): Promise<License | undefined>;
}

/** Each key's log (activations, validations, payment changes, operators' actions), newest first. */
export interface LicenseLog {
  record(entries: LicenseLogEntry[]): Promise<void>;
  list(key: string, page: PageRequest): Promise<Page<LicenseLogEntry>>;
}
