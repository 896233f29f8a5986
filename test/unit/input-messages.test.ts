import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plainMessage } from '../../core/input-messages';

/** The message of the first issue zod reports for `input`, with the routes' and events' error map. */
const messageOf = (schema: z.ZodType, input: unknown): string | undefined => {
  const parsed = schema.safeParse(input, { error: plainMessage });
  return parsed.error?.issues[0]?.message;
};

describe('plain-language field messages', () => {
  it.each([
    ['a missing value', z.number(), undefined, 'is required'],
    ['text for a number', z.number(), 'x', 'must be a number'],
    ['a fraction for a whole number', z.int(), 1.5, 'must be a whole number'],
    ['a number for text', z.string(), 1, 'must be text'],
    ['text for a flag', z.boolean(), 'yes', 'must be true or false'],
    ['an object for a list', z.array(z.string()), {}, 'must be a list'],
    ['a list for an object', z.object({}), [], 'must be an object'],
    ['text for a record', z.record(z.string(), z.number()), 'x', 'must be an object'],
    ['a value for null', z.null(), 0, 'must be null'],
    ['a type the map has no words for', z.bigint(), 'x', 'must be bigint'],
  ])('names the type expected: %s', (_case, schema, input, message) => {
    expect(messageOf(schema, input)).toBe(message);
  });

  it.each([
    ['empty text where some is required', z.string().min(1), '', 'must not be empty'],
    ['text shorter than two characters', z.string().min(2), 'a', 'must be at least 2 characters long'],
    ['an empty list', z.array(z.string()).min(1), [], 'must have at least 1 item'],
    ['a list shorter than two items', z.array(z.string()).min(2), ['a'], 'must have at least 2 items'],
    ['an empty set', z.set(z.string()).min(1), new Set(), 'must have at least 1 item'],
    ['a number below its minimum', z.number().min(5), 3, 'must be 5 or more'],
    ['a number at an exclusive minimum', z.number().gt(5), 5, 'must be more than 5'],
  ])('states the lower bound: %s', (_case, schema, input, message) => {
    expect(messageOf(schema, input)).toBe(message);
  });

  it.each([
    ['text longer than one character', z.string().max(1), 'ab', 'must be at most 1 character long'],
    ['text longer than three characters', z.string().max(3), 'abcd', 'must be at most 3 characters long'],
    ['a list longer than one item', z.array(z.string()).max(1), ['a', 'b'], 'must have at most 1 item'],
    ['a list longer than two items', z.array(z.string()).max(2), ['a', 'b', 'c'], 'must have at most 2 items'],
    ['a set larger than one item', z.set(z.string()).max(1), new Set(['a', 'b']), 'must have at most 1 item'],
    ['a number above its maximum', z.number().max(5), 6, 'must be 5 or less'],
    ['a number at an exclusive maximum', z.number().lt(5), 5, 'must be less than 5'],
  ])('states the upper bound: %s', (_case, schema, input, message) => {
    expect(messageOf(schema, input)).toBe(message);
  });

  it.each([
    ['the one value allowed', z.literal('InstantDownload'), 'instant', 'must be "InstantDownload"'],
    ['the values allowed', z.enum(['InstantDownload', 'EmailDelivered']), 'Post', 'must be one of "InstantDownload", "EmailDelivered"'],
    ['an email address', z.email(), 'ada', 'must be an email address'],
    ['a URL', z.url(), 'shop', 'must be a URL'],
    ['an ISO 8601 time', z.iso.datetime(), 'yesterday', 'must be an ISO 8601 time, e.g. 2026-04-27T10:00:00Z'],
    ['a pattern without its own message', z.string().regex(/^a+$/), 'b', 'is not in the expected format'],
    ['a multiple', z.number().multipleOf(5), 3, 'must be a multiple of 5'],
    ['none of a union', z.union([z.string(), z.number()]), true, 'is not valid here'],
  ])('says what is expected: %s', (_case, schema, input, message) => {
    expect(messageOf(schema, input)).toBe(message);
  });

  it('names one field it does not take, or several', () => {
    const strict = z.strictObject({ name: z.string() });

    expect(messageOf(strict, { name: 'a', colour: 'red' })).toBe('has a field this API does not take: colour');
    expect(messageOf(strict, { name: 'a', colour: 'red', size: 'L' })).toBe('has fields this API does not take: colour, size');
  });

  it("gives a record key's own reason, or the plain one of its format", () => {
    const stated = z.record(z.string().regex(/^file-/, 'must start with file-'), z.number());
    const plain = z.record(z.string().regex(/^file-/), z.number());

    expect(messageOf(stated, { other: 1 })).toBe('as a key, must start with file-');
    expect(messageOf(plain, { other: 1 })).toBe('as a key, is not in the expected format');
  });

  it("keeps a schema's own message, and leaves issues it has no words for to zod", () => {
    expect(messageOf(z.string().regex(/^[a-z]+$/, 'may use only letters'), 'A1')).toBe('may use only letters');
    expect(
      messageOf(
        z.string().refine(() => false),
        'x',
      ),
    ).toBe('Invalid input');
  });
});
