import { describe, expect, it } from 'vitest';
import { customerIdFrom, isObject, numericId, text, utcTime } from '../../core/connectors/types';

describe("a storefront's timestamp", () => {
  it('is read from Unix seconds or an ISO 8601 time with any offset, as UTC', () => {
    // Act / Assess
    expect([utcTime(1772373600), utcTime('2026-03-01T09:00:00-05:00'), utcTime('2026-03-01T14:00:00.250Z')]).toEqual([
      '2026-03-01T14:00:00.000Z',
      '2026-03-01T14:00:00.000Z',
      '2026-03-01T14:00:00.250Z',
    ]);
  });

  it.each([
    ['zero seconds', 0],
    ['negative seconds', -5],
    ['infinite seconds', Number.POSITIVE_INFINITY],
    ['seconds beyond any date (a RangeError before)', 1e13],
    ['seconds as text', '1772373600'],
    ['a boolean', true],
    ['a list holding a time', ['2026-03-01T14:00:00Z']],
    ['a date without time', '2026-03-01'],
    ['a time with an expanded year', '+002026-03-01T14:00:00Z'],
    ['a time that does not exist', '2026-13-45T99:99:99Z'],
    ['a time without its offset (a different instant in every time zone)', '2026-03-01T14:00:00'],
    ['a time with text after its offset', '2026-03-01T14:00:00Z tomorrow'],
    ['nothing', undefined],
  ])('is none for %s', (_, value) => {
    // Act / Assess
    expect(utcTime(value)).toBeUndefined();
  });
});

describe("a storefront's numeric id", () => {
  it('is read from a JSON number or a string of up to 20 digits, as text', () => {
    // Act / Assess
    expect([numericId(5512345678901), numericId('5512345678901'), numericId('9'.repeat(20)), numericId('7')]).toEqual([
      '5512345678901',
      '5512345678901',
      '9'.repeat(20),
      '7',
    ]);
  });

  it.each([
    ['zero', 0],
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['a number past the safe integers (it lost digits on the way)', 2 ** 53],
    ['a leading zero', '0123'],
    ['a negative number as text', '-1'],
    ['text before the digits', 'a123'],
    ['text after the digits', '123a'],
    ['21 digits', `1${'0'.repeat(20)}`],
    ['an empty string', ''],
    ['nothing', null],
  ])('is none for %s', (_, value) => {
    // Act / Assess
    expect(numericId(value)).toBeUndefined();
  });
});

describe('a customer id template', () => {
  it('is filled from the values it names', () => {
    // Act / Assess
    expect(customerIdFrom('shop:{id}:{email}', { id: '7', email: 'a@example.com' })).toBe('shop:7:a@example.com');
  });

  it('gives no customer id when a value it names is missing or empty, or when it is blank', () => {
    // Act / Assess
    expect([customerIdFrom('shop:{id}', { id: '' }), customerIdFrom('shop:{id}', {}), customerIdFrom('  ', {})]).toEqual([null, null, null]);
  });
});

describe('the shape checks', () => {
  it('takes only plain objects as objects', () => {
    // Act / Assess
    expect([isObject({}), isObject([]), isObject(null), isObject('x'), isObject(1)]).toEqual([true, false, false, false, false]);
  });

  it('takes only non-blank text as text, trimmed and cut to its limit', () => {
    // Act / Assess
    expect([text('  a b  '), text('abcdef', 3), text('   '), text(5), text(null)]).toEqual(['a b', 'abc', undefined, undefined, undefined]);
  });
});
