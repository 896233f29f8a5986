import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProductSettings } from '../../core/product';
import { catalogStore } from '../../functions/shared/deps';
import { deliveriesOf, expectedLinkStatus, paymentHistories, type PaymentKind, shuffles } from '../support/payment-orderings';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;
let demo: string;

beforeAll(async () => {
  system = await startTestRuntime();
  demo = system.runtime.demo.productId;
});
afterAll(() => system?.stop());

// Recent, so links (30 days by default) have not expired yet.
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

const detailFor = (kind: PaymentKind, invoiceId: string, customerId: string, minute: number) =>
  kind === 'PaymentSucceeded' ? purchase(invoiceId, customerId, [demo], at(minute)) : { invoiceId, occurredAt: at(minute), reason: 'test' };

const statusAndDownload = async (invoiceId: string, customerId: string) => {
  const listing = await system.request('GET', `/downloads/invoice/${invoiceId}`, { as: customerId });
  const links = listing.status === 200 ? listing.json.items : [];
  const attempt = links[0] ? await system.request('GET', new URL(links[0].downloadUrl).pathname, { as: customerId }) : undefined;
  return { links, attempt };
};

let runs = 0;

describe('payment lifecycle', () => {
  // Every ordering one by one is the unit test's (test/unit/deliver-invoice.test.ts, 300 runs on the fakes); here the
  // events of a run reach the real stores together, so their conditional writes race.
  it('every ordering of success, hold and refund events, with duplicates, arriving together, ends in the state the latest event says', async () => {
    await fc.assert(
      fc.asyncProperty(paymentHistories(4), shuffles, async (events, shuffle) => {
        // Prepare: the events plus a duplicate of the first, in a shuffled order
        const invoiceId = `inv-order-${++runs}`;
        const customerId = `cust-order-${runs}`;
        const deliveries = deliveriesOf(events, shuffle);

        // Act
        for (const delivery of deliveries) {
          await system.sendPayment(delivery.kind, detailFor(delivery.kind, invoiceId, customerId, delivery.minute), { wait: false });
        }
        await system.settled();
        const { links, attempt } = await statusAndDownload(invoiceId, customerId);

        // Assess
        const expected = expectedLinkStatus(events);
        if (expected === 'active') {
          expect(links.map((l: { status: string }) => l.status)).toEqual(['active']);
          expect(attempt?.status).toBe(302);
        } else {
          // A link suspended or revoked, or none at all if it was never issued: never a working one.
          for (const link of links) expect(link.status).toBe(expected);
          if (attempt) expect(attempt.json.error.code).toBe(expected === 'revoked' ? 'REVOKED' : 'ORDER_ON_HOLD');
        }
      }),
      { numRuns: 8, seed: 20261123 },
    );
  });

  it('a hold suspends issued links with 403 ORDER_ON_HOLD and a later success lifts it', async () => {
    await system.sendPayment('PaymentSucceeded', purchase('inv-hold', 'cust-hold', [demo], at(1)));
    await system.sendPayment('PaymentOnHold', { invoiceId: 'inv-hold', occurredAt: at(2), reason: 'fraud check' });
    const held = await statusAndDownload('inv-hold', 'cust-hold');
    await system.sendPayment('PaymentSucceeded', purchase('inv-hold', 'cust-hold', [demo], at(3)));
    const lifted = await statusAndDownload('inv-hold', 'cust-hold');
    expect(held.links[0].status).toBe('suspended');
    expect(held.attempt?.status).toBe(403);
    expect(held.attempt?.json.error.code).toBe('ORDER_ON_HOLD');
    expect(lifted.links[0].status).toBe('active');
    expect(lifted.attempt?.status).toBe(302);
  });

  it('an older success arriving after a refund does not bring the links back', async () => {
    await system.sendPayment('PaymentSucceeded', purchase('inv-refund', 'cust-refund', [demo], at(1)));
    await system.sendPayment('PaymentRefunded', { invoiceId: 'inv-refund', occurredAt: at(5) });
    await system.sendPayment('PaymentSucceeded', purchase('inv-refund', 'cust-refund', [demo], at(2)));
    const { links, attempt } = await statusAndDownload('inv-refund', 'cust-refund');
    expect(links[0].status).toBe('revoked');
    expect(attempt?.status).toBe(403);
    expect(attempt?.json.error.code).toBe('REVOKED');
  });
});

describe('partial refunds', () => {
  it('a refund naming one of two products revokes only its links; the other keeps downloading; a replay changes nothing', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/second-book', { admin: true, body: { fileIds: [system.runtime.demo.fileId] } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-refund-line', 'cust-refund-line', [demo, 'second-book']));

    // Act
    for (let i = 0; i < 2; i++)
      await system.sendPayment('PaymentRefunded', {
        invoiceId: 'inv-refund-line',
        occurredAt: new Date().toISOString(),
        lines: [{ productId: 'second-book' }],
      });

    // Assess
    const links = (await system.request('GET', '/downloads/invoice/inv-refund-line', { as: 'cust-refund-line' })).json.items as {
      productId: string;
      status: string;
      downloadUrl: string;
    }[];
    expect(Object.fromEntries(links.map((l) => [l.productId, l.status]))).toEqual({ [demo]: 'active', 'second-book': 'revoked' });
    const byProduct = (id: string) => links.find((l) => l.productId === id)?.downloadUrl ?? '';
    expect((await system.request('GET', new URL(byProduct(demo)).pathname, { as: 'cust-refund-line' })).status).toBe(302);
    expect((await system.request('GET', new URL(byProduct('second-book')).pathname, { as: 'cust-refund-line' })).json.error.code).toBe('REVOKED');
  });
});

describe('events out and the delivery email', () => {
  it('DigitalProductDelivered is published exactly once per invoice even when the payment arrives twice at once, then InvoiceCompleted and one email', async () => {
    // Prepare
    const event = purchase('inv-deliver', 'cust-deliver', [demo]);

    // Act
    await Promise.all([system.sendPayment('PaymentSucceeded', event, { wait: false }), system.sendPayment('PaymentSucceeded', event, { wait: false })]);
    await system.settled();
    await system.sendPayment('PaymentSucceeded', event);
    const seen = (type: string) =>
      system.runtime.bus.history({ detailType: type }).filter((e) => (e.detail as { invoiceId: string }).invoiceId === 'inv-deliver');
    const emails = system.runtime.ses.list().filter((m) => m.file.includes('inv-deliver'));

    // Assess
    expect(seen('DigitalProductDelivered')).toHaveLength(1);
    const delivered = seen('DigitalProductDelivered')[0]!;
    expect(delivered.source).toBe('digital-downloads');
    expect(delivered.detail).toMatchObject({ invoiceId: 'inv-deliver', customerId: 'cust-deliver', customerEmail: 'cust-deliver@example.com' });
    const links = (delivered.detail as { links: { downloadUrl: string; fileName: string; maxDownloads: number }[] }).links;
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ fileName: 'Digital Downloads Handbook.pdf', maxDownloads: 5, deliveryMethod: 'InstantDownload' });
    expect(seen('InvoiceCompleted')).toHaveLength(1);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.raw).toContain('To: cust-deliver@example.com');
    expect(Buffer.from(emails[0]!.raw.split('\r\n\r\n')[2]!.split('\r\n--')[0]!.replace(/\r\n/g, ''), 'base64').toString()).toContain(links[0]!.downloadUrl);
  });

  it('an invoice with physical lines is delivered but not completed', async () => {
    await system.sendPayment('PaymentSucceeded', purchase('inv-partial', 'cust-partial', [demo, 'poster']));
    const completed = system.runtime.bus
      .history({ detailType: 'InvoiceCompleted' })
      .filter((e) => (e.detail as { invoiceId: string }).invoiceId === 'inv-partial');
    const delivered = system.runtime.bus
      .history({ detailType: 'DigitalProductDelivered' })
      .filter((e) => (e.detail as { invoiceId: string }).invoiceId === 'inv-partial');
    expect(delivered).toHaveLength(1);
    expect(completed).toHaveLength(0);
  });

  it('EmailDelivered links have no downloadUrl in the customer listing but a working one in the email event', async () => {
    await system.request('PUT', '/admin/products/by-email', { admin: true, body: { fileIds: [system.runtime.demo.fileId], deliveryMethod: 'EmailDelivered' } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-email', 'cust-email', ['by-email']));
    const [listed] = (await system.request('GET', '/downloads/invoice/inv-email', { as: 'cust-email' })).json.items;
    const delivered = system.runtime.bus
      .history({ detailType: 'DigitalProductDelivered' })
      .find((e) => (e.detail as { invoiceId: string }).invoiceId === 'inv-email');
    const url = (delivered?.detail as { links: { downloadUrl: string }[] } | undefined)?.links[0]?.downloadUrl ?? '';
    const attempt = await system.request('GET', new URL(url).pathname, { as: 'cust-email' });
    expect(listed.deliveryMethod).toBe('EmailDelivered');
    expect(listed.downloadUrl).toBeNull();
    expect(attempt.status).toBe(302);
  });

  it('an invoice with 1,000 digital lines gets 1,000 links, announced in parts that each fit EventBridge', async () => {
    // Prepare
    // The products straight into the catalog's table, by its adapter: a thousand admin PUTs would test the admin API
    // (catalog.test.ts does), at a thousand times its cost.
    const productIds = Array.from({ length: 1000 }, (_, i) => `bulk-${i}`);
    // The functions' own catalog store, configured by the runtime's environment.
    const catalog = catalogStore();
    const now = new Date().toISOString();
    for (let i = 0; i < productIds.length; i += 50) {
      await Promise.all(
        productIds
          .slice(i, i + 50)
          .map((id) =>
            catalog.saveProduct(applyProductSettings(id, { fileIds: [system.runtime.demo.fileId] }, undefined, { now, by: 'operator-1' }), 'absent'),
          ),
      );
    }

    // Act
    await system.sendPayment('PaymentSucceeded', purchase('inv-bulk', 'cust-bulk', productIds));
    const firstPage = await system.request('GET', '/downloads/invoice/inv-bulk?limit=100', { as: 'cust-bulk' });
    const parts = system.runtime.bus
      .history({ detailType: 'DigitalProductDelivered' })
      .filter((e) => (e.detail as { invoiceId: string }).invoiceId === 'inv-bulk');

    // Assess
    expect(firstPage.json.items).toHaveLength(100);
    expect(firstPage.json.nextCursor).toEqual(expect.any(String));
    const announced = parts.flatMap((e) => (e.detail as { links: { productId: string }[] }).links.map((l) => l.productId));
    expect(parts.length).toBeGreaterThan(1);
    expect(new Set(announced)).toEqual(new Set(productIds));
    for (const part of parts) expect(JSON.stringify(part.detail).length).toBeLessThan(256 * 1024);
    expect(parts.map((e) => (e.detail as { part: number }).part).sort((a, b) => a - b)).toEqual(parts.map((_, i) => i + 1));
  }, 120_000);
});
