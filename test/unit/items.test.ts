import { describe, expect, it } from 'vitest';
import { CorruptItem, type Item, itemReader } from '../../adapters/dynamo/items';

/** The error a read throws, so its name and message can be looked at. */
const refusalOf = (read: () => unknown): CorruptItem => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptItem);
    return error as CorruptItem;
  }
  throw new Error('expected the read to be refused');
};

const reader = (item: Item) => itemReader('links', item);

describe('itemReader', () => {
  it('names the table, the attribute and what was expected when it refuses an item', () => {
    // Act
    const error = refusalOf(() => itemReader('invoices', { total: 'ten' }).number('total'));

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CorruptItem');
    expect(error.message).toBe('an item of invoices has total that is not a number');
  });

  describe('string', () => {
    it('reads a string attribute, the empty string included', () => {
      // Act / Assess
      expect(reader({ id: 'AAAA' }).string('id')).toBe('AAAA');
      expect(reader({ id: '' }).string('id')).toBe('');
    });

    it.each([
      ['missing', {}],
      ['null', { id: null }],
      ['a number', { id: 7 }],
      ['a list', { id: ['AAAA'] }],
    ])('refuses an attribute that is %s', (_, item) => {
      // Act / Assess
      expect(refusalOf(() => reader(item).string('id')).message).toBe('an item of links has id that is not a string');
    });
  });

  describe('optionalString', () => {
    it('reads a string, and an absent or null attribute as null', () => {
      // Act / Assess
      expect(reader({ lastIp: '203.0.113.7' }).optionalString('lastIp')).toBe('203.0.113.7');
      expect(reader({ lastIp: '' }).optionalString('lastIp')).toBe('');
      expect(reader({}).optionalString('lastIp')).toBeNull();
      expect(reader({ lastIp: null }).optionalString('lastIp')).toBeNull();
    });

    it.each([
      ['a number', { lastIp: 7 }],
      ['a boolean', { lastIp: false }],
      ['a map', { lastIp: {} }],
    ])('refuses an attribute that is %s', (_, item) => {
      // Act / Assess
      expect(refusalOf(() => reader(item).optionalString('lastIp')).message).toBe('an item of links has lastIp that is not a string');
    });
  });

  describe('number', () => {
    it('reads a number, zero and negatives included', () => {
      // Act / Assess
      expect(reader({ downloadCount: 3 }).number('downloadCount')).toBe(3);
      expect(reader({ downloadCount: 0 }).number('downloadCount')).toBe(0);
      expect(reader({ downloadCount: -1.5 }).number('downloadCount')).toBe(-1.5);
    });

    it('takes the default for an absent or null attribute, and the stored value over the default', () => {
      // Act / Assess
      expect(reader({}).number('fileVersion', 1)).toBe(1);
      expect(reader({ fileVersion: null }).number('fileVersion', 1)).toBe(1);
      expect(reader({ fileVersion: 4 }).number('fileVersion', 1)).toBe(4);
      expect(reader({ fileVersion: 0 }).number('fileVersion', 1)).toBe(0);
    });

    it.each([
      ['missing, with no default', {}],
      ['a numeric string', { fileVersion: '4' }],
      ['NaN', { fileVersion: Number.NaN }],
      ['infinite', { fileVersion: Number.POSITIVE_INFINITY }],
      ['negatively infinite', { fileVersion: Number.NEGATIVE_INFINITY }],
      ['a big integer (a number DynamoDB holds but a double does not)', { fileVersion: 9007199254740993n }],
    ])('refuses an attribute that is %s', (_, item) => {
      // Act / Assess
      expect(refusalOf(() => reader(item).number('fileVersion')).message).toBe('an item of links has fileVersion that is not a number');
    });

    it('refuses a stored value that is not a number even when there is a default', () => {
      // Act / Assess
      expect(refusalOf(() => reader({ fileVersion: '4' }).number('fileVersion', 1)).message).toBe('an item of links has fileVersion that is not a number');
    });
  });

  describe('boolean', () => {
    it('reads true and false', () => {
      // Act / Assess
      expect(reader({ notify: true }).boolean('notify')).toBe(true);
      expect(reader({ notify: false }).boolean('notify')).toBe(false);
    });

    it('takes the default for an absent or null attribute, and the stored value over the default', () => {
      // Act / Assess
      expect(reader({}).boolean('allLinesDigital', false)).toBe(false);
      expect(reader({}).boolean('allLinesDigital', true)).toBe(true);
      expect(reader({ allLinesDigital: null }).boolean('allLinesDigital', true)).toBe(true);
      expect(reader({ allLinesDigital: true }).boolean('allLinesDigital', false)).toBe(true);
      expect(reader({ allLinesDigital: false }).boolean('allLinesDigital', true)).toBe(false);
    });

    it.each([
      ['missing, with no default', {}],
      ['the string "true"', { notify: 'true' }],
      ['the number 1', { notify: 1 }],
    ])('refuses an attribute that is %s', (_, item) => {
      // Act / Assess
      expect(refusalOf(() => reader(item).boolean('notify')).message).toBe('an item of links has notify that is not a boolean');
    });
  });

  describe('optionalStrings', () => {
    it('reads a list of strings, the empty list included, and an absent or null attribute as null', () => {
      // Act / Assess
      expect(reader({ linkIds: ['a', 'b'] }).optionalStrings('linkIds')).toEqual(['a', 'b']);
      expect(reader({ linkIds: [] }).optionalStrings('linkIds')).toEqual([]);
      expect(reader({}).optionalStrings('linkIds')).toBeNull();
      expect(reader({ linkIds: null }).optionalStrings('linkIds')).toBeNull();
    });

    it.each([
      ['a string', { linkIds: 'a' }],
      ['a string set (not a list)', { linkIds: new Set(['a']) }],
      ['a list with a number in it', { linkIds: ['a', 1] }],
      ['a list with a null in it', { linkIds: [null, 'a'] }],
    ])('refuses an attribute that is %s', (_, item) => {
      // Act / Assess
      expect(refusalOf(() => reader(item).optionalStrings('linkIds')).message).toBe('an item of links has linkIds that is not a list of strings');
    });
  });

  describe('oneOf', () => {
    const STATUSES = ['active', 'suspended', 'revoked'] as const;

    it('reads a value of the allowed ones', () => {
      // Act / Assess
      expect(reader({ status: 'active' }).oneOf('status', STATUSES)).toBe('active');
      expect(reader({ status: 'revoked' }).oneOf('status', STATUSES)).toBe('revoked');
    });

    it.each([
      ['missing', {}],
      ['null', { status: null }],
      ['a string not allowed', { status: 'deleted' }],
      ['an allowed value in another case', { status: 'Active' }],
      ['a list holding an allowed value', { status: ['active'] }],
    ])('refuses an attribute that is %s, listing the allowed values', (_, item) => {
      // Act / Assess
      expect(refusalOf(() => reader(item).oneOf('status', STATUSES)).message).toBe('an item of links has status that is not one of active, suspended, revoked');
    });
  });

  describe('optionalOneOf', () => {
    const STATES = ['open', 'settled'] as const;

    it('reads an allowed value, and an absent or null attribute as null', () => {
      // Act / Assess
      expect(reader({ state: 'settled' }).optionalOneOf('state', STATES)).toBe('settled');
      expect(reader({}).optionalOneOf('state', STATES)).toBeNull();
      expect(reader({ state: null }).optionalOneOf('state', STATES)).toBeNull();
    });

    it.each([
      ['a string not allowed', { state: 'closed' }],
      ['the empty string', { state: '' }],
      ['a list holding an allowed value', { state: ['open'] }],
    ])('refuses an attribute that is %s, listing the allowed values', (_, item) => {
      // Act / Assess
      expect(refusalOf(() => reader(item).optionalOneOf('state', STATES)).message).toBe('an item of links has state that is not one of open, settled');
    });
  });

  describe('raw', () => {
    it('hands back the stored value unchecked, undefined when absent', () => {
      // Prepare
      const map = { a: 1 };

      // Act / Assess
      expect(reader({ undeliverable: map }).raw('undeliverable')).toBe(map);
      expect(reader({}).raw('undeliverable')).toBeUndefined();
    });
  });
});
