import { describe, expect, it } from 'vitest';
import type { Link } from '../../core/link';
import { LinkSigner } from '../../core/link-signer';
import { adminActionEntry, downloadRefusedEntry, downloadServedEntry, linkLogView } from '../../core/link-log';
import { RateLimiter } from '../../core/rate-limiter';
import { downloadFile } from '../../core/use-cases/download-file';
import { listCustomerDownloads, listInvoiceDownloads, listInvoiceDownloadsForOperator } from '../../core/use-cases/list-downloads';
import { readLinkLog, regenerateInvoiceLinks, resetCustomerLinks, resetLink, revokeLink } from '../../core/use-cases/manage-links';
import { FakeFileStorage, FakeInvoiceStore, FakeKeySource, FakeLinkLog, FakeLinkStore, FakeSharingStore, fakeTime } from '../support/fakes';
import { DEFAULT_SHARING_POLICY } from '../../core/sharing';

const NOW = '2026-06-01T12:00:00.000Z';
const LATER = '2026-06-02T12:00:00.000Z';

const link = (overrides: Partial<Link> = {}): Link => ({
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  invoiceId: 'inv-1',
  customerId: 'cust-1',
  productId: 'book',
  productName: 'The book',
  fileId: 'f1',
  fileName: 'book.pdf',
  contentType: 'application/pdf',
  objectKey: 'uploads/obj-1',
  deliveryMethod: 'InstantDownload',
  expiresAt: '2026-07-01T00:00:00.000Z',
  maxDownloads: 2,
  downloadCount: 0,
  status: 'active',
  statusAt: `${NOW}#1`,
  createdAt: NOW,
  lastDownloadAt: null,
  lastIp: null,
  lastUserAgent: null,
  fileVersion: 1,
  updatedAt: null,
  updateId: null,
  stampText: null,
  copyKey: null,
  copyVersion: null,
  flaggedAt: null,
  flaggedNetworks: null,
  sharingSuspendedAt: null,
  sharingResetAt: null,
  ...overrides,
});

const setup = async (links: Link[] = [link()]) => {
  const store = new FakeLinkStore();
  await store.createMissing(links);
  const invoices = new FakeInvoiceStore();
  const linkLog = new FakeLinkLog();
  const signer = new LinkSigner(new FakeKeySource());
  const storage = new FakeFileStorage();
  const download = { signer, links: store, storage, presignedUrlTtlSeconds: 120, linkLog };
  const sharing = new FakeSharingStore();
  const manager = {
    links: store,
    invoices,
    linkLog,
    signer,
    publicBaseUrl: 'https://shop.example.com',
    sharing: { store: sharing, policy: DEFAULT_SHARING_POLICY },
  };
  return { store, invoices, linkLog, signer, download, manager, sharing };
};

const requester = { ip: '203.0.113.9', userAgent: 'test/1.0' };

describe('downloadFile', () => {
  it('counts one download and grants a presigned URL that lives as configured', async () => {
    // Prepare
    const s = await setup();
    const token = await s.signer.sign('AAAAAAAAAAAAAAAAAAAAAA');

    // Act
    const grant = await downloadFile(s.download, { token, customerId: 'cust-1', now: NOW, requester });

    // Assess
    expect(grant.expiresInSeconds).toBe(120);
    expect(grant.url).toContain(encodeURIComponent('uploads/obj-1'));
    expect(s.store.items.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({
      downloadCount: 1,
      lastIp: '203.0.113.9',
      lastUserAgent: 'test/1.0',
      lastDownloadAt: NOW,
    });
    expect(s.linkLog.entries.size).toBe(0);
  });

  it.each([
    ['another customer', { customerId: 'cust-2' }, {}, 'forbidden', 'NOT_LINK_OWNER', 'This download link belongs to another account.'],
    ['a revoked link', {}, { status: 'revoked' as const }, 'forbidden', 'REVOKED', 'This download link has been revoked.'],
    ['a suspended link', {}, { status: 'suspended' as const }, 'forbidden', 'ORDER_ON_HOLD', 'The order is on hold; downloads resume once the payment clears.'],
    ['an expired link', {}, { expiresAt: '2026-05-01T00:00:00.000Z' }, 'gone', 'LINK_EXPIRED', 'This download link has expired.'],
    ['a link at its limit', {}, { downloadCount: 2 }, 'gone', 'DOWNLOAD_LIMIT_REACHED', 'This download link has reached its download limit.'],
  ])('refuses %s with the contract code and message, counts nothing, and logs the refusal', async (_what, request, state, kind, code, message) => {
    // Prepare
    const s = await setup([link(state)]);
    const before = s.store.items.get('AAAAAAAAAAAAAAAAAAAAAA')?.downloadCount;
    const token = await s.signer.sign('AAAAAAAAAAAAAAAAAAAAAA');

    // Act
    const attempt = downloadFile(s.download, { token, customerId: 'cust-1', now: NOW, requester, ...request });

    // Assess
    await expect(attempt).rejects.toMatchObject({ kind, code, message });
    expect(s.store.items.get('AAAAAAAAAAAAAAAAAAAAAA')?.downloadCount).toBe(before);
    expect([...s.linkLog.entries.values()].map((e) => [e.kind, e.outcome, e.ip])).toEqual([['download', code, '203.0.113.9']]);
  });

  it('answers a forged token 404 without touching the store', async () => {
    const s = await setup();
    const token = `${(await s.signer.sign('AAAAAAAAAAAAAAAAAAAAAA')).slice(0, -1)}x`;
    await expect(downloadFile(s.download, { token, customerId: 'cust-1', now: NOW, requester })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'LINK_NOT_FOUND',
    });
    expect(s.store.redeems).toBe(0);
  });

  it('answers a genuine token of a link that does not exist 404, and logs nothing (there is no link to log on)', async () => {
    const s = await setup([]);
    const token = await s.signer.sign('BBBBBBBBBBBBBBBBBBBBBB');
    await expect(downloadFile(s.download, { token, customerId: 'cust-1', now: NOW, requester })).rejects.toMatchObject({
      code: 'LINK_NOT_FOUND',
      message: 'No such download link.',
    });
    expect(s.linkLog.entries.size).toBe(0);
  });

  it('refuses as at its limit a link whose write refused while it would serve now (it changed under the write)', async () => {
    // Prepare
    const s = await setup([link()]);
    s.store.redeem = async (linkId) => ({ served: false as const, link: await s.store.get(linkId) });

    // Act
    const attempt = downloadFile(s.download, { token: await s.signer.sign('AAAAAAAAAAAAAAAAAAAAAA'), customerId: 'cust-1', now: NOW, requester });

    // Assess
    await expect(attempt).rejects.toMatchObject({ kind: 'gone', code: 'DOWNLOAD_LIMIT_REACHED' });
    expect([...s.linkLog.entries.values()].map((e) => e.outcome)).toEqual(['DOWNLOAD_LIMIT_REACHED']);
  });

  it('still refuses with the refusal when the log fails and nobody listens for log failures', async () => {
    const s = await setup([link({ status: 'revoked' })]);
    const deps = { ...s.download, linkLog: { record: async () => Promise.reject(new Error('log down')) } };
    await expect(downloadFile(deps, { token: await s.signer.sign('AAAAAAAAAAAAAAAAAAAAAA'), customerId: 'cust-1', now: NOW, requester })).rejects.toMatchObject(
      {
        code: 'REVOKED',
      },
    );
  });

  it('serves the original file of a link whose copy was given up (a copy key, no stamp)', async () => {
    const s = await setup([link({ copyKey: 'copy-1', stampText: null })]);
    const grant = await downloadFile(s.download, { token: await s.signer.sign('AAAAAAAAAAAAAAAAAAAAAA'), customerId: 'cust-1', now: NOW, requester });
    expect(grant.url).toContain(encodeURIComponent('uploads/obj-1'));
  });

  it('still refuses when the refusal cannot be logged, and reports the log failure', async () => {
    // Prepare
    const s = await setup([link({ status: 'revoked' })]);
    const failures: unknown[] = [];
    const deps = { ...s.download, linkLog: { record: async () => Promise.reject(new Error('log down')) }, onLogFailure: (e: unknown) => failures.push(e) };

    // Act / Assess
    await expect(downloadFile(deps, { token: await s.signer.sign('AAAAAAAAAAAAAAAAAAAAAA'), customerId: 'cust-1', now: NOW, requester })).rejects.toMatchObject(
      { code: 'REVOKED' },
    );
    expect(failures).toHaveLength(1);
  });

  it('serves up to the limit and no further', async () => {
    const s = await setup();
    const token = await s.signer.sign('AAAAAAAAAAAAAAAAAAAAAA');
    await downloadFile(s.download, { token, customerId: 'cust-1', now: NOW, requester });
    await downloadFile(s.download, { token, customerId: 'cust-1', now: NOW, requester });
    await expect(downloadFile(s.download, { token, customerId: 'cust-1', now: NOW, requester })).rejects.toMatchObject({ code: 'DOWNLOAD_LIMIT_REACHED' });
  });
});

describe('listings', () => {
  const two = [link(), link({ id: 'BBBBBBBBBBBBBBBBBBBBBB', createdAt: LATER, deliveryMethod: 'EmailDelivered', maxDownloads: 0 })];

  it("lists a customer's links newest first, each with a signed URL, none for EmailDelivered ones", async () => {
    // Prepare
    const s = await setup(two);

    // Act
    const page = await listCustomerDownloads(s.manager, 'cust-1', { limit: 10 }, NOW);

    // Assess
    expect(page.items.map((l) => l.id)).toEqual(['BBBBBBBBBBBBBBBBBBBBBB', 'AAAAAAAAAAAAAAAAAAAAAA']);
    expect(page.items[0]?.downloadUrl).toBeNull();
    expect(page.items[0]).toMatchObject({ maxDownloads: null, remainingDownloads: null });
    const url = page.items[1]?.downloadUrl ?? '';
    expect(await s.signer.linkIdOf(url.slice('https://shop.example.com/downloads/'.length))).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(page.items[1]).toMatchObject({ maxDownloads: 2, remainingDownloads: 2, isExpired: false, isDownloadLimitReached: false });
  });

  it('gives operators the URL of EmailDelivered links too', async () => {
    const s = await setup(two);
    const page = await listCustomerDownloads(s.manager, 'cust-1', { limit: 10 }, NOW, 'operator');
    expect(page.items.every((l) => l.downloadUrl?.startsWith('https://shop.example.com/downloads/'))).toBe(true);
  });

  it('pages with a cursor', async () => {
    const s = await setup(two);
    const first = await listCustomerDownloads(s.manager, 'cust-1', { limit: 1 }, NOW);
    const second = await listCustomerDownloads(s.manager, 'cust-1', { limit: 1, cursor: first.nextCursor ?? undefined }, NOW);
    expect([first.items[0]?.id, second.items[0]?.id, second.nextCursor]).toEqual(['BBBBBBBBBBBBBBBBBBBBBB', 'AAAAAAAAAAAAAAAAAAAAAA', null]);
  });

  it("answers an invoice that is not the caller's as unknown, and shows it to an operator", async () => {
    // Prepare
    const s = await setup();
    await s.invoices.recordPurchase({ invoiceId: 'inv-1', customerId: 'cust-1', customerEmail: null, productIds: ['book'], allLinesDigital: true, now: NOW });

    // Act / Assess
    await expect(listInvoiceDownloads(s.manager, 'inv-1', { customerId: 'cust-2' }, { limit: 10 }, NOW)).rejects.toMatchObject({ code: 'INVOICE_NOT_FOUND' });
    await expect(listInvoiceDownloadsForOperator(s.manager, 'inv-404', { limit: 10 }, NOW)).rejects.toMatchObject({ code: 'INVOICE_NOT_FOUND' });
    await expect(listInvoiceDownloads(s.manager, 'inv-404', { customerId: 'cust-1' }, { limit: 10 }, NOW)).rejects.toMatchObject({ code: 'INVOICE_NOT_FOUND' });
    expect((await listInvoiceDownloads(s.manager, 'inv-1', { customerId: 'cust-1' }, { limit: 10 }, NOW)).items).toHaveLength(1);
    expect(await listInvoiceDownloadsForOperator(s.manager, 'inv-1', { limit: 10 }, NOW)).toMatchObject({
      invoice: { invoiceId: 'inv-1', customerId: 'cust-1', state: null },
      items: [{ id: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    });
  });
});

describe('the Download Manager', () => {
  const operator = { sub: 'operator-1', now: NOW };

  it('an empty reset brings the count back to zero and logs who did it', async () => {
    const s = await setup([link({ downloadCount: 2 })]);
    const view = await resetLink(s.manager, 'AAAAAAAAAAAAAAAAAAAAAA', {}, operator);
    expect(view).toMatchObject({ downloadCount: 0, remainingDownloads: 2, expiresUtc: '2026-07-01T00:00:00Z' });
    expect([...s.linkLog.entries.values()].map((e) => [e.outcome, e.actor, e.details])).toEqual([['reset', 'operator-1', { resetCount: true }]]);
  });

  it('a reset with expiresInDays only moves the expiry; 0 means never; both can be combined', async () => {
    const s = await setup([link({ downloadCount: 2 })]);
    expect(await resetLink(s.manager, 'AAAAAAAAAAAAAAAAAAAAAA', { expiresInDays: 10 }, operator)).toMatchObject({
      downloadCount: 2,
      expiresUtc: '2026-06-11T12:00:00Z',
    });
    expect(await resetLink(s.manager, 'AAAAAAAAAAAAAAAAAAAAAA', { expiresInDays: 0 }, operator)).toMatchObject({ downloadCount: 2, expiresUtc: null });
    expect(await resetLink(s.manager, 'AAAAAAAAAAAAAAAAAAAAAA', { expiresInDays: 1, resetCount: true }, operator)).toMatchObject({
      downloadCount: 0,
      expiresUtc: '2026-06-02T12:00:00Z',
    });
  });

  it('resets every link of a customer, across pages', async () => {
    const many = Array.from({ length: 130 }, (_, i) => link({ id: `L${String(i).padStart(21, '0')}`, downloadCount: 1 }));
    const s = await setup(many);
    expect(await resetCustomerLinks(s.manager, 'cust-1', {}, operator)).toEqual({ customerId: 'cust-1', updated: 130 });
    expect([...s.store.items.values()].every((l) => l.downloadCount === 0)).toBe(true);
  });

  it('revokes a link for good and says so; an unknown link is 404', async () => {
    const s = await setup();
    expect(await revokeLink(s.manager, 'AAAAAAAAAAAAAAAAAAAAAA', operator)).toMatchObject({ status: 'revoked' });
    await expect(revokeLink(s.manager, 'ZZZZZZZZZZZZZZZZZZZZZZ', operator)).rejects.toMatchObject({ code: 'LINK_NOT_FOUND' });
    await expect(resetLink(s.manager, 'ZZZZZZZZZZZZZZZZZZZZZZ', {}, operator)).rejects.toMatchObject({ code: 'LINK_NOT_FOUND' });
  });

  it('regenerates an invoice: new ids and tokens, counts from zero, old links revoked and out of the listings', async () => {
    // Prepare: a delivered, paid invoice with one used link
    const s = await setup([link({ downloadCount: 2 })]);
    await s.invoices.recordPurchase({ invoiceId: 'inv-1', customerId: 'cust-1', customerEmail: null, productIds: ['book'], allLinesDigital: true, now: NOW });
    await s.invoices.recordState('inv-1', 'paid', `${NOW}#1`, NOW);
    await s.invoices.fixLinkIds('inv-1', 0, ['AAAAAAAAAAAAAAAAAAAAAA']);
    await s.invoices.markLinksIssued('inv-1', 0, NOW);

    // Act
    const result = await regenerateInvoiceLinks(s.manager, 'inv-1', operator);

    // Assess
    const [fresh] = result.items;
    expect(fresh?.id).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(fresh).toMatchObject({ downloadCount: 0, status: 'active', fileName: 'book.pdf' });
    expect(s.store.items.get('AAAAAAAAAAAAAAAAAAAAAA')?.status).toBe('revoked');
    expect((await listCustomerDownloads(s.manager, 'cust-1', { limit: 10 }, NOW)).items.map((l) => l.id)).toEqual([fresh?.id]);
    expect((await s.invoices.get('inv-1'))?.generation).toBe(1);
  });

  it('refuses to regenerate an invoice that is refunded (409), on hold (409) or unknown (404)', async () => {
    const s = await setup();
    await s.invoices.recordPurchase({ invoiceId: 'inv-1', customerId: 'cust-1', customerEmail: null, productIds: ['book'], allLinesDigital: true, now: NOW });
    await s.invoices.fixLinkIds('inv-1', 0, ['AAAAAAAAAAAAAAAAAAAAAA']);
    await s.invoices.recordState('inv-1', 'on_hold', `${NOW}#2`, NOW);
    await expect(regenerateInvoiceLinks(s.manager, 'inv-1', operator)).rejects.toMatchObject({ kind: 'conflict', code: 'ORDER_ON_HOLD' });
    await s.invoices.recordState('inv-1', 'refunded', `${NOW}#3`, NOW);
    await expect(regenerateInvoiceLinks(s.manager, 'inv-1', operator)).rejects.toMatchObject({ kind: 'conflict', code: 'INVOICE_REFUNDED' });
    await expect(regenerateInvoiceLinks(s.manager, 'inv-404', operator)).rejects.toMatchObject({ code: 'INVOICE_NOT_FOUND' });
  });

  it("reads a link's log newest first, and refuses an unknown link", async () => {
    const s = await setup();
    await s.linkLog.record([
      downloadServedEntry({ linkId: 'AAAAAAAAAAAAAAAAAAAAAA', at: NOW, downloadCount: 1, ip: '1.2.3.4', userAgent: 'ua' }),
      adminActionEntry({ linkId: 'AAAAAAAAAAAAAAAAAAAAAA', at: LATER, action: 'reset', actor: 'op' }),
    ]);
    const log = await readLinkLog(s.manager, 'AAAAAAAAAAAAAAAAAAAAAA', { limit: 10 }, NOW);
    expect(log.items.map((e) => e.outcome)).toEqual(['reset', 'ok']);
    await expect(readLinkLog(s.manager, 'ZZZZZZZZZZZZZZZZZZZZZZ', { limit: 10 }, NOW)).rejects.toMatchObject({ code: 'LINK_NOT_FOUND' });
  });
});

describe('link log entries', () => {
  it('keys a served download by its count, so a stream redelivery writes the same entry', () => {
    const a = downloadServedEntry({ linkId: 'L', at: NOW, downloadCount: 7, ip: null, userAgent: null });
    const b = downloadServedEntry({ linkId: 'L', at: NOW, downloadCount: 7, ip: null, userAgent: null });
    expect(a.entryKey).toBe(b.entryKey);
    expect(a.entryKey).toBe(`${NOW}#ok#0000000007`);
  });

  it('gives every refusal and operator action its own key, sorted by time first', () => {
    const refusals = [1, 2].map(() => downloadRefusedEntry({ linkId: 'L', at: NOW, code: 'REVOKED', ip: null, userAgent: null }));
    expect(refusals[0]?.entryKey).not.toBe(refusals[1]?.entryKey);
    expect(refusals[0]?.entryKey.startsWith(`${NOW}#refused#`)).toBe(true);
    expect(adminActionEntry({ linkId: 'L', at: NOW, action: 'revoke', actor: 'op' }).entryKey.startsWith(`${NOW}#admin#`)).toBe(true);
  });

  it('shows times without zero milliseconds and hides the sort key', () => {
    const view = linkLogView(downloadServedEntry({ linkId: 'L', at: NOW, downloadCount: 1, ip: '1.2.3.4', userAgent: 'ua' }));
    expect(view).toEqual({
      at: '2026-06-01T12:00:00Z',
      kind: 'download',
      outcome: 'ok',
      ip: '1.2.3.4',
      userAgent: 'ua',
      actor: null,
      details: { downloadCount: 1 },
    });
  });
});

describe('RateLimiter', () => {
  it('lets a burst through, then refuses with the seconds until the next token, per key', () => {
    // Prepare: 60 a minute (one a second), burst 2
    const time = fakeTime();
    const limiter = new RateLimiter(60, 2, time.clock);

    // Act / Assess
    limiter.take('a');
    limiter.take('a');
    expect(() => limiter.take('a')).toThrow(expect.objectContaining({ kind: 'throttled', code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } }));
    limiter.take('b');
    time.advance(1000);
    expect(() => limiter.take('a')).not.toThrow();
  });

  it('refills at its rate: half a token after half the interval, so the wait it names is the time left', () => {
    // Prepare: 6 a minute (one every 10 s), burst 1
    const time = fakeTime();
    const limiter = new RateLimiter(6, 1, time.clock);
    limiter.take('a');

    // Act
    const atOnce = (() => {
      try {
        limiter.take('a');
      } catch (e) {
        return e;
      }
    })();
    time.advance(5_000);
    const halfway = (() => {
      try {
        limiter.take('a');
      } catch (e) {
        return e;
      }
    })();
    time.advance(5_000);

    // Assess
    expect(atOnce).toEqual(expect.objectContaining({ details: { retryAfterSeconds: 10 }, message: 'Too many downloads; try again in 10 s.' }));
    expect(halfway).toEqual(expect.objectContaining({ details: { retryAfterSeconds: 5 }, message: 'Too many downloads; try again in 5 s.' }));
    expect(() => limiter.take('a')).not.toThrow();
  });

  it('names what it counts in its refusal', () => {
    // Prepare
    const limiter = new RateLimiter(60, 1, () => 0, 10, 'license requests');
    limiter.take('a');

    // Act / Assess
    expect(() => limiter.take('a')).toThrow('Too many license requests; try again in 1 s.');
  });

  it('is off at a rate of 0', () => {
    const limiter = new RateLimiter(0, 1);
    for (let i = 0; i < 100; i++) limiter.take('a');
  });

  it('refills no further than the burst', () => {
    const time = fakeTime();
    const limiter = new RateLimiter(60, 2, time.clock);
    time.advance(3_600_000);
    limiter.take('a');
    limiter.take('a');
    expect(() => limiter.take('a')).toThrow();
  });

  it('remembers as many keys as its size', () => {
    // Prepare
    const limiter = new RateLimiter(60, 1, () => 0, 2);

    // Act
    limiter.take('a');
    limiter.take('b');

    // Assess: both buckets are still empty
    expect(() => limiter.take('a')).toThrow();
    expect(() => limiter.take('b')).toThrow();
  });

  it('a key taken again is the last to be forgotten', () => {
    // Prepare
    const time = fakeTime();
    const limiter = new RateLimiter(60, 1, time.clock, 2);
    limiter.take('a');
    limiter.take('b');
    time.advance(1000);
    limiter.take('a');

    // Act
    limiter.take('c');

    // Assess: 'a' was taken after 'b', so 'b' is the one forgotten
    expect(() => limiter.take('a')).toThrow();
    expect(() => limiter.take('b')).not.toThrow();
  });

  it('forgets the least recently seen keys beyond its size, so memory stays bounded', () => {
    const time = fakeTime();
    const limiter = new RateLimiter(60, 1, time.clock, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // 'a' is forgotten: it starts with a full bucket again
    expect(() => limiter.take('a')).not.toThrow();
    expect(() => limiter.take('c')).toThrow();
  });
});

describe("an invoice's links, by audience", () => {
  it('shows the customer an email-only link without its URL, and the operator with its URL and sharing signals', async () => {
    // Prepare
    const s = await setup([link({ deliveryMethod: 'EmailDelivered' })]);
    await s.invoices.recordPurchase({ invoiceId: 'inv-1', customerId: 'cust-1', customerEmail: null, productIds: ['book'], allLinesDigital: true, now: NOW });

    // Act
    const customer = await listInvoiceDownloads(s.manager, 'inv-1', { customerId: 'cust-1' }, { limit: 10 }, NOW);
    const operator = await listInvoiceDownloadsForOperator(s.manager, 'inv-1', { limit: 10 }, NOW);

    // Assess
    expect(customer.items[0]).toMatchObject({ id: 'AAAAAAAAAAAAAAAAAAAAAA', downloadUrl: null });
    expect(customer.items[0]).not.toHaveProperty('sharing');
    expect(operator.items[0]).toMatchObject({
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
      downloadUrl: expect.stringContaining('https://shop.example.com'),
      sharing: expect.any(Object),
    });
  });

  it('answers an unknown invoice with "No such invoice." to customers and operators alike', async () => {
    // Prepare
    const s = await setup();

    // Act / Assess
    const unknown = { kind: 'not_found', code: 'INVOICE_NOT_FOUND', message: 'No such invoice.' };
    await expect(listInvoiceDownloads(s.manager, 'inv-404', { customerId: 'cust-1' }, { limit: 10 }, NOW)).rejects.toMatchObject(unknown);
    await expect(listInvoiceDownloadsForOperator(s.manager, 'inv-404', { limit: 10 }, NOW)).rejects.toMatchObject(unknown);
  });

  it('asks the sharing store nothing for an operator page without links', async () => {
    // Prepare
    const s = await setup([]);
    await s.invoices.recordPurchase({ invoiceId: 'inv-9', customerId: 'cust-9', customerEmail: null, productIds: ['book'], allLinesDigital: true, now: NOW });
    const asked: string[][] = [];
    const getMany = s.sharing.getMany.bind(s.sharing);
    s.sharing.getMany = async (ids) => {
      asked.push(ids);
      return getMany(ids);
    };

    // Act
    const page = await listInvoiceDownloadsForOperator(s.manager, 'inv-9', { limit: 10 }, NOW);

    // Assess
    expect(page.items).toEqual([]);
    expect(asked).toEqual([]);
  });
});
