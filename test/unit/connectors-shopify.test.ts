import { describe, expect, it } from 'vitest';
import { translatePartnerEvent } from '../../core/connectors';
import { translateShopify } from '../../core/connectors/shopify';
import { STRIPE_DEFAULTS } from '../../core/connectors/stripe';
import type { Translation } from '../../core/connectors/types';
import { SHOPIFY_SOURCE, STRIPE_SOURCE, shopifyEvent, shopifyOrder, shopifyRefund, stripeCharge, stripeEvent } from '../support/connector-samples';

const eventsOf = (translation: Translation) => {
  if (translation.outcome !== 'events') throw new Error(`expected events, got ${JSON.stringify(translation)}`);
  return translation.events;
};

const reasonOf = (translation: Translation) => (translation.outcome === 'park' ? translation.reason : `not parked: ${JSON.stringify(translation)}`);

const paid = (overrides: Record<string, unknown>) => translateShopify(shopifyEvent('orders/paid', shopifyOrder(overrides)));
const refund = (overrides: Record<string, unknown>) => translateShopify(shopifyEvent('refunds/create', shopifyRefund(overrides)));
const cancelled = (overrides: Record<string, unknown>) =>
  translateShopify(shopifyEvent('orders/cancelled', shopifyOrder({ cancelled_at: '2026-03-02T08:00:00-05:00', ...overrides })));

/** The partner event with only the headers given (Shopify's EventBridge source sends them as `detail.metadata`). */
const withHeaders = (metadata: unknown, payload: unknown = shopifyOrder(), id: unknown = 'eb-event-1') => ({
  id,
  source: SHOPIFY_SOURCE,
  detail: { metadata, payload },
});

describe('the Shopify connector: deliveries and their ids', () => {
  it('reads the headers whatever their case, and names the delivery by the webhook id', () => {
    // Act
    const translation = translateShopify(withHeaders({ 'x-shopify-topic': 'orders/paid', 'x-shopify-webhook-id': 'wh-1', 'X-Shopify-Event-Id': 'ev-1' }));

    // Assess
    expect(translation).toMatchObject({ outcome: 'events', deliveryId: 'wh-1', events: [{ type: 'PaymentSucceeded', invoiceId: 'shopify:5512345678901' }] });
  });

  it('falls back to the Shopify event id, then to the EventBridge event id, to name the delivery', () => {
    // Act
    const byEventId = translateShopify(withHeaders({ 'X-Shopify-Topic': 'orders/paid', 'X-Shopify-Event-Id': 'ev-1' }));
    const byBusId = translateShopify(withHeaders({ 'X-Shopify-Topic': 'orders/paid' }));

    // Assess
    expect([byEventId, byBusId]).toMatchObject([{ deliveryId: 'ev-1' }, { deliveryId: 'eb-event-1' }]);
  });

  it('without any id, names the delivery by its topic, invoice and time, so a replay is still the same delivery', () => {
    // Act
    const first = translateShopify(withHeaders({ 'X-Shopify-Topic': 'orders/paid' }, shopifyOrder(), null));
    const again = translateShopify(withHeaders({ 'X-Shopify-Topic': 'orders/paid' }, shopifyOrder(), 42));

    // Assess
    expect(first).toMatchObject({ outcome: 'events', deliveryId: 'orders/paid#shopify:5512345678901#2026-03-01T14:00:05.000Z' });
    expect(again).toMatchObject({ deliveryId: 'orders/paid#shopify:5512345678901#2026-03-01T14:00:05.000Z' });
  });

  it('keeps header values trimmed and at most 200 characters', () => {
    // Act
    const translation = translateShopify(withHeaders({ 'X-Shopify-Topic': ' orders/paid ', 'X-Shopify-Webhook-Id': `  ${'w'.repeat(300)}  ` }));

    // Assess
    expect(translation).toMatchObject({ outcome: 'events', deliveryId: 'w'.repeat(200) });
  });

  it('ignores a refund that names no line, under the delivery id, with its reason', () => {
    // Act
    const translation = refund({ refund_line_items: [] });

    // Assess
    expect(translation).toEqual({
      outcome: 'ignored',
      provider: 'shopify',
      deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      reason: 'refunds/create: the refund names no line items (shipping or an amount only)',
    });
  });
});

describe('the Shopify connector: orders/paid', () => {
  it('times the order by updated_at, else processed_at, else created_at', () => {
    // Act
    const times = [
      paid({ updated_at: undefined, created_at: '2026-03-01T08:00:00Z' }),
      paid({ updated_at: 'soon', processed_at: undefined, created_at: '2026-03-01T08:00:00Z' }),
    ].map((t) => eventsOf(t)[0]?.occurredAt);

    // Assess
    expect(times).toEqual(['2026-03-01T14:00:00.000Z', '2026-03-01T08:00:00.000Z']);
  });

  it('takes the email from the order, else its contact_email, else its customer, trimmed; none is null', () => {
    // Act
    const emails = [
      paid({ email: '  buyer@example.com ' }),
      paid({ email: '   ', contact_email: 'contact@example.com' }),
      paid({ email: null, contact_email: 42 }),
      paid({ email: null, contact_email: null, customer: null }),
    ].map((t) => eventsOf(t)[0]);

    // Assess
    expect(emails.map((e) => e?.type === 'PaymentSucceeded' && e.customerEmail)).toEqual([
      'buyer@example.com',
      'contact@example.com',
      'john@example.com',
      null,
    ]);
  });

  it('fills the customer id template with the email, and gives no id when the template needs a missing value', () => {
    // Act
    const byEmail = eventsOf(
      translateShopify(shopifyEvent('orders/paid', shopifyOrder({ email: null, contact_email: null })), { customerIdTemplate: 'shop-{email}' }),
    );
    const noEmail = eventsOf(
      translateShopify(shopifyEvent('orders/paid', shopifyOrder({ email: null, contact_email: null, customer: null })), { customerIdTemplate: '{email}' }),
    );
    const stringId = eventsOf(paid({ customer: { id: '7012345678902' } }));

    // Assess
    expect([byEmail[0], noEmail[0], stringId[0]]).toMatchObject([
      { customerId: 'shop-john@example.com' },
      { customerId: null, customerEmail: null },
      { customerId: 'shopify:7012345678902' },
    ]);
  });

  it('counts a line without quantity as one, keeps a quantity of zero, and leaves out custom lines (no product)', () => {
    // Act
    const events = eventsOf(
      paid({ line_items: [{ product_id: 11 }, { product_id: '12', quantity: 0 }, { product_id: null, quantity: 1 }, { title: 'Tip', quantity: 1 }] }),
    );

    // Assess
    expect(events).toMatchObject([
      {
        lines: [
          { externalId: 'shopify:product:11', quantity: 1 },
          { externalId: 'shopify:product:12', quantity: 0 },
        ],
      },
    ]);
  });

  it('takes an order of exactly 10,000 lines', () => {
    // Act
    const events = eventsOf(paid({ line_items: Array.from({ length: 10_000 }, () => ({ product_id: 1, quantity: 1 })) }));

    // Assess
    expect(events[0]?.type === 'PaymentSucceeded' && Array.isArray(events[0].lines) && events[0].lines.length).toBe(10_000);
  });

  it.each([
    ['a payload that is not an object', shopifyEvent('orders/paid', 'not json'), 'Shopify: orders/paid: the payload is not an object'],
    ['a payload that is a list', shopifyEvent('orders/paid', [shopifyOrder()]), 'Shopify: orders/paid: the payload is not an object'],
    ['an order id of 0', shopifyEvent('orders/paid', shopifyOrder({ id: 0 })), 'Shopify: orders/paid: the order has no id'],
    [
      'an order without any time',
      shopifyEvent('orders/paid', shopifyOrder({ updated_at: null, processed_at: null, created_at: null })),
      'Shopify: orders/paid: the order has no updated_at, processed_at or created_at',
    ],
    ['line items that are not a list', shopifyEvent('orders/paid', shopifyOrder({ line_items: 'x' })), 'Shopify: orders/paid: line_items is not a list'],
    [
      'a line item that is not an object',
      shopifyEvent('orders/paid', shopifyOrder({ line_items: [{ product_id: 1 }, 'x'] })),
      'Shopify: orders/paid: a line item is not an object',
    ],
    [
      'a product id that is no Shopify id',
      shopifyEvent('orders/paid', shopifyOrder({ line_items: [{ product_id: 'gid://shopify/Product/1', quantity: 1 }] })),
      'Shopify: orders/paid: line item product_id "gid://shopify/Product/1" is not a Shopify id',
    ],
    [
      'a quantity that is text',
      shopifyEvent('orders/paid', shopifyOrder({ line_items: [{ product_id: 1, quantity: '2' }] })),
      'Shopify: orders/paid: line item quantity "2" is not a count',
    ],
    [
      'a fractional quantity',
      shopifyEvent('orders/paid', shopifyOrder({ line_items: [{ product_id: 1, quantity: 1.5 }] })),
      'Shopify: orders/paid: line item quantity 1.5 is not a count',
    ],
    [
      'a null quantity',
      shopifyEvent('orders/paid', shopifyOrder({ line_items: [{ product_id: 1, quantity: null }] })),
      'Shopify: orders/paid: line item quantity null is not a count',
    ],
    [
      'a negative quantity',
      shopifyEvent('orders/paid', shopifyOrder({ line_items: [{ product_id: 1, quantity: -1 }] })),
      'Shopify: orders/paid: line item quantity -1 is not a count',
    ],
    [
      '10,001 lines',
      shopifyEvent('orders/paid', shopifyOrder({ line_items: Array.from({ length: 10_001 }, () => ({ product_id: 1, quantity: 1 })) })),
      'Shopify: orders/paid: more than 10000 line items',
    ],
  ])('parks %s with its reason', (_, event, reason) => {
    // Act / Assess
    expect(reasonOf(translateShopify(event))).toBe(reason);
  });
});

describe('the Shopify connector: orders/cancelled', () => {
  it('times the cancellation by cancelled_at, else updated_at, and says why when Shopify does', () => {
    // Act
    const events = [cancelled({ cancel_reason: '  ' }), cancelled({ cancelled_at: null, cancel_reason: 'fraud' })].map((t) => eventsOf(t)[0]);

    // Assess
    expect(events).toEqual([
      { type: 'PaymentRefunded', invoiceId: 'shopify:5512345678901', occurredAt: '2026-03-02T13:00:00.000Z', reason: 'cancelled' },
      { type: 'PaymentRefunded', invoiceId: 'shopify:5512345678901', occurredAt: '2026-03-01T14:00:05.000Z', reason: 'cancelled: fraud' },
    ]);
  });

  it.each([
    ['a cancelled order without id', { id: 'x' }, 'Shopify: orders/cancelled: the order has no id'],
    [
      'a cancelled order without any time',
      { cancelled_at: null, updated_at: null },
      'Shopify: orders/cancelled: the cancelled order has no cancelled_at or updated_at',
    ],
  ])('parks %s with its reason', (_, overrides, reason) => {
    // Act / Assess
    expect(reasonOf(cancelled(overrides))).toBe(reason);
  });
});

describe('the Shopify connector: refunds/create', () => {
  const refundLine = (lineItem: unknown) => ({ id: 1, quantity: 1, line_item: lineItem });

  it('times the refund by created_at, else processed_at, and gives a default reason without a note', () => {
    // Act
    const events = eventsOf(refund({ created_at: null, processed_at: '2026-03-02T11:00:00Z', note: '' }));

    // Assess
    expect(events).toEqual([
      {
        type: 'PaymentRefunded',
        invoiceId: 'shopify:5512345678901',
        occurredAt: '2026-03-02T11:00:00.000Z',
        reason: 'refunded in Shopify',
        lines: [{ externalId: 'shopify:product:8123456789012' }],
      },
    ]);
  });

  it('leaves out refunded lines of no product (a custom line, or no line_item)', () => {
    // Act
    const events = eventsOf(
      refund({ refund_line_items: [refundLine({ product_id: null }), { id: 2, quantity: 1 }, refundLine({ title: 'Tip' }), refundLine({ product_id: '77' })] }),
    );

    // Assess
    expect(events).toMatchObject([{ lines: [{ externalId: 'shopify:product:77' }] }]);
  });

  it('ignores a refund whose lines all are custom lines', () => {
    // Act / Assess
    expect(refund({ refund_line_items: [refundLine({ product_id: null }), { id: 2 }] }).outcome).toBe('ignored');
  });

  it.each([
    ['a refund without order_id', { order_id: null }, 'Shopify: refunds/create: the refund has no order_id'],
    ['a refund without any time', { created_at: null, processed_at: 'x' }, 'Shopify: refunds/create: the refund has no created_at or processed_at'],
    ['refunded lines that are not a list', { refund_line_items: {} }, 'Shopify: refunds/create: refund_line_items is not a list'],
    [
      '10,001 refunded lines',
      { refund_line_items: Array.from({ length: 10_001 }, () => refundLine({ product_id: 1 })) },
      'Shopify: refunds/create: more than 10000 refunded lines',
    ],
    ['a refunded line that is not an object', { refund_line_items: [null] }, 'Shopify: refunds/create: a refunded line is not an object'],
    [
      'a refunded product id that is no Shopify id',
      { refund_line_items: [refundLine({ product_id: -3 })] },
      'Shopify: refunds/create: refunded line product_id -3 is not a Shopify id',
    ],
  ])('parks %s with its reason', (_, overrides, reason) => {
    // Act / Assess
    expect(reasonOf(refund(overrides))).toBe(reason);
  });

  it('takes a refund of exactly 10,000 lines', () => {
    // Act
    const events = eventsOf(refund({ refund_line_items: Array.from({ length: 10_000 }, () => refundLine({ product_id: 1 })) }));

    // Assess
    expect(events[0]?.type === 'PaymentRefunded' && events[0].lines?.length).toBe(10_000);
  });
});

describe('the Shopify connector: what it does not understand', () => {
  it.each([
    [
      'an unknown topic',
      shopifyEvent('products/update', { id: 1 }),
      'Shopify: unknown topic "products/update" (orders/paid, refunds/create and orders/cancelled are understood)',
    ],
    ['an event without detail', { source: SHOPIFY_SOURCE, detail: 'x' }, 'Shopify: the event has no detail'],
    ['headers that are not an object', withHeaders('X-Shopify-Topic: orders/paid'), 'Shopify: the event names no X-Shopify-Topic'],
    ['a blank topic', withHeaders({ 'X-Shopify-Topic': ' ' }), 'Shopify: the event names no X-Shopify-Topic'],
    ['a source that is not text', { ...shopifyEvent('orders/paid', shopifyOrder()), source: 7 }, 'Shopify: unexpected source 7'],
    ['a Stripe source', { ...shopifyEvent('orders/paid', shopifyOrder()), source: STRIPE_SOURCE }, `Shopify: unexpected source "${STRIPE_SOURCE}"`],
  ])('parks %s with its reason', (_, event, reason) => {
    // Act / Assess
    expect(reasonOf(translateShopify(event))).toBe(reason);
  });
});

describe('a partner event', () => {
  const options = { shopify: { customerIdTemplate: 'shop:{id}' }, stripe: STRIPE_DEFAULTS };

  it("goes to the connector its source names, with that connector's options", () => {
    // Act
    const shopify = translatePartnerEvent(shopifyEvent('orders/paid', shopifyOrder()), options);
    const stripe = translatePartnerEvent(stripeEvent('charge.refunded', stripeCharge()), options);

    // Assess
    expect(shopify).toMatchObject({ outcome: 'events', provider: 'shopify', events: [{ customerId: 'shop:7012345678901' }] });
    expect(stripe).toMatchObject({
      outcome: 'events',
      provider: 'stripe',
      events: [{ type: 'PaymentRefunded', invoiceId: 'stripe:pi_3MtwBwLkdIwHu7ix28a3tqPa' }],
    });
  });

  it('is parked, naming its source, when no connector knows the source', () => {
    // Act
    const other = translatePartnerEvent({ ...shopifyEvent('orders/paid', shopifyOrder()), source: `x.${SHOPIFY_SOURCE}` }, options);
    const none = translatePartnerEvent({ detail: {} }, options);

    // Assess
    expect(other).toEqual({ outcome: 'park', provider: null, reason: `no connector for the source "x.${SHOPIFY_SOURCE}"` });
    expect(none).toEqual({ outcome: 'park', provider: null, reason: 'no connector for the source undefined' });
  });
});
