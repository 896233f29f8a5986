import { randomBytes } from 'node:crypto';

/**
 * One line of a link's log: a download attempt (served or refused, with who
 * asked) or an operator's action on the link (who, what).
 */
export interface LinkLogEntry {
  linkId: string;
  at: string;
  kind: 'download' | 'admin';
  /** `ok`, or the refusal's error code, or the admin action's name. */
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  /** The operator's `sub` for admin actions. */
  actor: string | null;
  details: Record<string, unknown> | null;
  /** Sort key: time first, so a query reads newest first; the suffix makes it unique or idempotent. */
  entryKey: string;
}

export const downloadServedEntry = (input: {
  linkId: string;
  at: string;
  downloadCount: number;
  ip: string | null;
  userAgent: string | null;
}): LinkLogEntry => ({
  linkId: input.linkId,
  at: input.at,
  kind: 'download',
  outcome: 'ok',
  ip: input.ip,
  userAgent: input.userAgent,
  actor: null,
  details: { downloadCount: input.downloadCount },
  // Derived from the count, so a stream batch delivered twice writes the same entry twice.
  entryKey: `${input.at}#ok#${String(input.downloadCount).padStart(10, '0')}`,
});

export const downloadRefusedEntry = (input: { linkId: string; at: string; code: string; ip: string | null; userAgent: string | null }): LinkLogEntry => ({
  linkId: input.linkId,
  at: input.at,
  kind: 'download',
  outcome: input.code,
  ip: input.ip,
  userAgent: input.userAgent,
  actor: null,
  details: null,
  entryKey: `${input.at}#refused#${randomBytes(6).toString('base64url')}`,
});

export const adminActionEntry = (input: { linkId: string; at: string; action: string; actor: string; details?: Record<string, unknown> }): LinkLogEntry => ({
  linkId: input.linkId,
  at: input.at,
  kind: 'admin',
  outcome: input.action,
  ip: null,
  userAgent: null,
  actor: input.actor,
  details: input.details ?? null,
  entryKey: `${input.at}#admin#${randomBytes(6).toString('base64url')}`,
});

export const linkLogView = (entry: LinkLogEntry) => ({
  at: entry.at.replace(/\.000Z$/, 'Z'),
  kind: entry.kind,
  outcome: entry.outcome,
  ip: entry.ip,
  userAgent: entry.userAgent,
  actor: entry.actor,
  details: entry.details,
});
