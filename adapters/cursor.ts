import { invalidInput } from '../core/errors';

/**
 * Cursors are opaque to callers: base64url JSON of the few key attributes a
 * page needs to resume. The caller's own partition is never taken from a
 * cursor, so a forged cursor cannot reach another customer's items.
 */
export const encodeCursor = (key: Record<string, unknown> | undefined, fields: readonly string[]): string | null => {
  if (!key) return null;
  const picked = fields.map((f) => key[f]);
  return Buffer.from(JSON.stringify(picked)).toString('base64url');
};

export const decodeCursor = (cursor: string | undefined, fields: readonly string[]): Record<string, string> | undefined => {
  if (cursor === undefined || cursor === '') return undefined;
  const fail = () => invalidInput('The cursor is not one this API returned.', undefined, 'INVALID_CURSOR');
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw fail();
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw fail();
  }
  if (!Array.isArray(values) || values.length !== fields.length || !values.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 512)) {
    throw fail();
  }
  return Object.fromEntries(fields.map((f, i) => [f, values[i] as string]));
};
