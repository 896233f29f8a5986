import { describe, expect, it } from 'vitest';
import { assertOutgoing, DigitalProductDeliveredSchema, dispatchKeyOf, type OutgoingEvent, parsePaymentEvent } from '../../core/events';

const now = new Date('2026-06-01T12:00:00Z');
const detail = { invoiceId: 'inv-1', customerId: 'c', occurredAt: '2026-06-01T11:00:00Z', lines: [] };
const event = (over: Record<string, unknown> = {}) => ({ source: 'storefront.payments', 'detail-type': 'PaymentSucceeded', detail, ...over });
const reasonOf = (input: unknown): string => {
  const parsed = parsePaymentEvent(input, now);
  return parsed.ok ? 'accepted' : parsed.reason;
};

const link = {
  id: 'l1',
  productId: 'ebook',
  fileName: 'ebook.pdf',
  deliveryMethod: 'InstantDownload' as const,
  downloadUrl: 'https://dl.example.com/d/t',
  expiresUtc: null,
  maxDownloads: null,
};
const delivered = { invoiceId: 'inv-1', customerId: 'c', customerEmail: null, generation: 0, links: [link], licenses: [] };

describe('parsing a payment event', () => {
  it.each([
    ['nothing', null],
    ['a number', 42],
    ['a string', 'PaymentSucceeded'],
  ])('refuses %s as not an EventBridge event', (_what, input) => {
    // Act + Assess
    expect(parsePaymentEvent(input, now)).toEqual({ ok: false, reason: 'not an EventBridge event' });
  });

  it('refuses an event of another source, naming that source', () => {
    // Act + Assess
    expect(parsePaymentEvent(event({ source: 'storefront.orders' }), now)).toEqual({ ok: false, reason: 'unexpected source "storefront.orders"' });
    expect(reasonOf(event({ source: undefined }))).toBe('unexpected source undefined');
  });

  it('refuses a detail type the contract does not name, or one that is not a string', () => {
    // Act + Assess
    expect(parsePaymentEvent(event({ 'detail-type': 'PaymentFailed' }), now)).toEqual({ ok: false, reason: 'unknown detail-type "PaymentFailed"' });
    expect(reasonOf(event({ 'detail-type': ['PaymentSucceeded'] }))).toBe('unknown detail-type ["PaymentSucceeded"]');
  });

  it('names each wrong field of the detail by its path, and the detail itself when it is not an object', () => {
    // Act
    const fields = reasonOf(event({ detail: { ...detail, invoiceId: 'inv 1', lines: [{ productId: 'ebook', quantity: 1.5 }] } }));
    const whole = reasonOf(event({ detail: 'inv-1' }));

    // Assess
    expect(fields).toMatch(/^invalid PaymentSucceeded detail: invoiceId: no spaces, control or format characters; lines\.0\.quantity: [^;]+$/);
    expect(whole).toMatch(/^invalid PaymentSucceeded detail: detail: [^;]+$/);
  });

  it('says what is wrong with each field in plain words, as the HTTP API does', () => {
    // Act
    const reason = reasonOf(
      event({ detail: { invoiceId: 'inv-1', occurredAt: 'yesterday', lines: [{ productId: 'ebook', quantity: -1 }], customerEmail: 3 } }),
    );
    const missing = reasonOf(event({ detail: { invoiceId: 'inv-1', occurredAt: '2026-06-01T11:00:00Z' } }));

    // Assess
    expect(reason).toBe(
      'invalid PaymentSucceeded detail: customerEmail: must be text; occurredAt: must be an ISO 8601 time, e.g. 2026-04-27T10:00:00Z; lines.0.quantity: must be 0 or more',
    );
    expect(missing).toBe('invalid PaymentSucceeded detail: lines: is required');
  });

  it('names at most the first five wrong fields', () => {
    // Act
    const reason = reasonOf(event({ detail: { invoiceId: 1, customerId: 2, customerEmail: 3, occurredAt: 4, lines: [{ productId: 5 }, { productId: 6 }] } }));

    // Assess
    expect(reason.split('; ').map((issue) => issue.replace('invalid PaymentSucceeded detail: ', '').split(':')[0])).toEqual([
      'invoiceId',
      'customerId',
      'customerEmail',
      'occurredAt',
      'lines.0.productId',
    ]);
  });

  it('accepts an occurredAt exactly 24 hours ahead of the receiver, and a valid event as what it is', () => {
    // Act
    const parsed = parsePaymentEvent(event({ detail: { ...detail, occurredAt: '2026-06-02T12:00:00Z' } }), now);

    // Assess
    expect(parsed).toEqual({ ok: true, event: { type: 'PaymentSucceeded', detail: { ...detail, occurredAt: '2026-06-02T12:00:00Z' } } });
  });
});

describe('the delivery announcement', () => {
  it('announces links, license keys or both, never neither', () => {
    // Act
    const neither = DigitalProductDeliveredSchema.safeParse({ ...delivered, links: [] });

    // Assess
    expect(DigitalProductDeliveredSchema.safeParse(delivered).success).toBe(true);
    expect(DigitalProductDeliveredSchema.safeParse({ ...delivered, links: [], licenses: [{ key: 'K-1', productId: 'app' }] }).success).toBe(true);
    expect(neither.success).toBe(false);
    expect(neither.error?.issues.map((i) => i.message)).toEqual(['a delivery announces links or license keys']);
  });
});

describe('the dispatch key of an outgoing event', () => {
  it('is one per invoice, generation and part for a delivery, the first part when it is not split', () => {
    // Act + Assess
    expect(dispatchKeyOf({ detailType: 'DigitalProductDelivered', detail: delivered })).toBe('DigitalProductDelivered#inv-1#0#1');
    expect(dispatchKeyOf({ detailType: 'DigitalProductDelivered', detail: { ...delivered, generation: 2, part: 3, partCount: 4 } })).toBe(
      'DigitalProductDelivered#inv-1#2#3',
    );
  });

  it('is one per invoice for a completion', () => {
    // Act + Assess
    expect(dispatchKeyOf({ detailType: 'InvoiceCompleted', detail: { invoiceId: 'inv-1', customerId: 'c', completedAt: '2026-06-01T12:00:00Z' } })).toBe(
      'InvoiceCompleted#inv-1',
    );
  });

  it('is one per invoice, reason and set of products for a rejection, whatever the order of the products', () => {
    // Prepare
    const productIds = ['b', 'c', 'a'];

    // Act
    const key = dispatchKeyOf({ detailType: 'DeliveryRejected', detail: { invoiceId: 'inv-1', reason: 'NO_FILES', productIds } });
    const whole = dispatchKeyOf({ detailType: 'DeliveryRejected', detail: { invoiceId: 'inv-1', reason: 'CUSTOMER_ACCOUNT_REQUIRED' } });

    // Assess
    expect(key).toBe('DeliveryRejected#inv-1#NO_FILES#a,b,c');
    expect(productIds).toEqual(['b', 'c', 'a']);
    expect(whole).toBe('DeliveryRejected#inv-1#CUSTOMER_ACCOUNT_REQUIRED#');
  });

  it('is one per product, update and customer for an update, and one per link and flag for a sharing flag', () => {
    // Prepare
    const updated: OutgoingEvent = {
      detailType: 'ProductUpdated',
      detail: {
        productId: 'ebook',
        updateId: 'u1',
        customerId: 'c',
        customerEmail: null,
        links: [
          { id: 'l1', invoiceId: 'inv-1', fileName: 'ebook.pdf', fileVersion: 2, deliveryMethod: 'InstantDownload', downloadUrl: 'https://dl.example.com/d/t' },
        ],
      },
    };
    const flagged: OutgoingEvent = {
      detailType: 'LinkFlagged',
      detail: { linkId: 'l1', customerId: 'c', networks: 5, invoiceId: 'inv-1', productId: 'ebook', flaggedAt: '2026-06-01T12:00:00Z', suspended: false },
    };

    // Act + Assess
    expect(dispatchKeyOf(updated)).toBe('ProductUpdated#ebook#u1#c');
    expect(dispatchKeyOf(flagged)).toBe('LinkFlagged#l1#2026-06-01T12:00:00Z');
  });
});

describe('checking an outgoing event', () => {
  it('lets an event that matches its schema through and stops one that does not, naming the event and the field', () => {
    // Act + Assess
    expect(() =>
      assertOutgoing({ detailType: 'InvoiceCompleted', detail: { invoiceId: 'inv-1', customerId: 'c', completedAt: '2026-06-01T12:00:00Z' } }),
    ).not.toThrow();
    expect(() => assertOutgoing({ detailType: 'InvoiceCompleted', detail: { invoiceId: '', customerId: 'c', completedAt: '2026-06-01T12:00:00Z' } })).toThrow(
      /^outgoing InvoiceCompleted does not match its schema: invoiceId: /,
    );
  });
});
