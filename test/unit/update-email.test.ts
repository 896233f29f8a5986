import { describe, expect, it } from 'vitest';
import { buildUpdateEmail, type UpdateEmailContent } from '../../core/update-email';

const NOW = new Date('2026-03-30T00:00:00.000Z');

const update: UpdateEmailContent = {
  to: 'ada@example.com',
  productName: 'The <E-book>',
  accountUrl: 'https://shop.example/account',
  links: [
    { fileName: 'book.pdf', fileVersion: 2, downloadUrl: 'https://dl.example/d/a?x=1&y=2' },
    { fileName: 'extras.zip', fileVersion: 3, downloadUrl: 'https://dl.example/d/b' },
  ],
};

describe("the customer's update email", () => {
  it('names the product and the shop, and lists each file with its new version and its unchanged link', () => {
    // Act
    const email = buildUpdateEmail(update, { from: 'shop@example.com', shopName: 'Ada Books', now: NOW });

    // Assess
    expect(email.subject).toBe('A new version of The <E-book> is ready');
    expect(email.text).toBe(
      [
        'The <E-book>, which you bought at Ada Books, has a new version. Your download links stay the same and now serve it:',
        '',
        '- book.pdf (version 2)',
        '  https://dl.example/d/a?x=1&y=2',
        '- extras.zip (version 3)',
        '  https://dl.example/d/b',
        '',
        'All your downloads: https://shop.example/account',
        '',
        'Sign in with your account to download. Links are personal: please do not share them.',
      ].join('\n'),
    );
  });

  it('says the same in HTML, escaped', () => {
    // Act
    const { html } = buildUpdateEmail(update, { from: 'shop@example.com', shopName: 'Ada Books', now: NOW });

    // Assess
    expect(html).toBe(`<!doctype html><html><body style="font-family:sans-serif">
<p>The &lt;E-book&gt;, which you bought at Ada Books, has a new version. Your download links stay the same and now serve it:</p>
<ul><li><a href="https://dl.example/d/a?x=1&amp;y=2">book.pdf</a> <small>(version 2)</small></li><li><a href="https://dl.example/d/b">extras.zip</a> <small>(version 3)</small></li></ul>
<p><a href="https://shop.example/account">All your downloads</a></p>
<p>Sign in with your account to download. Links are personal: please do not share them.</p>
</body></html>`);
  });

  it('names "our shop" when the shop has no name', () => {
    // Act
    const email = buildUpdateEmail(update, { from: 'shop@example.com', now: NOW });

    // Assess
    expect(email.text.split('\n')[0]).toBe(
      'The <E-book>, which you bought at our shop, has a new version. Your download links stay the same and now serve it:',
    );
  });

  it('is a MIME message to the customer with that subject, carrying both parts', () => {
    // Act
    const email = buildUpdateEmail(update, { from: 'shop@example.com', shopName: 'Ada Books', now: NOW });

    // Assess
    const raw = email.raw.toString();
    expect(raw).toContain('\r\nTo: ada@example.com\r\n');
    expect(raw).toContain('\r\nSubject: A new version of The <E-book> is ready\r\n');
    const parts = raw.split(/--=_dd_[0-9a-f]+/).map((p) => Buffer.from(p.split('\r\n\r\n')[1]?.replace(/\r\n/g, '') ?? '', 'base64').toString());
    expect(parts[1]).toBe(email.text);
    expect(parts[2]).toBe(email.html);
  });
});
