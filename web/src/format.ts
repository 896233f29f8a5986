import type { DownloadLink } from './api/client';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export const formatDateTime = (iso: string | null | undefined, none = '—') => (iso ? dateTime.format(new Date(iso)) : none);
export const formatDate = (iso: string | null | undefined, none = '—') => (iso ? dateOnly.format(new Date(iso)) : none);

export const formatBytes = (bytes: number) => {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
};

/** The API's refusal codes, in words a customer understands. */
export const REFUSALS: Record<string, string> = {
  LINK_EXPIRED: 'This download has expired.',
  DOWNLOAD_LIMIT_REACHED: 'You have used all the downloads of this link.',
  ORDER_ON_HOLD: 'Your order is on hold while its payment is checked. Downloads resume once it clears.',
  REVOKED: 'This download is no longer available: the order was refunded or the link was replaced. Contact the shop if this is a mistake.',
  NOT_LINK_OWNER: 'This download belongs to another account.',
  LINK_NOT_FOUND: 'This download link is no longer valid.',
  UNAUTHORIZED: 'Your session has ended: sign in again.',
};

export type Availability = { ok: true } | { ok: false; reason: string; code: string };

/** Whether a link can be downloaded now, and if not, why, in words. */
export const availability = (link: DownloadLink): Availability => {
  if (link.status === 'revoked') return { ok: false, code: 'REVOKED', reason: REFUSALS.REVOKED as string };
  if (link.status === 'suspended') return { ok: false, code: 'ORDER_ON_HOLD', reason: REFUSALS.ORDER_ON_HOLD as string };
  if (link.isExpired) return { ok: false, code: 'LINK_EXPIRED', reason: `This download expired on ${formatDate(link.expiresUtc)}.` };
  if (link.isDownloadLimitReached) {
    return { ok: false, code: 'DOWNLOAD_LIMIT_REACHED', reason: `Download limit reached: you have used all ${link.maxDownloads ?? 0} downloads of this link.` };
  }
  if (!link.downloadUrl) return { ok: false, code: 'EMAIL_DELIVERED', reason: 'Delivered by email: use the link in the email we sent you.' };
  return { ok: true };
};

/** `2 of 5`, or `3 (no limit)`. */
export const countOf = (link: DownloadLink) =>
  link.maxDownloads === null ? `${link.downloadCount} (no limit)` : `${link.downloadCount} of ${link.maxDownloads}`;

/** The operator's one-word status. */
export const statusWord = (link: DownloadLink) => {
  if (link.status === 'revoked') return 'Revoked';
  if (link.status === 'suspended') return 'On hold';
  if (link.isExpired) return 'Expired';
  if (link.isDownloadLimitReached) return 'Limit reached';
  return 'Active';
};
