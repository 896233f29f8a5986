import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DigitalProductDeliveredSchema } from './events';

/** The `DigitalProductDelivered` detail, as the delivery email reads it: it needs an address. */
export const DeliveredDetailSchema = DigitalProductDeliveredSchema.extend({ customerEmail: z.email() });
export type DeliveredDetail = z.infer<typeof DeliveredDetailSchema>;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** RFC 2047 for a header that may hold non-ASCII; CR/LF can never reach a header. */
const encodeHeader = (value: string) => {
  const clean = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean).toString('base64')}?=`;
};

const terms = (link: DeliveredDetail['links'][number]) =>
  [link.expiresUtc ? `expires ${link.expiresUtc}` : 'never expires', link.maxDownloads ? `${link.maxDownloads} downloads` : 'unlimited downloads'].join(', ');

/** The customer's delivery email as a raw MIME message (text and HTML), ready for SES. */
export const buildDeliveryEmail = (detail: DeliveredDetail, options: { from: string; shopName?: string; now?: Date }) => {
  const shop = options.shopName ?? 'our shop';
  const subject = `Your downloads for order ${detail.invoiceId}${detail.partCount ? ` (${detail.part} of ${detail.partCount})` : ''}`;
  const text = [
    `Thank you for your order ${detail.invoiceId} at ${shop}.`,
    '',
    'Your files:',
    ...detail.links.map((l) => `- ${l.fileName} (${terms(l)})\n  ${l.downloadUrl}`),
    '',
    'Sign in with your account to download. Links are personal: please do not share them.',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Thank you for your order <strong>${escapeHtml(detail.invoiceId)}</strong> at ${escapeHtml(shop)}.</p>
<ul>${detail.links.map((l) => `<li><a href="${escapeHtml(l.downloadUrl)}">${escapeHtml(l.fileName)}</a> <small>(${escapeHtml(terms(l))})</small></li>`).join('')}</ul>
<p>Sign in with your account to download. Links are personal: please do not share them.</p>
</body></html>`;
  const boundary = `=_dd_${randomBytes(12).toString('hex')}`;
  const raw = [
    `From: ${encodeHeader(options.from)}`,
    `To: ${encodeHeader(detail.customerEmail)}`,
    `Subject: ${encodeHeader(subject)}`,
    `Date: ${(options.now ?? new Date()).toUTCString()}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\r\n'),
    `--${boundary}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(html).toString('base64').replace(/.{76}/g, '$&\r\n'),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { to: detail.customerEmail, subject, text, html, raw: Buffer.from(raw) };
};
