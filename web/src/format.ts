import type { DownloadLink, LinkLogEntry } from './api/client';

// Times always carry their zone ("28 Mar 2026, 10:30 CET"): operators and customers are rarely in UTC.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' });

const zoneOf = (date: Date) => zone.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';

export const formatDateTime = (iso: string | null | undefined, none = '—') => {
  if (!iso) return none;
  const date = new Date(iso);
  return `${dateTime.format(date)} ${zoneOf(date)}`.trim();
};

/** Binary units, named as such: 1 MiB is 1,048,576 bytes. */
export const formatBytes = (bytes: number) => {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
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
  NOT_LINK_OWNER: 'This download belongs to another account. Sign out and sign in with the account you bought it with.',
  LINK_NOT_FOUND: 'This download link is not valid. Use the newest email from the shop, or pick the file below.',
  UNAUTHORIZED: 'Your session has ended: sign in again.',
  COPY_NOT_READY: 'Your personal copy of this file is still being prepared. Try again in a few seconds.',
};

export type Availability = { ok: true } | { ok: false; reason: string; code: string };

/** Whether a link can be downloaded now, and if not, why, in words. */
export const availability = (link: DownloadLink): Availability => {
  if (link.status === 'revoked') return { ok: false, code: 'REVOKED', reason: REFUSALS.REVOKED as string };
  if (link.status === 'suspended') return { ok: false, code: 'ORDER_ON_HOLD', reason: REFUSALS.ORDER_ON_HOLD as string };
  if (link.isExpired) return { ok: false, code: 'LINK_EXPIRED', reason: `This download expired on ${formatDateTime(link.expiresUtc)}.` };
  if (link.isDownloadLimitReached) {
    return { ok: false, code: 'DOWNLOAD_LIMIT_REACHED', reason: `Download limit reached: you have used all ${link.maxDownloads ?? 0} downloads of this link.` };
  }
  if (!link.downloadUrl) return { ok: false, code: 'EMAIL_DELIVERED', reason: 'Delivered by email: use the link in the email we sent you.' };
  return { ok: true };
};

/** `2 of 5`, or `3 (no limit)`. */
export const countOf = (link: DownloadLink) =>
  link.maxDownloads === null ? `${link.downloadCount} (no limit)` : `${link.downloadCount} of ${link.maxDownloads}`;

/** What a link is a copy of, for people: the product's name, else its id. */
export const productLabel = (link: Pick<DownloadLink, 'productName' | 'productId'>) => link.productName ?? link.productId;

/** The operator's one-word status. */
export const statusWord = (link: DownloadLink) => {
  if (link.status === 'revoked') return 'Revoked';
  if (link.sharing?.suspended) return 'Suspended for sharing';
  if (link.status === 'suspended') return 'On hold';
  if (link.isExpired) return 'Expired';
  if (link.isDownloadLimitReached) return 'Limit reached';
  return 'Active';
};

const OUTCOMES: Record<string, string> = {
  ok: 'Downloaded',
  LINK_EXPIRED: 'Refused: expired',
  DOWNLOAD_LIMIT_REACHED: 'Refused: download limit reached',
  ORDER_ON_HOLD: 'Refused: order on hold',
  LINK_SUSPENDED_SHARING: 'Refused: suspended for sharing',
  REVOKED: 'Refused: revoked',
  NOT_LINK_OWNER: "Refused: another customer's account",
  RATE_LIMITED: 'Refused: too many requests',
  reset: 'Reset',
  revoke: 'Revoked',
  regenerate: 'Replaced by a regenerated link',
  'issued-by-regeneration': 'Issued by regenerating the invoice',
};

/** A log line's outcome in words, with what the operator changed. */
export const logOutcome = (entry: Pick<LinkLogEntry, 'outcome' | 'details'>) => {
  const label = OUTCOMES[entry.outcome] ?? entry.outcome;
  if (entry.outcome !== 'reset' || !entry.details) return label;
  const parts: string[] = [];
  if (entry.details.resetCount) parts.push('count back to 0');
  if ('expiresAt' in entry.details) parts.push(entry.details.expiresAt ? `expires ${formatDateTime(String(entry.details.expiresAt))}` : 'never expires');
  if (entry.details.bulk) parts.push("with all the customer's links");
  if (entry.details.sharingFlagCleared) parts.push('sharing flag lifted');
  return parts.length > 0 ? `${label}: ${parts.join(', ')}` : label;
};

/** The invoice's payment state, for the Download Manager. */
export const PAYMENT_STATES: Record<string, string> = { paid: 'Paid', on_hold: 'On hold', refunded: 'Refunded' };
