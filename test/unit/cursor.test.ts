import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../adapters/cursor';
import { chunk, inBatches } from '../../core/concurrency';
import { DomainError } from '../../core/errors';

const FIELDS = ['listKey', 'id'] as const;
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const refusalOf = (cursor: string): DomainError => {
  try {
    decodeCursor(cursor, FIELDS);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`expected ${cursor} to be refused`);
};

describe('cursors', () => {
  it('decodes what it encoded, keeping only the named fields', () => {
    // Prepare
    const lastKey = { listKey: '2026-03-28T10:30:00.000Z#AAAA', id: 'AAAA', customerId: 'cust-1' };

    // Act
    const cursor = encodeCursor(lastKey, FIELDS);
    const decoded = decodeCursor(cursor ?? undefined, FIELDS);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decoded).toEqual({ listKey: lastKey.listKey, id: 'AAAA' });
  });

  it('round-trips any non-empty string key values', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100, unit: 'binary' }), fc.string({ minLength: 1, maxLength: 100, unit: 'binary' }), (listKey, id) => {
        // Act
        const decoded = decodeCursor(encodeCursor({ listKey, id }, FIELDS) ?? undefined, FIELDS);

        // Assess
        expect(decoded).toEqual({ listKey, id });
      }),
    );
  });

  it('has no cursor when there is no next page', () => {
    // Act / Assess
    expect(encodeCursor(undefined, FIELDS)).toBeNull();
  });

  it('starts from the beginning for an absent or empty cursor', () => {
    // Act / Assess
    expect(decodeCursor(undefined, FIELDS)).toBeUndefined();
    expect(decodeCursor('', FIELDS)).toBeUndefined();
  });

  it.each([
    ['characters outside base64url', 'abc+/=='],
    ['base64url of something that is not JSON', b64('not json')],
    ['JSON that is not a list', b64({ listKey: 'a', id: 'b' })],
    ['JSON null', b64(null)],
    ['too few values', b64(['a'])],
    ['too many values', b64(['a', 'b', 'c'])],
    ['a number among the values', b64(['a', 1])],
    ['a nested object among the values', b64(['a', { S: 'b' }])],
    ['a nested list among the values', b64(['a', ['b']])],
    ['an empty string among the values', b64(['a', ''])],
    ['a value longer than 512 characters', b64(['a', 'b'.repeat(513)])],
    ['more than 1024 characters', b64(['a'.repeat(400), 'b'.repeat(400)])],
    ['a space', 'YWJj ZGVm'],
    ['unicode', 'ñ'],
    ['a stray character before a cursor that decodes', `.${b64(['a', 'b'])}`],
    ['base64 padding after a cursor that decodes', `${b64(['a', 'b'])}=`],
  ])('refuses a cursor with %s as invalid / INVALID_CURSOR', (_, cursor) => {
    // Act
    const error = refusalOf(cursor);

    // Assess
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('INVALID_CURSOR');
    expect(error.message).toBe('The cursor is not one this API returned.');
  });

  it('takes values of up to 512 characters, in a cursor of up to 1024 characters', () => {
    // Prepare: 761 characters of values make 768 bytes of JSON, exactly 1024 base64url characters
    const longest = b64(['a'.repeat(380), 'b'.repeat(381)]);
    const widest = b64(['a', 'b'.repeat(512)]);

    // Act / Assess
    expect(longest).toHaveLength(1024);
    expect(decodeCursor(longest, FIELDS)).toEqual({ listKey: 'a'.repeat(380), id: 'b'.repeat(381) });
    expect(decodeCursor(widest, FIELDS)).toEqual({ listKey: 'a', id: 'b'.repeat(512) });
  });

  it('never lets an arbitrary string through as anything but a cursor of string fields or INVALID_CURSOR', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1100 }), (cursor) => {
        // Act
        let outcome: unknown;
        try {
          outcome = decodeCursor(cursor, FIELDS);
        } catch (error) {
          outcome = error;
        }

        // Assess
        if (outcome instanceof DomainError) expect(outcome.code).toBe('INVALID_CURSOR');
        else if (outcome !== undefined) {
          expect(Object.keys(outcome as object).sort()).toEqual(['id', 'listKey']);
          for (const v of Object.values(outcome as object)) expect(typeof v).toBe('string');
        }
      }),
    );
  });
});

describe('chunk', () => {
  it('splits a list into consecutive groups of at most the size, in order', () => {
    // Act / Assess
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 100)).toEqual([]);
  });
});

describe('inBatches', () => {
  it('works through every item with never more than the width in flight', async () => {
    // Prepare
    const items = [1, 2, 3, 4, 5, 6, 7];
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];

    // Act
    await inBatches(items, 2, async (item) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      done.push(item);
      inFlight--;
    });

    // Assess
    expect(most).toBe(2);
    expect([...done].sort()).toEqual(items);
  });
});
