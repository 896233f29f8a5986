import { type CountedChange, counterName, type DayCounters } from '../../core/dashboard';
import type { OutgoingEvent } from '../../core/events';
import type { StoredFile } from '../../core/file';
import type { Invoice, IssuedLicense, PaymentState } from '../../core/invoice';
import { isCopyReady, isExpired, isLimitReached, type Link, type LinkStatus } from '../../core/link';
import { type License, type LicenseSlot, MAX_ACTIVATIONS_PER_KEY } from '../../core/license';
import type { LinkLogEntry } from '../../core/link-log';
import type {
  ActivationResult,
  CatalogStore,
  DashboardCounters,
  DeadLetters,
  DispatchLedger,
  DispatchState,
  EventPublisher,
  ExternalIdChanges,
  FileStorage,
  InvoiceStore,
  LicenseActionMeta,
  LicenseStore,
  LinkLog,
  LinkStore,
  Mailer,
  ObjectStore,
  OutgoingEmail,
  Page,
  PageRequest,
  ProductUpdateStore,
  Requester,
  SharingStore,
  SigningKeySource,
} from '../../core/ports';
import type { SharingAggregate } from '../../core/sharing';
import { compareSortKeys, type DigitalProduct, externalIdTaken, matchesFilter, type ProductFilter, productSortKey } from '../../core/product';
import type { ProductUpdate, UpdateTarget } from '../../core/product-update';
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
    const serves =
      link &&
      link.customerId === customerId &&
      link.status === 'active' &&
      !link.sharingSuspendedAt &&
      !isExpired(link, now) &&
      !isLimitReached(link) &&
      isCopyReady(link);
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

  /** BatchGetItem answers in no particular order: set to hand the links back in the reverse of the order asked for. */
  unordered = false;

  async getMany(linkIds: string[]) {
    const found = [...new Set(linkIds)].flatMap((id) => {
      const link = this.items.get(id);
      return link ? [copy(strip(link))] : [];
    });
    return this.unordered ? found.reverse() : found;
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

  async listByProduct(productId: string, request: PageRequest & { customerId?: string | undefined }) {
    // Hidden (regenerated) links too: the index holds every link; grouped by customer like the index's sort key.
    const all = [...this.items.values()]
      .filter((l) => l.productId === productId && (request.customerId === undefined || l.customerId === request.customerId))
      .sort((a, b) => a.customerId.localeCompare(b.customerId) || a.id.localeCompare(b.id))
      .map(strip);
    return page(all, request);
  }

  /** The next `n` repoint writes fail (a crash mid-batch), after they changed nothing. */
  failRepointsAfter: number | undefined;
  repoints = 0;

  async repoint(linkId: string, change: { from: string; to: UpdateTarget; updateId: string; at: string }) {
    if (this.failRepointsAfter !== undefined && this.repoints >= this.failRepointsAfter) {
      this.failRepointsAfter = undefined;
      throw new Error('crash in the middle of a batch');
    }
    const link = this.items.get(linkId);
    if (!link || link.fileId !== change.from || link.status === 'revoked') return link?.updateId === change.updateId ? 'already' : 'skipped';
    this.repoints++;
    Object.assign(link, {
      fileId: change.to.fileId,
      fileName: change.to.fileName,
      contentType: change.to.contentType,
      objectKey: change.to.objectKey,
      fileVersion: link.fileVersion + 1,
      updatedAt: change.at,
      updateId: change.updateId,
    });
    return 'repointed';
  }

  /** The links the `byCopyExpiry` index holds (a copy recorded as made, not yet recorded as removed); with an expiry. */
  readonly withCopies = new Set<string>();

  async settleCopy(linkId: string, copy: { copyKey: string; fileVersion: number; outcome: 'stamped' | 'original' }) {
    const link = this.items.get(linkId);
    if (!link || link.copyKey !== copy.copyKey || link.fileVersion !== copy.fileVersion) return false;
    if (copy.outcome === 'stamped') {
      link.copyVersion = copy.fileVersion;
      this.withCopies.add(linkId);
    } else Object.assign(link, { stampText: null, copyVersion: null });
    return true;
  }

  async listExpiredCopies(before: string, request: PageRequest) {
    const indexed = [...this.withCopies].flatMap((id) => {
      const link = this.items.get(id);
      return link?.expiresAt && link.copyKey && link.expiresAt < before
        ? [{ id, copyKey: link.copyKey, fileVersion: link.fileVersion, expiresAt: link.expiresAt }]
        : [];
    });
    // A key cursor, as the index's: links leaving the index meanwhile do not shift the next page.
    const after = request.cursor ? Buffer.from(request.cursor, 'base64url').toString() : '';
    const sorted = indexed.map((c) => ({ c, key: `${c.expiresAt}#${c.id}` })).sort((a, b) => a.key.localeCompare(b.key));
    const rest = sorted.filter((e) => e.key > after);
    const items = rest.slice(0, request.limit);
    const last = items.at(-1);
    return { items: items.map((e) => e.c), nextCursor: rest.length > request.limit && last ? Buffer.from(last.key).toString('base64url') : null };
  }

  async markCopiesRemoved(linkId: string, copy: { copyKey: string; fileVersion: number; at: string }) {
    const link = this.items.get(linkId);
    if (!link || link.copyKey !== copy.copyKey || link.fileVersion !== copy.fileVersion) return false;
    link.copyVersion = null;
    this.withCopies.delete(linkId);
    return true;
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

  async flagShared(linkId: string, flag: { at: string; networks: number; suspend: boolean }) {
    const link = this.items.get(linkId);
    if (!link) return undefined;
    if (link.flaggedAt) return copy(strip(link));
    if (link.sharingResetAt && !(link.sharingResetAt < flag.at)) return undefined;
    Object.assign(link, { flaggedAt: flag.at, flaggedNetworks: flag.networks, ...(flag.suspend ? { sharingSuspendedAt: flag.at } : {}) });
    return copy(strip(link));
  }

  async clearSharingFlag(linkId: string, change: { flaggedAt: string; at: string }) {
    const link = this.items.get(linkId);
    if (!link) return undefined;
    if (link.flaggedAt === change.flaggedAt)
      Object.assign(link, { flaggedAt: null, flaggedNetworks: null, sharingSuspendedAt: null, sharingResetAt: change.at });
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
    quantities?: Record<string, number> | undefined;
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
    if (input.quantities && !invoice.quantities) invoice.quantities = { ...input.quantities };
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

  async markLinksIssued(invoiceId: string, generation: number, now: string, undeliverable?: Invoice['undeliverable'], licenses?: IssuedLicense[]) {
    this.calls.writes++;
    const invoice = this.items.get(invoiceId);
    if (!invoice) return undefined;
    if (invoice.generation !== generation || invoice.linksIssuedAt !== null) return copy(invoice);
    invoice.linksIssuedAt = now;
    if (undeliverable && Object.keys(undeliverable).length > 0) invoice.undeliverable = copy(undeliverable);
    if (licenses && licenses.length > 0 && !invoice.licenses) invoice.licenses = copy(licenses);
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
  /** The external ids each `productsOfExternalIds` call asked for (the DynamoDB store reads them in one batch). */
  readonly externalIdLookups: string[][] = [];
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

  /** External id → the product it names (the adapter's claims table). */
  readonly externalIds = new Map<string, string>();

  /** The adapter's conditions: absent, or still at the version the caller read; external ids free or this product's. */
  async saveProduct(product: DigitalProduct, expected: 'absent' | { version: number }, changes?: ExternalIdChanges) {
    // The adapter builds its condition from `expected`: anything but 'absent' or a version is a request DynamoDB refuses.
    if (expected !== 'absent' && typeof (expected as { version?: unknown } | null)?.version !== 'number')
      throw new Error(`Invalid expected state: ${JSON.stringify(expected)}`);
    const current = this.products.get(product.productId);
    if (expected === 'absent' ? current !== undefined : current?.version !== expected.version) return false;
    for (const id of changes?.claim ?? []) {
      const owner = this.externalIds.get(id);
      if (owner && owner !== product.productId) throw externalIdTaken(id, owner);
    }
    for (const id of changes?.release ?? []) if (this.externalIds.get(id) === product.productId) this.externalIds.delete(id);
    for (const id of changes?.claim ?? []) this.externalIds.set(id, product.productId);
    this.products.set(product.productId, copy(product));
    return true;
  }

  async productsOfExternalIds(externalIds: string[]) {
    this.externalIdLookups.push([...externalIds]);
    return new Map(
      externalIds.flatMap((id) => {
        const owner = this.externalIds.get(id);
        return owner ? [[id, owner] as const] : [];
      }),
    );
  }

  /** A product as it is, whatever is stored (test set-up). */
  put(product: DigitalProduct) {
    this.products.set(product.productId, copy(product));
    for (const id of product.externalIds ?? []) this.externalIds.set(id, product.productId);
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
    if (file?.state !== 'pending') return false;
    Object.assign(file, { state: 'ready', size: update.size, contentType: update.contentType, completedAt: update.completedAt });
    return true;
  }
}

/** Product updates with the adapter's condition: `advance` writes only at the expected step. */
export class FakeProductUpdateStore implements ProductUpdateStore {
  readonly items = new Map<string, ProductUpdate>();
  private key = (productId: string, updateId: string) => `${productId}\u0000${updateId}`;

  async create(update: ProductUpdate) {
    const key = this.key(update.productId, update.updateId);
    if (this.items.has(key)) throw new Error('an update with this id exists');
    this.items.set(key, copy(update));
  }

  async get(productId: string, updateId: string) {
    const update = this.items.get(this.key(productId, updateId));
    return update && copy(update);
  }

  async list(productId: string, request: PageRequest) {
    return page(
      [...this.items.values()].filter((u) => u.productId === productId).sort((a, b) => b.updateId.localeCompare(a.updateId)),
      request,
    );
  }

  async advance(update: ProductUpdate, expectedStep: number) {
    const key = this.key(update.productId, update.updateId);
    if (this.items.get(key)?.step !== expectedStep) return false;
    this.items.set(key, copy(update));
    return true;
  }
}

/** Objects by key, whole; the bytes going in and out are copies. */
export class FakeObjectStore implements ObjectStore {
  readonly objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  async sizeOf(key: string) {
    return this.objects.get(key)?.bytes.length;
  }
  async read(key: string) {
    const object = this.objects.get(key);
    if (!object) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    return object.bytes.slice();
  }
  async write(key: string, bytes: Uint8Array, contentType: string) {
    this.objects.set(key, { bytes: bytes.slice(), contentType });
  }
  async remove(keys: string[]) {
    for (const key of keys) this.objects.delete(key);
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

/** The sharing records with the DynamoDB adapter's version condition (adapters/dynamo/sharing-store.ts). */
export class FakeSharingStore implements SharingStore {
  readonly aggregates = new Map<string, SharingAggregate>();
  readonly resets = new Map<string, number>();
  /** The next `n` saves lose to a concurrent write (which changed nothing here). */
  loseNext = 0;
  saves = 0;

  async getMany(linkIds: string[]) {
    return new Map(linkIds.flatMap((id) => (this.aggregates.has(id) ? [[id, copy(this.aggregates.get(id) as SharingAggregate)] as const] : [])));
  }

  async save(aggregate: SharingAggregate) {
    if (this.loseNext > 0) {
      this.loseNext--;
      return false;
    }
    if ((this.aggregates.get(aggregate.linkId)?.version ?? 0) !== aggregate.version) return false;
    this.saves++;
    this.aggregates.set(aggregate.linkId, { ...copy(aggregate), version: aggregate.version + 1 });
    return true;
  }

  async countResets(customerId: string, resets: number) {
    this.resets.set(customerId, (this.resets.get(customerId) ?? 0) + resets);
  }

  async resetsOf(customerId: string) {
    return this.resets.get(customerId) ?? 0;
  }
}

/** The dashboard's counters, with the real store's guarantee: a change id counts once. */
export class FakeDashboardCounters implements DashboardCounters {
  readonly days = new Map<string, Record<string, number>>();
  readonly counted = new Set<string>();

  async count(changes: CountedChange[]) {
    let counted = 0;
    for (const change of changes) {
      if (this.counted.has(change.id)) continue;
      this.counted.add(change.id);
      counted++;
      const day = this.days.get(change.day) ?? {};
      for (const tally of change.tallies) day[counterName(tally)] = (day[counterName(tally)] ?? 0) + 1;
      this.days.set(change.day, day);
    }
    return { counted, alreadyCounted: changes.length - counted };
  }

  async read(days: string[]): Promise<DayCounters[]> {
    return days.flatMap((day) => {
      const counters = this.days.get(day);
      return counters ? [{ day, counters: { ...counters } }] : [];
    });
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
    if (item?.status !== 'claimed' || item.attempt !== input.attempt || !(item.leaseUntil <= input.now)) {
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

/**
 * A file ready to sell (a completed upload) for the stores' fakes: a PDF of 10 bytes, its object key apart from its
 * id (`uploads/<id>-key`), created and completed at `at`.
 */
export const readyFile = (fileId: string, options: { fileName?: string; state?: StoredFile['state']; at?: string } = {}): StoredFile => ({
  fileId,
  fileName: options.fileName ?? `${fileId}.pdf`,
  contentType: 'application/pdf',
  size: 10,
  objectKey: `uploads/${fileId}-key`,
  state: options.state ?? 'ready',
  source: 'upload',
  upload: null,
  createdAt: options.at ?? '2026-06-01T12:00:00.000Z',
  createdBy: 'op',
  completedAt: options.at ?? '2026-06-01T12:00:00.000Z',
});

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

/** License keys in memory, with the Dynamo adapter's conditions (one slot one key, a pool key taken once, seats within the limit). */
export class FakeLicenseStore implements LicenseStore {
  readonly items = new Map<string, License>();
  /** What a customer's call wrote to a sold key's log (the DynamoDB store's `lastEvent`, which its stream turns into the log). */
  readonly log: { key: string; kind: 'activated' | 'validated' | 'deactivated'; at: string; ip: string | null }[] = [];
  readonly slots = new Map<string, string>();
  /** Pool keys in import order, per product. */
  private readonly pools = new Map<string, string[]>();
  /** Calls of the activation API's writes, to count round trips. */
  writes = 0;

  async assignedKeys(slotIds: string[]) {
    return new Map(slotIds.flatMap((id) => (this.slots.has(id) ? [[id, this.slots.get(id) as string] as const] : [])));
  }

  private sold(slot: LicenseSlot, license: License): License {
    return {
      ...license,
      productName: slot.productName,
      status: slot.status,
      statusAt: slot.statusAt,
      invoiceId: slot.invoiceId,
      customerId: slot.customerId,
      activationLimit: slot.activationLimit,
      assignedAt: slot.now,
    };
  }

  async assignGenerated(slot: LicenseSlot, key: string) {
    const existing = this.slots.get(slot.slotId);
    if (existing) return existing;
    if (this.items.has(key)) throw new Error('generated key collision');
    const blank: License = {
      key,
      productId: slot.productId,
      productName: null,
      source: 'generated',
      status: 'available',
      statusAt: '',
      invoiceId: null,
      customerId: null,
      activationLimit: 0,
      activations: {},
      importedAt: null,
      assignedAt: null,
      lastValidatedAt: null,
    };
    this.items.set(key, this.sold(slot, blank));
    this.slots.set(slot.slotId, key);
    return key;
  }

  async assignFromPool(slot: LicenseSlot) {
    const existing = this.slots.get(slot.slotId);
    if (existing) return existing;
    const key = (this.pools.get(slot.productId) ?? []).find((k) => this.items.get(k)?.status === 'available');
    if (!key) return undefined;
    this.items.set(key, this.sold(slot, this.items.get(key) as License));
    this.slots.set(slot.slotId, key);
    return key;
  }

  async get(key: string) {
    const license = this.items.get(key);
    return license && copy(license);
  }

  async getMany(keys: string[]) {
    return keys.flatMap((k) => (this.items.has(k) ? [copy(this.items.get(k) as License)] : []));
  }

  async applyPaymentState(key: string, status: 'active' | 'suspended' | 'revoked', stateKey: string) {
    const license = this.items.get(key);
    if (!license || license.status === 'revoked' || license.status === 'available') return;
    if (status !== 'revoked' && !(license.statusAt < stateKey)) return;
    license.status = status;
    license.statusAt = stateKey;
  }

  async importPool(productId: string, keys: string[], now: string) {
    const conflicts = keys.filter((k) => this.items.has(k) && !(this.pools.get(productId) ?? []).includes(k));
    if (conflicts.length > 0) return { imported: 0, alreadyImported: 0, conflicts };
    const pool = this.pools.get(productId) ?? [];
    let imported = 0;
    for (const key of keys) {
      if (this.items.has(key)) continue;
      pool.push(key);
      imported++;
      this.items.set(key, {
        key,
        productId,
        productName: null,
        source: 'pool',
        status: 'available',
        statusAt: '',
        invoiceId: null,
        customerId: null,
        activationLimit: 0,
        activations: {},
        importedAt: now,
        assignedAt: null,
        lastValidatedAt: null,
      });
    }
    this.pools.set(productId, pool);
    return { imported, alreadyImported: keys.length - imported, conflicts: [] };
  }

  private pool(productId: string, status: 'available' | 'assigned') {
    return (this.pools.get(productId) ?? [])
      .map((k) => this.items.get(k) as License)
      .filter((l) => (status === 'available' ? l.status === 'available' : l.status !== 'available'));
  }

  async listPool(productId: string, status: 'available' | 'assigned', request: PageRequest) {
    return page(this.pool(productId, status), request);
  }

  async countPool(productId: string) {
    return { available: this.pool(productId, 'available').length, assigned: this.pool(productId, 'assigned').length };
  }

  async listByCustomer(customerId: string, request: PageRequest) {
    const mine = [...this.items.values()].filter((l) => l.customerId === customerId).sort((a, b) => (b.assignedAt ?? '').localeCompare(a.assignedAt ?? ''));
    return page(mine, request);
  }

  private sold_(key: string): License | undefined {
    const license = this.items.get(key);
    return license && license.status !== 'available' ? license : undefined;
  }

  async activate(key: string, instanceId: string, activationId: string, meta: LicenseActionMeta): Promise<ActivationResult> {
    this.writes++;
    const license = this.items.get(key);
    if (license?.status !== 'active') return { outcome: 'refused', license: license && copy(license) };
    if (license.activations[instanceId]) return { outcome: 'already-active', license: copy(license) };
    const count = Object.keys(license.activations).length;
    if ((license.activationLimit !== 0 && count >= license.activationLimit) || count >= MAX_ACTIVATIONS_PER_KEY) {
      return { outcome: 'refused', license: copy(license) };
    }
    license.activations[instanceId] = { activationId, at: meta.now };
    this.log.push({ key, kind: 'activated', at: meta.now, ip: meta.requester?.ip ?? null });
    return { outcome: 'activated', license: copy(license) };
  }

  async recordValidation(key: string, _instanceId: string | null, meta: LicenseActionMeta) {
    this.writes++;
    const license = this.sold_(key);
    if (!license) return undefined;
    license.lastValidatedAt = meta.now;
    this.log.push({ key, kind: 'validated', at: meta.now, ip: meta.requester?.ip ?? null });
    return copy(license);
  }

  async deactivate(key: string, instanceId: string, meta: LicenseActionMeta) {
    this.writes++;
    const license = this.sold_(key);
    if (!license) return undefined;
    delete license.activations[instanceId];
    this.log.push({ key, kind: 'deactivated', at: meta.now, ip: meta.requester?.ip ?? null });
    return copy(license);
  }

  async resetActivations(key: string, _meta: LicenseActionMeta) {
    const license = this.sold_(key);
    if (!license) return undefined;
    license.activations = {};
    return copy(license);
  }

  async revoke(key: string, meta: LicenseActionMeta) {
    const license = this.sold_(key);
    if (!license) return undefined;
    license.status = 'revoked';
    license.statusAt = meta.now;
    return copy(license);
  }
}
