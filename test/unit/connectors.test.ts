import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { translateShopify } from '../../core/connectors/shopify';
import { translateStripe } from '../../core/connectors/stripe';
import { isWooPing, translateWooCommerce, verifyWooSignature } from '../../core/connectors/woocommerce';
import type { Translation } from '../../core/connectors/types';
import { applyProductSettings } from '../../core/product';
import { applyStorefrontEvent, type CheckoutLineItems } from '../../core/use-cases/apply-storefront-event';
import { checkoutSession, shopifyEvent, shopifyOrder, shopifyRefund, stripeCharge, stripeDispute, stripeEvent, wooOrder } from '../support/connector-samples';
import { FakeCatalogStore, FakeInvoiceStore, FakeLinkStore, readyFile } from '../support/fakes';

const NOW = new Date('2026-03-03T00:00:00Z');

const eventsOf = (translation: Translation) => {
  if (translation.outcome !== 'events') throw new Error(`expected events, got ${JSON.stringify(translation)}`);
  return translation.events;
};

describe('the Shopify connector', () => {
  it('turns orders/paid into PaymentSucceeded for the order, its customer, email and lines by product_id, in UTC', () => {
    // Act
    const translation = translateShopify(shopifyEvent('orders/paid', shopifyOrder()));

    // Assess
    expect(translation).toMatchObject({ outcome: 'events', provider: 'shopify', deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' });
    expect(eventsOf(translation)).toEqual([
      {
        type: 'PaymentSucceeded',
        invoiceId: 'shopify:5512345678901',
        customerId: 'shopify:7012345678901',
        customerEmail: 'jon@example.com',
        occurredAt: '2026-03-01T14:00:05.000Z',
        lines: [
          { externalId: 'shopify:product:8123456789012', quantity: 1 },
          { externalId: 'shopify:product:8123456789013', quantity: 1 },
        ],
      },
    ]);
  });

  it('gives a guest order (no customer) no customer id, and derives it from the configured template otherwise', () => {
    // Act
    const guest = eventsOf(translateShopify(shopifyEvent('orders/paid', shopifyOrder({ customer: null }))));
    const byEmail = eventsOf(translateShopify(shopifyEvent('orders/paid', shopifyOrder()), { customerIdTemplate: '{email}' }));

    // Assess
    expect(guest[0]).toMatchObject({ customerId: null });
    expect(byEmail[0]).toMatchObject({ customerId: 'jon@example.com' });
  });

  it('turns refunds/create into PaymentRefunded of the refunded lines only', () => {
    // Act
    const events = eventsOf(translateShopify(shopifyEvent('refunds/create', shopifyRefund())));

    // Assess
    expect(events).toEqual([
      {
        type: 'PaymentRefunded',
        invoiceId: 'shopify:5512345678901',
        occurredAt: '2026-03-02T15:00:00.000Z',
        reason: 'Things were damaged',
        lines: [{ externalId: 'shopify:product:8123456789012' }],
      },
    ]);
  });

  it('ignores a refund that names no line (shipping or an amount only)', () => {
    // Act
    const translation = translateShopify(shopifyEvent('refunds/create', shopifyRefund({ refund_line_items: [] })));

    // Assess
    expect(translation.outcome).toBe('ignored');
  });

  it('turns orders/cancelled into PaymentRefunded of the whole order at cancelled_at', () => {
    // Act
    const events = eventsOf(
      translateShopify(shopifyEvent('orders/cancelled', shopifyOrder({ cancelled_at: '2026-03-02T08:00:00-05:00', cancel_reason: 'customer' }))),
    );

    // Assess
    expect(events).toEqual([
      { type: 'PaymentRefunded', invoiceId: 'shopify:5512345678901', occurredAt: '2026-03-02T13:00:00.000Z', reason: 'cancelled: customer' },
    ]);
  });

  it.each([
    ['an unknown topic', shopifyEvent('products/update', { id: 1 }), 'unknown topic "products/update"'],
    ['no topic', { ...shopifyEvent('orders/paid', shopifyOrder()), detail: { payload: shopifyOrder(), metadata: {} } }, 'no X-Shopify-Topic'],
    ['an order without id', shopifyEvent('orders/paid', shopifyOrder({ id: undefined })), 'no id'],
    ['line items that are not a list', shopifyEvent('orders/paid', shopifyOrder({ line_items: 'x' })), 'line_items is not a list'],
    ['a negative quantity', shopifyEvent('orders/paid', shopifyOrder({ line_items: [{ product_id: 1, quantity: -1 }] })), 'quantity'],
    [
      'a huge line list',
      shopifyEvent('orders/paid', shopifyOrder({ line_items: Array.from({ length: 10_001 }, () => ({ product_id: 1, quantity: 1 })) })),
      'more than',
    ],
    ['another source', { ...shopifyEvent('orders/paid', shopifyOrder()), source: 'storefront.payments' }, 'unexpected source'],
  ])('parks %s with its reason', (_, event, reason) => {
    // Act
    const translation = translateShopify(event);

    // Assess
    expect(translation.outcome).toBe('park');
    expect(translation.outcome === 'park' && translation.reason).toContain(reason);
  });
});

describe('the Stripe connector', () => {
  it('turns a paid checkout.session.completed into PaymentSucceeded of the PaymentIntent, the session lines read later', () => {
    // Act
    const translation = translateStripe(stripeEvent('checkout.session.completed', checkoutSession()));

    // Assess
    expect(translation).toMatchObject({ outcome: 'events', provider: 'stripe', deliveryId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy' });
    expect(eventsOf(translation)).toEqual([
      {
        type: 'PaymentSucceeded',
        invoiceId: 'stripe:pi_3MtwBwLkdIwHu7ix28a3tqPa',
        customerId: 'customer-stripe-1',
        customerEmail: 'jenny.rosen@example.com',
        occurredAt: '2026-03-01T14:00:00.000Z',
        lines: { checkoutSession: 'cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY' },
      },
    ]);
  });

  it.each([
    ['an unpaid completed session', 'checkout.session.completed', checkoutSession({ payment_status: 'unpaid' }), 'PaymentOnHold'],
    ['a succeeded asynchronous payment', 'checkout.session.async_payment_succeeded', checkoutSession(), 'PaymentSucceeded'],
    ['a failed asynchronous payment', 'checkout.session.async_payment_failed', checkoutSession({ payment_status: 'unpaid' }), 'PaymentRefunded'],
    ['a charge refunded in full', 'charge.refunded', stripeCharge(), 'PaymentRefunded'],
    ['a dispute opened', 'charge.dispute.created', stripeDispute(), 'PaymentOnHold'],
    ['a dispute won', 'charge.dispute.closed', stripeDispute({ status: 'won' }), 'PaymentSucceeded'],
    ['a dispute lost', 'charge.dispute.closed', stripeDispute({ status: 'lost' }), 'PaymentRefunded'],
  ])('maps %s to %s of the same invoice', (_, type, object, expected) => {
    // Act
    const events = eventsOf(translateStripe(stripeEvent(type, object)));

    // Assess
    expect(events).toMatchObject([{ type: expected, invoiceId: 'stripe:pi_3MtwBwLkdIwHu7ix28a3tqPa' }]);
  });

  it('ignores a partial refund of a charge (it names no lines)', () => {
    // Act
    const translation = translateStripe(stripeEvent('charge.refunded', stripeCharge({ refunded: false, amount_refunded: 500 })));

    // Assess
    expect(translation.outcome).toBe('ignored');
  });

  it.each([
    ['an unknown event type', stripeEvent('customer.created', { id: 'cus_1' }), 'unknown event type'],
    [
      'an event without id',
      { ...stripeEvent('charge.refunded', stripeCharge()), detail: { ...stripeEvent('charge.refunded', stripeCharge()).detail, id: 'x' } },
      'event id',
    ],
    ['a charge without PaymentIntent', stripeEvent('charge.refunded', stripeCharge({ payment_intent: null })), 'payment_intent'],
    ['a malformed created', stripeEvent('charge.refunded', stripeCharge(), { created: -5 }), 'created'],
  ])('parks %s with its reason', (_, event, reason) => {
    // Act
    const translation = translateStripe(event);

    // Assess
    expect(translation.outcome).toBe('park');
    expect(translation.outcome === 'park' && translation.reason).toContain(reason);
  });
});

describe('the WooCommerce connector', () => {
  const woo = (body: unknown, topic = 'order.updated') => translateWooCommerce({ topic, deliveryId: 'd-1', body });

  it('turns a processing order into PaymentSucceeded of woo:<id>, woo:<customer_id>, the billing email and lines by product_id', () => {
    // Act
    const events = eventsOf(woo(wooOrder(), 'order.created'));

    // Assess
    expect(events).toEqual([
      {
        type: 'PaymentSucceeded',
        invoiceId: 'woo:727',
        customerId: 'woo:26',
        customerEmail: 'john.doe@example.com',
        occurredAt: '2026-03-01T19:28:08.000Z',
        lines: [
          { externalId: 'woo:product:93', quantity: 2 },
          { externalId: 'woo:product:22', quantity: 1 },
        ],
      },
    ]);
  });

  it.each([
    ['completed', 'PaymentSucceeded'],
    ['on-hold', 'PaymentOnHold'],
    ['refunded', 'PaymentRefunded'],
    ['cancelled', 'PaymentRefunded'],
  ])('maps the status %s to %s', (status, expected) => {
    // Act
    const events = eventsOf(woo(wooOrder({ status })));

    // Assess
    expect(events).toMatchObject([{ type: expected, invoiceId: 'woo:727' }]);
  });

  it('gives a guest order (customer_id 0) no customer id', () => {
    // Act
    const events = eventsOf(woo(wooOrder({ customer_id: 0 })));

    // Assess
    expect(events[0]).toMatchObject({ customerId: null });
  });

  it('ignores statuses that change no delivery, and parks unknown topics and statuses', () => {
    // Act
    const pending = woo(wooOrder({ status: 'pending' }));
    const topic = woo(wooOrder(), 'product.updated');
    const status = woo(wooOrder({ status: 'teleported' }));

    // Assess
    expect([pending.outcome, topic.outcome, status.outcome]).toEqual(['ignored', 'park', 'park']);
  });

  it('accepts only the base64 HMAC-SHA256 of the raw body with the secret', () => {
    // Prepare
    const body = Buffer.from(JSON.stringify(wooOrder()));
    const signature = createHmac('sha256', 'secret-1').update(body).digest('base64');

    // Act
    const verdicts = [
      verifyWooSignature(body, signature, 'secret-1'),
      verifyWooSignature(body, signature, 'secret-2'),
      verifyWooSignature(Buffer.concat([body, Buffer.from(' ')]), signature, 'secret-1'),
      verifyWooSignature(body.subarray(0, body.length - 1), signature, 'secret-1'),
      verifyWooSignature(body, undefined, 'secret-1'),
      verifyWooSignature(body, 'not base64 at all', 'secret-1'),
    ];

    // Assess
    expect(verdicts).toEqual([true, false, false, false, false, false]);
  });

  it('recognizes the creation ping', () => {
    // Assess
    expect([isWooPing(Buffer.from('webhook_id=15')), isWooPing(Buffer.from('{"id":15}'))]).toEqual([true, false]);
  });
});

const shop = async () => {
  const catalog = new FakeCatalogStore();
  const invoices = new FakeInvoiceStore();
  const links = new FakeLinkStore();
  await catalog.putFile(readyFile('ebook-file', { at: NOW.toISOString() }));
  catalog.put(
    applyProductSettings(
      'ebook',
      { fileIds: ['ebook-file'], externalIds: ['shopify:product:8123456789012', 'stripe:product:prod_Ebook1', 'woo:product:93'] },
      undefined,
      { now: NOW.toISOString(), by: 'op' },
    ),
  );
  return { catalog, invoices, links };
};

describe('applying a storefront event', () => {
  it('delivers the mapped product and treats the unmapped line as a physical good', async () => {
    // Prepare
    const deps = await shop();

    // Act
    const outcome = await applyStorefrontEvent(deps, translateShopify(shopifyEvent('orders/paid', shopifyOrder())), NOW);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'applied', results: [{ outcome: 'recorded', state: 'paid', linkCount: 1 }] });
    const invoice = await deps.invoices.get('shopify:5512345678901');
    expect(invoice).toMatchObject({ productIds: ['ebook', 'shopify:product:8123456789013'], allLinesDigital: false, customerId: 'shopify:7012345678901' });
  });

  it('rejects a guest order with CUSTOMER_ACCOUNT_REQUIRED and creates no link', async () => {
    // Prepare
    const deps = await shop();

    // Act
    const outcome = await applyStorefrontEvent(
      deps,
      translateWooCommerce({ topic: 'order.created', deliveryId: 'd', body: wooOrder({ customer_id: 0 }) }),
      NOW,
    );

    // Assess
    expect(outcome).toMatchObject({ outcome: 'applied', results: [{ outcome: 'rejected', reason: 'CUSTOMER_ACCOUNT_REQUIRED' }] });
    expect(deps.links.items.size).toBe(0);
  });

  it("reads a Stripe session's lines through the line-items port and maps price.product", async () => {
    // Prepare
    const deps = await shop();
    const asked: string[] = [];
    const checkoutLineItems: CheckoutLineItems = {
      linesOf: async (id) => {
        asked.push(id);
        return [{ product: 'prod_Ebook1', quantity: 1 }];
      },
    };

    // Act
    const outcome = await applyStorefrontEvent(
      { ...deps, checkoutLineItems },
      translateStripe(stripeEvent('checkout.session.completed', checkoutSession())),
      NOW,
    );

    // Assess
    expect(asked).toEqual([checkoutSession().id]);
    expect(outcome).toMatchObject({ outcome: 'applied', results: [{ outcome: 'recorded', state: 'paid', linkCount: 1 }] });
  });

  it('parks an event whose occurredAt is more than a day ahead, and applies nothing', async () => {
    // Prepare
    const deps = await shop();

    // Act
    const outcome = await applyStorefrontEvent(deps, translateShopify(shopifyEvent('orders/paid', shopifyOrder({ updated_at: '2026-03-09T00:00:00Z' }))), NOW);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'park' });
    expect(await deps.invoices.get('shopify:5512345678901')).toBeUndefined();
  });

  it('a partial Shopify refund revokes only the refunded line, and a replay changes nothing', async () => {
    // Prepare
    const deps = await shop();
    await deps.catalog.putFile(readyFile('poster-file', { at: NOW.toISOString() }));
    deps.catalog.put(
      applyProductSettings('poster-pdf', { fileIds: ['poster-file'], externalIds: ['shopify:product:8123456789013'] }, undefined, {
        now: NOW.toISOString(),
        by: 'op',
      }),
    );
    await applyStorefrontEvent(deps, translateShopify(shopifyEvent('orders/paid', shopifyOrder())), NOW);

    // Act
    await applyStorefrontEvent(deps, translateShopify(shopifyEvent('refunds/create', shopifyRefund())), NOW);
    const before = JSON.stringify([...deps.links.items.values()]);
    await applyStorefrontEvent(deps, translateShopify(shopifyEvent('refunds/create', shopifyRefund())), NOW);
    await applyStorefrontEvent(deps, translateShopify(shopifyEvent('orders/paid', shopifyOrder())), NOW);

    // Assess
    const statuses = Object.fromEntries([...deps.links.items.values()].map((l) => [l.productId, l.status]));
    expect(statuses).toEqual({ ebook: 'revoked', 'poster-pdf': 'active' });
    expect(JSON.stringify([...deps.links.items.values()])).toBe(before);
  });
});
