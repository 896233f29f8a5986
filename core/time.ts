const DAY_MS = 86_400_000;

/** Stored timestamps are `Date#toISOString()` strings so that DynamoDB compares them lexicographically. */
export const toStoredTime = (date: Date): string => date.toISOString();

/** Public timestamps drop zero milliseconds: `2026-04-27T00:00:00Z`, as the contract shows them. */
export const toPublicTime = (stored: string | undefined | null): string | null => (stored ? stored.replace(/\.000Z$/, 'Z') : null);

/** `days` after `from`; `0` means never (null). */
export const addDays = (from: string, days: number): string | null => (days === 0 ? null : new Date(Date.parse(from) + days * DAY_MS).toISOString());
