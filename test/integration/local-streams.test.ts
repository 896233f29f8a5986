import { mkdtempSync, rmSync } from 'node:fs';
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
/** Each poller's own checkpoint file, in one directory removed afterwards. */
const checkpoints = mkdtempSync(join(tmpdir(), 'dd-streams-'));
let pollers = 0;
const checkpointFile = () => join(checkpoints, `poller-${++pollers}.json`);
const recorder = async (fn: string, event: unknown) => {
  delivered.push({ fn, records: (event as { Records: unknown[] }).Records.length });
  return { batchItemFailures: [] };
};
const putLink = (id: string) =>
  db.send(new PutCommand({ TableName: process.env.LINKS_TABLE, Item: { id, customerId: 'c', invoiceId: 'i', listKey: 'k', status: 'active' } }));

beforeAll(async () => {
  system = await startTestRuntime();
  await system.settled(30_000);
  const endpoint = system.runtime.dynamodbEndpoint;
  db = createDocumentClient({ region: 'us-east-1', endpoint });
  const tables = Object.fromEntries((Object.keys(TABLE_ENV) as TableName[]).map((t) => [t, process.env[TABLE_ENV[t]] as string]));
  streams = new LocalStreams(
    endpoint,
    tables,
    recorder,
    checkpointFile(),
    async () => undefined,
    () => undefined,
    { up: () => true, wait: async () => undefined },
  );
});
afterAll(async () => {
  await streams?.stop();
  db?.destroy();
  await system?.stop();
  rmSync(checkpoints, { recursive: true, force: true });
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
    await putLink('streams-test-link');
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

  it('reads a stream that keeps flowing with the iterator its last read handed out: one GetRecords per consumer a pass', async () => {
    // Prepare: a poller of the links table alone, caught up, then one new change read.
    const linksOnly = new LocalStreams(
      system.runtime.dynamodbEndpoint,
      { links: process.env.LINKS_TABLE as string },
      recorder,
      checkpointFile(),
      async () => undefined,
      () => undefined,
      { up: () => true, wait: async () => undefined },
    );
    await linksOnly.flushOnce();
    await putLink('streams-flow-1');
    expect(await linksOnly.flushOnce()).toBeGreaterThan(0);
    const before = { ...linksOnly.requests };

    // Act: the next change, and one pass.
    await putLink('streams-flow-2');
    const handled = await linksOnly.flushOnce();
    await linksOnly.stop();

    // Assess: each links consumer got the change from one read, with no new iterator asked for.
    const linksConsumers = STREAM_CONSUMERS.filter((c) => c.table === 'links').length;
    expect(handled).toBe(linksConsumers);
    expect(linksOnly.requests.GetShardIterator).toBe(before.GetShardIterator);
    expect((linksOnly.requests.GetRecords ?? 0) - (before.GetRecords ?? 0)).toBe(linksConsumers);
  });

  it('leaves an idle stream alone in background passes while another flows, until its back-off ends', async () => {
    // Prepare: a poller of the links table and one other, on a clock the test moves; both caught up and quiet.
    const clock = { now: 1_000_000 };
    const other = STREAM_CONSUMERS.find((c) => c.table !== 'links')?.table as TableName;
    const poller = new LocalStreams(
      system.runtime.dynamodbEndpoint,
      { links: process.env.LINKS_TABLE as string, [other]: process.env[TABLE_ENV[other]] as string },
      recorder,
      checkpointFile(),
      async () => undefined,
      () => undefined,
      { up: () => true, wait: async () => undefined },
      () => clock.now,
    );
    const iterators = () => poller.requests.GetShardIterator ?? 0;
    await poller.flushOnce();
    await poller.flushOnce();
    await putLink('streams-quiet-1');
    const beforeForced = iterators();
    await poller.flushOnce(); // not a background pass: reads the quiet shards too
    const forcedIterators = iterators() - beforeForced;

    // Act: a change to links and a background pass; then the same after the back-off has run out.
    await putLink('streams-quiet-2');
    const beforeFlowing = iterators();
    const handled = await poller.flushOnce({ background: true });
    const flowingIterators = iterators() - beforeFlowing;
    clock.now += 2_001;
    const beforeLater = iterators();
    await poller.flushOnce({ background: true });
    const laterIterators = iterators() - beforeLater;
    await poller.stop();

    // Assess: the flowing pass touched links only, with the iterator it had; the idle stream was read again later.
    const linksConsumers = STREAM_CONSUMERS.filter((c) => c.table === 'links').length;
    const otherConsumers = STREAM_CONSUMERS.filter((c) => c.table === other).length;
    expect(forcedIterators).toBeGreaterThanOrEqual(otherConsumers);
    expect(handled).toBe(linksConsumers);
    expect(flowingIterators).toBe(0);
    expect(laterIterators).toBeGreaterThanOrEqual(otherConsumers);
  });
});
