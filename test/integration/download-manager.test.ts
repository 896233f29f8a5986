import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestRuntime();
});
afterAll(() => system?.stop());

const MiB = 1024 * 1024;

/** Uploads `content` through the admin API (single PUT or multipart, as the API decides) and completes it. */
const upload = async (fileName: string, content: Buffer) => {
  const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName, size: content.length } });
  expect(started.status).toBe(201);
  const { upload } = started.json;
  let parts: { partNumber: number; etag: string }[] | undefined;
  if (upload.method === 'PUT') {
    expect((await fetch(upload.url, { method: 'PUT', body: new Uint8Array(content), headers: upload.headers })).status).toBe(200);
  } else {
    parts = [];
    for (const part of upload.parts) {
      const slice = content.subarray((part.partNumber - 1) * upload.partSize, part.partNumber * upload.partSize);
      const response = await fetch(part.url, { method: 'PUT', body: new Uint8Array(slice) });
      expect(response.status).toBe(200);
      parts.push({ partNumber: part.partNumber, etag: response.headers.get('etag') ?? '' });
    }
  }
  const completed = await system.request('POST', `/admin/files/${started.json.file.fileId}/complete`, { admin: true, body: parts ? { parts } : {} });
  return { started: started.json, completed };
};

const sell = async (productId: string, fileIds: string[], invoiceId: string, customerId: string, settings: object = {}) => {
  await system.request('PUT', `/admin/products/${productId}`, { admin: true, body: { fileIds, ...settings } });
  await system.sendPayment('PaymentSucceeded', purchase(invoiceId, customerId, [productId]));
  return (await system.request('GET', `/admin/invoices/${invoiceId}/downloads`, { admin: true })).json.items;
};

const download = (customerId: string, link: { downloadUrl: string }) =>
  system.request('GET', new URL(link.downloadUrl).pathname, { as: customerId, headers: { 'user-agent': 'manager-test/1.0' } });

describe('large files', () => {
  it('a 20 MB file uploads by multipart through presigned part URLs and downloads byte for byte', async () => {
    // Prepare
    const content = Buffer.alloc(20 * MiB);
    for (let i = 0; i < content.length; i += 4096) content.writeUInt32BE(i, i);

    // Act
    const { started, completed } = await upload('big-archive.zip', content);
    const [link] = await sell('big-archive', [started.file.fileId], 'inv-big', 'cust-big');
    const grant = await system.request('GET', new URL(link.downloadUrl).pathname, { as: 'cust-big', headers: { accept: 'application/json' } });
    const bytes = Buffer.from(await (await fetch(grant.json.url)).arrayBuffer());

    // Assess
    expect(started.upload.method).toBe('MULTIPART');
    expect(started.upload.parts.length).toBeGreaterThanOrEqual(2);
    expect(completed.json).toMatchObject({ state: 'ready', size: content.length, contentType: 'application/zip' });
    expect(bytes.equals(content)).toBe(true);
  });

  it('completing a multipart upload without its parts, or an upload never sent, is a clear 4xx', async () => {
    const big = await system.request('POST', '/admin/files', { admin: true, body: { fileName: 'x.bin', size: 40 * MiB } });
    const small = await system.request('POST', '/admin/files', { admin: true, body: { fileName: 'y.bin', size: 10 } });
    const noParts = await system.request('POST', `/admin/files/${big.json.file.fileId}/complete`, { admin: true, body: {} });
    const notUploaded = await system.request('POST', `/admin/files/${small.json.file.fileId}/complete`, { admin: true, body: {} });
    const unknown = await system.request('POST', '/admin/files/AAAAAAAAAAAAAAAAAAAAAA/complete', { admin: true, body: {} });
    expect(noParts.status).toBe(400);
    expect(noParts.json.error.code).toBe('PARTS_REQUIRED');
    expect(notUploaded.status).toBe(409);
    expect(notUploaded.json.error.code).toBe('UPLOAD_INCOMPLETE');
    expect(unknown.status).toBe(404);
    expect((await system.request('GET', `/admin/files/${small.json.file.fileId}`, { admin: true })).json.state).toBe('pending');
  });
});

describe('objects already in the bucket', () => {
  it('the bucket listing shows the importable object, and importing it makes a file that sells', async () => {
    const key = system.runtime.demo.importableKey;
    const listing = await system.request('GET', '/admin/bucket/objects?prefix=library/', { admin: true });
    const imported = await system.request('POST', '/admin/files/import', { admin: true, body: { key } });
    const [link] = await sell('press-kit', [imported.json.fileId], 'inv-import', 'cust-import');
    const served = await download('cust-import', link);
    expect(listing.json.items.map((o: { key: string }) => o.key)).toContain(key);
    expect(imported.status).toBe(201);
    expect(imported.json).toMatchObject({ fileName: 'press-kit.zip', state: 'ready', source: 'import', contentType: 'application/zip' });
    expect(served.status).toBe(302);
  });

  it('hostile or missing keys are refused', async () => {
    const attempts = await Promise.all(
      ['../etc/passwd', '/library/press-kit.zip', 'uploads/anything', 'library/../uploads/x', 'library/missing.zip'].map((key) =>
        system.request('POST', '/admin/files/import', { admin: true, body: { key } }),
      ),
    );
    expect(attempts.map((a) => a.status)).toEqual([400, 400, 400, 400, 404]);
  });
});

describe('the Download Manager', () => {
  it('an operator resets a link that reached its limit, and the customer can download again', async () => {
    // Prepare
    const [link] = await sell('limited-2', [system.runtime.demo.fileId], 'inv-reset', 'cust-reset', { maxDownloadsPerLink: 2 });
    await download('cust-reset', link);
    await download('cust-reset', link);
    const refused = await download('cust-reset', link);

    // Act
    const reset = await system.request('POST', `/admin/links/${link.id}/reset`, { admin: true });
    const again = await download('cust-reset', link);

    // Assess
    expect(refused.status).toBe(410);
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ downloadCount: 0, remainingDownloads: 2, isDownloadLimitReached: false });
    expect(again.status).toBe(302);
  });

  it("a reset can set a new expiry in days, 0 meaning never, and bulk-reset all of a customer's links", async () => {
    const [link] = await sell('expiring', [system.runtime.demo.fileId], 'inv-expiry', 'cust-expiry', { maxDownloadsPerLink: 1 });
    await download('cust-expiry', link);
    const dated = await system.request('POST', `/admin/links/${link.id}/reset`, { admin: true, body: { expiresInDays: 3 } });
    const never = await system.request('POST', `/admin/links/${link.id}/reset`, { admin: true, body: { expiresInDays: 0 } });
    const bulk = await system.request('POST', '/admin/customers/cust-expiry/downloads/reset', { admin: true, body: {} });
    const [after] = (await system.request('GET', '/admin/customers/cust-expiry/downloads', { admin: true })).json.items;
    expect(dated.json.downloadCount).toBe(1);
    expect(Date.parse(dated.json.expiresUtc) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    expect(never.json.expiresUtc).toBeNull();
    expect(bulk.json).toMatchObject({ customerId: 'cust-expiry', updated: 1 });
    expect(after.downloadCount).toBe(0);
  });

  it('a revoked link refuses with 403 REVOKED and says so in the listings', async () => {
    const [link] = await sell('revocable', [system.runtime.demo.fileId], 'inv-revoke', 'cust-revoke');
    const revoked = await system.request('POST', `/admin/links/${link.id}/revoke`, { admin: true });
    const attempt = await download('cust-revoke', link);
    const [listed] = (await system.request('GET', '/downloads/customer', { as: 'cust-revoke' })).json.items;
    expect(revoked.json.status).toBe('revoked');
    expect(attempt.status).toBe(403);
    expect(attempt.json.error.code).toBe('REVOKED');
    expect(listed.status).toBe('revoked');
  });

  it('regenerating an invoice issues new tokens, kills the old ones at once, and lists only the new links', async () => {
    // Prepare
    const [old] = await sell('regenerable', [system.runtime.demo.fileId], 'inv-regen', 'cust-regen');
    await download('cust-regen', old);

    // Act
    const regenerated = await system.request('POST', '/admin/invoices/inv-regen/downloads/regenerate', { admin: true });
    const oldAttempt = await download('cust-regen', old);
    const listing = (await system.request('GET', '/downloads/invoice/inv-regen', { as: 'cust-regen' })).json.items;
    const fresh = await download('cust-regen', listing[0]);

    // Assess
    expect(regenerated.status).toBe(200);
    expect(regenerated.json.items).toHaveLength(1);
    expect(regenerated.json.items[0].id).not.toBe(old.id);
    expect(oldAttempt.status).toBe(403);
    expect(listing).toHaveLength(1);
    expect(listing[0].id).toBe(regenerated.json.items[0].id);
    expect(listing[0].downloadCount).toBe(0);
    expect(fresh.status).toBe(302);
  });

  it('a refunded invoice cannot be regenerated (409)', async () => {
    await sell('refundable', [system.runtime.demo.fileId], 'inv-refunded', 'cust-refunded');
    await system.sendPayment('PaymentRefunded', { invoiceId: 'inv-refunded', occurredAt: new Date(Date.now() + 1000).toISOString() });
    const attempt = await system.request('POST', '/admin/invoices/inv-refunded/downloads/regenerate', { admin: true });
    expect(attempt.status).toBe(409);
    expect(attempt.json.error.code).toBe('INVOICE_REFUNDED');
  });

  it('the link log shows served and refused downloads with IP and user agent, and who did what', async () => {
    // Prepare
    const [link] = await sell('logged', [system.runtime.demo.fileId], 'inv-log', 'cust-log', { maxDownloadsPerLink: 1 });
    await download('cust-log', link);
    await download('cust-log', link);
    await system.request('GET', new URL(link.downloadUrl).pathname, { as: 'cust-someone-else' });
    await system.request('POST', `/admin/links/${link.id}/reset`, { admin: true });
    await system.settled();

    // Act
    const log = await system.request('GET', `/admin/links/${link.id}/events`, { admin: true });

    // Assess: newest first
    const outcomes = log.json.items.map((e: { outcome: string }) => e.outcome);
    expect(outcomes).toEqual(['reset', 'NOT_LINK_OWNER', 'DOWNLOAD_LIMIT_REACHED', 'ok']);
    const served = log.json.items.find((e: { outcome: string }) => e.outcome === 'ok');
    expect(served).toMatchObject({ kind: 'download', ip: '127.0.0.1', userAgent: 'manager-test/1.0' });
    expect(log.json.items[0]).toMatchObject({ kind: 'admin', actor: 'operator-1' });
  });

  it('bad input on admin routes is a clear 4xx, never a 500', async () => {
    const results = await Promise.all([
      system.request('POST', '/admin/links/not-a-link-id/reset', { admin: true }),
      system.request('POST', '/admin/links/AAAAAAAAAAAAAAAAAAAAAA/reset', { admin: true }),
      system.request('POST', '/admin/links/AAAAAAAAAAAAAAAAAAAAAA/reset', { admin: true, body: { expiresInDays: -1 } }),
      system.request('POST', '/admin/links/AAAAAAAAAAAAAAAAAAAAAA/reset', {
        admin: true,
        rawBody: '{"resetCount": tru',
        headers: { 'content-type': 'application/json' },
      }),
      system.request('PUT', '/admin/products/p1', { admin: true, body: { maxDownloadsPerLink: 'five' } }),
      system.request('PUT', '/admin/products/p1', { admin: true, body: { variantOptions: [{ name: 'size' }] } }),
      system.request('PUT', '/admin/products/p1', { admin: true, body: { fileIds: ['AAAAAAAAAAAAAAAAAAAAAA'] } }),
      system.request('PUT', '/admin/products/p1', { admin: true, body: { name: 'x'.repeat(100_000) } }),
      system.request('POST', '/admin/files', { admin: true, body: { fileName: '', size: -1 } }),
      system.request('GET', '/admin/links/AAAAAAAAAAAAAAAAAAAAAA/events', { admin: true }),
      system.request('GET', '/admin/products?limit=abc', { admin: true }),
      system.request('GET', '/admin/customers/c1/downloads?cursor=forged', { admin: true }),
    ]);
    expect(results.map((r) => r.status)).toEqual([400, 404, 400, 400, 400, 400, 400, 413, 400, 404, 400, 400]);
    expect(results.map((r) => r.json?.error?.code)).toEqual([
      'INVALID_INPUT',
      'LINK_NOT_FOUND',
      'INVALID_INPUT',
      'INVALID_JSON',
      'INVALID_INPUT',
      'VARIANT_OPTIONS_NOT_ALLOWED',
      'UNKNOWN_FILE',
      'BODY_TOO_LARGE',
      'INVALID_INPUT',
      'LINK_NOT_FOUND',
      'INVALID_INPUT',
      'INVALID_CURSOR',
    ]);
  });
});
