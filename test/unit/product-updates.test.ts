import { describe, expect, it, vi } from 'vitest';
import type { Link } from '../../core/link';
import { LinkSigner } from '../../core/link-signer';
import { applyProductSettings, type DigitalProduct } from '../../core/product';
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
  readyFile,
} from '../support/fakes';
import { aLink } from '../support/links';

const NOW = '2026-06-01T12:00:00.000Z';

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
  await catalog.putFile(readyFile('v1', { fileName: 'book.pdf' }));
  await catalog.putFile(readyFile('v2', { fileName: 'book-2nd-edition.pdf' }));
  await catalog.putFile(readyFile('extras', { fileName: 'extras.zip' }));
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

  it('leaves revoked links revoked and serving what they served, and counts no notice to their customer', async () => {
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
    expect(await getProductUpdate(s.updates, 'book', started.updateId)).toMatchObject({ customersNotified: 2 });
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
    await s.catalog.putFile(readyFile('v3', { fileName: 'book-3.pdf', state: 'pending' }));

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

describe('a step of an update', () => {
  const started = async (s: Awaited<ReturnType<typeof shop>>, notify = true) =>
    (await startProductUpdate(s, 'book', { replace: { v1: 'v2' }, notify }, meta)).updateId;
  const step = async (s: Awaited<ReturnType<typeof shop>>, updateId: string) =>
    advanceProductUpdate(s.deps, { productId: 'book', updateId, step: (await s.updates.get('book', updateId))?.step ?? -1 });
  const notices = (s: Awaited<ReturnType<typeof shop>>) => s.publisher.published.flatMap((e) => (e.detailType === 'ProductUpdated' ? [e.detail] : []));

  it('does nothing for an unknown job, a finished one, or a step that is not the job’s', async () => {
    // Prepare
    const s = await shop(2);
    const updateId = await started(s, false);
    const before = await s.updates.get('book', updateId);

    // Act
    const unknown = await advanceProductUpdate(s.deps, { productId: 'book', updateId: 'nope', step: 0 });
    const ahead = await advanceProductUpdate(s.deps, { productId: 'book', updateId, step: 1 });
    const unchanged = await s.updates.get('book', updateId);
    await s.drive('book', updateId);
    const done = await s.updates.get('book', updateId);
    const finished = await advanceProductUpdate(s.deps, { productId: 'book', updateId, step: done?.step ?? 0 });

    // Assess
    expect([unknown, ahead, finished]).toEqual(['stale', 'stale', 'stale']);
    expect(unchanged).toEqual(before);
    expect(await s.updates.get('book', updateId)).toEqual(done);
  });

  it('counts a link this update already repointed as repointed, without writing it again, and one another write moved as skipped', async () => {
    // Prepare: the listing still shows v1 for both; one was repointed by this update, the other moved to another file meanwhile.
    const s = await shop(2, { batchSize: 10 });
    const updateId = await started(s, false);
    const [mine, moved] = s.bookLinks().filter((l) => l.fileId === 'v1') as [Link, Link];
    const listByProduct = s.links.listByProduct.bind(s.links);
    s.links.listByProduct = async (productId, request) => {
      const page = await listByProduct(productId, request);
      return { ...page, items: page.items.map((l) => (l.id === mine.id ? { ...l, updateId } : l.id === moved.id ? { ...l, fileId: 'v1' } : l)) };
    };
    s.links.items.set(moved.id, { ...moved, fileId: 'elsewhere' });
    const repoint = vi.spyOn(s.links, 'repoint');

    // Act
    await step(s, updateId);

    // Assess
    expect(repoint.mock.calls.map(([id]) => id)).toEqual([moved.id]);
    expect(await s.updates.get('book', updateId)).toMatchObject({ counts: { scanned: 4, repointed: 1, skipped: 3 } });
  });

  it('does not try to repoint a revoked link', async () => {
    // Prepare
    const s = await shop(1, { batchSize: 10 });
    const updateId = await started(s, false);
    const link = s.bookLinks().find((l) => l.fileId === 'v1') as Link;
    s.links.items.set(link.id, { ...link, status: 'revoked' });
    const repoint = vi.spyOn(s.links, 'repoint');

    // Act
    await step(s, updateId);

    // Assess
    expect(repoint).not.toHaveBeenCalled();
    expect(await s.updates.get('book', updateId)).toMatchObject({ phase: 'done', counts: { repointed: 0, skipped: 2 } });
  });

  it('reads at most 50 links per notify step, and counts the step', async () => {
    // Prepare
    const s = await shop(1, { batchSize: 500 });
    const updateId = await started(s);
    await step(s, updateId);
    const listByProduct = vi.spyOn(s.links, 'listByProduct');

    // Act
    await step(s, updateId);

    // Assess
    expect(listByProduct.mock.calls[0]?.[1]).toMatchObject({ limit: 50 });
    expect(await s.updates.get('book', updateId)).toMatchObject({ phase: 'done', step: 2, counts: { customersNotified: 1 } });
  });

  it('finishes a notify step over a product left without links', async () => {
    // Prepare
    const s = await shop(1, { batchSize: 10 });
    const updateId = await started(s);
    await step(s, updateId);
    s.links.items.clear();

    // Act
    const outcome = await step(s, updateId);

    // Assess
    expect(outcome).toBe('finished');
    expect(await s.updates.get('book', updateId)).toMatchObject({ counts: { customersNotified: 0 }, lastCustomerId: null });
  });

  it('tells a customer of their repointed links that are not revoked since, oldest first', async () => {
    // Prepare: cust-001 bought twice; the first purchase's link gets revoked after the repoint.
    const s = await shop(1, { batchSize: 10 });
    await recordPaymentEvent(
      s,
      {
        type: 'PaymentSucceeded',
        detail: { invoiceId: 'inv-2', customerId: 'cust-001', customerEmail: 'cust-001@example.com', occurredAt: NOW, lines: [{ productId: 'book' }] },
      },
      NOW,
    );
    await recordPaymentEvent(
      s,
      {
        type: 'PaymentSucceeded',
        detail: { invoiceId: 'inv-3', customerId: 'cust-001', customerEmail: 'cust-001@example.com', occurredAt: NOW, lines: [{ productId: 'book' }] },
      },
      NOW,
    );
    const v1 = s.bookLinks().filter((l) => l.fileId === 'v1');
    const [oldest, middle, newest] = v1.map((l, i) => ({ ...l, createdAt: `2026-05-0${3 - i}T00:00:00.000Z` })).reverse() as [Link, Link, Link];
    for (const l of [oldest, middle, newest]) s.links.items.set(l.id, l);
    const updateId = await started(s);
    await step(s, updateId);
    s.links.items.set(middle.id, { ...(s.links.items.get(middle.id) as Link), status: 'revoked' });

    // Act
    await step(s, updateId);

    // Assess
    expect(notices(s).map((n) => n.links.map((l) => l.id))).toEqual([[oldest.id, newest.id]]);
  });

  it('moves a job that notifies from repointing to notifying once the last page is repointed', async () => {
    // Prepare
    const s = await shop(2, { batchSize: 10 });
    const updateId = await started(s);

    // Act
    const outcome = await step(s, updateId);

    // Assess
    expect(outcome).toBe('advanced');
    expect(await s.updates.get('book', updateId)).toMatchObject({ phase: 'notify', cursor: null, finishedAt: null, step: 1 });
    expect(await getProductUpdate(s.updates, 'book', updateId)).toMatchObject({ status: 'notifying', repointed: 2 });
  });

  it('tells a customer with more than 100 repointed links of 100 of them, read over several pages, oldest first', async () => {
    // Prepare: cust-big holds 250 links of the book, listed by id; the first 60 serve the extras (not repointed), the rest v1.
    const s = await shop(0, { batchSize: 100 });
    await s.invoices.recordPurchase({
      invoiceId: 'inv-big',
      customerId: 'cust-big',
      customerEmail: 'big@example.com',
      productIds: ['book'],
      allLinesDigital: true,
      now: NOW,
    });
    const many = Array.from({ length: 250 }, (_, i) =>
      aLink({
        id: `L${String(i).padStart(21, '0')}`,
        invoiceId: 'inv-big',
        customerId: 'cust-big',
        productId: 'book',
        fileId: i < 60 ? 'extras' : 'v1',
        createdAt: new Date(Date.parse(NOW) - i * 60_000).toISOString(),
      }),
    );
    await s.links.createMissing(many);

    // Act
    const updateId = (await startProductUpdate(s, 'book', { replace: { v1: 'v2' }, notify: true }, meta)).updateId;
    await s.drive('book', updateId);

    // Assess
    const [notice, ...others] = notices(s);
    expect(others).toEqual([]);
    expect(notice).toMatchObject({ customerId: 'cust-big', customerEmail: 'big@example.com' });
    expect(notice?.links.map((l) => l.id)).toEqual(
      many
        .slice(60, 160)
        .map((l) => l.id)
        .reverse(),
    );
    expect(s.mailer.sent.map((m) => m.to)).toEqual(['big@example.com']);
  });

  it('announces the update but sends no email to a customer whose invoice has no address', async () => {
    // Prepare
    const s = await shop(1, { batchSize: 10 });
    const updateId = await started(s);
    await step(s, updateId);
    s.invoices.items.delete('inv-1');

    // Act
    await step(s, updateId);

    // Assess
    expect(notices(s).map((n) => [n.customerId, n.customerEmail])).toEqual([['cust-001', null]]);
    expect(s.mailer.sent).toEqual([]);
  });

  it('names the product by its id in the email when the product is gone', async () => {
    // Prepare
    const s = await shop(1, { batchSize: 10 });
    const updateId = await started(s);
    await step(s, updateId);
    const deps = { ...s.deps, catalog: { getProduct: async () => undefined } };

    // Act
    await advanceProductUpdate(deps, { productId: 'book', updateId, step: 1 });

    // Assess
    const text = s.mailer.sent[0]?.raw.toString() ?? '';
    const parts = text.split(/--=_dd_[0-9a-f]+/).map((p) => Buffer.from(p.split('\r\n\r\n')[1]?.replace(/\r\n/g, '') ?? '', 'base64').toString());
    expect(parts.join('\n')).toContain('book, which you bought');
    expect(parts.join('\n')).not.toContain('The Book');
  });
});

describe('publishing an update', () => {
  /** The shop's catalog, with another operator's edit landing between each of the first `edits` reads of the product and the write after it. */
  const editedMeanwhile = (s: Awaited<ReturnType<typeof shop>>, edits: number, edit: (p: DigitalProduct) => Partial<DigitalProduct>) => {
    let left = edits;
    const getProduct = s.catalog.getProduct.bind(s.catalog);
    s.catalog.getProduct = async (productId) => {
      const read = await getProduct(productId);
      if (read && left > 0) {
        left--;
        s.catalog.put({ ...read, ...edit(read), version: read.version + 1 });
      }
      return read;
    };
  };

  it('says in each refusal which files it refuses', async () => {
    // Prepare
    const s = await shop(1);
    await s.catalog.putFile(readyFile('v3', { fileName: 'book-3.pdf', state: 'pending' }));
    await s.catalog.putFile(readyFile('v4', { fileName: 'book-4.pdf', state: 'pending' }));

    // Act
    const refusals = await Promise.all([
      startProductUpdate(s, 'book', { replace: { v1: 'v3', extras: 'v4' } }, meta).catch((e) => [e.kind, e.message]),
      startProductUpdate(s, 'book', { replace: { v1: 'nope', extras: 'gone' } }, meta).catch((e) => [e.kind, e.message]),
      startProductUpdate(s, 'book', { replace: { v1: 'v1', extras: 'extras' } }, meta).catch((e) => [e.kind, e.message]),
      startProductUpdate(s, 'book', { replace: {} }, meta).catch((e) => [e.kind, e.message]),
      startProductUpdate(s, 'other', { replace: { v1: 'v2' } }, meta).catch((e) => [e.kind, e.message]),
    ]);

    // Assess
    expect(refusals).toEqual([
      ['invalid', 'Files not completed yet: v3, v4.'],
      ['invalid', 'No file with the id nope, gone: upload the new version first.'],
      ['invalid', 'A file cannot replace itself: v1, extras.'],
      ['invalid', 'Name at least one file to replace: `{ "replace": { "<old fileId>": "<new fileId>" } }`.'],
      ['not_found', 'No digital product with this id.'],
    ]);
  });

  it('refuses a pending new file even when another new file is ready', async () => {
    // Prepare
    const s = await shop(1);
    await s.catalog.putFile(readyFile('v3', { fileName: 'book-3.pdf', state: 'pending' }));

    // Act
    const refused = startProductUpdate(s, 'book', { replace: { v1: 'v2', extras: 'v3' } }, meta);

    // Assess
    await expect(refused).rejects.toMatchObject({ code: 'FILE_NOT_READY', message: 'Files not completed yet: v3.' });
    expect(s.updates.items.size).toBe(0);
  });

  it('writes the product one version up, by whom and when, and records a job that notifies only when asked', async () => {
    // Prepare
    const s = await shop(1);
    const before = (await s.catalog.getProduct('book')) as DigitalProduct;
    const later = { now: '2026-06-02T08:00:00.000Z', by: 'operator-2' };

    // Act
    const quiet = await startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, later);
    const loud = await startProductUpdate(s, 'book', { replace: { extras: 'v1' }, notify: true }, later);

    // Assess
    expect(await s.catalog.getProduct('book')).toMatchObject({
      fileIds: ['v2', 'v1'],
      version: before.version + 2,
      updatedAt: later.now,
      updatedBy: 'operator-2',
    });
    expect([quiet.notify, loud.notify]).toEqual([false, true]);
    expect(await s.updates.get('book', quiet.updateId)).toMatchObject({
      replace: { v1: { fileId: 'v2', fileName: 'book-2nd-edition.pdf', contentType: 'application/pdf', objectKey: 'uploads/v2-key' } },
      createdBy: 'operator-2',
      createdAt: later.now,
    });
  });

  it('leaves the product alone when it no longer sells the old file, and still repoints the links that serve it', async () => {
    // Prepare
    const s = await shop(2, { batchSize: 10 });
    const before = (await s.catalog.getProduct('book')) as DigitalProduct;
    s.catalog.put({ ...before, fileIds: ['extras'] });
    const saveProduct = vi.spyOn(s.catalog, 'saveProduct');

    // Act
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, meta);
    await s.drive('book', started.updateId);

    // Assess
    expect(saveProduct).not.toHaveBeenCalled();
    expect(await s.catalog.getProduct('book')).toEqual({ ...before, fileIds: ['extras'] });
    expect(s.bookLinks().filter((l) => l.fileId === 'v2')).toHaveLength(2);
  });

  it('replaces two old files by one new file without listing it twice', async () => {
    // Prepare
    const s = await shop(1);

    // Act
    await startProductUpdate(s, 'book', { replace: { v1: 'v2', extras: 'v2' } }, meta);

    // Assess
    expect((await s.catalog.getProduct('book'))?.fileIds).toEqual(['v2']);
  });

  it('keeps another operator’s concurrent edit and still replaces the file, reading the product again until its write holds', async () => {
    // Prepare
    const s = await shop(1);
    const before = (await s.catalog.getProduct('book')) as DigitalProduct;
    editedMeanwhile(s, 2, (p) => ({ name: `${p.name}!` }));

    // Act
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, meta);

    // Assess
    expect(started.status).toBe('repointing');
    expect(await s.catalog.getProduct('book')).toMatchObject({ name: 'The Book!!', fileIds: ['v2', 'extras'], version: before.version + 3 });
  });

  it('stops writing when a concurrent edit already dropped the old file', async () => {
    // Prepare
    const s = await shop(1);
    const before = (await s.catalog.getProduct('book')) as DigitalProduct;
    editedMeanwhile(s, 1, () => ({ fileIds: ['extras'] }));

    // Act
    const started = await startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, meta);

    // Assess
    expect(await s.catalog.getProduct('book')).toMatchObject({ fileIds: ['extras'], version: before.version + 1 });
    expect(await s.updates.get('book', started.updateId)).toBeDefined();
  });

  it('gives up with CONCURRENT_CHANGE after three writes lost to concurrent edits, recording no job', async () => {
    // Prepare
    const s = await shop(1);
    editedMeanwhile(s, 3, (p) => ({ name: `${p.name}!` }));

    // Act
    const refused = startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, meta);

    // Assess
    await expect(refused).rejects.toMatchObject({
      kind: 'conflict',
      code: 'CONCURRENT_CHANGE',
      message: 'The product kept changing while the update was published; try again.',
    });
    expect(s.updates.items.size).toBe(0);
    expect((await s.catalog.getProduct('book'))?.fileIds).toEqual(['v1', 'extras']);
  });

  it('gives up when the product is deleted while the update is published', async () => {
    // Prepare
    const s = await shop(1);
    editedMeanwhile(s, 1, (p) => ({ name: p.name }));
    const getProduct = s.catalog.getProduct.bind(s.catalog);
    let reads = 0;
    s.catalog.getProduct = async (productId) => (++reads > 1 ? undefined : getProduct(productId));

    // Act
    const refused = startProductUpdate(s, 'book', { replace: { v1: 'v2' } }, meta);

    // Assess
    await expect(refused).rejects.toMatchObject({ code: 'CONCURRENT_CHANGE' });
    expect(s.updates.items.size).toBe(0);
  });
});
