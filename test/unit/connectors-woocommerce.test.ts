import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Translation } from '../../core/connectors/types';
import { isWooPing, translateWooCommerce, verifyWooSignature } from '../../core/connectors/woocommerce';
import { wooOrder } from '../support/connector-samples';

const eventsOf = (translation: Translation) => {
  if (translation.outcome !== 'events') throw new Error(`expected events, got ${JSON.stringify(translation)}`);
  return translation.events;
};

const reasonOf = (translation: Translation) => (translation.outcome === 'park' ? translation.reason : `not parked: ${JSON.stringify(translation)}`);

const woo = (overrides: Record<string, unknown>, options?: { customerIdTemplate: string }) =>
  translateWooCommerce({ topic: 'order.updated', deliveryId: 'd-1', body: wooOrder(overrides) }, options);

describe('the WooCommerce connector: orders', () => {
  it('names the delivery by the webhook delivery id, else by the order, its status and time', () => {
    // Act
    const byHeader = woo({});
    const without = translateWooCommerce({ topic: 'order.updated', deliveryId: undefined, body: wooOrder({ status: 'on-hold' }) });

    // Assess
    expect(byHeader).toMatchObject({ outcome: 'events', provider: 'woocommerce', deliveryId: 'd-1' });
    expect(without).toMatchObject({ outcome: 'events', deliveryId: 'woo:727#on-hold#2026-03-01T19:28:08.000Z' });
  });

  it('times the order by date_modified_gmt, else date_modified when it carries its offset, else date_created_gmt', () => {
    // Act
    const times = [
      woo({ date_modified_gmt: '2026-03-01T19:28:08Z', date_modified: '2026-03-01T16:28:08' }),
      woo({ date_modified_gmt: '2026-03-01T21:28:08+02:00' }),
      woo({ date_modified_gmt: null, date_modified: '2026-03-01T16:28:09-03:00' }),
      woo({ date_modified_gmt: null, date_modified: 'yesterday' }),
      woo({ date_modified_gmt: ['2026-03-01T10:00:00'], date_modified: null }),
    ].map((t) => eventsOf(t)[0]?.occurredAt);

    // Assess
    expect(times).toEqual([
      '2026-03-01T19:28:08.000Z',
      '2026-03-01T19:28:08.000Z',
      '2026-03-01T19:28:09.000Z',
      '2026-03-01T19:28:02.000Z',
      '2026-03-01T19:28:02.000Z',
    ]);
  });

  it("never reads date_modified without an offset as UTC: it is the site's local time (here UTC-3)", () => {
    // Act
    const occurredAt = eventsOf(woo({ date_modified_gmt: null }))[0]?.occurredAt;

    // Assess: date_created_gmt, not date_modified's 16:28:08 taken for UTC.
    expect(occurredAt).toBe('2026-03-01T19:28:02.000Z');
  });

  it('puts an on-hold order on hold, and refunds a refunded or cancelled one, saying so', () => {
    // Act
    const events = ['on-hold', 'refunded', 'cancelled'].map((status) => eventsOf(woo({ status }))[0]);

    // Assess
    expect(events).toEqual([
      { type: 'PaymentOnHold', invoiceId: 'woo:727', occurredAt: '2026-03-01T19:28:08.000Z', reason: 'on hold in WooCommerce' },
      { type: 'PaymentRefunded', invoiceId: 'woo:727', occurredAt: '2026-03-01T19:28:08.000Z', reason: 'refunded in WooCommerce' },
      { type: 'PaymentRefunded', invoiceId: 'woo:727', occurredAt: '2026-03-01T19:28:08.000Z', reason: 'cancelled in WooCommerce' },
    ]);
  });

  it.each(['pending', 'failed', 'draft', 'checkout-draft', 'trash'])('ignores an order that is %s, under its delivery id', (status) => {
    // Act / Assess
    expect(woo({ status })).toEqual({ outcome: 'ignored', provider: 'woocommerce', deliveryId: 'd-1', reason: `order status ${status} changes no delivery` });
  });

  it('gives a guest order (customer_id 0, as a number or text) no customer id, and reads a customer id given as text', () => {
    // Act
    const ids = [woo({ customer_id: 0 }), woo({ customer_id: '0' }), woo({ customer_id: '26' })].map((t) => {
      const [event] = eventsOf(t);
      return event?.type === 'PaymentSucceeded' ? event.customerId : 'not a success';
    });
    const byTemplate = eventsOf(woo({ customer_id: '0' }, { customerIdTemplate: 'woo-{email}' }));

    // Assess
    expect(ids).toEqual([null, null, 'woo:26']);
    expect(byTemplate).toMatchObject([{ customerId: 'woo-john.doe@example.com', customerEmail: 'john.doe@example.com' }]);
  });

  it('takes the billing email trimmed; an order without billing has none', () => {
    // Act
    const emails = [woo({ billing: { email: ' john@example.com ' } }), woo({ billing: 'none' })].map((t) => eventsOf(t)[0]);

    // Assess
    expect(emails).toMatchObject([{ customerEmail: 'john@example.com' }, { customerEmail: null, customerId: 'woo:26' }]);
  });

  it('counts a line without quantity as one, keeps a quantity of zero, and leaves out lines of no product', () => {
    // Act
    const events = eventsOf(
      woo({ line_items: [{ product_id: 93 }, { product_id: '22', quantity: 0 }, { product_id: 0, quantity: 1 }, { product_id: null }, { name: 'Fee' }] }),
    );

    // Assess
    expect(events).toMatchObject([
      {
        lines: [
          { externalId: 'woo:product:93', quantity: 1 },
          { externalId: 'woo:product:22', quantity: 0 },
        ],
      },
    ]);
  });

  it('takes an order of exactly 10,000 lines', () => {
    // Act
    const [event] = eventsOf(woo({ line_items: Array.from({ length: 10_000 }, () => ({ product_id: 93, quantity: 1 })) }));

    // Assess
    expect(event?.type === 'PaymentSucceeded' && Array.isArray(event.lines) && event.lines.length).toBe(10_000);
  });

  it.each([
    ['no topic', { topic: undefined, deliveryId: 'd-1', body: wooOrder() }, 'WooCommerce: the webhook names no X-WC-Webhook-Topic'],
    [
      'an unknown topic',
      { topic: 'product.updated', deliveryId: 'd-1', body: wooOrder() },
      'WooCommerce: unknown topic "product.updated" (order.created and order.updated are understood)',
    ],
    ['a body that is no order', { topic: 'order.created', deliveryId: 'd-1', body: [wooOrder()] }, 'WooCommerce: order.created: the body is not an order'],
    ['an order without id', { topic: 'order.created', deliveryId: 'd-1', body: wooOrder({ id: 0 }) }, 'WooCommerce: order.created: the order has no id'],
    [
      'an order without any time',
      { topic: 'order.created', deliveryId: 'd-1', body: wooOrder({ date_modified_gmt: null, date_modified: null, date_created_gmt: null }) },
      'WooCommerce: order.created: the order has no date_modified_gmt',
    ],
    [
      'an unknown status',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ status: 'teleported' }) },
      'WooCommerce: order.updated: unknown order status "teleported"',
    ],
    [
      'no status',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ status: undefined }) },
      'WooCommerce: order.updated: unknown order status undefined',
    ],
    [
      'line items that are not a list',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ line_items: null }) },
      'WooCommerce: order.updated: line_items is not a list',
    ],
    [
      'a line item that is not an object',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ line_items: [93] }) },
      'WooCommerce: order.updated: a line item is not an object',
    ],
    [
      'a product id that is no WooCommerce id',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ line_items: [{ product_id: 'abc', quantity: 1 }] }) },
      'WooCommerce: order.updated: line item product_id "abc" is not a WooCommerce id',
    ],
    [
      'a quantity that is text',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ line_items: [{ product_id: 93, quantity: '2' }] }) },
      'WooCommerce: order.updated: line item quantity "2" is not a count',
    ],
    [
      'a fractional quantity',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ line_items: [{ product_id: 93, quantity: 0.5 }] }) },
      'WooCommerce: order.updated: line item quantity 0.5 is not a count',
    ],
    [
      'a negative quantity',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ line_items: [{ product_id: 93, quantity: -2 }] }) },
      'WooCommerce: order.updated: line item quantity -2 is not a count',
    ],
    [
      '10,001 lines',
      { topic: 'order.updated', deliveryId: 'd-1', body: wooOrder({ line_items: Array.from({ length: 10_001 }, () => ({ product_id: 93, quantity: 1 })) }) },
      'WooCommerce: order.updated: more than 10000 line items',
    ],
  ])('parks %s with its reason', (_, input, reason) => {
    // Act / Assess
    expect(reasonOf(translateWooCommerce(input))).toBe(reason);
  });
});

describe('the WooCommerce webhook signature and ping', () => {
  const body = Buffer.from(JSON.stringify(wooOrder()));
  const sign = (secret: string) => createHmac('sha256', secret).update(body).digest('base64');

  it('accepts the signature with whitespace around it', () => {
    // Act / Assess
    expect(verifyWooSignature(body, ` ${sign('secret-1')}\n`, 'secret-1')).toBe(true);
  });

  it('refuses any signature when no secret is configured', () => {
    // Act / Assess
    expect(verifyWooSignature(body, sign(''), '')).toBe(false);
  });

  it('recognizes only a short, whole webhook_id form as the ping', () => {
    // Act
    const verdicts = [
      isWooPing(Buffer.from(' webhook_id=15\n')),
      isWooPing(Buffer.from(`webhook_id=${'1'.repeat(52)}`)),
      isWooPing(Buffer.from(`webhook_id=${'1'.repeat(53)}`)),
      isWooPing(Buffer.from('webhook_id=15&x=1')),
      isWooPing(Buffer.from('x=1&webhook_id=15')),
    ];

    // Assess
    expect(verdicts).toEqual([true, true, false, false, false]);
  });
});
