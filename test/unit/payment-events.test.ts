import { describe, expect, it } from 'vitest';
import { PaymentEventSchemas, PaymentOnHoldSchema, PaymentRefundedSchema, PaymentSucceededSchema } from '../../core/events';

const succeeded = {
  invoiceId: 'inv-1001',
  customerId: 'cust-1',
  customerEmail: 'jane@example.com',
  occurredAt: '2026-03-28T10:30:00Z',
  lines: [{ productId: 'ebook', quantity: 1 }, { productId: 'sku:tshirt-L' }],
};

describe('PaymentSucceededSchema', () => {
  it('accepts the contract detail', () => {
    // Act
    const result = PaymentSucceededSchema.safeParse(succeeded);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['an offset occurredAt', { occurredAt: '2026-03-28T12:30:00+02:00' }],
    ['fractional seconds', { occurredAt: '2026-03-28T10:30:00.123Z' }],
    ['no customerId (guest checkout is decided later, not by the schema)', { customerId: undefined }],
    ['a null customerId', { customerId: null }],
    ['no customerEmail', { customerEmail: undefined }],
    ['no lines', { lines: [] }],
    ['a line with a null quantity', { lines: [{ productId: 'ebook', quantity: null }] }],
  ])('accepts %s', (_, patch) => {
    // Act
    const result = PaymentSucceededSchema.safeParse({ ...succeeded, ...patch });

    // Assess
    expect(result.success).toBe(true);
  });

  it('trims the invoice id', () => {
    // Act
    const parsed = PaymentSucceededSchema.parse({ ...succeeded, invoiceId: '  inv-1001  ' });

    // Assess
    expect(parsed.invoiceId).toBe('inv-1001');
  });

  it.each([
    ['no invoiceId', { invoiceId: undefined }],
    ['an empty invoiceId', { invoiceId: '   ' }],
    ['an invoiceId with a space inside', { invoiceId: 'inv 1' }],
    ['an invoiceId with a control character', { invoiceId: 'inv\u00011' }],
    ['a numeric invoiceId', { invoiceId: 1001 }],
    ['no occurredAt', { occurredAt: undefined }],
    ['a date-only occurredAt', { occurredAt: '2026-03-28' }],
    ['an occurredAt without a zone', { occurredAt: '2026-03-28T10:30:00' }],
    ['an impossible month', { occurredAt: '2026-13-28T10:30:00Z' }],
    ['an epoch number as occurredAt', { occurredAt: 1774693800000 }],
    ['no lines', { lines: undefined }],
    ['lines that are not a list', { lines: { productId: 'ebook' } }],
    ['a line without productId', { lines: [{ quantity: 1 }] }],
    ['a productId with a slash', { lines: [{ productId: 'a/b' }] }],
    ['a productId with a space', { lines: [{ productId: 'e book' }] }],
    ['a negative quantity', { lines: [{ productId: 'ebook', quantity: -1 }] }],
    ['a fractional quantity', { lines: [{ productId: 'ebook', quantity: 1.5 }] }],
    ['an invalid email', { customerEmail: 'not-an-email' }],
    ['an empty customerId', { customerId: '  ' }],
  ])('rejects %s', (_, patch) => {
    // Act
    const result = PaymentSucceededSchema.safeParse({ ...succeeded, ...patch });

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('PaymentOnHoldSchema and PaymentRefundedSchema', () => {
  it.each([
    ['PaymentOnHold', PaymentOnHoldSchema],
    ['PaymentRefunded', PaymentRefundedSchema],
  ])('%s accepts an invoice id and time, with or without a reason', (_, schema) => {
    // Act / Assess
    expect(schema.safeParse({ invoiceId: 'inv-1', occurredAt: '2026-03-28T10:30:00Z' }).success).toBe(true);
    expect(schema.safeParse({ invoiceId: 'inv-1', occurredAt: '2026-03-28T10:30:00Z', reason: 'fraud review' }).success).toBe(true);
    expect(schema.safeParse({ invoiceId: 'inv-1', occurredAt: '2026-03-28T10:30:00Z', reason: null }).success).toBe(true);
  });

  it.each([
    ['PaymentOnHold', PaymentOnHoldSchema],
    ['PaymentRefunded', PaymentRefundedSchema],
  ])('%s rejects a missing or malformed invoice id, time or reason', (_, schema) => {
    // Act / Assess
    expect(schema.safeParse({ occurredAt: '2026-03-28T10:30:00Z' }).success).toBe(false);
    expect(schema.safeParse({ invoiceId: 'inv-1' }).success).toBe(false);
    expect(schema.safeParse({ invoiceId: 'inv-1', occurredAt: 'yesterday' }).success).toBe(false);
    expect(schema.safeParse({ invoiceId: 'inv-1', occurredAt: '2026-03-28T10:30:00Z', reason: 'x'.repeat(1001) }).success).toBe(false);
    expect(schema.safeParse({ invoiceId: 'inv-1', occurredAt: '2026-03-28T10:30:00Z', reason: 42 }).success).toBe(false);
  });

  it('maps each contract detail-type to its schema', () => {
    // Act / Assess
    expect(Object.keys(PaymentEventSchemas).sort()).toEqual(['PaymentOnHold', 'PaymentRefunded', 'PaymentSucceeded']);
    expect(PaymentEventSchemas.PaymentSucceeded.safeParse({ invoiceId: 'inv-1', occurredAt: '2026-03-28T10:30:00Z' }).success).toBe(false);
    expect(PaymentEventSchemas.PaymentRefunded.safeParse({ invoiceId: 'inv-1', occurredAt: '2026-03-28T10:30:00Z' }).success).toBe(true);
  });
});
