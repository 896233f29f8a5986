import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../adapters/dynamo/client';
import { DynamoDispatchLedger } from '../../adapters/dynamo/dispatch-ledger';
import { DynamoCatalogStore } from '../../adapters/dynamo/catalog-store';
import { DynamoInvoiceStore } from '../../adapters/dynamo/invoice-store';
import { DynamoLinkStore } from '../../adapters/dynamo/link-store';
import { DynamoProductUpdateStore } from '../../adapters/dynamo/product-update-store';
import { LinkSigner } from '../../core/link-signer';
import { advanceProductUpdate, type AdvanceUpdateDeps } from '../../core/use-cases/advance-product-update';
import { startProductUpdate } from '../../core/use-cases/start-product-update';
import { localTableName } from '../../local/provision';
import { FakeKeySource, FakeMailer, FakePublisher } from '../support/fakes';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;

beforeAll(async () => {
  // Small steps, so that a handful of buyers already takes several batches.
  process.env.UPDATE_BATCH_SIZE = '3';
  system = await startTestRuntime();
});
afterAll(() => system?.stop());

/** Uploads `bytes` as a new file through the admin API (presigned PUT, then complete); returns its id. */
const upload = async (fileName: string, bytes: Buffer) => {
  const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName, size: bytes.length } });
  const put = await fetch(started.json.upload.url, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': started.json.file.contentType } });
  expect(put.status).toBe(200);
  const done = await system.request('POST', `/admin/files/${started.json.file.fileId}/complete`, { admin: true, body: {} });
  expect(done.status).toBe(200);
  return started.json.file.fileId as string;
};

/** Downloads through a link's URL as its customer, following the 302 to the presigned URL; the file's bytes. */
const download = async (customerId: string, downloadUrl: string) => {
  const granted = await system.request('GET', downloadUrl, { as: customerId, headers: { accept: 'application/json' } });
  expect(granted.status).toBe(200);
  return Buffer.from(await (await fetch(granted.json.url)).arrayBuffer());
};

const emailsTo = (dataDir: string) =>
  readdirSync(join(dataDir, 'outbox'))
    .filter((f) => f.endsWith('.eml'))
    .map((f) => readFileSync(join(dataDir, 'outbox', f), 'utf8'))
    .map((raw) => ({ to: /^To: (.*)$/m.exec(raw)?.[1]?.trim(), subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '' }));

describe('an update for past buyers, through the API and the stream', () => {
  it('serves version 2 through every old link of the product, with one email per customer, and shows its progress', async () => {
    // Prepare: a product with its own file; five customers buy it, one of them twice
    const v1 = await upload('guide.pdf', Buffer.from('%PDF-1.4 guide, first edition'));
    const v2 = await upload('guide.pdf', Buffer.from('%PDF-1.4 guide, second edition'));
    expect(
      (await system.request('PUT', '/admin/products/guide', { admin: true, body: { name: 'The Guide', fileIds: [v1], maxDownloadsPerLink: 3 } })).status,
    ).toBe(200);
    const customers = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'];
    for (const [i, customerId] of customers.entries())
      await system.sendPayment('PaymentSucceeded', purchase(`upd-${i}`, customerId, ['guide']), { wait: false });
    await system.sendPayment('PaymentSucceeded', purchase('upd-again', 'u-2', ['guide']));
    const before = await system.request('GET', '/downloads/customer', { as: 'u-1' });
    const oldUrl = before.json.items[0].downloadUrl as string;
    expect((await download('u-1', oldUrl)).toString()).toContain('first edition');
    const preview = await system.request('POST', '/admin/products/guide/updates/preview', { admin: true, body: { replace: { [v1]: v2 } } });

    // Act
    const started = await system.request('POST', '/admin/products/guide/updates', { admin: true, body: { replace: { [v1]: v2 }, notify: true } });
    await system.settled();

    // Assess
    expect(preview.json).toEqual({ productId: 'guide', links: 6, customers: 5, complete: true });
    expect(started.status).toBe(202);
    const progress = await system.request('GET', started.headers.get('location') ?? '', { admin: true });
    expect(progress.json).toMatchObject({ status: 'done', repointed: 6, skipped: 0, customersNotified: 5, scanned: 6 });
    expect(progress.json.batches).toBeGreaterThan(2);
    const after = await system.request('GET', '/downloads/customer', { as: 'u-1' });
    expect(after.json.items[0]).toMatchObject({ downloadUrl: oldUrl, downloadCount: 1, maxDownloads: 3, fileVersion: 2 });
    expect(after.json.items[0].updatedUtc).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await download('u-1', oldUrl)).toString()).toContain('second edition');
    const updateEmails = emailsTo(system.dataDir).filter((e) => e.subject.startsWith('A new version of The Guide'));
    expect(updateEmails.map((e) => e.to).sort()).toEqual(customers.map((c) => `${c}@example.com`));
    const versions = await system.request('GET', '/admin/products/guide/updates', { admin: true });
    expect(versions.json.items.map((u: { updateId: string }) => u.updateId)).toEqual([started.json.updateId]);
    expect((await system.request('GET', '/admin/products/guide', { admin: true })).json.fileIds).toEqual([v2]);
  });

  it('refuses an update to a file that does not exist, with a clear 400, and an unknown update with a 404', async () => {
    // Act
    const bad = await system.request('POST', `/admin/products/${system.runtime.demo.productId}/updates`, {
      admin: true,
      body: { replace: { [system.runtime.demo.fileId]: 'AAAAAAAAAAAAAAAAAAAAAA' } },
    });
    const unknown = await system.request('GET', `/admin/products/${system.runtime.demo.productId}/updates/20260101T000000000Z-AAAAAAAA`, { admin: true });
    const customer = await system.request('POST', `/admin/products/${system.runtime.demo.productId}/updates`, { as: 'u-1', body: { replace: {} } });

    // Assess
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('UNKNOWN_FILE');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('UPDATE_NOT_FOUND');
    expect(customer.status).toBe(403);
  });
});

describe('an update that crashes in the middle of a batch, against the real engine', () => {
  it('resumes from its cursor: every link repointed exactly once (version 2, never 3), one email per customer', async () => {
    // Prepare: the real links, invoices, products and dispatches tables; the update in a table of its own, out of the runtime's reach
    const raw = new DynamoDBClient({ region: 'us-east-1', endpoint: system.runtime.dynamodbEndpoint });
    const db = createDocumentClient({ region: 'us-east-1', endpoint: system.runtime.dynamodbEndpoint });
    const updatesTable = 'test-crash-product-updates';
    await raw.send(
      new CreateTableCommand({
        TableName: updatesTable,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'productId', AttributeType: 'S' },
          { AttributeName: 'updateId', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'productId', KeyType: 'HASH' },
          { AttributeName: 'updateId', KeyType: 'RANGE' },
        ],
      }),
    );
    const w1 = await upload('workbook.pdf', Buffer.from('%PDF-1.4 workbook 1'));
    const w2 = await upload('workbook.pdf', Buffer.from('%PDF-1.4 workbook 2'));
    await system.request('PUT', '/admin/products/workbook', { admin: true, body: { name: 'Workbook', fileIds: [w1] } });
    const buyers = Array.from({ length: 8 }, (_, i) => `w-${i}`);
    for (const [i, customerId] of buyers.entries())
      await system.sendPayment('PaymentSucceeded', purchase(`wb-${i}`, customerId, ['workbook']), { wait: false });
    await system.settled();

    const realLinks = new DynamoLinkStore(db, localTableName('links'));
    let writes = 0;
    let crashAfter: number | undefined;
    // The crash: the write reached the table, and the process died before the step recorded anything.
    const links = Object.assign(Object.create(realLinks) as DynamoLinkStore, {
      repoint: async (...args: Parameters<DynamoLinkStore['repoint']>) => {
        const outcome = await realLinks.repoint(...args);
        writes++;
        if (crashAfter !== undefined && writes >= crashAfter) {
          crashAfter = undefined;
          throw new Error('crashed after a write');
        }
        return outcome;
      },
    });
    const updates = new DynamoProductUpdateStore(db, updatesTable);
    const catalog = new DynamoCatalogStore(db, {
      products: localTableName('products'),
      files: localTableName('files'),
      externalIds: localTableName('externalIds'),
    });
    const mailer = new FakeMailer();
    const deps: AdvanceUpdateDeps = {
      updates,
      links,
      invoices: new DynamoInvoiceStore(db, localTableName('invoices')),
      catalog,
      signer: new LinkSigner(new FakeKeySource()),
      events: new FakePublisher(),
      mailer,
      dispatch: { ledger: new DynamoDispatchLedger(db, localTableName('dispatches')), clock: Date.now, sleep: async () => undefined },
      publicBaseUrl: 'https://shop.example.com',
      accountUrl: 'https://shop.example.com/account/downloads',
      from: 'shop@example.com',
      batchSize: 3,
      clock: () => new Date().toISOString(),
    };
    // The product's file replaced directly in the catalog: the runtime's own stream never sees this update.
    const started = await startProductUpdate(
      { catalog, updates },
      'workbook',
      { replace: { [w1]: w2 }, notify: true },
      { now: new Date().toISOString(), by: 'op' },
    );
    const step = async () => {
      const job = await updates.get('workbook', started.updateId);
      return job && job.phase !== 'done' ? advanceProductUpdate(deps, { productId: 'workbook', updateId: started.updateId, step: job.step }) : 'done';
    };

    // Act: one batch, then a crash after the first write of the second; run again until done; replay the first step
    await step();
    crashAfter = writes + 1;
    const crashed = await step().catch((error: Error) => error.message);
    const outcomes: string[] = [];
    for (let i = 0; i < 20 && outcomes.at(-1) !== 'done'; i++) outcomes.push(await step());
    const replayed = await advanceProductUpdate(deps, { productId: 'workbook', updateId: started.updateId, step: 0 });

    // Assess
    expect(crashed).toBe('crashed after a write');
    expect(replayed).toBe('stale');
    const all = (await realLinks.listByProduct('workbook', { limit: 100 })).items;
    expect(all).toHaveLength(8);
    expect(all.every((l) => l.fileId === w2 && l.fileVersion === 2 && l.updateId === started.updateId)).toBe(true);
    expect(await updates.get('workbook', started.updateId)).toMatchObject({
      phase: 'done',
      counts: { scanned: 8, repointed: 8, skipped: 0, customersNotified: 8 },
    });
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(buyers.map((c) => `${c}@example.com`).sort());
    raw.destroy();
    db.destroy();
  });
});
