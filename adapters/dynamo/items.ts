/**
 * Reading persisted items back into domain types, checked rather than cast:
 * an item that does not have the shape the code expects (a bug, a manual
 * edit, an old layout) fails loudly with the attribute named, instead of
 * flowing on as a wrong value. Plain `typeof` checks: cheap enough for the
 * download's hot path.
 */
export class CorruptItem extends Error {
  constructor(table: string, attribute: string, expected: string) {
    super(`an item of ${table} has ${attribute} that is not ${expected}`);
    this.name = 'CorruptItem';
  }
}

export type Item = Record<string, unknown>;

export const itemReader = (table: string, item: Item) => ({
  string(name: string): string {
    const value = item[name];
    if (typeof value !== 'string') throw new CorruptItem(table, name, 'a string');
    return value;
  },
  optionalString(name: string): string | null {
    const value = item[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new CorruptItem(table, name, 'a string');
    return value;
  },
  number(name: string, fallback?: number): number {
    const value = item[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new CorruptItem(table, name, 'a number');
    return value;
  },
  boolean(name: string, fallback?: boolean): boolean {
    const value = item[name] ?? fallback;
    if (typeof value !== 'boolean') throw new CorruptItem(table, name, 'a boolean');
    return value;
  },
  optionalStrings(name: string): string[] | null {
    const value = item[name];
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new CorruptItem(table, name, 'a list of strings');
    return value as string[];
  },
  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = item[name];
    if (typeof value !== 'string' || !allowed.includes(value as T)) throw new CorruptItem(table, name, `one of ${allowed.join(', ')}`);
    return value as T;
  },
  optionalOneOf<T extends string>(name: string, allowed: readonly T[]): T | null {
    const value = item[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || !allowed.includes(value as T)) throw new CorruptItem(table, name, `one of ${allowed.join(', ')}`);
    return value as T;
  },
  raw(name: string): unknown {
    return item[name];
  },
});
