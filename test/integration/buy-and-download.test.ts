import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestRuntime();
});
afterAll(() => system?.stop());

describe('buying the demo product by event and downloading it', () => {
  it('a PaymentSucceeded event creates one link that lists, redirects to a presigned URL, and serves the file bytes', async () => {
    // Prepare
    const productId = system.runtime.demo.productId;
    await system.sendPayment('PaymentSucceeded', purchase('inv-1', 'cust-1', [productId]));

    // Act
    const list = await system.request('GET', '/downloads/customer', { as: 'cust-1' });
    const link = list.json.items[0];
    const download = await system.request('GET', new URL(link.downloadUrl).pathname, { as: 'cust-1' });
    const location = download.headers.get('location') ?? '';
    const file = await fetch(location);
    const bytes = Buffer.from(await file.arrayBuffer());

    // Assess
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(1);
    expect(link).toMatchObject({
      productId,
      invoiceId: 'inv-1',
      fileName: 'Digital Downloads Handbook.pdf',
      status: 'active',
      maxDownloads: 5,
      downloadCount: 0,
      remainingDownloads: 5,
    });
    expect(download.status).toBe(302);
    expect(download.headers.get('cache-control')).toBe('no-store');
    expect(location).toContain('X-Amz-Signature=');
    expect(file.status).toBe(200);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toContain(`filename*=UTF-8''Digital%20Downloads%20Handbook.pdf`);
  });

  it('the presigned URL serves the exact bytes that were uploaded, and Range requests within its lifetime', async () => {
    // Prepare: upload a file with random bytes through the admin API, attach it to a product
    const content = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName: `Ünïcode "report", v2.pdf`, size: content.length } });
    const put = await fetch(started.json.upload.url, { method: 'PUT', body: new Uint8Array(content), headers: started.json.upload.headers });
    const completed = await system.request('POST', `/admin/files/${started.json.file.fileId}/complete`, { admin: true, body: {} });
    await system.request('PUT', '/admin/products/report-2', { admin: true, body: { fileIds: [started.json.file.fileId] } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-bytes', 'cust-bytes', ['report-2']));
    const [link] = (await system.request('GET', '/downloads/invoice/inv-bytes', { as: 'cust-bytes' })).json.items;

    // Act
    const grant = await system.request('GET', new URL(link.downloadUrl).pathname, { as: 'cust-bytes', headers: { accept: 'application/json' } });
    const whole = Buffer.from(await (await fetch(grant.json.url)).arrayBuffer());
    const ranged = await fetch(grant.json.url, { headers: { range: 'bytes=100-199' } });
    const after = await system.request('GET', '/downloads/invoice/inv-bytes', { as: 'cust-bytes' });

    // Assess
    expect(put.status).toBe(200);
    expect(completed.json).toMatchObject({ state: 'ready', size: content.length });
    expect(grant.status).toBe(200);
    expect(grant.json.expiresInSeconds).toBeGreaterThan(0);
    expect(grant.json.expiresInSeconds).toBeLessThanOrEqual(300);
    expect(whole.equals(content)).toBe(true);
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(content.subarray(100, 200))).toBe(true);
    expect(after.json.items[0].downloadCount).toBe(1);
  });

  it('a flipped character in the token is a 404, and another customer gets no URL', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', purchase('inv-2', 'cust-2', [system.runtime.demo.productId]));
    const [link] = (await system.request('GET', '/downloads/customer', { as: 'cust-2' })).json.items;
    const path = new URL(link.downloadUrl).pathname;
    const flipped = path.slice(0, -1) + (path.endsWith('A') ? 'B' : 'A');

    // Act
    const forged = await system.request('GET', flipped, { as: 'cust-2' });
    const stranger = await system.request('GET', path, { as: 'cust-intruder' });
    const after = await system.request('GET', '/downloads/customer', { as: 'cust-2' });

    // Assess
    expect(forged.status).toBe(404);
    expect(forged.json.error.code).toBe('LINK_NOT_FOUND');
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('location')).toBeNull();
    expect(JSON.stringify(stranger.json)).not.toContain('X-Amz');
    expect(after.json.items[0].downloadCount).toBe(0);
  });

  it('no bearer token is a 401 and a customer token on an admin route is a 403', async () => {
    const anonymous = await system.request('GET', '/downloads/customer');
    const customerOnAdmin = await system.request('GET', '/admin/products', { as: 'cust-1' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('UNAUTHORIZED');
    expect(customerOnAdmin.status).toBe(403);
  });

  it('another customer cannot list an invoice that is not theirs', async () => {
    await system.sendPayment('PaymentSucceeded', purchase('inv-3', 'cust-3', [system.runtime.demo.productId]));
    const own = await system.request('GET', '/downloads/invoice/inv-3', { as: 'cust-3' });
    const other = await system.request('GET', '/downloads/invoice/inv-3', { as: 'cust-1' });
    const unknown = await system.request('GET', '/downloads/invoice/inv-nope', { as: 'cust-3' });
    expect(own.status).toBe(200);
    expect(own.json.items).toHaveLength(1);
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
  });
});
