import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { type FunctionName, STREAM_CONSUMERS } from '../functions/manifest';

type Invoke = (name: FunctionName, event: unknown) => Promise<unknown>;

interface ShardCursor {
  iterator?: string | undefined;
  closed?: boolean;
  /** After an empty read: the background loop leaves this shard alone until then (its own back-off). */
  quietUntil?: number;
  quietMs?: number;
}

/** A table's stream and its shards, as last described. */
interface Topology {
  streamArn: string | undefined;
  shardIds: string[];
}

/** Lambda polls each shard of a DynamoDB stream four times a second; so does the local mapping while records flow. */
const POLL_INTERVAL_MS = 250;
/** Idle passes wait longer each time, up to this multiple of the interval (2 s); a pass with records resets it. */
const MAX_IDLE_BACKOFF = 8;
/** Records per GetRecords, as the event source mapping's default batch size. */
const READ_LIMIT = 100;

/**
 * Tries of a batch the consumer reports failed, while every engine is up,
 * before its on-failure destination (the event source mapping's
 * `retryAttempts`). The consumers park records that fail for their own
 * reasons themselves (functions/shared/streams.ts) and report only outages,
 * so this is reached only by a consumer that keeps crashing.
 */
const MAX_ATTEMPTS = 10;

const toLambdaRecord = (record: _Record, streamArn: string) => ({
  eventID: record.eventID,
  eventName: record.eventName,
  eventVersion: record.eventVersion ?? '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: record.awsRegion ?? process.env.AWS_REGION ?? 'us-east-1',
  eventSourceARN: streamArn,
  dynamodb: {
    ...record.dynamodb,
    ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
      ? Math.floor(new Date(record.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
      : undefined,
  },
});

/**
 * Lambda's DynamoDB event source mapping, locally: reads each table's stream
 * in DynamoDB Local and hands batches to the same consumer functions the CDK
 * app wires (STREAM_CONSUMERS), with checkpoints kept in DATA_DIR so a
 * restart resumes where it stopped.
 */
export class LocalStreams {
  private readonly streams: DynamoDBStreamsClient;
  private readonly db: DynamoDBClient;
  private readonly shards = new Map<string, ShardCursor>();
  /** By table: described once, again only when a read says the stream or its shards changed. */
  private readonly topology = new Map<string, Topology>();
  /** Requests sent to the engine, by operation (the control-plane ones should stay flat while idle). */
  readonly requests: Record<string, number> = {};
  private readonly attempts = new Map<string, number>();
  private checkpoints: Record<string, string>;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<number> = Promise.resolve(0);
  private stopped = false;

  constructor(
    endpoint: string,
    private readonly tables: Record<string, string>,
    private readonly invoke: Invoke,
    private readonly checkpointFile: string,
    private readonly park: (entry: { source: string; reason: string; payload: unknown }) => Promise<void>,
    private readonly log: (message: string) => void,
    private readonly engines: { up: () => boolean; wait: () => Promise<void> },
    private readonly clock: () => number = Date.now,
  ) {
    const region = process.env.AWS_REGION ?? 'us-east-1';
    this.streams = new DynamoDBStreamsClient({ endpoint, region });
    this.db = new DynamoDBClient({ endpoint, region });
    this.checkpoints = existsSync(checkpointFile) ? (JSON.parse(readFileSync(checkpointFile, 'utf8')) as Record<string, string>) : {};
  }

  /**
   * Polls every `intervalMs` while records flow, backing off (doubling, up to 8×) while the streams are idle:
   * the engine the poller shares with the functions is not kept busy by empty reads. `idle()` flushes at once.
   */
  start(intervalMs = POLL_INTERVAL_MS) {
    let delay = intervalMs;
    const tick = async () => {
      if (this.stopped) return;
      const handled = await this.flushOnce({ background: true }).catch((error) => {
        // An engine that restarted hands out new iterators and may have new streams: start again from the checkpoints.
        this.shards.clear();
        this.topology.clear();
        if (this.engines.up()) this.log(`local streams: ${(error as Error).message}`);
        return 0;
      });
      delay = handled > 0 ? intervalMs : Math.min(intervalMs * MAX_IDLE_BACKOFF, delay * 2);
      if (!this.stopped) this.timer = setTimeout(tick, delay);
    };
    this.timer = setTimeout(tick, 0);
  }

  private count(operation: string) {
    this.requests[operation] = (this.requests[operation] ?? 0) + 1;
  }

  /**
   * One pass over every stream, serialized with the background loop; resolves with the records it handled.
   * A background pass skips shards still backing off after an empty read (a flowing stream does not keep
   * the idle ones polled); any other pass (`idle()`, a test) reads every shard.
   */
  flushOnce({ background = false } = {}): Promise<number> {
    this.round = this.round.catch(() => 0).then(() => this.pass(background));
    return this.round;
  }

  /** Stops polling; waits (at most `graceMs`) for the batch in hand, whose checkpoint is written only if it finished. */
  async stop(graceMs = 10_000) {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.round.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.streams.destroy();
    this.db.destroy();
  }

  private async pass(background: boolean): Promise<number> {
    await this.engines.wait();
    if (this.stopped) return 0;
    let handled = 0;
    for (const consumer of STREAM_CONSUMERS) {
      const table = this.tables[consumer.table];
      if (!table) continue;
      const { streamArn, shardIds } = await this.topologyOf(table);
      if (!streamArn) continue;
      // Each consumer reads the stream on its own, as each event source mapping does. The first consumer of a
      // table keeps the key checkpoints had before a table could have two, so an existing DATA_DIR resumes.
      const first = STREAM_CONSUMERS.find((c) => c.table === consumer.table)?.function === consumer.function;
      for (const shardId of shardIds) handled += await this.readShard(consumer.function, table, streamArn, shardId, first, background);
    }
    return handled;
  }

  private async topologyOf(table: string): Promise<Topology> {
    const known = this.topology.get(table);
    if (known) return known;
    this.count('DescribeTable');
    const { Table } = await this.db.send(new DescribeTableCommand({ TableName: table }));
    const streamArn = Table?.LatestStreamArn;
    let shardIds: string[] = [];
    if (streamArn) {
      this.count('DescribeStream');
      const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      shardIds = (StreamDescription?.Shards ?? []).flatMap((shard) => (shard.ShardId ? [shard.ShardId] : []));
    }
    const topology = { streamArn, shardIds };
    this.topology.set(table, topology);
    return topology;
  }

  private async readShard(fn: FunctionName, table: string, streamArn: string, shardId: string, first: boolean, background: boolean): Promise<number> {
    const key = first ? `${streamArn}|${shardId}` : `${fn}@${streamArn}|${shardId}`;
    const cursor = this.shards.get(key) ?? {};
    if (cursor.closed) return 0;
    if (background && cursor.quietUntil !== undefined && this.clock() < cursor.quietUntil) return 0;
    if (!cursor.iterator) {
      const after = this.checkpoints[key];
      this.count('GetShardIterator');
      const out = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          SequenceNumber: after,
        }),
      );
      cursor.iterator = out.ShardIterator;
      this.shards.set(key, cursor);
    }
    let handled = 0;
    // A stop ends the pass after the batch in hand: what is left is read again from the checkpoint at the next start.
    while (cursor.iterator && !this.stopped) {
      let out: GetRecordsCommandOutput;
      try {
        this.count('GetRecords');
        out = await this.streams.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: READ_LIMIT }));
      } catch (error) {
        const name = (error as Error).name;
        // The stream is gone (a re-created table): describe it again at the next pass.
        if (name === 'ResourceNotFoundException') this.topology.delete(table);
        // DynamoDB Local refuses iterators handed out by an empty read once records arrive; start again from the checkpoint.
        if (!['TrimmedDataAccessException', 'ExpiredIteratorException', 'ResourceNotFoundException'].includes(name)) throw error;
        cursor.iterator = undefined;
        return handled;
      }
      const records = out.Records ?? [];
      if (records.length > 0) {
        const failedAt = await this.deliver(fn, streamArn, key, records);
        if (failedAt !== undefined) {
          // Retry from the failed record next time, as Lambda does.
          cursor.iterator = undefined;
          return handled + failedAt;
        }
        handled += records.length;
      }
      if (!out.NextShardIterator) {
        // A closed shard: its children are new shards, so the stream is described again at the next pass.
        cursor.closed = true;
        cursor.iterator = undefined;
        this.topology.delete(table);
        break;
      }
      if (records.length === 0) {
        cursor.iterator = undefined; // see above: an empty read's iterator is not reusable locally
        if (handled === 0) {
          cursor.quietMs = Math.min(POLL_INTERVAL_MS * MAX_IDLE_BACKOFF, (cursor.quietMs ?? POLL_INTERVAL_MS) * 2);
          cursor.quietUntil = this.clock() + cursor.quietMs;
        }
        break;
      }
      cursor.quietMs = undefined;
      cursor.quietUntil = undefined;
      cursor.iterator = out.NextShardIterator;
      // Drained for now: the next pass goes on from this iterator (a read with records hands out one that stays
      // good), so a steady flow costs one GetRecords per pass instead of an iterator, a read and an empty read.
      if (records.length < READ_LIMIT) break;
    }
    return handled;
  }

  /** Hands a batch to the consumer; returns the index of the first failed record, if any. */
  private async deliver(fn: FunctionName, streamArn: string, key: string, records: _Record[]): Promise<number | undefined> {
    let response: { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
    try {
      response = (await this.invoke(fn, { Records: records.map((r) => toLambdaRecord(r, streamArn)) })) as typeof response;
    } catch (error) {
      response = { batchItemFailures: [{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber ?? '' }] };
      this.log(`local streams: ${fn} threw: ${(error as Error).message}`);
    }
    const failed = response?.batchItemFailures?.[0]?.itemIdentifier;
    const index = failed === undefined ? -1 : records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
    const done = index === -1 ? records : records.slice(0, index);
    const last = done.at(-1)?.dynamodb?.SequenceNumber;
    if (last) this.checkpoint(key, last);
    if (index === -1) return undefined;
    const record = records[index] as _Record;
    const sequence = record.dynamodb?.SequenceNumber ?? '';
    const attemptKey = `${fn}|${sequence}`;
    // An outage is not the record's fault: it does not use up its retries.
    const attempts = (this.attempts.get(attemptKey) ?? 0) + (this.engines.up() ? 1 : 0);
    this.attempts.set(attemptKey, attempts);
    if (attempts < MAX_ATTEMPTS) return index;
    // What the event source mapping's on-failure destination gets in AWS: where the batch was, not the change.
    await this.park({
      source: `${fn}:on-failure`,
      reason: `the batch failed ${attempts} times`,
      payload: {
        streamArn,
        shardId: key.split('|')[1],
        startSequenceNumber: sequence,
        approximateArrivalOfRecord: record.dynamodb?.ApproximateCreationDateTime,
      },
    });
    this.attempts.delete(attemptKey);
    this.checkpoint(key, sequence);
    return index + 1;
  }

  private checkpoint(key: string, sequence: string) {
    this.checkpoints[key] = sequence;
    writeFileSync(this.checkpointFile, JSON.stringify(this.checkpoints));
  }
}
