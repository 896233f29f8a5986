import { describe, expect, it } from 'vitest';
import { DEFAULT_STAMP_TEXT, isStampable, newCopyKey, renderStampText } from '../../core/stamp';

describe('stamped copies', () => {
  it('each get a fresh unguessable prefix inside the stamped area', () => {
    // Act
    const keys = [newCopyKey(), newCopyKey()];

    // Assess
    for (const key of keys) expect(key).toMatch(/^stamped\/[A-Za-z0-9_-]{22}$/);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('are made of PDFs only, whatever the case, spacing or parameters of their content type', () => {
    for (const pdf of ['application/pdf', 'Application/PDF', ' application/pdf ; name="a.pdf"']) expect(isStampable(pdf)).toBe(true);
    for (const other of ['application/pdfx', 'application/zip', 'text/plain; application/pdf', '']) expect(isStampable(other)).toBe(false);
  });

  it('carry by default the buyer address and the order', () => {
    expect(renderStampText(DEFAULT_STAMP_TEXT, { customerEmail: 'ada@example.com', invoiceId: 'inv-1', customerId: 'c-1' })).toBe(
      'Licensed to ada@example.com — order inv-1',
    );
  });

  it('carry one space for each run of control or format characters, and at most 300 characters', () => {
    // Prepare
    const values = { customerEmail: 'ada@example.com', invoiceId: 'inv-1', customerId: 'c-1' };

    // Act
    const broken = renderStampText('For\r\n\u200b{customerEmail}\tok', values);
    const long = renderStampText(`{invoiceId} ${'x'.repeat(400)}`, values);

    // Assess
    expect(broken).toBe('For ada@example.com ok');
    expect(long).toBe(`inv-1 ${'x'.repeat(294)}`);
  });
});
