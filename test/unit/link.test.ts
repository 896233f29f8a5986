import { describe, expect, it } from 'vitest';
import { downloadUrlFor, isExpired, refusalFor, toDownloadLinkView } from '../../core/link';
import { adminActionEntry, linkLogView } from '../../core/link-log';
import { aLink } from '../support/links';

const NOW = '2026-03-28T10:30:00.000Z';
const URL = 'https://shop.example.com/downloads/k1.token';

describe('refusalFor', () => {
  it('serves an active, unexpired link of its owner under its limit', () => {
    // Act
    const refusal = refusalFor(aLink(), 'cust-1', NOW);

    // Assess
    expect(refusal).toBeNull();
  });

  it('reports a missing link as LINK_NOT_FOUND', () => {
    // Act / Assess
    expect(refusalFor(undefined, 'cust-1', NOW)).toBe('LINK_NOT_FOUND');
  });

  it.each([
    ['NOT_LINK_OWNER before REVOKED', { customerId: 'cust-2', status: 'revoked' as const }, 'NOT_LINK_OWNER'],
    ['REVOKED before LINK_EXPIRED and the limit', { status: 'revoked' as const, expiresAt: '2020-01-01T00:00:00.000Z', downloadCount: 5 }, 'REVOKED'],
    [
      'ORDER_ON_HOLD before LINK_EXPIRED and the limit',
      { status: 'suspended' as const, expiresAt: '2020-01-01T00:00:00.000Z', downloadCount: 5 },
      'ORDER_ON_HOLD',
    ],
    ['LINK_EXPIRED before DOWNLOAD_LIMIT_REACHED', { expiresAt: '2020-01-01T00:00:00.000Z', downloadCount: 5 }, 'LINK_EXPIRED'],
    ['DOWNLOAD_LIMIT_REACHED last', { downloadCount: 5 }, 'DOWNLOAD_LIMIT_REACHED'],
    [
      'NOT_LINK_OWNER before everything else',
      { customerId: 'cust-2', status: 'suspended' as const, expiresAt: '2020-01-01T00:00:00.000Z', downloadCount: 9 },
      'NOT_LINK_OWNER',
    ],
  ])('reports %s', (_, overrides, expected) => {
    // Act
    const refusal = refusalFor(aLink(overrides), 'cust-1', NOW);

    // Assess
    expect(refusal).toBe(expected);
  });

  it('counts a link expiring exactly now as expired, and one expiring a millisecond later as not', () => {
    // Act
    const atNow = refusalFor(aLink({ expiresAt: NOW }), 'cust-1', NOW);
    const justAfter = refusalFor(aLink({ expiresAt: '2026-03-28T10:30:00.001Z' }), 'cust-1', NOW);

    // Assess
    expect(atNow).toBe('LINK_EXPIRED');
    expect(justAfter).toBeNull();
  });

  it('never expires a link without an expiry', () => {
    // Act
    const refusal = refusalFor(aLink({ expiresAt: null }), 'cust-1', '9999-12-31T23:59:59.999Z');

    // Assess
    expect(refusal).toBeNull();
  });

  it('treats maxDownloads 0 as unlimited', () => {
    // Act
    const refusal = refusalFor(aLink({ maxDownloads: 0, downloadCount: 1_000_000 }), 'cust-1', NOW);

    // Assess
    expect(refusal).toBeNull();
  });

  it('refuses at the limit and serves one below it', () => {
    // Act / Assess
    expect(refusalFor(aLink({ maxDownloads: 3, downloadCount: 3 }), 'cust-1', NOW)).toBe('DOWNLOAD_LIMIT_REACHED');
    expect(refusalFor(aLink({ maxDownloads: 3, downloadCount: 4 }), 'cust-1', NOW)).toBe('DOWNLOAD_LIMIT_REACHED');
    expect(refusalFor(aLink({ maxDownloads: 3, downloadCount: 2 }), 'cust-1', NOW)).toBeNull();
  });

  it('isExpired compares stored ISO times', () => {
    // Act / Assess
    expect(isExpired({ expiresAt: '2026-03-28T10:29:59.999Z' }, NOW)).toBe(true);
    expect(isExpired({ expiresAt: null }, NOW)).toBe(false);
  });
});

describe('toDownloadLinkView', () => {
  it('shows the contract shape with public times and remaining downloads', () => {
    // Act
    const view = toDownloadLinkView(aLink(), { now: NOW, downloadUrl: URL, audience: 'customer' });

    // Assess
    expect(view).toEqual({
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
      productId: 'ebook',
      productName: 'The E-book',
      invoiceId: 'inv-1',
      fileName: 'ebook.pdf',
      downloadUrl: URL,
      deliveryMethod: 'InstantDownload',
      status: 'active',
      expiresUtc: '2026-04-27T00:00:00Z',
      maxDownloads: 5,
      downloadCount: 2,
      remainingDownloads: 3,
      lastDownloadUtc: '2026-03-28T10:30:00Z',
      isExpired: false,
      isDownloadLimitReached: false,
      createdUtc: '2026-03-28T00:00:00Z',
      fileVersion: 1,
      updatedUtc: null,
    });
  });

  it('shows unlimited values as null', () => {
    // Act
    const view = toDownloadLinkView(aLink({ maxDownloads: 0, expiresAt: null, downloadCount: 7, lastDownloadAt: null }), {
      now: NOW,
      downloadUrl: URL,
      audience: 'customer',
    });

    // Assess
    expect(view.maxDownloads).toBeNull();
    expect(view.remainingDownloads).toBeNull();
    expect(view.expiresUtc).toBeNull();
    expect(view.lastDownloadUtc).toBeNull();
    expect(view.isExpired).toBe(false);
    expect(view.isDownloadLimitReached).toBe(false);
    expect(view.downloadCount).toBe(7);
  });

  it('never shows negative remaining downloads when the count overshot the limit', () => {
    // Act
    const view = toDownloadLinkView(aLink({ maxDownloads: 2, downloadCount: 5 }), { now: NOW, downloadUrl: URL, audience: 'customer' });

    // Assess
    expect(view.remainingDownloads).toBe(0);
    expect(view.isDownloadLimitReached).toBe(true);
  });

  it.each([
    ['active', '2026-03-28T09:00:00.000Z', 'suspended'],
    ['active', null, 'active'],
    ['revoked', '2026-03-28T09:00:00.000Z', 'revoked'],
    ['suspended', null, 'suspended'],
  ] as const)('shows a %s link whose sharing suspension is %s as %s', (status, sharingSuspendedAt, shown) => {
    // Act
    const view = toDownloadLinkView(aLink({ status, sharingSuspendedAt }), { now: NOW, downloadUrl: URL, audience: 'customer' });

    // Assess
    expect(view.status).toBe(shown);
  });

  it('flags an expired link', () => {
    // Act
    const view = toDownloadLinkView(aLink({ expiresAt: NOW }), { now: NOW, downloadUrl: URL, audience: 'customer' });

    // Assess
    expect(view.isExpired).toBe(true);
  });

  it.each([
    ['customer', null],
    ['operator', URL],
    ['email', URL],
  ] as const)('gives an EmailDelivered link to the %s audience with downloadUrl %s', (audience, expected) => {
    // Act
    const view = toDownloadLinkView(aLink({ deliveryMethod: 'EmailDelivered' }), { now: NOW, downloadUrl: URL, audience });

    // Assess
    expect(view.downloadUrl).toBe(expected);
  });

  it('gives an InstantDownload link its URL for every audience', () => {
    // Act
    const urls = (['customer', 'operator', 'email'] as const).map(
      (audience) => toDownloadLinkView(aLink(), { now: NOW, downloadUrl: URL, audience }).downloadUrl,
    );

    // Assess
    expect(urls).toEqual([URL, URL, URL]);
  });

  it('keeps non-zero milliseconds in public times', () => {
    // Act
    const view = toDownloadLinkView(aLink({ expiresAt: '2026-04-27T00:00:00.123Z' }), { now: NOW, downloadUrl: URL, audience: 'customer' });

    // Assess
    expect(view.expiresUtc).toBe('2026-04-27T00:00:00.123Z');
  });
});

describe('downloadUrlFor', () => {
  it('builds the URL on the public base URL, path and trailing slashes included', () => {
    // Act / Assess
    expect(downloadUrlFor('https://shop.example.com', 'tok')).toBe('https://shop.example.com/downloads/tok');
    expect(downloadUrlFor('https://shop.example.com/', 'tok')).toBe('https://shop.example.com/downloads/tok');
    expect(downloadUrlFor('https://example.com/shop//', 'tok')).toBe('https://example.com/shop/downloads/tok');
  });
});

describe('adminActionEntry', () => {
  it('logs an admin action as kind admin, with its actor and without a zero-millisecond time in the view', () => {
    // Act
    const view = linkLogView(adminActionEntry({ linkId: 'l-1', at: NOW, action: 'revoked', actor: 'admin-1' }));

    // Assess
    expect(view).toEqual({ at: '2026-03-28T10:30:00Z', kind: 'admin', outcome: 'revoked', ip: null, userAgent: null, actor: 'admin-1', details: null });
  });
});
