import { describe, expect, it } from 'vitest';
import { buildDeliveryEmail, type DeliveryEmailContent } from '../../core/delivery-email';

const NOW = new Date('2026-03-30T00:00:00.000Z');

const order = (regenerated = false): DeliveryEmailContent => ({
  invoiceId: 'inv-1',
  to: 'ada@example.com',
  accountUrl: 'https://shop.example/account',
  regenerated,
  products: [
    {
      name: 'The E-book',
      links: [
        { fileName: 'book.pdf', downloadUrl: 'https://dl.example/d/a', deliveryMethod: 'InstantDownload', expiresUtc: '2026-04-29T12:34:56Z', maxDownloads: 3 },
        { fileName: 'extras.zip', downloadUrl: 'https://dl.example/d/b', deliveryMethod: 'InstantDownload', expiresUtc: null, maxDownloads: null },
      ],
    },
    {
      name: 'Pro <Tools>',
      links: [
        {
          fileName: 'tool.exe',
          downloadUrl: 'https://dl.example/d/c?x=1&y=2',
          deliveryMethod: 'InstantDownload',
          expiresUtc: '2026-04-29T12:34:56.789Z',
          maxDownloads: 1,
        },
      ],
      licenseKeys: ['KEY-1', 'KEY-2'],
    },
  ],
});

describe("the customer's delivery email", () => {
  it('lists each product by name with its files, their terms and links, its license keys, then the downloads page', () => {
    // Prepare
    const content = order();

    // Act
    const email = buildDeliveryEmail(content, { from: 'shop@example.com', shopName: 'Ada Books', now: NOW });

    // Assess
    expect(email.subject).toBe('Your downloads for order inv-1');
    expect(email.text).toBe(
      [
        'Thank you for your order inv-1 at Ada Books.',
        '',
        'The E-book',
        '- book.pdf (until 2026-04-29 12:34 UTC, 3 downloads)',
        '  https://dl.example/d/a',
        '- extras.zip (never expires, unlimited downloads)',
        '  https://dl.example/d/b',
        '',
        'Pro <Tools>',
        '- tool.exe (until 2026-04-29 12:34:56.789 UTC, 1 downloads)',
        '  https://dl.example/d/c?x=1&y=2',
        '- License key: KEY-1',
        '- License key: KEY-2',
        '',
        'All your downloads: https://shop.example/account',
        '',
        'Sign in with your account to download. Links are personal: please do not share them.',
      ].join('\n'),
    );
  });

  it('says the same in HTML, escaped, one list per product', () => {
    // Prepare
    const content = order();

    // Act
    const { html } = buildDeliveryEmail(content, { from: 'shop@example.com', shopName: 'Ada Books', now: NOW });

    // Assess
    expect(html).toBe(`<!doctype html><html><body style="font-family:sans-serif">
<p>Thank you for your order inv-1 at Ada Books.</p>
<h2 style="font-size:1.1em">The E-book</h2><ul><li><a href="https://dl.example/d/a">book.pdf</a> <small>(until 2026-04-29 12:34 UTC, 3 downloads)</small></li><li><a href="https://dl.example/d/b">extras.zip</a> <small>(never expires, unlimited downloads)</small></li></ul>
<h2 style="font-size:1.1em">Pro &lt;Tools&gt;</h2><ul><li><a href="https://dl.example/d/c?x=1&amp;y=2">tool.exe</a> <small>(until 2026-04-29 12:34:56.789 UTC, 1 downloads)</small></li><li>License key: <code style="font-size:1.1em;user-select:all">KEY-1</code></li><li>License key: <code style="font-size:1.1em;user-select:all">KEY-2</code></li></ul>
<p><a href="https://shop.example/account">All your downloads</a></p>
<p>Sign in with your account to download. Links are personal: please do not share them.</p>
</body></html>`);
  });

  it('for a regeneration says the links are new and the earlier ones stopped working, naming "our shop" when the shop has no name', () => {
    // Prepare
    const content = order(true);

    // Act
    const email = buildDeliveryEmail(content, { from: 'shop@example.com', now: NOW });

    // Assess
    expect(email.subject).toBe('New download links for order inv-1');
    expect(email.text.split('\n')[0]).toBe('Here are new download links for your order inv-1 at our shop; the earlier ones no longer work.');
    expect(email.html).toContain('<p>Here are new download links for your order inv-1 at our shop; the earlier ones no longer work.</p>');
  });

  it('is a MIME message from the shop to the customer with that subject and both parts', () => {
    // Prepare
    const content = order();

    // Act
    const email = buildDeliveryEmail(content, { from: 'shop@example.com', shopName: 'Ada Books', now: NOW });

    // Assess
    const raw = email.raw.toString();
    expect(raw).toContain('\r\nTo: ada@example.com\r\n');
    expect(raw).toContain('\r\nSubject: Your downloads for order inv-1\r\n');
    const parts = raw.split(/--=_dd_[0-9a-f]+/).map((p) => Buffer.from(p.split('\r\n\r\n')[1]?.replace(/\r\n/g, '') ?? '', 'base64').toString());
    expect(parts[1]).toBe(email.text);
    expect(parts[2]).toBe(email.html);
  });
});
