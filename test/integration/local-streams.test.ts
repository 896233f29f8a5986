import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../adapters/dynamo/client';
import { TABLE_ENV, type TableName } from '../../adapters/dynamo/tables';
import { STREAM_CONSUMERS } from '../../functions/manifest';
import { LocalStreams } from '../../local/streams';
import { startTestRuntime, type TestSystem } from '../support/runtime';

/**
 * The local event source mapping's requests to DynamoDB Local: a second
 * poller over the runtime's engine and tables (its own checkpoints), with the
 * consumers replaced by a recorder, so every request it makes is counted.
 */
let system: TestSystem;
let db: DynamoDBDocumentClient;
let streams: LocalStreams;
const delivered: { fn: string; records: number }[] = [];

beforeAll(async () => {
  system = await startTestRuntime();
  await system.runtime.idle(30_000);
  const endpoint = system.runtime.dynamodbEndpoint;
  db = createDocumentClient({ region: 'us-east-1', endpoint });
  const tables = Object.fromEntries((Object.keys(TABLE_ENV) as TableName[]).map((t) => [t, process.env[TABLE_ENV[t]] as string]));
  streams = new LocalStreams(
    endpoint,
    tables,
    async (fn, event) => {
      delivered.push({ fn, records: (event as { Records: unknown[] }).Records.length });
      return { batchItemFailures: [] };
    },
    join(mkdtempSync(join(tmpdir(), 'dd-streams-')), 'checkpoints.json'),
    async () => undefined,
    () => undefined,
    { up: () => true, wait: async () => undefined },
  );
});
afterAll(async () => {
  await streams?.stop();
  db?.destroy();
  await system?.stop();
});

const control = () => ({ DescribeTable: streams.requests.DescribeTable ?? 0, DescribeStream: streams.requests.DescribeStream ?? 0 });

describe('the local stream poller', () => {
  it('describes each stream once, however many passes it makes, and still delivers new records', async () => {
    // Prepare: a first pass reads whatever the runtime's start left in the streams.
    await streams.flushOnce();
    const afterFirst = control();

    // Act: idle passes, then a change to the links table, then more passes.
    for (let i = 0; i < 5; i++) await streams.flushOnce();
    const before = delivered.length;
    await db.send(
      new PutCommand({
        TableName: process.env.LINKS_TABLE,
        Item: { id: 'streams-test-link', customerId: 'c', invoiceId: 'i', listKey: 'k', status: 'active' },
      }),
    );
    let handled = 0;
    for (let i = 0; i < 5 && handled === 0; i++) handled += await streams.flushOnce();

    // Assess: one description per table with a stream, however many consumers read it; the new record reaches each links consumer once.
    const streamTables = new Set(STREAM_CONSUMERS.map((c) => c.table)).size;
    const linksConsumers = STREAM_CONSUMERS.filter((c) => c.table === 'links').map((c) => ({ fn: c.function, records: 1 }));
    expect(afterFirst).toEqual({ DescribeTable: streamTables, DescribeStream: streamTables });
    expect(control()).toEqual(afterFirst);
    expect(linksConsumers.length).toBeGreaterThan(1);
    expect(handled).toBe(linksConsumers.length);
    expect(delivered.slice(before)).toEqual(linksConsumers);
  });
});
