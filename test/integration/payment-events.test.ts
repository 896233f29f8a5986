import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;
let demo: string;

beforeAll(async () => {
  system = await startTestRuntime();
  demo = system.runtime.demo.productId;
});
afterAll(() => system?.stop());

const linksOf = async (customerId: string, invoiceId: string) =>
  (await system.request('GET', `/downloads/invoice/${invoiceId}`, { as: customerId })).json?.items ?? [];

describe('payment events create links idempotently', () => {
  it('a payment event replayed three times creates the links once and keeps their counts', async () => {
    // Prepare
    const event = purchase('inv-replay', 'cust-replay', [demo]);
    await system.sendPayment('PaymentSucceeded', event);
    const [first] = await linksOf('cust-replay', 'inv-replay');
    await system.request('GET', new URL(first.downloadUrl).pathname, { as: 'cust-replay' });

    // Act
    await system.sendPayment('PaymentSucceeded', event);
    await system.sendPayment('PaymentSucceeded', event);
    const after = await linksOf('cust-replay', 'inv-replay');

    // Assess
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(first.id);
    expect(after[0].downloadUrl).toBe(first.downloadUrl);
    expect(after[0].downloadCount).toBe(1);
  });

  it('the same payment event delivered twice at once creates one set of links', async () => {
    // Prepare: a product with two files
    const fileIds: string[] = [];
    for (const name of ['a.mp3', 'b.mp3']) {
      const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName: name, size: 3 } });
      await fetch(started.json.upload.url, { method: 'PUT', body: 'abc', headers: started.json.upload.headers });
      await system.request('POST', `/admin/files/${started.json.file.fileId}/complete`, { admin: true });
      fileIds.push(started.json.file.fileId);
    }
    await system.request('PUT', '/admin/products/album', { admin: true, body: { fileIds } });
    const event = purchase('inv-twice', 'cust-twice', ['album', demo]);

    // Act
    await Promise.all([system.sendPayment('PaymentSucceeded', event, { wait: false }), system.sendPayment('PaymentSucceeded', event, { wait: false })]);
    await system.settled();
    const links = await linksOf('cust-twice', 'inv-twice');

    // Assess: one link per (invoice, product, file)
    expect(links).toHaveLength(3);
    expect(new Set(links.map((l: { id: string }) => l.id)).size).toBe(3);
    expect(links.map((l: { fileName: string }) => l.fileName).sort()).toEqual(['Digital Downloads Handbook.pdf', 'a.mp3', 'b.mp3']);
  });

  it('physical lines get no links and an invoice with only physical lines records nothing', async () => {
    await system.sendPayment('PaymentSucceeded', purchase('inv-mixed', 'cust-mixed', ['t-shirt', demo]));
    await system.sendPayment('PaymentSucceeded', purchase('inv-physical', 'cust-mixed', ['t-shirt']));
    expect(await linksOf('cust-mixed', 'inv-mixed')).toHaveLength(1);
    expect((await system.request('GET', '/downloads/invoice/inv-physical', { as: 'cust-mixed' })).status).toBe(404);
  });

  it('digital lines without a customer account create nothing and emit DeliveryRejected once', async () => {
    // Act
    await system.sendPayment('PaymentSucceeded', purchase('inv-guest', null, [demo]));
    await system.sendPayment('PaymentSucceeded', purchase('inv-guest', null, [demo]));

    // Assess
    const events = (await system.request('GET', '/_local/events?detailType=DeliveryRejected')).json.items;
    const rejections = events.filter((e: { detail: { invoiceId: string } }) => e.detail.invoiceId === 'inv-guest');
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ source: 'digital-downloads', detail: { reason: 'CUSTOMER_ACCOUNT_REQUIRED' } });
  });

  it('a malformed event is parked in the dead-letter queue with a specific reason and changes nothing', async () => {
    // Act
    await system.sendPayment('PaymentSucceeded', { invoiceId: 'inv-bad', customerId: 'cust-bad', occurredAt: 'yesterday', lines: 'all of them' });
    await system.sendPayment('PaymentRefunded', { occurredAt: new Date().toISOString() });

    // Assess
    const parked = (await system.request('GET', '/_local/dead-letters')).json.items;
    const reasons = parked.map((p: { reason: string }) => p.reason).join('\n');
    expect(reasons).toContain('invalid PaymentSucceeded detail');
    expect(reasons).toContain('occurredAt');
    expect(reasons).toContain('lines');
    expect(reasons).toContain('invalid PaymentRefunded detail: invoiceId');
    expect((await system.request('GET', '/downloads/customer', { as: 'cust-bad' })).json.items).toEqual([]);
  });

  it('an event whose Detail is not JSON is refused by the bus itself', async () => {
    const out = await system.sendPayment('PaymentSucceeded', '{not json');
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]?.ErrorCode).toBe('MalformedDetail');
  });

  it('links keep the settings they were created with when the product changes later', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/settings-test', {
      admin: true,
      body: { fileIds: [system.runtime.demo.fileId], maxDownloadsPerLink: 3, downloadLinkExpiryDays: 10 },
    });
    const occurredAt = '2026-03-28T10:30:00Z';
    await system.sendPayment('PaymentSucceeded', purchase('inv-settings', 'cust-settings', ['settings-test'], occurredAt));

    // Act
    await system.request('PUT', '/admin/products/settings-test', { admin: true, body: { maxDownloadsPerLink: 0, downloadLinkExpiryDays: 0 } });
    const [link] = await linksOf('cust-settings', 'inv-settings');

    // Assess: expiry counts from the payment's occurredAt
    expect(link.maxDownloads).toBe(3);
    expect(link.expiresUtc).toBe('2026-04-07T10:30:00Z');
    expect(link.isExpired).toBe(true);
  });
});

describe('the download limit under concurrency', () => {
  it('50 concurrent downloads against a limit of 5: exactly 5 succeed and the rest are 410 DOWNLOAD_LIMIT_REACHED', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/limited', { admin: true, body: { fileIds: [system.runtime.demo.fileId], maxDownloadsPerLink: 5 } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-race', 'cust-race', ['limited']));
    const [link] = await linksOf('cust-race', 'inv-race');
    const path = new URL(link.downloadUrl).pathname;
    await system.token('cust-race');

    // Act
    const results = await Promise.all(Array.from({ length: 50 }, () => system.request('GET', path, { as: 'cust-race' })));
    const [after] = await linksOf('cust-race', 'inv-race');

    // Assess
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(5);
    expect(statuses.filter((s) => s === 410)).toHaveLength(45);
    expect(results.filter((r) => r.status === 410).every((r) => r.json.error.code === 'DOWNLOAD_LIMIT_REACHED')).toBe(true);
    expect(after).toMatchObject({ downloadCount: 5, remainingDownloads: 0, isDownloadLimitReached: true });
  });
});
