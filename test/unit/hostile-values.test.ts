import { describe, expect, it } from 'vitest';
import { parseKeySet, rotateKeySet, serializeKeySet } from '../../adapters/aws/signing-keys';
import { safeDisplayName } from '../../core/content-disposition';
import { parsePaymentEvent } from '../../core/events';
import { LinkSigner } from '../../core/link-signer';
import { LinkTokens, newSigningSecret } from '../../core/token';
import { FakeKeySource } from '../support/fakes';

describe('display names lose control and format characters (Unicode Cc and Cf)', () => {
  it.each([
    ['a bidi override that shows invoice\u202Efdp.exe as "invoiceexe.pdf"', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['zero-width space, joiner and non-joiner', 'e\u200Bbo\u200Dok\u200C.pdf', 'ebook.pdf'],
    ['a byte order mark and a soft hyphen', '\uFEFFhand\u00ADbook.pdf', 'handbook.pdf'],
    ['isolates and embeddings', '\u2066a\u2067b\u2068c\u2069\u202Ad\u202C.pdf', 'abcd.pdf'],
    ['CR, LF, NUL and DEL', 'a\r\nb\u0000c\u007f.pdf', 'abc.pdf'],
    ['C1 controls', 'a\u0085b\u009f.pdf', 'ab.pdf'],
  ])('%s', (_what, raw, expected) => {
    expect(safeDisplayName(raw)).toBe(expected);
  });

  it('keeps what a name may hold: letters of any script, spaces inside, punctuation', () => {
    expect(safeDisplayName('Über "Café", 東京 (2nd ed.).pdf')).toBe('Über "Café", 東京 (2nd ed.).pdf');
  });

  it('names a file made only of invisible characters "download"', () => {
    expect(safeDisplayName('\u202E\u200B\uFEFF')).toBe('download');
  });
});

describe('payment events that are not plausible', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const event = (occurredAt: string) => ({
    source: 'storefront.payments',
    'detail-type': 'PaymentSucceeded',
    detail: { invoiceId: 'inv-1', customerId: 'c', occurredAt, lines: [] },
  });

  it('refuses an occurredAt more than 24 hours ahead of the receiver, with that reason', () => {
    const parsed = parsePaymentEvent(event('9999-01-01T00:00:00Z'), now);
    expect(parsed).toMatchObject({ ok: false });
    expect(!parsed.ok && parsed.reason).toMatch(/more than 24 hours ahead/);
    expect(parsePaymentEvent(event('2026-06-02T12:00:01Z'), now).ok).toBe(false);
  });

  it('accepts an occurredAt up to 24 hours ahead (clocks disagree) and any time before', () => {
    expect(parsePaymentEvent(event('2026-06-02T11:59:59Z'), now).ok).toBe(true);
    expect(parsePaymentEvent(event('2020-01-01T00:00:00Z'), now).ok).toBe(true);
  });

  it('refuses an invoice id with a format character', () => {
    const parsed = parsePaymentEvent(
      { ...event('2026-06-01T00:00:00Z'), detail: { ...event('x').detail, invoiceId: 'inv\u202E1', occurredAt: '2026-06-01T00:00:00Z' } },
      now,
    );
    expect(parsed.ok).toBe(false);
  });

  it('does not take a prototype member for a detail type', () => {
    expect(parsePaymentEvent({ ...event('2026-06-01T00:00:00Z'), 'detail-type': 'constructor' }, now)).toMatchObject({
      ok: false,
      reason: 'unknown detail-type "constructor"',
    });
  });
});

describe('the signing keyring', () => {
  const secret = () => newSigningSecret();

  it('keeps every earlier key through five rotations: a link signed before the first still verifies', async () => {
    // Prepare
    let keySet = { currentKid: 'k1', keys: { k1: secret() } } as ReturnType<typeof parseKeySet>;
    const oldToken = new LinkTokens(keySet).sign('AAAAAAAAAAAAAAAAAAAAAA');

    // Act
    for (let i = 0; i < 5; i++) keySet = parseKeySet(serializeKeySet(rotateKeySet(keySet, { newSecret: secret() })));

    // Assess
    expect(keySet.currentKid).toBe('k6');
    expect(Object.keys(keySet.keys).sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    expect(new LinkTokens(keySet).verify(oldToken)).toEqual({ linkId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(new LinkTokens(keySet).sign('AAAAAAAAAAAAAAAAAAAAAA').startsWith('k6.')).toBe(true);
  });

  it('refuses tokens of a key from its retirement date on, and only of that key', () => {
    // Prepare
    const first = { currentKid: 'k1', keys: { k1: secret() } };
    const oldToken = new LinkTokens(first).sign('AAAAAAAAAAAAAAAAAAAAAA');
    const rotated = parseKeySet(serializeKeySet(rotateKeySet(first, { newSecret: secret(), retirePreviousAt: '2026-07-01T00:00:00Z' })));
    const tokens = new LinkTokens(rotated);
    const newToken = tokens.sign('AAAAAAAAAAAAAAAAAAAAAA');

    // Act / Assess
    expect(rotated.retireAt).toEqual({ k1: '2026-07-01T00:00:00Z' });
    expect(tokens.verify(oldToken, Date.parse('2026-06-30T23:59:59Z'))).toEqual({ linkId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(tokens.verify(oldToken, Date.parse('2026-07-01T00:00:00Z'))).toBeNull();
    expect(tokens.verify(newToken, Date.parse('2030-01-01T00:00:00Z'))).toEqual({ linkId: 'AAAAAAAAAAAAAAAAAAAAAA' });
  });

  it('refuses a string that cannot be a token before it reads any key', async () => {
    // Prepare: a cold instance
    const keys = new FakeKeySource();
    const signer = new LinkSigner(keys);

    // Act
    await expect(signer.linkIdOf('../../etc/passwd')).rejects.toMatchObject({ code: 'LINK_NOT_FOUND' });
    await expect(signer.linkIdOf('x'.repeat(5000))).rejects.toMatchObject({ code: 'LINK_NOT_FOUND' });

    // Assess
    expect(keys.reads).toBe(0);
  });
});
