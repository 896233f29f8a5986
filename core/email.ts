import { randomBytes } from 'node:crypto';

/** HTML-escapes text for element content and attribute values. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** RFC 2047 for a header that may hold non-ASCII; CR/LF can never reach a header. */
export const encodeHeader = (value: string): string => {
  const clean = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean).toString('base64')}?=`;
};

const base64Lines = (text: string) => Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\r\n');

/** A raw MIME message with a text and an HTML alternative, ready for SES's raw content. */
export const mimeMessage = (input: { from: string; to: string; subject: string; text: string; html: string; now: Date }): Buffer => {
  const boundary = `=_dd_${randomBytes(12).toString('hex')}`;
  return Buffer.from(
    [
      `From: ${encodeHeader(input.from)}`,
      `To: ${encodeHeader(input.to)}`,
      `Subject: ${encodeHeader(input.subject)}`,
      `Date: ${input.now.toUTCString()}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(input.text),
      `--${boundary}`,
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(input.html),
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
};

/** A plausible address: SES refuses anything else, and a refusal would only be retried. */
export const isDeliverableAddress = (value: string | null | undefined): value is string =>
  typeof value === 'string' && value.length <= 320 && /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/.test(value);
