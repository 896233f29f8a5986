import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

/**
 * What a new user did to the system and broke it (issue: crash-proof
 * delivery), against the embedded engines: truncated and forged multipart
 * completions, key rotations, hostile display names, payments that buy
 * nothing or cannot be delivered.
 */
let system: TestSystem;

beforeAll(async () => {
  system = await startTestRuntime();
});
afterAll(() => system?.stop());

const MiB = 1024 * 1024;

/** Starts a 40 MiB multipart upload (5 parts of 8 MiB) and PUTs the parts given, returning their ETags. */
const partialUpload = async (uploadParts: number[]) => {
  const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName: 'archive.zip', size: 40 * MiB } });
  expect(started.json.upload.parts).toHaveLength(5);
  const parts: { partNumber: number; etag: string }[] = [];
  for (const part of started.json.upload.parts as { partNumber: number; url: string }[]) {
    if (!uploadParts.includes(part.partNumber)) continue;
    const response = await fetch(part.url, { method: 'PUT', body: new Uint8Array(Buffer.alloc(8 * MiB, part.partNumber)) });
    parts.push({ partNumber: part.partNumber, etag: response.headers.get('etag') ?? '' });
  }
  return { fileId: started.json.file.fileId as string, parts };
};

describe('uploads complete only when whole', () => {
  it('a 5-part upload completed with 2 parts is 409 UPLOAD_INCOMPLETE and the file stays pending', async () => {
    // Prepare
    const { fileId, parts } = await partialUpload([1, 2]);

    // Act
    const completed = await system.request('POST', `/admin/files/${fileId}/complete`, { admin: true, body: { parts } });

    // Assess
    expect(completed.status).toBe(409);
    expect(completed.json.error.code).toBe('UPLOAD_INCOMPLETE');
    expect((await system.request('GET', `/admin/files/${fileId}`, { admin: true })).json.state).toBe('pending');
  });

  it('naming a part that was never uploaded, or a wrong ETag, is a 4xx and the runtime keeps serving', async () => {
    // Prepare: parts 1-4 uploaded, part 5 never
    const { fileId, parts } = await partialUpload([1, 2, 3, 4]);

    // Act
    const neverUploaded = await system.request('POST', `/admin/files/${fileId}/complete`, {
      admin: true,
      body: { parts: [...parts, { partNumber: 5, etag: '"d41d8cd98f00b204e9800998ecf8427e"' }] },
    });
    const wrongEtag = await system.request('POST', `/admin/files/${fileId}/complete`, {
      admin: true,
      body: { parts: [...parts.slice(0, 3), { partNumber: 4, etag: '"00000000000000000000000000000000"' }, { partNumber: 5, etag: '"x"' }] },
    });

    // Assess
    expect(neverUploaded.status).toBe(409);
    expect(neverUploaded.json.error.code).toBe('UPLOAD_INCOMPLETE');
    expect(wrongEtag.status).toBe(409);
    expect((await system.request('GET', `/admin/files/${fileId}`, { admin: true })).json.state).toBe('pending');
    expect((await system.request('GET', '/admin/products', { admin: true })).status).toBe(200);
  });

  it('a single PUT of fewer bytes than declared is 409 UPLOAD_INCOMPLETE', async () => {
    const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName: 'book.pdf', size: 1000 } });
    await fetch(started.json.upload.url, { method: 'PUT', body: new Uint8Array(600), headers: started.json.upload.headers });
    const completed = await system.request('POST', `/admin/files/${started.json.file.fileId}/complete`, { admin: true, body: {} });
    expect(completed.status).toBe(409);
    expect(completed.json.error.message).toContain('600');
  });
});

describe('signing-key rotation never breaks an issued link', () => {
  it('a link emailed before five rotations still downloads, and so does every link listed in between', async () => {
    // Prepare: the link as it was emailed, signed with the key current at purchase (of an unlimited product)
    await system.request('PUT', '/admin/products/rotation-book', { admin: true, body: { fileIds: [system.runtime.demo.fileId], maxDownloadsPerLink: 0 } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-rotate-5', 'cust-rotate-5', ['rotation-book']));
    const emailed = (await system.request('GET', '/downloads/invoice/inv-rotate-5', { as: 'cust-rotate-5' })).json.items[0].downloadUrl as string;
    const listed: string[] = [];

    // Act
    for (let i = 0; i < 5; i++) {
      expect((await system.request('POST', '/_local/rotate-signing-key')).status).toBe(200);
      listed.push((await system.request('GET', '/downloads/invoice/inv-rotate-5', { as: 'cust-rotate-5' })).json.items[0].downloadUrl);
    }
    const attempts: number[] = [];
    for (const url of [emailed, ...listed]) {
      attempts.push((await system.request('GET', new URL(url).pathname, { as: 'cust-rotate-5', headers: { accept: 'application/json' } })).status);
    }

    // Assess: six keys signed these six URLs, and every one verifies
    expect(new Set([emailed, ...listed].map((url) => new URL(url).pathname.split('/')[2]?.split('.')[0])).size).toBe(6);
    expect(attempts).toEqual([200, 200, 200, 200, 200, 200]);
  });
});

describe('hostile display names', () => {
  it('a file named with a bidi override and zero-width characters lists and downloads under the cleaned name', async () => {
    // Prepare
    const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName: 'invoice\u202Efdp.exe\u200B', size: 4 } });
    await fetch(started.json.upload.url, { method: 'PUT', body: new Uint8Array(4), headers: started.json.upload.headers });
    await system.request('POST', `/admin/files/${started.json.file.fileId}/complete`, { admin: true, body: {} });
    await system.request('PUT', '/admin/products/bidi', { admin: true, body: { fileIds: [started.json.file.fileId] } });

    // Act
    await system.sendPayment('PaymentSucceeded', purchase('inv-bidi', 'cust-bidi', ['bidi']));
    const [link] = (await system.request('GET', '/downloads/invoice/inv-bidi', { as: 'cust-bidi' })).json.items;
    const grant = await system.request('GET', new URL(link.downloadUrl).pathname, { as: 'cust-bidi', headers: { accept: 'application/json' } });
    const served = await fetch(grant.json.url);

    // Assess
    expect(started.json.file.fileName).toBe('invoicefdp.exe');
    expect(link.fileName).toBe('invoicefdp.exe');
    expect(served.headers.get('content-disposition')).toBe(`attachment; filename="invoicefdp.exe"; filename*=UTF-8''invoicefdp.exe`);
  });
});

describe('payments that buy nothing, or cannot be delivered', () => {
  const eventsOf = (invoiceId: string) =>
    system.runtime.bus.history({ source: 'digital-downloads' }).filter((e) => (e.detail as { invoiceId: string }).invoiceId === invoiceId);

  it('a paid digital product with no ready file emits DeliveryRejected NO_FILES, announces no delivery and does not complete', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/no-files', { admin: true, body: { name: 'Nothing yet' } });

    // Act
    await system.sendPayment('PaymentSucceeded', purchase('inv-no-files', 'cust-nf', ['no-files']));

    // Assess
    expect(eventsOf('inv-no-files').map((e) => [e['detail-type'], e.detail])).toEqual([
      ['DeliveryRejected', { invoiceId: 'inv-no-files', reason: 'NO_FILES', productIds: ['no-files'] }],
    ]);
    expect((await system.request('GET', '/downloads/invoice/inv-no-files', { as: 'cust-nf' })).json.items).toEqual([]);
  });

  it('a line with quantity 0 buys nothing', async () => {
    await system.sendPayment('PaymentSucceeded', {
      ...purchase('inv-qty-0', 'cust-q', []),
      lines: [{ productId: system.runtime.demo.productId, quantity: 0 }],
    });
    expect(eventsOf('inv-qty-0')).toEqual([]);
    expect((await system.request('GET', '/downloads/customer', { as: 'cust-q' })).json.items).toEqual([]);
  });

  it('an occurredAt in year 9999 is parked with its reason and creates nothing', async () => {
    await system.sendPayment('PaymentSucceeded', purchase('inv-9999', 'cust-9999', [system.runtime.demo.productId], '9999-01-01T00:00:00Z'));
    const parked = system.runtime.deadLetters.list().find((l) => (l.payload as { detail?: { invoiceId?: string } })?.detail?.invoiceId === 'inv-9999');
    expect(parked?.reason).toMatch(/more than 24 hours ahead/);
    expect(eventsOf('inv-9999')).toEqual([]);
  });
});
