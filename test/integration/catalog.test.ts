import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestRuntime();
});
afterAll(() => system?.stop());

const put = (productId: string, body: unknown, headers: Record<string, string> = {}) =>
  system.request('PUT', `/admin/products/${productId}`, { admin: true, body, headers });

describe('products that cannot be overwritten by accident', () => {
  it('If-None-Match: * creates a product once; a second create of the same id is 412 and changes nothing', async () => {
    // Prepare
    const demoFile = system.runtime.demo.fileId;

    // Act
    const created = await put('guide', { name: 'Guide', fileIds: [demoFile], maxDownloadsPerLink: 3 }, { 'if-none-match': '*' });
    const again = await put('guide', { name: 'Blank' }, { 'if-none-match': '*' });
    const after = await system.request('GET', '/admin/products/guide', { admin: true });

    // Assess
    expect(created.status).toBe(200);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe('/admin/products/guide');
    expect(again.status).toBe(412);
    expect(again.json.error.code).toBe('PRECONDITION_FAILED');
    expect(after.json).toEqual(created.json);
    expect(after.json).toMatchObject({ name: 'Guide', fileIds: [demoFile], maxDownloadsPerLink: 3, version: 1 });
  });

  it('If-Match with the ETag of a GET updates that version only: the second of two editors gets 412', async () => {
    // Prepare
    await put('shared', { name: 'Shared' }, { 'if-none-match': '*' });
    const [first, second] = await Promise.all([
      system.request('GET', '/admin/products/shared', { admin: true }),
      system.request('GET', '/admin/products/shared', { admin: true }),
    ]);

    // Act
    const firstSave = await put('shared', { maxDownloadsPerLink: 2 }, { 'if-match': first.headers.get('etag') ?? '' });
    const secondSave = await put('shared', { maxDownloadsPerLink: 9 }, { 'if-match': second.headers.get('etag') ?? '' });
    const after = await system.request('GET', '/admin/products/shared', { admin: true });

    // Assess
    expect(first.headers.get('etag')).toBe('"1"');
    expect(firstSave.status).toBe(200);
    expect(firstSave.headers.get('etag')).toBe('"2"');
    expect(secondSave.status).toBe(412);
    expect(secondSave.json.error.message).toMatch(/Someone else changed this product/);
    expect(after.json).toMatchObject({ maxDownloadsPerLink: 2, version: 2 });
    expect(after.headers.get('etag')).toBe('"2"');
  });

  it('refuses unknown file ids at their entry, in plain words, and a conditional request that sends both headers', async () => {
    // Act
    const unknown = await put('p-unknown', { fileIds: [system.runtime.demo.fileId, 'AAAAAAAAAAAAAAAAAAAAAA'] }, { 'if-none-match': '*' });
    const fraction = await put('p-unknown', { maxDownloadsPerLink: 1.5 });
    const both = await put('p-unknown', {}, { 'if-none-match': '*', 'if-match': '"1"' });
    const stillAbsent = await system.request('GET', '/admin/products/p-unknown', { admin: true });

    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('UNKNOWN_FILE');
    expect(unknown.json.error.details).toEqual([{ path: 'fileIds.1', message: 'no file with this id' }]);
    expect(fraction.json.error.details).toEqual([{ path: 'maxDownloadsPerLink', message: 'must be a whole number' }]);
    expect(both.status).toBe(400);
    expect(both.json.error.code).toBe('INVALID_PRECONDITION');
    expect(stillAbsent.status).toBe(404);
  });

  it('lists products sorted by name (or id) and finds them by part of either, in any case, page by page', async () => {
    // Prepare
    for (const [id, name] of [
      ['sort-c', 'cherry Sorter'],
      ['sort-a', 'Apple sorter'],
      ['sort-b', 'banana SORTER'],
    ] as const)
      await put(id, { name });

    // Act
    const first = await system.request('GET', '/admin/products?q=SORTER&limit=2', { admin: true });
    const rest = await system.request('GET', `/admin/products?q=sorter&limit=2&cursor=${first.json.nextCursor}`, { admin: true });
    const byId = await system.request('GET', '/admin/products?q=SORT-B', { admin: true });

    // Assess
    expect(first.json.items.map((p: { productId: string }) => p.productId)).toEqual(['sort-a', 'sort-b']);
    expect(rest.json.items.map((p: { productId: string }) => p.productId)).toEqual(['sort-c']);
    expect(rest.json.nextCursor).toBeNull();
    expect(byId.json.items.map((p: { productId: string }) => p.productId)).toEqual(['sort-b']);
  });
});

describe('archiving a product', () => {
  it('stops selling it to new purchases while the links already sold keep working, until it is back on sale', async () => {
    // Prepare
    await put('seasonal', { name: 'Seasonal', fileIds: [system.runtime.demo.fileId] });
    await system.sendPayment('PaymentSucceeded', purchase('inv-before-archive', 'cust-arch', ['seasonal']));
    const [sold] = (await system.request('GET', '/downloads/invoice/inv-before-archive', { as: 'cust-arch' })).json.items;

    // Act
    const archived = await system.request('POST', '/admin/products/seasonal/archive', { admin: true });
    await system.sendPayment('PaymentSucceeded', purchase('inv-after-archive', 'cust-arch', ['seasonal']));
    const afterArchive = await system.request('GET', '/downloads/invoice/inv-after-archive', { as: 'cust-arch' });
    const oldLink = await system.request('GET', new URL(sold.downloadUrl).pathname, { as: 'cust-arch', headers: { accept: 'application/json' } });
    const listed = await system.request('GET', '/admin/products?status=archived&q=seasonal', { admin: true });
    const unarchived = await system.request('POST', '/admin/products/seasonal/unarchive', { admin: true });
    await system.sendPayment('PaymentSucceeded', purchase('inv-back-on-sale', 'cust-arch', ['seasonal']));
    const backOnSale = await system.request('GET', '/downloads/invoice/inv-back-on-sale', { as: 'cust-arch' });

    // Assess
    expect(archived.status).toBe(200);
    expect(archived.json.archivedAt).toEqual(expect.any(String));
    expect(sold.productName).toBe('Seasonal');
    expect(afterArchive.status).toBe(404);
    expect(oldLink.status).toBe(200);
    expect(listed.json.items.map((p: { productId: string }) => p.productId)).toEqual(['seasonal']);
    expect(unarchived.json.archivedAt).toBeNull();
    expect(backOnSale.json.items).toHaveLength(1);
  });
});

describe('the file library', () => {
  it('lists every file newest first, with state and size, page by page, and finds them by part of the name in any case', async () => {
    // Prepare: three uploads started (pending) and one import (ready)
    for (const fileName of ['Lib Alpha.pdf', 'lib beta.zip', 'LIB gamma.mp3']) {
      await system.request('POST', '/admin/files', { admin: true, body: { fileName, size: 1000 } });
    }
    const imported = await system.request('POST', '/admin/files/import', {
      admin: true,
      body: { key: system.runtime.demo.importableKey, fileName: 'Lib kit.zip' },
    });

    // Act
    const first = await system.request('GET', '/admin/files?q=LIB&limit=3', { admin: true });
    const rest = await system.request('GET', `/admin/files?q=lib&limit=3&cursor=${first.json.nextCursor}`, { admin: true });
    const beta = await system.request('GET', '/admin/files?q=BETA', { admin: true });
    const all = await system.request('GET', '/admin/files?limit=100', { admin: true });

    // Assess
    expect(first.json.items.map((f: { fileName: string }) => f.fileName)).toEqual(['Lib kit.zip', 'LIB gamma.mp3', 'lib beta.zip']);
    expect(first.json.items[0]).toMatchObject({ fileId: imported.json.fileId, state: 'ready', source: 'import' });
    expect(first.json.items[1]).toMatchObject({ state: 'pending', size: 1000 });
    expect(rest.json.items.map((f: { fileName: string }) => f.fileName)).toEqual(['Lib Alpha.pdf']);
    expect(rest.json.nextCursor).toBeNull();
    expect(beta.json.items.map((f: { fileName: string }) => f.fileName)).toEqual(['lib beta.zip']);
    expect(all.json.items.map((f: { fileId: string }) => f.fileId)).toContain(system.runtime.demo.fileId);
  });
});

describe('the Download Manager', () => {
  it('finds the customers who bought with an email address, in any case, with their invoices', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', {
      ...purchase('inv-mail-1', 'cust-mail', [system.runtime.demo.productId]),
      customerEmail: 'grace@example.com',
    });
    await system.sendPayment('PaymentSucceeded', {
      ...purchase('inv-mail-2', 'cust-mail', [system.runtime.demo.productId]),
      customerEmail: 'grace@example.com',
    });

    // Act
    const found = await system.request('GET', '/admin/customers?email=Grace@Example.com', { admin: true });
    const none = await system.request('GET', '/admin/customers?email=nobody@example.com', { admin: true });

    // Assess
    expect(found.status).toBe(200);
    expect(found.json.items).toHaveLength(1);
    expect(found.json.items[0].customerId).toBe('cust-mail');
    expect(found.json.items[0].invoices.map((i: { invoiceId: string }) => i.invoiceId).sort()).toEqual(['inv-mail-1', 'inv-mail-2']);
    expect(found.json.items[0].invoices[0].state).toBe('paid');
    expect(none.json.items).toEqual([]);
  });

  it("shows an invoice's payment state, and after a regenerate each log names the link on the other side", async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', purchase('inv-regen-log', 'cust-regen-log', [system.runtime.demo.productId]));
    const before = await system.request('GET', '/admin/invoices/inv-regen-log/downloads', { admin: true });
    const oldId = before.json.items[0].id;

    // Act
    const regenerated = await system.request('POST', '/admin/invoices/inv-regen-log/downloads/regenerate', { admin: true });
    const newId = regenerated.json.items[0].id;
    const newLog = await system.request('GET', `/admin/links/${newId}/events`, { admin: true });
    const oldLog = await system.request('GET', `/admin/links/${oldId}/events`, { admin: true });

    // Assess
    expect(before.json.invoice).toMatchObject({ invoiceId: 'inv-regen-log', customerId: 'cust-regen-log', state: 'paid' });
    expect(newLog.json.items[0]).toMatchObject({ outcome: 'issued-by-regeneration', details: { replaces: oldId } });
    expect(oldLog.status).toBe(200);
    expect(oldLog.json.items[0]).toMatchObject({ outcome: 'regenerate', details: { replacedBy: newId } });
  });
});

describe('a download link opened in a browser', () => {
  it('sends a navigation without a bearer to the customer page, token in the fragment; curl still gets the 401 JSON', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', purchase('inv-browser', 'cust-browser', [system.runtime.demo.productId]));
    const [link] = (await system.request('GET', '/downloads/invoice/inv-browser', { as: 'cust-browser' })).json.items;
    const path = new URL(link.downloadUrl).pathname;
    const token = path.split('/').at(-1) ?? '';

    // Act
    const navigation = await system.request('GET', path, { headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html,*/*;q=0.8' } });
    const curl = await system.request('GET', path, { headers: { accept: '*/*' } });
    const withBearer = await system.request('GET', path, { as: 'cust-browser', headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html' } });

    // Assess
    expect(navigation.status).toBe(302);
    expect(navigation.headers.get('location')).toBe(`/account/downloads#download=${token}`);
    expect(navigation.headers.get('cache-control')).toBe('no-store');
    expect(navigation.headers.get('referrer-policy')).toBe('no-referrer');
    expect(curl.status).toBe(401);
    expect(curl.json.error.code).toBe('UNAUTHORIZED');
    expect(withBearer.status).toBe(302);
    expect(withBearer.headers.get('location')).toContain('X-Amz-Signature=');
  });
});
