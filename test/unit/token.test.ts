import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveLinkId, hasTokenShape, LINK_ID_PATTERN, LinkTokens, newLinkSeed, newSigningSecret, type SigningKeySet } from '../../core/token';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SECRET_1 = 'k1-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const SECRET_2 = 'k2-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const LINK_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

const keySet = (currentKid: string, keys: Record<string, string>): SigningKeySet => ({ currentKid, keys });
const linkIdArb = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 22, maxLength: 22 });

describe('LinkTokens', () => {
  it('verifies a token it signed and gives back the link id it names', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1 }));
    const linkId = deriveLinkId(newLinkSeed(), 'ebook', 'file-1');

    // Act
    const token = tokens.sign(linkId);
    const result = tokens.verify(token);

    // Assess
    expect(token).toMatch(/^k1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(token.split('.')[1]).toBe(linkId);
    expect(result).toEqual({ linkId });
  });

  it('round-trips every well-formed link id', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1 }));

    // Act / Assess
    fc.assert(
      fc.property(linkIdArb, (linkId) => {
        expect(tokens.verify(tokens.sign(linkId))).toEqual({ linkId });
      }),
    );
  });

  it('verifies a token of the longest key id (16 characters), and names the shape of one', () => {
    // Prepare
    const kid = 'k'.repeat(16);
    const tokens = new LinkTokens(keySet(kid, { [kid]: SECRET_1 }));

    // Act
    const token = tokens.sign(LINK_ID);

    // Assess
    expect(token).toHaveLength(16 + 1 + 22 + 1 + 43);
    expect(hasTokenShape(token)).toBe(true);
    expect(hasTokenShape(`k${token}`)).toBe(false);
    expect(tokens.verify(token)).toEqual({ linkId: LINK_ID });
  });

  it('refuses a token signed with another secret under the same key id', () => {
    // Prepare
    const ours = new LinkTokens(keySet('k1', { k1: SECRET_1 }));
    const theirs = new LinkTokens(keySet('k1', { k1: SECRET_2 }));

    // Act
    const result = ours.verify(theirs.sign(LINK_ID));

    // Assess
    expect(result).toBeNull();
  });

  it('refuses a token whose link id was swapped for another one', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1 }));
    const [kid, , signature] = tokens.sign(LINK_ID).split('.');

    // Act
    const result = tokens.verify(`${kid}.BBBBBBBBBBBBBBBBBBBBBB.${signature}`);

    // Assess
    expect(result).toBeNull();
  });

  it('refuses a token whose last signature character differs only in the spare bits base64url ignores', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1 }));
    const token = tokens.sign(LINK_ID);
    const last = token.at(-1) as string;
    const index = BASE64URL.indexOf(last);
    // A 32-byte HMAC is 43 base64url characters: the last one carries 2 bits nobody decodes.
    const siblings = [1, 2, 3].map((bits) => BASE64URL[index ^ bits] as string);

    for (const sibling of siblings) {
      const forged = token.slice(0, -1) + sibling;
      // The forged signature decodes to the very same bytes: only a string comparison can tell.
      expect(Buffer.from(forged.split('.')[2] as string, 'base64url')).toEqual(Buffer.from(token.split('.')[2] as string, 'base64url'));

      // Act
      const result = tokens.verify(forged);

      // Assess
      expect(result).toBeNull();
    }
  });

  it('refuses a token with any single character flipped, wherever it is', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1, k2: SECRET_2 }));
    const token = tokens.sign(LINK_ID);

    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);

      // Act
      const result = tokens.verify(flipped);

      // Assess
      expect(result === null || 'unknownKid' in result, `position ${i}`).toBe(true);
    }
  });

  it('never accepts any mutation of a valid token (replace, insert, delete)', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1, k2: SECRET_2, k3: SECRET_1 }));
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('replace' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(), char: fc.constant('') }),
    );

    // Act / Assess
    fc.assert(
      fc.property(linkIdArb, mutation, (linkId, { op, at, char }) => {
        const token = tokens.sign(linkId);
        const i = at % token.length;
        const mutated =
          op === 'replace'
            ? token.slice(0, i) + char + token.slice(i + 1)
            : op === 'insert'
              ? token.slice(0, i) + char + token.slice(i)
              : token.slice(0, i) + token.slice(i + 1);
        fc.pre(mutated !== token);
        const result = tokens.verify(mutated);
        expect(result === null || 'unknownKid' in result).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a signature made by another known key (k3 has the same secret as k1 but its own key id)', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1, k3: SECRET_1 }));
    const [, linkId, signature] = tokens.sign(LINK_ID).split('.');

    // Act
    const result = tokens.verify(`k3.${linkId}.${signature}`);

    // Assess
    expect(result).toBeNull();
  });

  it.each([
    ['the empty string', ''],
    ['one segment', 'k1'],
    ['two segments', `k1.${LINK_ID}`],
    ['four segments', `k1.${LINK_ID}.${'A'.repeat(43)}.x`],
    ['an empty key id', `.${LINK_ID}.${'A'.repeat(43)}`],
    ['a key id longer than 16 characters', `${'k'.repeat(17)}.${LINK_ID}.${'A'.repeat(43)}`],
    ['a short link id', `k1.${LINK_ID.slice(1)}.${'A'.repeat(43)}`],
    ['a short signature', `k1.${LINK_ID}.${'A'.repeat(42)}`],
    ['a padded signature', `k1.${LINK_ID}.${'A'.repeat(43)}=`],
    ['standard base64 characters', `k1.${LINK_ID}.${'+/'.repeat(21)}A`],
    ['unicode', `k1.${LINK_ID.slice(0, 21)}é.${'A'.repeat(43)}`],
    ['a trailing newline', `k1.${LINK_ID}.${'A'.repeat(43)}\n`],
    ['a leading space', ` k1.${LINK_ID}.${'A'.repeat(43)}`],
    ['a huge string', 'A'.repeat(100_000)],
  ])('returns null for a malformed token: %s', (_, token) => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1 }));

    // Act
    const result = tokens.verify(token);

    // Assess
    expect(result).toBeNull();
  });

  it('returns null for a genuine token with whitespace or junk around it', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1 }));
    const token = tokens.sign(LINK_ID);

    // Act / Assess
    for (const variant of [`${token}\n`, ` ${token}`, `${token}.`, `${token}=`, `${token}%00`, `k1.${token.slice(3).toUpperCase()}`]) {
      expect(tokens.verify(variant), JSON.stringify(variant)).toBeNull();
    }
  });

  it('names the key id of a well-formed token signed by a key it does not hold', () => {
    // Prepare
    const tokens = new LinkTokens(keySet('k1', { k1: SECRET_1 }));
    const elsewhere = new LinkTokens(keySet('k2', { k2: SECRET_2 }));

    // Act
    const result = tokens.verify(elsewhere.sign(LINK_ID));

    // Assess
    expect(result).toEqual({ unknownKid: 'k2' });
  });

  it('keeps verifying tokens of the old key after a rotation, and signs new tokens with the new key', () => {
    // Prepare
    const before = new LinkTokens(keySet('k1', { k1: SECRET_1 }));
    const oldToken = before.sign(LINK_ID);

    // Act
    const after = new LinkTokens(keySet('k2', { k1: SECRET_1, k2: SECRET_2 }));
    const newToken = after.sign(LINK_ID);

    // Assess
    expect(after.verify(oldToken)).toEqual({ linkId: LINK_ID });
    expect(newToken.startsWith('k2.')).toBe(true);
    expect(after.verify(newToken)).toEqual({ linkId: LINK_ID });
    expect(before.verify(newToken)).toEqual({ unknownKid: 'k2' });
  });

  it('rejects a secret shorter than 32 bytes', () => {
    // Prepare
    const short = 'x'.repeat(31);

    // Act
    const build = () => new LinkTokens(keySet('k1', { k1: short }));

    // Assess
    expect(build).toThrow(/invalid/);
    expect(() => new LinkTokens(keySet('k1', { k1: 'x'.repeat(32) }))).not.toThrow();
  });

  it('rejects a short old key even when the current key is fine', () => {
    // Prepare / Act
    const build = () => new LinkTokens(keySet('k1', { k1: SECRET_1, k0: 'short' }));

    // Assess
    expect(build).toThrow(/k0/);
  });

  it.each([['a.b'], ['k'.repeat(17)], [''], ['k/1']])('rejects the key id %j', (kid) => {
    // Prepare / Act
    const build = () => new LinkTokens(keySet(kid, { [kid]: SECRET_1 }));

    // Assess
    expect(build).toThrow();
  });

  it('rejects a key set whose current key id is not among its keys', () => {
    // Prepare / Act
    const build = () => new LinkTokens(keySet('k2', { k1: SECRET_1 }));

    // Assess
    expect(build).toThrow(/current signing key/);
  });

  it('accepts the secrets newSigningSecret generates', () => {
    // Prepare
    const secret = newSigningSecret();

    // Act
    const tokens = new LinkTokens(keySet('k1', { k1: secret }));

    // Assess
    expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(tokens.verify(tokens.sign(LINK_ID))).toEqual({ linkId: LINK_ID });
  });
});

describe('deriveLinkId', () => {
  it('derives the same id for the same seed, product and file', () => {
    // Prepare
    const seed = newLinkSeed();

    // Act
    const first = deriveLinkId(seed, 'ebook', 'file-1');
    const second = deriveLinkId(seed, 'ebook', 'file-1');

    // Assess
    expect(first).toBe(second);
  });

  it('gives 22 URL-safe characters that tokens accept as a link id', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (seed, product, file) => {
        // Act
        const id = deriveLinkId(seed, product, file);

        // Assess
        expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(LINK_ID_PATTERN.test(id)).toBe(true);
      }),
    );
  });

  it('derives different ids across seeds, products and files', () => {
    // Prepare
    const seed = newLinkSeed();
    const otherSeed = newLinkSeed();

    // Act
    const ids = [
      deriveLinkId(seed, 'ebook', 'file-1'),
      deriveLinkId(otherSeed, 'ebook', 'file-1'),
      deriveLinkId(seed, 'audiobook', 'file-1'),
      deriveLinkId(seed, 'ebook', 'file-2'),
      deriveLinkId(seed, 'file-1', 'ebook'),
    ];

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never collides for distinct (seed, product, file) triples made of real ids', () => {
    // Prepare
    const id = fc.string({ unit: fc.constantFrom(...BASE64URL, '.', ':'), minLength: 1, maxLength: 30 });

    // Act / Assess
    fc.assert(
      fc.property(fc.tuple(id, id, id), fc.tuple(id, id, id), (a, b) => {
        fc.pre(a.join('\n') !== b.join('\n'));
        expect(deriveLinkId(...a)).not.toBe(deriveLinkId(...b));
      }),
    );
  });
});
