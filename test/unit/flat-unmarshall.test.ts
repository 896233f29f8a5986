import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unmarshallFlat } from '../../adapters/dynamo/flat-unmarshall';

/** What the SDK answers, or the error it throws. */
const outcome = (f: () => unknown) => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.maxSafeInteger().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('0', '-0', '007', '1e3', '1.50', '9007199254740993', '-9007199254740993', '12345678901234567890', '+1', ' 1'),
);

/** Attribute names; those of Object.prototype get a test of their own (the comparison itself trips over them). */
const attributeName = fc.string({ minLength: 1 }).filter((name) => !(name in Object.prototype));

const value: fc.Arbitrary<AttributeValue> = fc.letrec<{ v: AttributeValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string().map((S) => ({ S })),
    numberText.map((N) => ({ N })),
    fc.constant({ NULL: true }),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.uint8Array({ maxLength: 4 }).map((B) => ({ B })),
    fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 3 }).map((SS) => ({ SS })),
    fc.array(tie('v'), { maxLength: 3 }).map((L) => ({ L })),
    fc.dictionary(attributeName, tie('v'), { maxKeys: 3 }).map((M) => ({ M })),
  ),
})).v;

describe('unmarshallFlat', () => {
  it("answers exactly what the SDK's unmarshall answers, or throws what it throws, for any item", () => {
    fc.assert(
      fc.property(fc.dictionary(attributeName, value, { maxKeys: 8 }), (item) => {
        expect(outcome(() => unmarshallFlat(item))).toStrictEqual(outcome(() => unmarshall(item)));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads strings, exact numbers and nulls itself, and leaves what a double cannot hold to the SDK (a BigInt)', () => {
    expect(unmarshallFlat({ a: { S: '7' }, n: { N: '42' }, z: { NULL: true }, f: { N: '1.5' }, m: { N: '-0' } })).toStrictEqual({
      a: '7',
      n: 42,
      z: null,
      f: 1.5,
      m: -0,
    });
    expect(unmarshallFlat({ big: { N: '9007199254740993' } })).toStrictEqual({ big: 9007199254740993n });
  });

  it('treats an attribute named __proto__ as the SDK does (it sets the prototype), nothing more', () => {
    const item = JSON.parse('{"__proto__":{"M":{"polluted":{"S":"yes"}}},"id":{"S":"a"}}') as Record<string, AttributeValue>;
    const flat = unmarshallFlat(item);
    const sdk = unmarshall(item);
    expect(Object.getPrototypeOf(flat)).toStrictEqual(Object.getPrototypeOf(sdk));
    expect(Object.entries(flat)).toStrictEqual(Object.entries(sdk));
  });
});
