import type { $ZodErrorMap } from 'zod/v4/core';

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  null: 'null',
};

const plural = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

/**
 * Field messages in plain language ("must be a whole number"), for every
 * route and every event's dead-letter reason, in this one place. A message a schema states itself (a regex's
 * "may use only letters, digits and . _ : -") takes precedence over this map.
 */
export const plainMessage: $ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const n = issue.minimum;
      if (issue.origin === 'string') return Number(n) <= 1 ? 'must not be empty' : `must be at least ${n} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${plural(n, 'item', 'items')}`;
      return issue.inclusive === false ? `must be more than ${n}` : `must be ${n} or more`;
    }
    case 'too_big': {
      const n = issue.maximum;
      if (issue.origin === 'string') return `must be at most ${plural(n, 'character', 'characters')} long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${plural(n, 'item', 'items')}`;
      return issue.inclusive === false ? `must be less than ${n}` : `must be ${n} or less`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'email') return 'must be an email address';
      if (issue.format === 'url') return 'must be a URL';
      if (issue.format === 'datetime') return 'must be an ISO 8601 time, e.g. 2026-04-27T10:00:00Z';
      return 'is not in the expected format';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} this API does not take: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'is not valid here';
    case 'invalid_key': {
      // A record's key (e.g. an update's old file id): its path ends with the key, the reason is the key schema's.
      const reason = issue.issues[0]?.message;
      return reason ? `as a key, ${reason}` : 'is not a valid key here';
    }
    default:
      return undefined;
  }
};
