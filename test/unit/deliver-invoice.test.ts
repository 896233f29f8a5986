import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatchIdOf } from '../../core/dispatch';
import type { PaymentEvent } from '../../core/events';
import type { Invoice } from '../../core/invoice';
import type { License } from '../../core/license';
import type { Link } from '../../core/link';
import { LinkSigner } from '../../core/link-signer';
import { applyProductSettings } from '../../core/product';
import { announceInvoiceChange, eventsForInvoiceChange } from '../../core/use-cases/announce-invoice';
import { recordPaymentEvent } from '../../core/use-cases/record-payment-event';
import { deliveriesOf, expectedLinkStatus, paymentHistories, shuffles, type TimedPayment } from '../support/payment-orderings';
import { deliveryEmailKey, sendDeliveryEmail } from '../../core/use-cases/send-delivery-email';
import {
  FakeCatalogStore,
  FakeDispatchLedger,
  FakeInvoiceStore,
  FakeKeySource,
  FakeLicenseStore,
  FakeLinkStore,
  FakeMailer,
  FakePublisher,
  fakeTime,
  readyFile,
} from '../support/fakes';

const NOW = '2026-06-01T12:00:00.000Z';

const system = () => {
  const catalog = new FakeCatalogStore();
  const invoices = new FakeInvoiceStore();
  const links = new FakeLinkStore();
  const publisher = new FakePublisher();
  const mailer = new FakeMailer();
  const ledger = new FakeDispatchLedger();
  const time = fakeTime(Date.parse(NOW));
  const signer = new LinkSigner(new FakeKeySource());
  const dispatch = { ledger, clock: time.clock, sleep: time.sleep, timing: { leaseMs: 5000, graceMs: 1000, maxWaitMs: 10_000, pollMs: 100 } };
  const product = (productId: string, name: string, fileIds: string[]) =>
    catalog.put(applyProductSettings(productId, { name, fileIds }, undefined, { now: NOW, by: 'op' }));
  const pay = (
    invoiceId: string,
    lines: { productId: string; quantity?: number }[],
    customer: { customerId?: string; customerEmail?: string } = { customerId: 'cust-1', customerEmail: 'ada@example.com' },
  ) => recordPaymentEvent({ invoices, links, catalog }, { type: 'PaymentSucceeded', detail: { invoiceId, occurredAt: NOW, lines, ...customer } }, NOW);
  /** What the outbox announces for the invoice's change from nothing to now (the stream's INSERT…MODIFY, folded). */
  const announce = async (invoiceId: string) =>
    eventsForInvoiceChange({ links, signer, events: publisher, publicBaseUrl: 'https://shop.example.com' }, undefined, await invoices.get(invoiceId));
  const emailDeps = {
    invoices,
    links,
    signer,
    mailer,
    dispatch,
    publicBaseUrl: 'https://shop.example.com',
    accountUrl: 'https://shop.example.com/account/downloads',
    from: 'shop@example.com',
  };
  return { catalog, invoices, links, publisher, mailer, ledger, signer, dispatch, product, pay, announce, emailDeps };
};

describe('delivering a paid invoice', () => {
  it('reads a fresh purchase’s invoice once and writes it four times (purchase, state, link ids, issued)', async () => {
    // Prepare
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.product('book', 'The book', ['f1']);

    // Act
    const outcome = await s.pay('inv-calls', [{ productId: 'book' }]);

    // Assess
    expect(outcome).toEqual({ outcome: 'recorded', state: 'paid', linkCount: 1 });
    expect(s.invoices.calls).toEqual({ reads: 1, writes: 4 });
    expect((await s.invoices.get('inv-calls'))?.linksIssuedAt).toBe(NOW);
  });

  it('reads a replayed purchase’s invoice once too, and writes nothing that changes it', async () => {
    // Prepare
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.product('book', 'The book', ['f1']);
    await s.pay('inv-replay', [{ productId: 'book' }]);
    const before = await s.invoices.get('inv-replay');
    s.invoices.calls.reads = 0;
    s.invoices.calls.writes = 0;

    // Act
    const outcome = await s.pay('inv-replay', [{ productId: 'book' }]);

    // Assess
    expect(outcome).toEqual({ outcome: 'recorded', state: 'paid', linkCount: 1 });
    expect(s.invoices.calls).toEqual({ reads: 1, writes: 2 });
    expect(await s.invoices.get('inv-replay')).toEqual(before);
  });

  it('gives a paid digital product without a ready file no link, and announces NO_FILES for it instead of a delivery', async () => {
    // Prepare
    const s = system();
    await s.product('empty', 'Empty product', []);

    // Act
    await s.pay('inv-1', [{ productId: 'empty' }]);
    const events = await s.announce('inv-1');

    // Assess
    expect(s.links.items.size).toBe(0);
    expect(events).toEqual([{ detailType: 'DeliveryRejected', detail: { invoiceId: 'inv-1', reason: 'NO_FILES', productIds: ['empty'] } }]);
  });

  it('delivers the products that have files, rejects the one without, and does not complete the invoice', async () => {
    // Prepare
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.product('book', 'The book', ['f1']);
    await s.product('empty', 'Empty product', []);

    // Act
    await s.pay('inv-2', [{ productId: 'book' }, { productId: 'empty' }]);
    const types = (await s.announce('inv-2')).map((e) => e.detailType);

    // Assess
    expect(types).toEqual(['DeliveryRejected', 'DigitalProductDelivered']);
  });

  it('completes an all-digital invoice whose every product was delivered', async () => {
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.product('book', 'The book', ['f1']);
    await s.pay('inv-3', [{ productId: 'book' }]);
    expect((await s.announce('inv-3')).map((e) => e.detailType)).toEqual(['DigitalProductDelivered', 'InvoiceCompleted']);
  });

  it('buys nothing for a line with quantity 0', async () => {
    // Prepare
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.product('book', 'The book', ['f1']);

    // Act
    const outcome = await s.pay('inv-4', [{ productId: 'book', quantity: 0 }]);

    // Assess
    expect(outcome).toEqual({ outcome: 'no-digital-lines' });
    expect(s.links.items.size).toBe(0);
  });

  it('publishes each announcement once, however often the stream hands the change over', async () => {
    // Prepare
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.product('book', 'The book', ['f1']);
    await s.pay('inv-5', [{ productId: 'book' }]);
    const after = await s.invoices.get('inv-5');
    const deps = { links: s.links, signer: s.signer, events: s.publisher, dispatch: s.dispatch, publicBaseUrl: 'https://shop.example.com' };

    // Act: the same change three times (a retry, a replay from the stream's start)
    for (let i = 0; i < 3; i++) await announceInvoiceChange(deps, undefined, after);

    // Assess
    expect(s.publisher.published.map((e) => e.detailType)).toEqual(['DigitalProductDelivered', 'InvoiceCompleted']);
  });
});

describe('partial refunds', () => {
  const twoProducts = async () => {
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.catalog.putFile(readyFile('f2', { fileName: 'song.mp3' }));
    await s.product('book', 'The book', ['f1']);
    await s.product('song', 'The song', ['f2']);
    const refund = (invoiceId: string, lines?: { productId: string }[]) =>
      recordPaymentEvent(
        { invoices: s.invoices, links: s.links, catalog: s.catalog },
        { type: 'PaymentRefunded', detail: { invoiceId, occurredAt: NOW, lines } },
        NOW,
      );
    return { ...s, refund };
  };
  const statuses = (s: ReturnType<typeof system>) => Object.fromEntries([...s.links.items.values()].map((l) => [l.productId, l.status]));

  it("revokes only the refunded lines' links, and the invoice stays paid", async () => {
    const s = await twoProducts();
    await s.pay('inv-p', [{ productId: 'book' }, { productId: 'song' }]);
    await s.refund('inv-p', [{ productId: 'song' }]);
    expect(statuses(s)).toEqual({ book: 'active', song: 'revoked' });
    expect((await s.invoices.get('inv-p'))?.state).toBe('paid');
  });

  it('issues no link for a line refunded before the payment arrived (out of order)', async () => {
    const s = await twoProducts();
    await s.refund('inv-q', [{ productId: 'song' }]);
    await s.pay('inv-q', [{ productId: 'book' }, { productId: 'song' }]);
    expect(statuses(s)).toEqual({ book: 'active' });
  });

  it('keeps a refunded line revoked through a hold and a later success, and a full refund then revokes the rest', async () => {
    const s = await twoProducts();
    await s.pay('inv-r', [{ productId: 'book' }, { productId: 'song' }]);
    await s.refund('inv-r', [{ productId: 'song' }]);
    await recordPaymentEvent(
      { invoices: s.invoices, links: s.links, catalog: s.catalog },
      { type: 'PaymentOnHold', detail: { invoiceId: 'inv-r', occurredAt: '2026-06-01T13:00:00Z' } },
      NOW,
    );
    await recordPaymentEvent(
      { invoices: s.invoices, links: s.links, catalog: s.catalog },
      {
        type: 'PaymentSucceeded',
        detail: { invoiceId: 'inv-r', occurredAt: '2026-06-01T14:00:00Z', customerId: 'cust-1', lines: [{ productId: 'book' }, { productId: 'song' }] },
      },
      NOW,
    );
    expect(statuses(s)).toEqual({ book: 'active', song: 'revoked' });
    await s.refund('inv-r');
    expect(statuses(s)).toEqual({ book: 'revoked', song: 'revoked' });
  });

  it('a replayed partial refund changes nothing more', async () => {
    const s = await twoProducts();
    await s.pay('inv-s', [{ productId: 'book' }, { productId: 'song' }]);
    await s.refund('inv-s', [{ productId: 'song' }]);
    await s.refund('inv-s', [{ productId: 'song' }]);
    expect(statuses(s)).toEqual({ book: 'active', song: 'revoked' });
    expect((await s.invoices.get('inv-s'))?.refundedProductIds).toEqual(['song']);
  });
});

describe('the delivery email', () => {
  const delivered = async () => {
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.catalog.putFile(readyFile('f2', { fileName: 'extras.zip' }));
    await s.product('book', 'The <Book> & more', ['f1', 'f2']);
    await s.pay('inv-9', [{ productId: 'book' }]);
    return s;
  };
  const textOf = (raw: Buffer) => {
    const parts = raw.toString().split(/--=_dd_[0-9a-f]+/);
    return Buffer.from((parts[1] ?? '').split('\r\n\r\n')[1]?.replace(/\r\n/g, '') ?? '', 'base64').toString();
  };

  it('is sent once per invoice and generation, whatever part of the delivery triggers it and however often', async () => {
    const s = await delivered();
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await sendDeliveryEmail(s.emailDeps, { invoiceId: 'inv-9', generation: 0 }, new Date(NOW)));
    expect(outcomes).toEqual(['sent', 'already-sent', 'already-sent']);
    expect(s.mailer.sent).toHaveLength(1);
  });

  it('goes to the address the invoice holds, names the product, lists each file with a working link, and links to My downloads', async () => {
    // Prepare
    const s = await delivered();

    // Act
    await sendDeliveryEmail(s.emailDeps, { invoiceId: 'inv-9', generation: 0 }, new Date(NOW));

    // Assess
    const [email] = s.mailer.sent;
    expect(email?.to).toBe('ada@example.com');
    const text = textOf(email?.raw ?? Buffer.alloc(0));
    expect(text).toContain('Thank you for your order inv-9');
    expect(text).toContain('The <Book> & more');
    expect(text).toContain('- book.pdf');
    expect(text).toContain('- extras.zip');
    expect(text).toContain('All your downloads: https://shop.example.com/account/downloads');
    const urls = [...text.matchAll(/https:\/\/shop\.example\.com\/downloads\/(\S+)/g)].map((m) => m[1] as string);
    expect(urls).toHaveLength(2);
    for (const token of urls) expect(s.links.items.has(await s.signer.linkIdOf(token))).toBe(true);
  });

  it('escapes what the shop typed in the HTML part, and never lets a name reach a header', async () => {
    const s = await delivered();
    await sendDeliveryEmail(s.emailDeps, { invoiceId: 'inv-9', generation: 0 }, new Date(NOW));
    const raw = s.mailer.sent[0]?.raw.toString() ?? '';
    const html = Buffer.from((raw.split(/--=_dd_[0-9a-f]+/)[2] ?? '').split('\r\n\r\n')[1]?.replace(/\r\n/g, '') ?? '', 'base64').toString();
    expect(html).toContain('The &lt;Book&gt; &amp; more');
    expect(html).not.toContain('<Book>');
    expect(raw.split('\r\n\r\n')[0]).not.toContain('Book');
  });

  it('sends nothing for a generation that was regenerated since (the event is stale)', async () => {
    const s = await delivered();
    expect(await sendDeliveryEmail(s.emailDeps, { invoiceId: 'inv-9', generation: 1 }, new Date(NOW))).toBe('stale');
    expect(await sendDeliveryEmail(s.emailDeps, { invoiceId: 'no-such-invoice', generation: 0 }, new Date(NOW))).toBe('stale');
    expect(s.mailer.sent).toHaveLength(0);
  });

  it('lists the files in the order the invoice issued them, however the store answers, with each link’s terms', async () => {
    // Prepare
    const s = await delivered();
    s.links.unordered = true;
    const [first, second] = (await s.invoices.get('inv-9'))?.linkIds ?? [];
    s.links.items.set(first as string, { ...(s.links.items.get(first as string) as Link), maxDownloads: 5 });

    // Act
    await sendDeliveryEmail(s.emailDeps, { invoiceId: 'inv-9', generation: 0 }, new Date(NOW));

    // Assess
    const text = textOf(s.mailer.sent[0]?.raw ?? Buffer.alloc(0));
    const names = [first, second].map((id) => s.links.items.get(id as string)?.fileName as string);
    expect(text.indexOf(`- ${names[0]}`)).toBeLessThan(text.indexOf(`- ${names[1]}`));
    expect(text).toContain('5 downloads');
    expect(text).toContain('unlimited downloads');
    expect(s.mailer.sent[0]).toMatchObject({ kind: 'delivery', reference: 'inv-9', dispatchId: dispatchIdOf(deliveryEmailKey('inv-9', 0)) });
    expect(deliveryEmailKey('inv-9', 0)).toBe('email:delivery#inv-9#0');
  });

  it('names a key’s product from its links, or from the key store when the invoice has no link of it', async () => {
    // Prepare
    const s = await delivered();
    const invoice = s.invoices.items.get('inv-9') as NonNullable<Awaited<ReturnType<typeof s.invoices.get>>>;
    const reads: string[][] = [];
    // The key store as the email reads it: one batch read, counted.
    const licenses = Object.assign(new FakeLicenseStore(), {
      getMany: async (keys: string[]) => {
        reads.push(keys);
        // Only what the email reads of a key.
        return [{ productId: 'app', productName: 'Desk App' } as License];
      },
    });
    const send = async (keys: { key: string; productId: string }[], generation: number) => {
      s.invoices.items.set('inv-9', { ...invoice, generation, licenses: keys });
      await sendDeliveryEmail({ ...s.emailDeps, licenses }, { invoiceId: 'inv-9', generation }, new Date(NOW));
      return textOf(s.mailer.sent.at(-1)?.raw ?? Buffer.alloc(0));
    };

    // Act
    const ofLinkedProduct = await send([{ key: 'BOOK-KEY-0001', productId: 'book' }], 0);
    const readsBefore = reads.length;
    const ofOtherProduct = await send(
      [
        { key: 'BOOK-KEY-0001', productId: 'book' },
        { key: 'APP-KEY-0001', productId: 'app' },
      ],
      1,
    );

    // Assess
    expect(readsBefore).toBe(0);
    expect(ofLinkedProduct).toContain('License key: BOOK-KEY-0001');
    expect(reads).toEqual([['BOOK-KEY-0001', 'APP-KEY-0001']]);
    expect(ofOtherProduct).toContain('Desk App');
    expect(ofOtherProduct).toContain('License key: APP-KEY-0001');
  });

  it('says the links are new when they are a regenerated generation', async () => {
    const s = await delivered();
    const invoice = s.invoices.items.get('inv-9') as Invoice;
    s.invoices.items.set('inv-9', { ...invoice, generation: 1 });
    expect(await sendDeliveryEmail(s.emailDeps, { invoiceId: 'inv-9', generation: 1 }, new Date(NOW))).toBe('sent');
    expect(textOf(s.mailer.sent[0]?.raw ?? Buffer.alloc(0))).toContain('Here are new download links for your order inv-9');
  });

  it('sends nothing for an invoice with neither links nor keys', async () => {
    const s = await delivered();
    s.invoices.items.set('inv-9', { ...(s.invoices.items.get('inv-9') as Invoice), linkIds: [] });
    expect(await sendDeliveryEmail(s.emailDeps, { invoiceId: 'inv-9', generation: 0 }, new Date(NOW))).toBe('no-links');
    expect(s.mailer.sent).toHaveLength(0);
  });

  it('reports an invoice without a deliverable address instead of sending', async () => {
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.product('book', 'Book', ['f1']);
    await s.pay('inv-10', [{ productId: 'book' }], { customerId: 'cust-2' });
    expect(await sendDeliveryEmail(s.emailDeps, { invoiceId: 'inv-10', generation: 0 }, new Date(NOW))).toBe('no-address');
    expect(s.mailer.sent).toHaveLength(0);
  });
});

describe('what recording a payment event answers and keeps', () => {
  const shop = async () => {
    const s = system();
    await s.catalog.putFile(readyFile('f1', { fileName: 'book.pdf' }));
    await s.product('book', 'Book', ['f1']);
    const deps = { invoices: s.invoices, links: s.links, catalog: s.catalog };
    return { ...s, deps };
  };

  it('answers a partial refund with the invoice’s state and links, and treats a refund with an empty list of lines as a full one', async () => {
    // Prepare
    const s = await shop();
    await s.pay('inv-1', [{ productId: 'book' }]);
    await s.pay('inv-2', [{ productId: 'book' }]);

    // Act
    const partial = await recordPaymentEvent(
      s.deps,
      { type: 'PaymentRefunded', detail: { invoiceId: 'inv-1', occurredAt: NOW, lines: [{ productId: 'book' }] } },
      NOW,
    );
    const full = await recordPaymentEvent(s.deps, { type: 'PaymentRefunded', detail: { invoiceId: 'inv-2', occurredAt: NOW, lines: [] } }, NOW);

    // Assess
    expect(partial).toEqual({ outcome: 'recorded', state: 'paid', linkCount: 1 });
    expect(full).toEqual({ outcome: 'recorded', state: 'refunded', linkCount: 1 });
    expect((await s.invoices.get('inv-2'))?.state).toBe('refunded');
  });

  it('converges on the state the latest event says, for every order of successes, holds and refunds, with duplicates, one by one or at once', async () => {
    const at = (minute: number) => new Date(Date.parse(NOW) - 3_600_000 + minute * 60_000).toISOString();
    const eventOf = ({ kind, minute }: TimedPayment): PaymentEvent =>
      kind === 'PaymentSucceeded'
        ? {
            type: kind,
            detail: { invoiceId: 'inv-1', occurredAt: at(minute), customerId: 'cust-1', customerEmail: 'ada@example.com', lines: [{ productId: 'book' }] },
          }
        : { type: kind, detail: { invoiceId: 'inv-1', occurredAt: at(minute) } };
    await fc.assert(
      fc.asyncProperty(paymentHistories(5), shuffles, fc.boolean(), async (events, shuffle, atOnce) => {
        // Prepare: the events plus a duplicate of the first, in a shuffled order
        const s = await shop();
        const deliveries = deliveriesOf(events, shuffle).map(eventOf);

        // Act
        if (atOnce) await Promise.all(deliveries.map((e) => recordPaymentEvent(s.deps, e, NOW)));
        else for (const e of deliveries) await recordPaymentEvent(s.deps, e, NOW);

        // Assess: one link at most, in the expected state; none issued is fine unless it should be active.
        const { items } = await s.links.listByInvoice('inv-1', { limit: 10 });
        const want = expectedLinkStatus(events);
        if (want === 'active') expect(items.map((l) => l.status)).toEqual(['active']);
        else for (const link of items) expect(link.status).toBe(want);
        expect(items.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });

  it('rejects a digital purchase without a customer account, and records the reason on the invoice', async () => {
    const s = await shop();
    const outcome = await s.pay('inv-1', [{ productId: 'book' }], { customerEmail: 'guest@example.com' });
    expect(outcome).toEqual({ outcome: 'rejected', reason: 'CUSTOMER_ACCOUNT_REQUIRED' });
    expect((await s.invoices.get('inv-1'))?.rejectedReason).toBe('CUSTOMER_ACCOUNT_REQUIRED');
  });

  it('does not reject a known invoice’s purchase of nothing digital for want of a customer, nor calls an empty purchase all digital', async () => {
    // Prepare: the invoice is known from a hold that came first.
    const s = await shop();
    await recordPaymentEvent(s.deps, { type: 'PaymentOnHold', detail: { invoiceId: 'inv-1', occurredAt: NOW } }, NOW);

    // Act
    const outcome = await s.pay('inv-1', [{ productId: 'book', quantity: 0 }], {});

    // Assess
    expect(outcome).toMatchObject({ outcome: 'recorded', linkCount: 0 });
    expect(await s.invoices.get('inv-1')).toMatchObject({ rejectedReason: null, allLinesDigital: false, productIds: [] });
  });
});
