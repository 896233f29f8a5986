import { describe, expect, it } from 'vitest';
import type { StoredFile } from '../../core/file';
import type { Link } from '../../core/link';
import { LinkSigner } from '../../core/link-signer';
import { applyProductSettings } from '../../core/product';
import { newProductUpdate, type ProductUpdate, productUpdateView, UPDATE_ID_PATTERN } from '../../core/product-update';
import { advanceProductUpdate, type AdvanceUpdateDeps } from '../../core/use-cases/advance-product-update';
import { getProductUpdate, listProductUpdates, previewProductUpdate } from '../../core/use-cases/read-product-updates';
import { recordPaymentEvent } from '../../core/use-cases/record-payment-event';
import { startProductUpdate } from '../../core/use-cases/start-product-update';
import {
  FakeCatalogStore,
  FakeDispatchLedger,
  FakeInvoiceStore,
  FakeKeySource,
  FakeLinkStore,
  FakeMailer,
  FakeProductUpdateStore,
  FakePublisher,
  fakeTime,
} from '../support/fakes';

const NOW = '2026-06-01T12:00:00.000Z';

const readyFile = (fileId: string, fileName: string, state: StoredFile['state'] = 'ready'): StoredFile => ({
  fileId,
  fileName,
  contentType: 'application/pdf',
  size: 10,
  objectKey: `uploads/${fileId}-key`,
  state,
  source: 'upload',
  upload: null,
  createdAt: NOW,
  createdBy: 'op',
  completedAt: NOW,
});

/** A shop selling `book` (file v1) to `buyers` customers, one invoice each, and a second file v2 uploaded. */
const shop = async (buyers: number, options: { batchSize?: number } = {}) => {
  const catalog = new FakeCatalogStore();
  const invoices = new FakeInvoiceStore();
  const links = new FakeLinkStore();
  const updates = new FakeProductUpdateStore();
  const publisher = new FakePublisher();
  const mailer = new FakeMailer();
  const ledger = new FakeDispatchLedger();
  const time = fakeTime(Date.parse(NOW));
  const signer = new LinkSigner(new FakeKeySource());
  const dispatch = { ledger, clock: time.clock, sleep: time.sleep, timing: { leaseMs: 5000, graceMs: 1000, maxWaitMs: 10_000, pollMs: 100 } };
  await catalog.putFile(readyFile('v1', 'book.pdf'));
  await catalog.putFile(readyFile('v2', 'book-2nd-edition.pdf'));
  await catalog.putFile(readyFile('extras', 'extras.zip'));
  catalog.put(applyProductSettings('book', { name: 'The Book', fileIds: ['v1', 'extras'] }, undefined, { now: NOW, by: 'op' }));
  for (let i = 1; i <= buyers; i++) {
    const customerId = `cust-${String(i).padStart(3, '0')}`;
    await recordPaymentEvent(
      { invoices, links, catalog },
      {
        type: 'PaymentSucceeded',
        detail: { invoiceId: `inv-${i}`, customerId, customerEmail: `${customerId}@example.com`, occurredAt: NOW, lines: [{ productId: 'book' }] },
      },
      NOW,
    );
  }
  const deps: AdvanceUpdateDeps = {
    updates,
    links,
    invoices,
    catalog,
    signer,
    events: publisher,
    mailer,
    dispatch,
    publicBaseUrl: 'https://shop.example.com',
    accountUrl: 'https://shop.example.com/account/downloads',
    from: 'shop@example.com',
    batchSize: options.batchSize ?? 3,
    clock: time.iso,
  };
  /** What the stream does: one step after another, from the job's latest state, until it is done. */
  const drive = async (productId: string, updateId: string) => {
    const outcomes: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const job = await updates.get(productId, updateId);
      if (!job || job.phase === 'done') return outcomes;
      outcomes.push(await advanceProductUpdate(deps, { productId, updateId, step: job.step }));
    }
    throw new Error('the update did not finish');
  };
  const bookLinks = () => [...links.items.values()].filter((l) => l.productId === 'book');
  return { catalog, invoices, links, updates, publisher, mailer, ledger, deps, drive, bookLinks };
};

const meta = { now: NOW, by: 'operator-1' };

describe('an update for past buyers', () => {
  it('repoints every link that serves the old file, keeping token, count and limit, one version up', async () => {
    // Prepare
    const s = await shop(7);
    const first = s.bookLinks().find((l) => l.fileId === 'v1');
    if (!first) throw new Error('no link');
    s.links.items.set(first.id, { ...first, downloadCount: 2 });
    const before = s.bookLinks().map((l) => ({ id: l.id, maxDownloads: l.maxDownloads, expiresAt: l.expiresAt }));

    // Act
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, meta);
    await s.drive('book', started.updateId);

    // Assess
    const after = s.bookLinks();
    const updated = after.filter((l) => l.fileId === 'v2');
    expect(updated).toHaveLength(7);
    expect(updated.every((l) => l.fileVersion === 2 && l.updatedAt !== null && l.objectKey === 'uploads/v2-key' && l.fileName === 'book-2nd-edition.pdf')).toBe(
      true,
    );
    expect(after.filter((l) => l.fileId === 'extras').every((l) => l.fileVersion === 1)).toBe(true);
    expect(after.map((l) => ({ id: l.id, maxDownloads: l.maxDownloads, expiresAt: l.expiresAt }))).toEqual(before);
    expect(s.links.items.get(first.id)?.downloadCount).toBe(2);
    const progress = await getProductUpdate(s.updates, 'book', started.updateId);
    expect(progress).toMatchObject({ status: 'done', scanned: 14, repointed: 7, skipped: 7, customersNotified: 0, batches: 5 });
    expect(s.mailer.sent).toHaveLength(0);
  });

  it('sells the new file to later purchases and lists the update as a version of the product', async () => {
    // Prepare
    const s = await shop(1);

    // Act
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, meta);
    const listed = await listProductUpdates(s, 'book', { limit: 10 });

    // Assess
    expect((await s.catalog.getProduct('book'))?.fileIds).toEqual(['v2', 'extras']);
    expect(listed.items.map((u) => u.updateId)).toEqual([started.updateId]);
    expect(started).toMatchObject({ status: 'repointing', replace: { v1: 'v2' }, notify: false, createdBy: 'operator-1' });
  });

  it('leaves revoked links revoked and serving what they served', async () => {
    // Prepare
    const s = await shop(3);
    const revoked = s.bookLinks().find((l) => l.fileId === 'v1' && l.customerId === 'cust-002');
    if (!revoked) throw new Error('no link');
    s.links.items.set(revoked.id, { ...revoked, status: 'revoked' });

    // Act
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' }, notify: true }, meta);
    await s.drive('book', started.updateId);

    // Assess
    expect(s.links.items.get(revoked.id)).toMatchObject({ status: 'revoked', fileId: 'v1', fileVersion: 1 });
    expect(s.mailer.sent.map((m) => m.to).sort()).toEqual(['cust-001@example.com', 'cust-003@example.com']);
  });

  it('with notify, tells each customer once by one ProductUpdated event and one email, however many of their links it repointed', async () => {
    // Prepare: cust-002 bought twice, so two of their links serve v1, possibly on two pages
    const s = await shop(5, { batchSize: 2 });
    await recordPaymentEvent(
      s,
      {
        type: 'PaymentSucceeded',
        detail: { invoiceId: 'inv-again', customerId: 'cust-002', customerEmail: 'cust-002@example.com', occurredAt: NOW, lines: [{ productId: 'book' }] },
      },
      NOW,
    );

    // Act
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' }, notify: true }, meta);
    await s.drive('book', started.updateId);

    // Assess
    expect(s.mailer.sent.map((m) => m.to).sort()).toEqual(['cust-001', 'cust-002', 'cust-003', 'cust-004', 'cust-005'].map((c) => `${c}@example.com`));
    expect(s.mailer.sent.every((m) => m.kind === 'update')).toBe(true);
    expect(s.publisher.published.map((e) => e.detailType)).toEqual(Array(5).fill('ProductUpdated'));
    const twice = s.publisher.published.find((e) => e.detailType === 'ProductUpdated' && e.detail.customerId === 'cust-002');
    expect(twice?.detailType === 'ProductUpdated' && twice.detail.links.map((l) => l.fileVersion)).toEqual([2, 2]);
    expect(await getProductUpdate(s.updates, 'book', started.updateId)).toMatchObject({ status: 'done', repointed: 6, customersNotified: 5 });
  });

  it('resumes after a crash in the middle of a batch: every link repointed once, each customer told once', async () => {
    // Prepare
    const s = await shop(8);
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' }, notify: true }, meta);
    const job = await s.updates.get('book', started.updateId);
    await advanceProductUpdate(s.deps, { productId: 'book', updateId: started.updateId, step: job?.step ?? 0 });
    s.links.failRepointsAfter = s.links.repoints + 1;

    // Act: the second batch dies after one write; the step is handed over again, then the rest runs; a stale record replays
    const crashed = await s.drive('book', started.updateId).catch((error: Error) => error.message);
    const outcomes = await s.drive('book', started.updateId);
    const replayed = await advanceProductUpdate(s.deps, { productId: 'book', updateId: started.updateId, step: 1 });

    // Assess
    expect(crashed).toBe('crash in the middle of a batch');
    expect(outcomes.at(-1)).toBe('finished');
    expect(replayed).toBe('stale');
    expect(s.links.repoints).toBe(8);
    expect(
      s
        .bookLinks()
        .filter((l) => l.fileId === 'v2')
        .every((l) => l.fileVersion === 2),
    ).toBe(true);
    expect(s.mailer.sent).toHaveLength(8);
    expect(await getProductUpdate(s.updates, 'book', started.updateId)).toMatchObject({ repointed: 8, skipped: 8, customersNotified: 8 });
  });

  it('sends no email twice when a notify step fails after some customers and is run again', async () => {
    // Prepare
    const s = await shop(4, { batchSize: 10 });
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' }, notify: true }, meta);
    const job = await s.updates.get('book', started.updateId);
    await advanceProductUpdate(s.deps, { productId: 'book', updateId: started.updateId, step: job?.step ?? 0 });
    s.publisher.failNext = 1;

    // Act
    const failed = await s.drive('book', started.updateId).catch(() => 'failed');
    await s.drive('book', started.updateId);

    // Assess
    expect(failed).toBe('failed');
    expect(s.mailer.sent.map((m) => m.to).sort()).toEqual(['cust-001', 'cust-002', 'cust-003', 'cust-004'].map((c) => `${c}@example.com`));
    expect(s.publisher.published).toHaveLength(4);
  });

  it('two runs of the same step advance the job once', async () => {
    // Prepare
    const s = await shop(4);
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, meta);

    // Act
    const outcomes = await Promise.all([
      advanceProductUpdate(s.deps, { productId: 'book', updateId: started.updateId, step: 0 }),
      advanceProductUpdate(s.deps, { productId: 'book', updateId: started.updateId, step: 0 }),
    ]);

    // Assess
    expect(outcomes.sort()).toEqual(['advanced', 'lost-race']);
    expect((await s.updates.get('book', started.updateId))?.step).toBe(1);
  });

  it('refuses a new file that is not completed, an unknown one, a file replacing itself and an unknown product, changing nothing', async () => {
    // Prepare
    const s = await shop(1);
    await s.catalog.putFile(readyFile('v3', 'book-3.pdf', 'pending'));

    // Act
    const attempts = await Promise.all([
      startProductUpdate(s, 'book', { replace: { v1: 'v3' } }, meta).catch((e) => e.code),
      startProductUpdate(s, 'book', { replace: { v1: 'nope' } }, meta).catch((e) => e.code),
      startProductUpdate(s, 'book', { replace: { v1: 'v1' } }, meta).catch((e) => e.code),
      startProductUpdate(s, 'book', { replace: {} }, meta).catch((e) => e.code),
      startProductUpdate(s, 'other', { replace: { v1: 'v2' } }, meta).catch((e) => e.code),
    ]);

    // Assess
    expect(attempts).toEqual(['FILE_NOT_READY', 'UNKNOWN_FILE', 'SAME_FILE', 'INVALID_INPUT', 'PRODUCT_NOT_FOUND']);
    expect(s.updates.items.size).toBe(0);
    expect((await s.catalog.getProduct('book'))?.fileIds).toEqual(['v1', 'extras']);
  });

  it('previews how many links and customers an update reaches before it is published', async () => {
    // Prepare
    const s = await shop(6);
    const one = s.bookLinks().find((l) => l.fileId === 'v1');
    if (!one) throw new Error('no link');
    s.links.items.set(one.id, { ...one, status: 'revoked' });

    // Act
    const preview = await previewProductUpdate(s, 'book', { replace: { v1: 'v2' } });

    // Assess
    expect(preview).toEqual({ productId: 'book', links: 5, customers: 5, complete: true });
    expect(s.updates.items.size).toBe(0);
  });
});

describe('productUpdateView', () => {
  const update = (phase: ProductUpdate['phase']) => ({
    ...newProductUpdate({
      productId: 'ebook',
      replace: { 'file-1': { fileId: 'file-2', fileName: 'book.pdf', contentType: 'application/pdf', objectKey: 'imports/book.pdf' } },
      notify: true,
      now: '2026-06-01T12:00:00.000Z',
      by: 'admin',
    }),
    phase,
    updatedAt: '2026-06-01T12:05:30.000Z',
  });

  it('names each phase as the admin API reports it', () => {
    // Act
    const statuses = (['repoint', 'notify', 'done'] as const).map((phase) => productUpdateView(update(phase)).status);

    // Assess
    expect(statuses).toEqual(['repointing', 'notifying', 'done']);
  });

  it('shows its times without zero milliseconds, as the contract does', () => {
    // Act
    const view = productUpdateView(update('repoint'));

    // Assess
    expect(view).toMatchObject({ createdUtc: '2026-06-01T12:00:00Z', updatedUtc: '2026-06-01T12:05:30Z', finishedUtc: null });
  });

  it('gets an id that starts with its compact creation time and fits the update id pattern', () => {
    // Act
    const { updateId } = update('repoint');

    // Assess
    expect(updateId.startsWith('20260601T120000000Z-')).toBe(true);
    expect(updateId).toMatch(UPDATE_ID_PATTERN);
  });
});

describe('reading updates and previews', () => {
  const catalog = () => {
    const c = new FakeCatalogStore();
    c.put(applyProductSettings('book', { name: 'The Book' }, undefined, { now: NOW, by: 'op' }));
    return c;
  };
  /** A product with `pages` full pages of links to v1, one customer per page (reading a 61st page fails the test). */
  const pagedLinks = (pages: number) => {
    const asked: (string | undefined)[] = [];
    return {
      asked,
      listByProduct: async (_productId: string, request: { limit: number; cursor?: string | undefined }) => {
        asked.push(request.cursor);
        const n = request.cursor ? Number(request.cursor) : 0;
        if (n >= 60) throw new Error('read past the preview limit');
        const items = Array.from({ length: 1000 }, (_, i) => ({ id: `l${n}-${i}`, fileId: 'v1', customerId: `c${n}`, status: 'active' }) as Link);
        return { items, nextCursor: n + 1 < pages ? String(n + 1) : null };
      },
    };
  };

  it('answers an unknown update, and the updates or preview of an unknown product, with 404 and a message', async () => {
    // Prepare
    const updates = new FakeProductUpdateStore();
    const deps = { catalog: catalog(), updates, links: pagedLinks(1) };

    // Act / Assess
    await expect(getProductUpdate(updates, 'book', 'nope')).rejects.toMatchObject({
      kind: 'not_found',
      code: 'UPDATE_NOT_FOUND',
      message: 'No update with this id for this product.',
    });
    const unknownProduct = { kind: 'not_found', code: 'PRODUCT_NOT_FOUND', message: 'No digital product with this id.' };
    await expect(listProductUpdates(deps, 'nope', { limit: 10 })).rejects.toMatchObject(unknownProduct);
    await expect(previewProductUpdate(deps, 'nope', { replace: { v1: 'v2' } })).rejects.toMatchObject(unknownProduct);
    expect(deps.links.asked).toEqual([]);
  });

  it('counts the links of every page of the product', async () => {
    // Prepare
    const links = pagedLinks(3);

    // Act
    const preview = await previewProductUpdate({ catalog: catalog(), links }, 'book', { replace: { v1: 'v2' } });

    // Assess
    expect(preview).toEqual({ productId: 'book', links: 3000, customers: 3, complete: true });
    expect(links.asked).toEqual([undefined, '1', '2']);
  });

  it('stops after 50,000 links and says the counts are a lower bound', async () => {
    // Prepare
    const links = pagedLinks(1000);

    // Act
    const preview = await previewProductUpdate({ catalog: catalog(), links }, 'book', { replace: { v1: 'v2' } });

    // Assess
    expect(preview).toEqual({ productId: 'book', links: 50_000, customers: 50, complete: false });
    expect(links.asked).toHaveLength(50);
  });
});
