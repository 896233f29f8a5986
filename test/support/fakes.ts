import type { OutgoingEvent } from '../../core/events';
import type { StoredFile } from '../../core/file';
import type { Invoice, PaymentState } from '../../core/invoice';
import { isExpired, isLimitReached, type Link, type LinkStatus } from '../../core/link';
import type { LinkLogEntry } from '../../core/link-log';
import type {
  CatalogStore,
  DeadLetters,
  DispatchLedger,
  DispatchState,
  EventPublisher,
  FileStorage,
  InvoiceStore,
  LinkLog,
  LinkStore,
  Mailer,
  OutgoingEmail,
  Page,
  PageRequest,
  Requester,
  SigningKeySource,
} from '../../core/ports';
import { compareSortKeys, type DigitalProduct, matchesFilter, type ProductFilter, productSortKey } from '../../core/product';
import { newLinkSeed, type SigningKeySet } from '../../core/token';

/**
 * In-memory ports that behave like the real stores where it matters to a use
 * case: every conditional write of the DynamoDB adapters has its condition
 * here (what it refuses, what it returns when it refuses), listings are
 * newest first and paged with opaque cursors, copies go in and out (a caller
 * cannot change what is stored by mutating what it got). They are for unit
 * tests of the use cases; the adapters themselves are tested against the
 * embedded engines.
 */

const copy = <T>(value: T): T => structuredClone(value);

const page = <T>(items: T[], request: PageRequest): Page<T> => {
  const start = request.cursor ? Number(Buffer.from(request.cursor, 'base64url').toString()) : 0;
  const slice = items.slice(start, start + request.limit);
  const next = start + request.limit;
  return { items: slice.map(copy), nextCursor: next < items.length ? Buffer.from(String(next)).toString('base64url') : null };
};

export class FakeLinkStore implements LinkStore {
  readonly items = new Map<string, Link & { hidden?: boolean }>();
  /** Every redeem call, as the hot path's one write. */
  redeems = 0;

  async redeem(linkId: string, customerId: string, now: string, requester: Requester) {
    this.redeems++;
    const link = this.items.get(linkId);
    const serves = link && link.customerId === customerId && link.status === 'active' && !isExpired(link, now) && !isLimitReached(link);
    if (!link || !serves) return { served: false as const, link: link && copy(strip(link)) };
    link.downloadCount += 1;
    link.lastDownloadAt = now;
    link.lastIp = requester.ip;
    link.lastUserAgent = requester.userAgent;
    return { served: true as const, link: copy(strip(link)) };
  }

  async createMissing(links: Link[]) {
    let written = 0;
    for (const link of links) {
      if (this.items.has(link.id)) continue;
      this.items.set(link.id, copy(link));
      written++;
    }
    return written;
  }

  async get(linkId: string) {
    const link = this.items.get(linkId);
    return link && copy(strip(link));
  }

  async getMany(linkIds: string[]) {
    return [...new Set(linkIds)].flatMap((id) => {
      const link = this.items.get(id);
      return link ? [copy(strip(link))] : [];
    });
  }

  async listByCustomer(customerId: string, request: PageRequest) {
    return page(
      this.listed((l) => l.customerId === customerId),
      request,
    );
  }

  async listByInvoice(invoiceId: string, request: PageRequest) {
    return page(
      this.listed((l) => l.invoiceId === invoiceId),
      request,
    );
  }

  async applyPaymentState(linkId: string, status: LinkStatus, stateKey: string) {
    const link = this.items.get(linkId);
    if (!link || link.status === 'revoked') return;
    if (status !== 'revoked' && !(link.statusAt < stateKey)) return;
    link.status = status;
    link.statusAt = stateKey;
  }

  async reset(linkId: string, change: { resetCount: boolean; expiresAt?: string | null | undefined }) {
    const link = this.items.get(linkId);
    if (!link) return undefined;
    if (change.resetCount) link.downloadCount = 0;
    if (change.expiresAt !== undefined) link.expiresAt = change.expiresAt;
    return copy(strip(link));
  }

  async revoke(linkId: string, meta: { at: string; reason: string; hide: boolean }) {
    const link = this.items.get(linkId);
    if (!link) return undefined;
    link.status = 'revoked';
    if (meta.hide) link.hidden = true;
    return copy(strip(link));
  }

  private listed(which: (link: Link) => boolean): Link[] {
    return [...this.items.values()]
      .filter((l) => !l.hidden && which(l))
      .sort((a, b) => `${b.createdAt}#${b.id}`.localeCompare(`${a.createdAt}#${a.id}`))
      .map(strip);
  }
}

const strip = (link: Link & { hidden?: boolean }): Link => {
  const { hidden: _hidden, ...rest } = link;
  return rest;
};

export class FakeInvoiceStore implements InvoiceStore {
  readonly items = new Map<string, Invoice>();
  /** The DynamoDB requests the adapter makes for each method: one each (a read for `get` and `listByEmail`, a write for the rest). */
  readonly calls = { reads: 0, writes: 0 };

  async get(invoiceId: string) {
    this.calls.reads++;
    const invoice = this.items.get(invoiceId);
    return invoice && copy(invoice);
  }

  async listByEmail(customerEmail: string, limit: number) {
    this.calls.reads++;
    return [...this.items.values()]
      .filter((i) => i.customerEmail === customerEmail)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map(copy);
  }

  private ensure(invoiceId: string, now: string): Invoice {
    let invoice = this.items.get(invoiceId);
    if (!invoice) {
      invoice = {
        invoiceId,
        customerId: null,
        customerEmail: null,
        productIds: null,
        allLinesDigital: false,
        rejectedReason: null,
        undeliverable: null,
        refundedProductIds: null,
        state: null,
        stateKey: null,
        linkSeed: newLinkSeed(),
        generation: 0,
        linkIds: null,
        linksIssuedAt: null,
        createdAt: now,
      };
      this.items.set(invoiceId, invoice);
    }
    return invoice;
  }

  async recordPurchase(input: {
    invoiceId: string;
    customerId: string | null;
    customerEmail: string | null;
    productIds: string[];
    allLinesDigital: boolean;
    now: string;
  }) {
    this.calls.writes++;
    const invoice = this.ensure(input.invoiceId, input.now);
    // if_not_exists, as the adapter writes them: the first purchase's facts stay.
    if (invoice.productIds === null) {
      invoice.productIds = [...input.productIds];
      invoice.allLinesDigital = input.allLinesDigital;
    }
    if (input.customerId) invoice.customerId ??= input.customerId;
    if (input.customerEmail) invoice.customerEmail ??= input.customerEmail;
  }

  async recordRefundedLines(invoiceId: string, productIds: string[], now: string) {
    if (productIds.length === 0) return;
    this.calls.writes++;
    const invoice = this.ensure(invoiceId, now);
    invoice.refundedProductIds = [...new Set([...(invoice.refundedProductIds ?? []), ...productIds])].sort();
  }

  async markRejected(invoiceId: string, reason: string, now: string) {
    this.calls.writes++;
    const invoice = this.ensure(invoiceId, now);
    if (invoice.rejectedReason) return false;
    invoice.rejectedReason = reason;
    return true;
  }

  async recordState(invoiceId: string, state: PaymentState, stateKey: string, now: string) {
    this.calls.writes++;
    const invoice = this.ensure(invoiceId, now);
    const unchanged = invoice.state === 'refunded' || (state !== 'refunded' && invoice.stateKey !== null && !(invoice.stateKey < stateKey));
    if (!unchanged) {
      invoice.state = state;
      invoice.stateKey = stateKey;
    }
    return { changed: !unchanged, invoice: copy(invoice) };
  }

  async fixLinkIds(invoiceId: string, generation: number, linkIds: string[]) {
    this.calls.writes++;
    const invoice = this.items.get(invoiceId);
    if (!invoice) throw new Error(`invoice ${invoiceId} vanished while issuing links`);
    if (invoice.generation === generation && invoice.linkIds === null) invoice.linkIds = [...linkIds];
    return copy(invoice);
  }

  async markLinksIssued(invoiceId: string, generation: number, now: string, undeliverable?: Invoice['undeliverable']) {
    this.calls.writes++;
    const invoice = this.items.get(invoiceId);
    if (!invoice) return undefined;
    if (invoice.generation !== generation || invoice.linksIssuedAt !== null) return copy(invoice);
    invoice.linksIssuedAt = now;
    if (undeliverable && Object.keys(undeliverable).length > 0) invoice.undeliverable = copy(undeliverable);
    return copy(invoice);
  }

  async startGeneration(invoiceId: string, fromGeneration: number, next: { linkSeed: string; linkIds: string[] }) {
    this.calls.writes++;
    const invoice = this.items.get(invoiceId);
    if (!invoice || invoice.generation !== fromGeneration) return false;
    invoice.generation = fromGeneration + 1;
    invoice.linkSeed = next.linkSeed;
    invoice.linkIds = [...next.linkIds];
    invoice.linksIssuedAt = null;
    return true;
  }
}

export class FakeCatalogStore implements CatalogStore {
  readonly products = new Map<string, DigitalProduct>();
  readonly files = new Map<string, StoredFile>();

  async getProduct(productId: string) {
    const product = this.products.get(productId);
    return product && copy(product);
  }

  async getProducts(productIds: string[]) {
    return [...new Set(productIds)].flatMap((id) => {
      const product = this.products.get(id);
      return product ? [copy(product)] : [];
    });
  }

  /** The adapter's condition: absent, or still at the version the caller read. */
  async saveProduct(product: DigitalProduct, expected: 'absent' | { version: number }) {
    const current = this.products.get(product.productId);
    if (expected === 'absent' ? current !== undefined : current?.version !== expected.version) return false;
    this.products.set(product.productId, copy(product));
    return true;
  }

  /** A product as it is, whatever is stored (test set-up). */
  put(product: DigitalProduct) {
    this.products.set(product.productId, copy(product));
  }

  async listProducts(request: PageRequest & ProductFilter) {
    return page(
      [...this.products.values()].filter((p) => matchesFilter(p, request)).sort((a, b) => compareSortKeys(productSortKey(a), productSortKey(b))),
      request,
    );
  }

  async listFiles(request: PageRequest & { q?: string | undefined }) {
    const q = request.q?.trim().toLowerCase();
    return page(
      [...this.files.values()]
        .filter((f) => !q || f.fileName.toLowerCase().includes(q))
        .sort((a, b) => `${b.createdAt}#${b.fileId}`.localeCompare(`${a.createdAt}#${a.fileId}`)),
      request,
    );
  }

  async getFile(fileId: string) {
    const file = this.files.get(fileId);
    return file && copy(file);
  }

  async getFiles(fileIds: string[]) {
    return [...new Set(fileIds)].flatMap((id) => {
      const file = this.files.get(id);
      return file ? [copy(file)] : [];
    });
  }

  async putFile(file: StoredFile) {
    if (this.files.has(file.fileId)) throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    this.files.set(file.fileId, copy(file));
  }

  async completeFile(fileId: string, update: { size: number; contentType: string; completedAt: string }) {
    const file = this.files.get(fileId);
    if (!file || file.state !== 'pending') return false;
    Object.assign(file, { state: 'ready', size: update.size, contentType: update.contentType, completedAt: update.completedAt });
    return true;
  }
}

export class FakeLinkLog implements LinkLog {
  readonly entries = new Map<string, LinkLogEntry>();

  async record(entries: LinkLogEntry[]) {
    for (const entry of entries) this.entries.set(`${entry.linkId}|${entry.entryKey}`, copy(entry));
  }

  async list(linkId: string, request: PageRequest) {
    return page(
      [...this.entries.values()].filter((e) => e.linkId === linkId).sort((a, b) => b.entryKey.localeCompare(a.entryKey)),
      request,
    );
  }
}

/** An S3 error as the SDK throws it: a name and the HTTP status it answered with. */
const s3Error = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

export class FakeFileStorage implements FileStorage {
  readonly objects = new Map<string, { size: number; contentType: string | null; lastModified: string }>();
  readonly uploads = new Map<string, { objectKey: string; contentType: string; parts: Map<number, { etag: string; size: number }> }>();
  private nextUpload = 1;

  async presignDownload(input: { objectKey: string; fileName: string; contentType: string; expiresInSeconds: number }) {
    return `https://files.example/${encodeURIComponent(input.objectKey)}?expires=${input.expiresInSeconds}&X-Amz-Signature=fake`;
  }

  async presignUpload(input: { objectKey: string; contentType: string; expiresInSeconds: number }) {
    return `https://files.example/${encodeURIComponent(input.objectKey)}?put&expires=${input.expiresInSeconds}`;
  }

  async startMultipartUpload(input: { objectKey: string; contentType: string }) {
    const uploadId = `upload-${this.nextUpload++}`;
    this.uploads.set(uploadId, { objectKey: input.objectKey, contentType: input.contentType, parts: new Map() });
    return uploadId;
  }

  async presignUploadPart(input: { objectKey: string; uploadId: string; partNumber: number; expiresInSeconds: number }) {
    return `https://files.example/${encodeURIComponent(input.objectKey)}?uploadId=${input.uploadId}&partNumber=${input.partNumber}`;
  }

  /** What a browser's PUT of a part does: the part is stored, with its ETag. */
  putPart(uploadId: string, partNumber: number, size: number): string {
    const etag = `"etag-${uploadId}-${partNumber}-${size}"`;
    this.uploads.get(uploadId)?.parts.set(partNumber, { etag, size });
    return etag;
  }

  /** What a browser's single PUT does. */
  putObject(objectKey: string, size: number, contentType: string | null = null) {
    this.objects.set(objectKey, { size, contentType, lastModified: new Date().toISOString() });
  }

  /** S3's rules: every named part uploaded with that ETag, in ascending order; the upload is consumed. */
  async completeMultipartUpload(input: { objectKey: string; uploadId: string; parts: { partNumber: number; etag: string }[] }) {
    const upload = this.uploads.get(input.uploadId);
    if (!upload || upload.objectKey !== input.objectKey) throw s3Error('NoSuchUpload', 404);
    let size = 0;
    input.parts.forEach((part, i) => {
      const stored = upload.parts.get(part.partNumber);
      if (!stored || stored.etag.replace(/"/g, '') !== part.etag.replace(/"/g, '')) throw s3Error('InvalidPart', 400);
      if (i > 0 && part.partNumber <= (input.parts[i - 1] as { partNumber: number }).partNumber) throw s3Error('InvalidPartOrder', 400);
      size += stored.size;
    });
    this.uploads.delete(input.uploadId);
    this.putObject(input.objectKey, size, upload.contentType);
  }

  async describe(objectKey: string) {
    const object = this.objects.get(objectKey);
    return object && { size: object.size, contentType: object.contentType };
  }

  async list(input: { prefix?: string | undefined; cursor?: string | undefined; limit: number }) {
    const items = [...this.objects.entries()]
      .filter(([key]) => !input.prefix || key.startsWith(input.prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, o]) => ({ key, size: o.size, lastModified: o.lastModified }));
    return page(items, { limit: input.limit, cursor: input.cursor });
  }
}

export class FakeKeySource implements SigningKeySource {
  reads = 0;
  constructor(public keySet: SigningKeySet = { currentKid: 'k1', keys: { k1: 'a-test-signing-secret-of-32-characters-or-more' } }) {}
  async current() {
    this.reads++;
    return copy(this.keySet);
  }
  async refresh() {
    return this.current();
  }
}

export class FakePublisher implements EventPublisher {
  readonly published: OutgoingEvent[] = [];
  /** The next `n` publish calls fail, as PutEvents does when EventBridge is throttled. */
  failNext = 0;
  async publish(events: OutgoingEvent[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('ThrottlingException'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    }
    this.published.push(...copy(events));
  }
}

export class FakeDeadLetters implements DeadLetters {
  readonly parked: { source: string; reason: string; payload: unknown }[] = [];
  async park(input: { source: string; reason: string; payload: unknown }) {
    this.parked.push(copy(input));
  }
}

interface LedgerItem {
  status: 'claimed' | 'sent' | 'released';
  attempt: number;
  leaseUntil: string;
  key?: string;
  messageId?: string;
  feedback: Record<string, { at: string; detail: string | null }>;
}

/** The dispatch ledger with the DynamoDB adapter's conditions (see adapters/dynamo/dispatch-ledger.ts). */
export class FakeDispatchLedger implements DispatchLedger {
  readonly items = new Map<string, LedgerItem>();

  async claim(id: string, input: { key: string; now: string; leaseMs: number }): Promise<DispatchState> {
    const item = this.items.get(id);
    if (item && item.status !== 'released')
      return item.status === 'sent' ? { status: 'sent' } : { status: 'held', attempt: item.attempt, leaseUntil: item.leaseUntil };
    const attempt = (item?.attempt ?? 0) + 1;
    this.items.set(id, {
      status: 'claimed',
      attempt,
      leaseUntil: new Date(Date.parse(input.now) + input.leaseMs).toISOString(),
      key: input.key,
      feedback: item?.feedback ?? {},
    });
    return { status: 'claimed', attempt };
  }

  async takeOver(id: string, input: { attempt: number; now: string; leaseMs: number }): Promise<DispatchState> {
    const item = this.items.get(id);
    if (!item || item.status !== 'claimed' || item.attempt !== input.attempt || !(item.leaseUntil <= input.now)) {
      return item?.status === 'sent'
        ? { status: 'sent' }
        : { status: 'held', attempt: item?.attempt ?? 0, leaseUntil: item?.leaseUntil ?? new Date(0).toISOString() };
    }
    item.attempt = input.attempt + 1;
    item.leaseUntil = new Date(Date.parse(input.now) + input.leaseMs).toISOString();
    return { status: 'claimed', attempt: item.attempt };
  }

  async markSent(id: string, input: { at: string; messageId?: string | undefined }) {
    const item = this.items.get(id) ?? { status: 'sent' as const, attempt: 0, leaseUntil: input.at, feedback: {} };
    item.status = 'sent';
    item.messageId ??= input.messageId;
    this.items.set(id, item);
  }

  async confirm(id: string, _input: { at: string }) {
    const item = this.items.get(id);
    if (item?.status === 'claimed') item.status = 'sent';
  }

  async release(id: string, attempt: number) {
    const item = this.items.get(id);
    if (item?.status === 'claimed' && item.attempt === attempt) item.status = 'released';
  }

  async recordFeedback(id: string, input: { at: string; kind: 'bounce' | 'complaint' | 'delivery' | 'reject'; detail?: string | undefined }) {
    const item = this.items.get(id);
    if (item) item.feedback[input.kind] ??= { at: input.at, detail: input.detail ?? null };
  }
}

export class FakeMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  /** Set to make the next send throw (a refusal has an HTTP status, a timeout does not). */
  failWith: Error | undefined;
  private next = 1;
  async send(email: OutgoingEmail) {
    if (this.failWith) {
      const error = this.failWith;
      this.failWith = undefined;
      throw error;
    }
    this.sent.push(email);
    return { messageId: `message-${this.next++}` };
  }
}

/** A clock tests move by hand, and a sleep that moves it (no real waiting). */
export const fakeTime = (start = Date.parse('2026-06-01T12:00:00.000Z')) => {
  let now = start;
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    iso: () => new Date(now).toISOString(),
  };
};
