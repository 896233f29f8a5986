import { describe, expect, it } from 'vitest';
import { encodeHeader, escapeHtml, isDeliverableAddress, mimeMessage } from '../../core/email';

describe('email headers and bodies', () => {
  it('never lets CR or LF reach a header, so nothing can be injected after it', () => {
    expect(encodeHeader('Order 1\r\nBcc: victim@example.com')).toBe('Order 1 Bcc: victim@example.com');
    const raw = mimeMessage({
      from: 'shop@example.com',
      to: 'ada@example.com\r\nBcc: x@example.com',
      subject: 'Hi\nX-Evil: 1',
      text: 't',
      html: 'h',
      now: new Date(0),
    }).toString();
    const headers = raw.split('\r\n\r\n')[0]?.split('\r\n') ?? [];
    expect(headers.some((h) => h.startsWith('Bcc:') || h.startsWith('X-Evil:'))).toBe(false);
  });

  it('encodes non-ASCII headers as RFC 2047 and keeps ASCII ones readable', () => {
    expect(encodeHeader('Your downloads')).toBe('Your downloads');
    const encoded = encodeHeader('Ihre Downloads für Bestellung ü');
    expect(encoded).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Buffer.from(encoded.slice(10, -2), 'base64').toString()).toBe('Ihre Downloads für Bestellung ü');
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('carries both parts base64-encoded in lines of 76 characters', () => {
    const text = 'é'.repeat(200);
    const raw = mimeMessage({ from: 'a@example.com', to: 'b@example.com', subject: 's', text, html: '<p>x</p>', now: new Date(0) }).toString();
    const body = raw.split(/--=_dd_[0-9a-f]+/)[1]?.split('\r\n\r\n')[1] ?? '';
    expect(
      body
        .trim()
        .split('\r\n')
        .every((line) => line.length <= 76),
    ).toBe(true);
    expect(Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString()).toBe(text);
  });

  it('is exactly: the headers, a blank line, then the text and the HTML part between the boundaries, each base64 in full lines of 76', () => {
    // Prepare
    const text = 'x'.repeat(120);

    // Act
    const raw = mimeMessage({
      from: 'Ada Books <shop@example.com>',
      to: 'ada@example.com',
      subject: 'Hi',
      text,
      html: '<p>h</p>',
      now: new Date(0),
    }).toString();

    // Assess
    const boundary = /boundary="(=_dd_[0-9a-f]{24})"/.exec(raw)?.[1] ?? '';
    const b64 = Buffer.from(text).toString('base64');
    expect(raw).toBe(
      [
        'From: Ada Books <shop@example.com>',
        'To: ada@example.com',
        'Subject: Hi',
        'Date: Thu, 01 Jan 1970 00:00:00 GMT',
        'MIME-Version: 1.0',
        `Content-Type: multipart/alternative; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: base64',
        '',
        `${b64.slice(0, 76)}\r\n${b64.slice(76, 152)}\r\n${b64.slice(152)}`,
        `--${boundary}`,
        'Content-Type: text/html; charset=UTF-8',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('<p>h</p>').toString('base64'),
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
  });

  it('accepts an address of 320 characters, the most SES takes', () => {
    expect(isDeliverableAddress(`${'a'.repeat(308)}@example.com`)).toBe(true);
  });

  it('accepts plausible addresses and refuses what SES would', () => {
    expect(isDeliverableAddress('ada@example.com')).toBe(true);
    for (const bad of ['', 'no-at', 'a@b', 'a b@example.com', 'a@example.com\r\n', null, undefined, `${'a'.repeat(320)}@example.com`])
      expect(isDeliverableAddress(bad)).toBe(false);
  });
});
