import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../adapters/dynamo/link-store';
import { createDocumentClient } from '../../adapters/dynamo/client';
import { localTableName } from '../../local/provision';
import { metadataOf, pageTexts, samplePdf } from '../support/pdf';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestRuntime();
});
afterAll(() => system?.stop());

const upload = async (fileName: string, bytes: Uint8Array) => {
  const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName, size: bytes.length } });
  await fetch(started.json.upload.url, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': started.json.file.contentType } });
  expect((await system.request('POST', `/admin/files/${started.json.file.fileId}/complete`, { admin: true, body: {} })).status).toBe(200);
  return started.json.file as { fileId: string; objectKey?: string };
};

const download = async (customerId: string, downloadUrl: string) => {
  const granted = await system.request('GET', downloadUrl, { as: customerId, headers: { accept: 'application/json' } });
  expect(granted.status).toBe(200);
  return new Uint8Array(await (await fetch(granted.json.url)).arrayBuffer());
};

const exists = async (s3: S3Client, key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: system.runtime.bucket, Key: key })).then(
    () => true,
    () => false,
  );

describe('a stamped product', () => {
  it('serves each buyer a copy with their email on every page and in the metadata, the original untouched; an update is stamped again; a revoke removes the copies', async () => {
    // Prepare
    const original = await samplePdf(4, 'Stamped Handbook');
    const v1 = await upload('handbook.pdf', original);
    const zip = await upload('extras.zip', new TextEncoder().encode('PK not a pdf'));
    const put = await system.request('PUT', '/admin/products/stamped-book', {
      admin: true,
      body: { name: 'Stamped Handbook', fileIds: [v1.fileId, zip.fileId], stamping: { enabled: true } },
    });
    expect(put.json.stamping).toEqual({ enabled: true, text: null });

    // Act
    await system.sendPayment('PaymentSucceeded', purchase('st-1', 'reader-1', ['stamped-book']), { wait: false });
    await system.sendPayment('PaymentSucceeded', purchase('st-2', 'reader-2', ['stamped-book']));
    const mine = (await system.request('GET', '/downloads/customer', { as: 'reader-1' })).json.items as { fileName: string; downloadUrl: string; id: string }[];
    const pdfLink = mine.find((l) => l.fileName === 'handbook.pdf');
    const zipLink = mine.find((l) => l.fileName === 'extras.zip');
    const copy = await download('reader-1', pdfLink?.downloadUrl ?? '');
    const other = await download(
      'reader-2',
      (await system.request('GET', '/downloads/customer', { as: 'reader-2' })).json.items.find((l: { fileName: string }) => l.fileName === 'handbook.pdf')
        .downloadUrl,
    );

    // Assess: every page of reader-1's copy names reader-1, and nobody else
    const texts = await pageTexts(copy);
    expect(texts).toHaveLength(4);
    for (const text of texts) expect(text).toContain('Licensed to reader-1@example.com \x97 order st-1 Tj');
    expect((await metadataOf(copy)).subject).toBe('Licensed to reader-1@example.com — order st-1');
    expect((await pageTexts(other)).every((t) => t.includes('reader-2@example.com') && !t.includes('reader-1'))).toBe(true);
    expect(new TextDecoder().decode(await download('reader-1', zipLink?.downloadUrl ?? ''))).toBe('PK not a pdf');
    const db = createDocumentClient({ region: 'us-east-1', endpoint: system.runtime.dynamodbEndpoint });
    const links = new DynamoLinkStore(db, localTableName('links'));
    const stored = await links.get(pdfLink?.id ?? '');
    expect(stored?.copyKey).toMatch(/^stamped\/[A-Za-z0-9_-]{22}$/);
    expect((await links.get(zipLink?.id ?? ''))?.stampText).toBeNull();
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: system.runtime.s3Endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });

    // Act: an update to a second edition, then a revoke
    const v2 = await upload('handbook.pdf', await samplePdf(2, 'Second Edition'));
    await system.request('POST', '/admin/products/stamped-book/updates', { admin: true, body: { replace: { [v1.fileId]: v2.fileId } } });
    await system.settled();
    const updated = await pageTexts(await download('reader-1', pdfLink?.downloadUrl ?? ''));
    await system.request('POST', `/admin/links/${pdfLink?.id}/revoke`, { admin: true });
    await system.settled();

    // Assess
    expect(updated.map((t) => t.includes('Second Edition') && t.includes('reader-1@example.com'))).toEqual([true, true]);
    const copyKey = stored?.copyKey ?? '';
    expect(await exists(s3, `${copyKey}/v1.pdf`)).toBe(false);
    expect(await exists(s3, `${copyKey}/v2.pdf`)).toBe(false);
    const kept = await s3.send(new GetObjectCommand({ Bucket: system.runtime.bucket, Key: stored?.objectKey ?? '' }));
    expect(Buffer.from((await kept.Body?.transformToByteArray()) ?? []).equals(Buffer.from(original))).toBe(true);
    s3.destroy();
    db.destroy();
  });
});

describe('a stamped copy of a link that expired', () => {
  it('is removed by the sweep a day after the expiry, the original untouched; an operator who extends the link gets the copy made again', async () => {
    // Prepare: a bought stamped link with its copy, then its days pass (its expiry moved three days back)
    const original = await samplePdf(2, 'Expiring Handbook');
    const file = await upload('expiring.pdf', original);
    await system.request('PUT', '/admin/products/expiring-book', {
      admin: true,
      body: { name: 'Expiring Handbook', fileIds: [file.fileId], downloadLinkExpiryDays: 30, stamping: { enabled: true } },
    });
    await system.sendPayment('PaymentSucceeded', purchase('ex-1', 'reader-9', ['expiring-book']));
    const [link] = (await system.request('GET', '/downloads/customer', { as: 'reader-9' })).json.items as { id: string; downloadUrl: string }[];
    const db = createDocumentClient({ region: 'us-east-1', endpoint: system.runtime.dynamodbEndpoint });
    const links = new DynamoLinkStore(db, localTableName('links'));
    const made = await links.get(link?.id ?? '');
    const copy = `${made?.copyKey}/v1.pdf`;
    await links.reset(link?.id ?? '', { resetCount: false, expiresAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    await system.settled();
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: system.runtime.s3Endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const before = await exists(s3, copy);

    // Act
    const swept = await system.runtime.runScheduled('copy-sweeper');
    await system.settled();
    const after = { exists: await exists(s3, copy), link: await links.get(link?.id ?? '') };
    const expired = await system.request('GET', link?.downloadUrl ?? '', { as: 'reader-9', headers: { accept: 'application/json' } });
    await system.request('POST', `/admin/links/${link?.id}/reset`, { admin: true, body: { expiresInDays: 7 } });
    await system.settled();

    // Assess
    expect(made?.copyVersion).toBe(1);
    expect(before).toBe(true);
    expect(swept).toMatchObject({ swept: 1, objectsRemoved: 1, complete: true });
    expect(after.exists).toBe(false);
    expect(after.link?.copyVersion).toBeNull();
    expect(expired.json.error.code).toBe('LINK_EXPIRED');
    const kept = await s3.send(new GetObjectCommand({ Bucket: system.runtime.bucket, Key: made?.objectKey ?? '' }));
    expect(Buffer.from((await kept.Body?.transformToByteArray()) ?? []).equals(Buffer.from(original))).toBe(true);
    expect(await exists(s3, copy)).toBe(true);
    const served = await pageTexts(await download('reader-9', link?.downloadUrl ?? ''));
    expect(served.every((t) => t.includes('reader-9@example.com'))).toBe(true);
    s3.destroy();
    db.destroy();
  });
});
