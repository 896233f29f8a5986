import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../core/invoice';
import { LinkSigner } from '../../core/link-signer';
import { announceInvoiceChange, eventsForInvoiceChange, splitBySize } from '../../core/use-cases/announce-invoice';
import { FakeDispatchLedger, FakeKeySource, FakeLinkStore, FakePublisher, fakeTime } from '../support/fakes';
import { aLink } from '../support/links';

describe('splitBySize', () => {
  it('keeps every item, in order, in groups whose JSON stays under the limit', () => {
    // Prepare: 1,000 links of ~250 bytes, as a large invoice announces them
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: `link-${i}`, downloadUrl: `https://shop.example.com/downloads/${'x'.repeat(200)}` }));

    // Act
    const groups = splitBySize(items, 200_000);

    // Assess
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(items);
    for (const group of groups) expect(Buffer.byteLength(JSON.stringify(group))).toBeLessThanOrEqual(200_000);
  });

  it('makes one group of a small list, and one (empty) group of none', () => {
    expect(splitBySize([{ a: 1 }, { a: 2 }], 200_000)).toEqual([[{ a: 1 }, { a: 2 }]]);
    expect(splitBySize([], 200_000)).toEqual([[]]);
  });
});

describe('splitBySize at its limit', () => {
  it('gives an item larger than the limit a group of its own, with no empty group before it', () => {
    // Prepare
    const big = { fileName: 'x'.repeat(50) };

    // Act
    const one = splitBySize([big], 10);
    const two = splitBySize([big, big], 10);

    // Assess
    expect(one).toEqual([[big]]);
    expect(two).toEqual([[big], [big]]);
  });

  it('keeps items together whose JSON fills the limit exactly', () => {
    // Prepare: `{"a":1}` is 7 bytes, 8 with its separator
    const items = [{ a: 1 }, { a: 2 }];

    // Act
    const exact = splitBySize(items, 16);
    const under = splitBySize(items, 15);

    // Assess
    expect(exact).toEqual([items]);
    expect(under).toEqual([[items[0]], [items[1]]]);
  });
});

const ISSUED = '2026-06-01T12:00:00.000Z';

const setup = () => {
  const links = new FakeLinkStore();
  const signer = new LinkSigner(new FakeKeySource());
  const publisher = new FakePublisher();
  const deps = { links, signer, events: publisher, publicBaseUrl: 'https://shop.example.com' };
  const time = fakeTime(Date.parse(ISSUED));
  const dispatch = {
    ledger: new FakeDispatchLedger(),
    clock: time.clock,
    sleep: time.sleep,
    timing: { leaseMs: 5000, graceMs: 1000, maxWaitMs: 10_000, pollMs: 100 },
  };
  return { links, signer, publisher, deps, dispatch };
};

/** An invoice image as the stream hands it over, issued at ISSUED with the given links. */
const issued = (overrides: Partial<Invoice> = {}): Partial<Invoice> & { invoiceId: string } => ({
  invoiceId: 'inv-1',
  customerId: 'cust-1',
  customerEmail: 'ada@example.com',
  allLinesDigital: true,
  rejectedReason: null,
  undeliverable: {},
  generation: 0,
  linkIds: ['link-a'],
  linksIssuedAt: ISSUED,
  ...overrides,
});

const types = (events: { detailType: string }[]) => events.map((e) => e.detailType);

describe('eventsForInvoiceChange', () => {
  it('announces nothing for a deleted invoice', async () => {
    // Prepare
    const s = setup();

    // Act
    const events = await eventsForInvoiceChange(s.deps, issued(), undefined);

    // Assess
    expect(events).toEqual([]);
  });

  it('announces a rejection once, when the invoice first carries its reason', async () => {
    // Prepare
    const s = setup();
    const rejected = { invoiceId: 'inv-1', customerId: null, rejectedReason: 'CUSTOMER_ACCOUNT_REQUIRED' };

    // Act
    const first = await eventsForInvoiceChange(s.deps, undefined, rejected);
    const again = await eventsForInvoiceChange(s.deps, rejected, { ...rejected, state: 'refunded' });

    // Assess
    expect(first).toEqual([{ detailType: 'DeliveryRejected', detail: { invoiceId: 'inv-1', reason: 'CUSTOMER_ACCOUNT_REQUIRED' } }]);
    expect(again).toEqual([]);
  });

  it('announces no delivery before the links are issued, nor without a customer', async () => {
    // Prepare
    const s = setup();
    await s.links.createMissing([aLink({ id: 'link-a' })]);

    // Act
    const notYet = await eventsForInvoiceChange(s.deps, undefined, issued({ linksIssuedAt: null }));
    const noCustomer = await eventsForInvoiceChange(s.deps, undefined, issued({ customerId: null }));

    // Assess
    expect(notYet).toEqual([]);
    expect(noCustomer).toEqual([]);
  });

  it('announces a generation’s links only from the write that issued them, and a regeneration’s again', async () => {
    // Prepare
    const s = setup();
    await s.links.createMissing([aLink({ id: 'link-a' }), aLink({ id: 'link-b' })]);
    const first = issued();
    const regenerated = issued({ generation: 1, linkIds: ['link-b'], linksIssuedAt: '2026-06-02T08:00:00.000Z' });

    // Act
    const laterChange = await eventsForInvoiceChange(s.deps, first, { ...first, state: 'paid' });
    const regeneration = await eventsForInvoiceChange(s.deps, first, regenerated);

    // Assess: a regeneration delivers its own generation, and neither rejects nor completes the invoice again
    expect(laterChange).toEqual([]);
    expect(types(regeneration)).toEqual(['DigitalProductDelivered']);
    expect(regeneration[0]?.detail).toMatchObject({ generation: 1, links: [{ id: 'link-b' }] });
  });

  it('describes every link in the invoice’s order, with its URL, expiry and limit (none for 0), and the keys and email', async () => {
    // Prepare: the store hands the links back in another order than the invoice lists them
    const s = setup();
    s.links.unordered = true;
    await s.links.createMissing([
      aLink({ id: 'link-a', productId: 'ebook', fileName: 'a.pdf', maxDownloads: 5, expiresAt: '2026-07-01T00:00:00.000Z' }),
      aLink({ id: 'link-b', productId: 'course', fileName: 'b.zip', maxDownloads: 0, expiresAt: null, deliveryMethod: 'EmailDelivered' }),
      aLink({ id: 'link-c', productId: 'ebook', fileName: 'c.pdf', maxDownloads: 1 }),
    ]);
    const after = issued({ linkIds: ['link-b', 'link-c', 'link-a'], licenses: [{ key: 'KEY-1', productId: 'app' }] });

    // Act
    const events = await eventsForInvoiceChange(s.deps, undefined, after);

    // Assess
    const url = async (id: string) => `https://shop.example.com/downloads/${await s.signer.sign(id)}`;
    expect(events[0]).toEqual({
      detailType: 'DigitalProductDelivered',
      detail: {
        invoiceId: 'inv-1',
        customerId: 'cust-1',
        customerEmail: 'ada@example.com',
        generation: 0,
        links: [
          {
            id: 'link-b',
            productId: 'course',
            fileName: 'b.zip',
            deliveryMethod: 'EmailDelivered',
            downloadUrl: await url('link-b'),
            expiresUtc: null,
            maxDownloads: null,
          },
          {
            id: 'link-c',
            productId: 'ebook',
            fileName: 'c.pdf',
            deliveryMethod: 'InstantDownload',
            downloadUrl: await url('link-c'),
            expiresUtc: '2026-04-27T00:00:00Z',
            maxDownloads: 1,
          },
          {
            id: 'link-a',
            productId: 'ebook',
            fileName: 'a.pdf',
            deliveryMethod: 'InstantDownload',
            downloadUrl: await url('link-a'),
            expiresUtc: '2026-07-01T00:00:00Z',
            maxDownloads: 5,
          },
        ],
        licenses: [{ key: 'KEY-1', productId: 'app' }],
      },
    });
    expect(Object.keys(events[0]?.detail ?? {})).not.toContain('part');
  });

  it('announces a very large invoice in numbered parts, the license keys in the first only', async () => {
    // Prepare: five links of ~60 KB each cannot go in one 200 KB event
    const s = setup();
    const ids = ['l1', 'l2', 'l3', 'l4', 'l5'];
    await s.links.createMissing(ids.map((id) => aLink({ id, fileName: `${id}-${'x'.repeat(60_000)}.pdf` })));
    const after = issued({ linkIds: ids, licenses: [{ key: 'KEY-1', productId: 'app' }] });

    // Act
    const events = await eventsForInvoiceChange(s.deps, undefined, after);

    // Assess
    const parts = events
      .filter((e) => e.detailType === 'DigitalProductDelivered')
      .map((e) => e.detail as Record<string, unknown> & { links: { id: string }[] });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => i + 1));
    for (const p of parts) expect(p.partCount).toBe(parts.length);
    expect(parts.flatMap((p) => p.links.map((l) => l.id))).toEqual(ids);
    expect(parts.map((p) => p.licenses)).toEqual([[{ key: 'KEY-1', productId: 'app' }], ...parts.slice(1).map(() => [])]);
  });

  it('rejects the purchase’s undeliverable lines by reason, and completes the invoice only when every line was delivered', async () => {
    // Prepare
    const s = setup();
    await s.links.createMissing([aLink({ id: 'link-a' })]);

    // Act
    const partial = await eventsForInvoiceChange(s.deps, undefined, issued({ undeliverable: { NO_FILES: ['course'], LICENSE_POOL_EMPTY: [] } }));
    const whole = await eventsForInvoiceChange(s.deps, undefined, issued({ undeliverable: { LICENSE_POOL_EMPTY: [] } }));
    const notAllDigital = await eventsForInvoiceChange(s.deps, undefined, issued({ allLinesDigital: false }));
    const regenerated = await eventsForInvoiceChange(s.deps, undefined, issued({ generation: 2, undeliverable: { NO_FILES: ['course'] } }));

    // Assess
    expect(partial.filter((e) => e.detailType !== 'DigitalProductDelivered')).toEqual([
      { detailType: 'DeliveryRejected', detail: { invoiceId: 'inv-1', reason: 'NO_FILES', productIds: ['course'] } },
    ]);
    expect(whole.filter((e) => e.detailType !== 'DigitalProductDelivered')).toEqual([
      { detailType: 'InvoiceCompleted', detail: { invoiceId: 'inv-1', customerId: 'cust-1', completedAt: '2026-06-01T12:00:00Z' } },
    ]);
    expect(types(notAllDigital)).toEqual(['DigitalProductDelivered']);
    expect(types(regenerated)).toEqual(['DigitalProductDelivered']);
  });
});

describe('announceInvoiceChange', () => {
  it('publishes each event once, and counts the ones a replay of the change finds already published', async () => {
    // Prepare
    const s = setup();
    await s.links.createMissing([aLink({ id: 'link-a' })]);
    const deps = { ...s.deps, dispatch: s.dispatch };
    const after = issued();

    // Act
    const first = await announceInvoiceChange(deps, undefined, after);
    const replay = await announceInvoiceChange(deps, undefined, after);

    // Assess
    expect(first).toEqual({ published: ['DigitalProductDelivered', 'InvoiceCompleted'], alreadyPublished: 0 });
    expect(replay).toEqual({ published: [], alreadyPublished: 2 });
    expect(types(s.publisher.published)).toEqual(['DigitalProductDelivered', 'InvoiceCompleted']);
  });
});
