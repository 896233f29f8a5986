/**
 * `npx tsx bench/updates.ts [links] [--json]` (and figure 10 of `npm run bench`): update throughput — links repointed per
 * second by the update's steps (UPDATE_BATCH_SIZE pages, 16 conditional
 * writes in flight), against the engine's own rate of conditional
 * UpdateItems at 16 in flight on the same links. Locally, DynamoDB Local is
 * the bound; the ratio says what the step adds (index pages, progress writes).
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../adapters/dynamo/client';
import { DynamoCatalogStore } from '../adapters/dynamo/catalog-store';
import { DynamoInvoiceStore } from '../adapters/dynamo/invoice-store';
import { DynamoLinkStore } from '../adapters/dynamo/link-store';
import { DynamoProductUpdateStore } from '../adapters/dynamo/product-update-store';
import { DynamoDispatchLedger } from '../adapters/dynamo/dispatch-ledger';
import { inBatches } from '../core/concurrency';
import { LinkSigner } from '../core/link-signer';
import { newProductUpdate } from '../core/product-update';
import { advanceProductUpdate } from '../core/use-cases/advance-product-update';
import { deriveLinkId, newLinkSeed } from '../core/token';
import { localTableName } from '../local/provision';
import { FakeKeySource, FakeMailer, FakePublisher } from '../test/support/fakes';
import { aLink } from '../test/support/links';
import { startTestRuntime } from '../test/support/runtime';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
const system = await startTestRuntime();
const raw = new DynamoDBClient({ region: 'us-east-1', endpoint: system.runtime.dynamodbEndpoint });
const db = createDocumentClient({ region: 'us-east-1', endpoint: system.runtime.dynamodbEndpoint });
try {
  const links = new DynamoLinkStore(db, localTableName('links'));
  const seed = newLinkSeed();
  const all = Array.from({ length: count }, (_, i) =>
    aLink({
      id: deriveLinkId(seed, 'bench-update', `f${i}`),
      productId: 'bench-update',
      customerId: `c-${String(i).padStart(6, '0')}`,
      invoiceId: `bi-${i}`,
      fileId: 'old-file',
    }),
  );
  await links.createMissing(all);

  // The engine's rate: one conditional UpdateItem per link, 16 in flight.
  let started = performance.now();
  await inBatches(all, 16, (link) =>
    db.send(
      new UpdateCommand({
        TableName: localTableName('links'),
        Key: { id: link.id },
        UpdateExpression: 'SET benchTouched = :one',
        ConditionExpression: 'fileId = :old',
        ExpressionAttributeValues: { ':one': 1, ':old': 'old-file' },
      }),
    ),
  );
  const engineRate = count / ((performance.now() - started) / 1000);

  const updatesTable = 'bench-product-updates';
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
  const updates = new DynamoProductUpdateStore(db, updatesTable);
  const update = newProductUpdate({
    productId: 'bench-update',
    replace: { 'old-file': { fileId: 'new-file', fileName: 'v2.pdf', contentType: 'application/pdf', objectKey: 'uploads/v2' } },
    notify: false,
    now: new Date().toISOString(),
    by: 'bench',
  });
  await updates.create(update);
  const deps = {
    updates,
    links,
    invoices: new DynamoInvoiceStore(db, localTableName('invoices')),
    catalog: new DynamoCatalogStore(db, { products: localTableName('products'), files: localTableName('files'), externalIds: localTableName('externalIds') }),
    signer: new LinkSigner(new FakeKeySource()),
    events: new FakePublisher(),
    mailer: new FakeMailer(),
    dispatch: { ledger: new DynamoDispatchLedger(db, localTableName('dispatches')), clock: Date.now, sleep: async () => undefined },
    publicBaseUrl: 'https://shop.example.com',
    accountUrl: 'https://shop.example.com/account/downloads',
    from: 'shop@example.com',
    batchSize: 200,
    clock: () => new Date().toISOString(),
  };
  started = performance.now();
  for (;;) {
    const job = await updates.get('bench-update', update.updateId);
    if (!job || job.phase === 'done') break;
    await advanceProductUpdate(deps, { productId: 'bench-update', updateId: update.updateId, step: job.step });
  }
  const seconds = (performance.now() - started) / 1000;
  const done = await updates.get('bench-update', update.updateId);
  const rate = (done?.counts.repointed ?? 0) / seconds;
  if (asJson) {
    // For `npm run bench` (bench/run.ts runs this script in a process of its own).
    console.log(JSON.stringify({ links: count, repointed: done?.counts.repointed ?? 0, steps: done?.step ?? 0, seconds, rate, engineRate }));
  } else {
    console.log('| figure | value |');
    console.log('|---|---:|');
    console.log(`| links repointed | ${done?.counts.repointed} of ${count} in ${done?.step} steps |`);
    console.log(`| update: links repointed per second | ${rate.toFixed(0)} |`);
    console.log(`| engine: conditional UpdateItems per second (16 in flight) | ${engineRate.toFixed(0)} |`);
    console.log(`| update ÷ engine | ${(rate / engineRate).toFixed(2)} |`);
  }
} finally {
  raw.destroy();
  db.destroy();
  await system.stop();
}
