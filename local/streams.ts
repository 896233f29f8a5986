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
}

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
  ) {
    const region = process.env.AWS_REGION ?? 'us-east-1';
    this.streams = new DynamoDBStreamsClient({ endpoint, region });
    this.db = new DynamoDBClient({ endpoint, region });
    this.checkpoints = existsSync(checkpointFile) ? (JSON.parse(readFileSync(checkpointFile, 'utf8')) as Record<string, string>) : {};
  }

  start(intervalMs = 100) {
    const tick = async () => {
      if (this.stopped) return;
      await this.flushOnce().catch((error) => {
        // An engine that restarted hands out new iterators: start again from the checkpoints.
        this.shards.clear();
        if (this.engines.up()) this.log(`local streams: ${(error as Error).message}`);
      });
      if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** One pass over every stream, serialized with the background loop; resolves with the records it handled. */
  flushOnce(): Promise<number> {
    this.round = this.round.catch(() => 0).then(() => this.pass());
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

  private async pass(): Promise<number> {
    await this.engines.wait();
    if (this.stopped) return 0;
    let handled = 0;
    for (const consumer of STREAM_CONSUMERS) {
      const table = this.tables[consumer.table];
      if (!table) continue;
      const { Table } = await this.db.send(new DescribeTableCommand({ TableName: table }));
      const streamArn = Table?.LatestStreamArn;
      if (!streamArn) continue;
      const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId) continue;
        handled += await this.readShard(consumer.function, streamArn, shard.ShardId);
      }
    }
    return handled;
  }

  private async readShard(fn: FunctionName, streamArn: string, shardId: string): Promise<number> {
    // Each consumer reads the stream on its own, as each event source mapping does. The first consumer of a
    // table keeps the key checkpoints had before a table could have two, so an existing DATA_DIR resumes.
    const first = STREAM_CONSUMERS.find((c) => STREAM_CONSUMERS.find((d) => d.function === fn)?.table === c.table)?.function === fn;
    const key = first ? `${streamArn}|${shardId}` : `${fn}@${streamArn}|${shardId}`;
    const cursor = this.shards.get(key) ?? {};
    if (cursor.closed) return 0;
    if (!cursor.iterator) {
      const after = this.checkpoints[key];
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
        out = await this.streams.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: 100 }));
      } catch (error) {
        // DynamoDB Local refuses iterators handed out by an empty read once records arrive; start again from the checkpoint.
        if (!['TrimmedDataAccessException', 'ExpiredIteratorException'].includes((error as Error).name)) throw error;
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
        cursor.closed = true;
        cursor.iterator = undefined;
        break;
      }
      if (records.length === 0) {
        cursor.iterator = undefined; // see above: an empty read's iterator is not reusable locally
        break;
      }
      cursor.iterator = out.NextShardIterator;
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
