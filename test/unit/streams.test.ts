import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadLetters } from '../../functions/shared/deps';
import { type ItemChange, parkedChange, streamBatchHandler, streamHandler } from '../../functions/shared/streams';
import type { FakeDeadLetters } from '../support/fakes';
import { captureOutput } from '../support/output';

// The dead letters are an SQS queue in AWS: a recording fake here (and no X-Ray: nothing else of deps.ts is used).
vi.mock('../../functions/shared/deps', async () => {
  const { FakeDeadLetters } = await import('../support/fakes');
  const letters = new FakeDeadLetters();
  return { deadLetters: () => letters, instrumentClients: () => undefined };
});

const parked = () => (deadLetters() as unknown as FakeDeadLetters).parked;

type Item = { pk: string; n?: number };

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Links/stream/2026-06-01T00:00:00.000';

/** A stream record as Lambda hands it over (NEW_AND_OLD_IMAGES). */
const record = (seq: string, change: { eventName?: 'INSERT' | 'MODIFY' | 'REMOVE'; oldItem?: Item; newItem?: Item } = {}): DynamoDBRecord => {
  const { eventName = 'MODIFY', oldItem, newItem = { pk: `item-${seq}`, n: Number(seq) } } = change;
  const key = (oldItem ?? newItem).pk;
  return {
    eventID: `event-${seq}`,
    eventName,
    eventSourceARN: ARN,
    dynamodb: {
      SequenceNumber: seq,
      ApproximateCreationDateTime: 1_780_000_000 + Number(seq),
      Keys: marshall({ pk: key }) as never,
      ...(oldItem ? { OldImage: marshall(oldItem) as never } : {}),
      ...(eventName === 'REMOVE' ? {} : { NewImage: marshall(newItem) as never }),
    },
  };
};
const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

const throttled = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });

/** A handler that records every change it is given and fails as `fail` says (by the change's key). */
const recorder = (fail: (pk: string, tries: number) => unknown = () => undefined) => {
  const seen: string[] = [];
  const tries = new Map<string, number>();
  const handle = async (change: ItemChange<Item>) => {
    const pk = (change.newItem ?? change.oldItem)?.pk ?? '?';
    seen.push(pk);
    tries.set(pk, (tries.get(pk) ?? 0) + 1);
    const failure = fail(pk, tries.get(pk) ?? 0);
    if (failure !== undefined) throw failure;
  };
  return { seen, handle };
};

beforeEach(() => {
  parked().length = 0;
});
afterEach(() => {
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
});

describe('a stream consumer (one record at a time)', () => {
  it('hands over each change in order, with both images as plain items', async () => {
    // Prepare
    const changes: ItemChange<Item>[] = [];
    const handler = streamHandler<Item>('test-consumer', async (change) => {
      changes.push(change);
    });

    // Act
    const result = await handler(
      batch(
        record('1', { eventName: 'INSERT' }),
        record('2', { oldItem: { pk: 'item-2', n: 1 } }),
        record('3', { eventName: 'REMOVE', oldItem: { pk: 'item-3' } }),
      ),
      undefined as never,
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(changes).toEqual([
      { eventName: 'INSERT', oldItem: undefined, newItem: { pk: 'item-1', n: 1 } },
      { eventName: 'MODIFY', oldItem: { pk: 'item-2', n: 1 }, newItem: { pk: 'item-2', n: 2 } },
      { eventName: 'REMOVE', oldItem: { pk: 'item-3' }, newItem: undefined },
    ]);
  });

  it('answers an event without records with no failures, handling nothing', async () => {
    const { seen, handle } = recorder();
    const handler = streamHandler<Item>('test-consumer', handle);
    expect(await handler({} as DynamoDBStreamEvent, undefined as never)).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([]);
  });

  it('stops the batch at a record whose dependency is down, so the stream retries from it, in order, and parks nothing', async () => {
    // Prepare
    const { seen, handle } = recorder((pk) => (pk === 'item-2' ? throttled() : undefined));
    const handler = streamHandler<Item>('test-consumer', handle);

    // Act
    const { result, logs } = await captureOutput(() => handler(batch(record('1'), record('2'), record('3')), undefined as never));

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(seen).toEqual(['item-1', 'item-2']);
    expect(parked()).toEqual([]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'stream record waits for a dependency',
        consumer: 'test-consumer',
        eventID: 'event-2',
        error: 'Rate of requests exceeds the allowed throughput',
      }),
    );
  });

  it('reports a record without its stream data (no sequence number) with an empty identifier (Lambda then retries the whole batch)', async () => {
    // Prepare
    const handler = streamHandler<Item>('test-consumer', async () => Promise.reject(throttled()));
    const bare = record('1');
    delete bare.dynamodb;

    // Act
    const result = await handler(batch(bare), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '' }] });
  });

  it('tries a record that fails for a reason of its own three times, then parks it with the change and the reason, and goes on', async () => {
    // Prepare
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'test-consumer';
    const { seen, handle } = recorder((pk) => (pk === 'item-2' ? new TypeError('cannot read properties of undefined') : undefined));
    const handler = streamHandler<Item>('test-consumer', handle);
    const bad = record('2', { oldItem: { pk: 'item-2', n: 1 } });

    // Act
    const { result, logs, metrics } = await captureOutput(() => handler(batch(record('1'), bad, record('3')), undefined as never));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['item-1', 'item-2', 'item-2', 'item-2', 'item-3']);
    expect(parked()).toEqual([
      {
        source: 'test-consumer',
        reason: 'TypeError: cannot read properties of undefined',
        payload: {
          consumer: 'test-consumer',
          eventSourceARN: ARN,
          eventName: 'MODIFY',
          sequenceNumber: '2',
          approximateCreationDateTime: 1_780_000_002,
          keys: { pk: 'item-2' },
          oldImage: { pk: 'item-2', n: 1 },
          newImage: { pk: 'item-2', n: 2 },
        },
      },
    ]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'stream record parked',
        consumer: 'test-consumer',
        eventID: 'event-2',
        reason: 'TypeError: cannot read properties of undefined',
      }),
    );
    expect(metrics).toEqual([expect.objectContaining({ StreamRecordsParked: 1, consumer: 'test-consumer' })]);
  });

  it('parks nothing when a later try succeeds', async () => {
    // Prepare
    const { seen, handle } = recorder((pk, tries) => (pk === 'item-1' && tries < 3 ? new Error('conditional check failed') : undefined));
    const handler = streamHandler<Item>('test-consumer', handle);

    // Act
    const result = await handler(batch(record('1'), record('2')), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['item-1', 'item-1', 'item-1', 'item-2']);
    expect(parked()).toEqual([]);
  });

  it('waits for a dependency that goes down on a later try, instead of parking', async () => {
    // Prepare
    const { seen, handle } = recorder((_pk, tries) => (tries === 1 ? new Error('a bug') : throttled()));
    const handler = streamHandler<Item>('test-consumer', handle);

    // Act
    const result = await handler(batch(record('1'), record('2')), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(seen).toEqual(['item-1', 'item-1']);
    expect(parked()).toEqual([]);
  });

  it('parks a record without its stream data like any other, with what there is of it', async () => {
    // Prepare
    const changes: ItemChange<Item>[] = [];
    const handler = streamHandler<Item>('test-consumer', async (change) => {
      changes.push(change);
      throw new Error('nothing to handle');
    });
    const bare = record('1');
    delete bare.dynamodb;

    // Act
    const result = await handler(batch(bare), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(changes[0]).toEqual({ eventName: 'MODIFY', oldItem: undefined, newItem: undefined });
    expect(parked()).toEqual([
      {
        source: 'test-consumer',
        reason: 'Error: nothing to handle',
        payload: {
          consumer: 'test-consumer',
          eventSourceARN: ARN,
          eventName: 'MODIFY',
          sequenceNumber: undefined,
          approximateCreationDateTime: undefined,
          keys: undefined,
          oldImage: undefined,
          newImage: undefined,
        },
      },
    ]);
  });

  it.each([
    ['a string', 'no invoice', 'Error: no invoice'],
    ['nothing', null, 'Error: null'],
    ['an object without name or message', { code: 42 }, 'Error: [object Object]'],
  ])('gives a reason when what is thrown is %s, not an Error', async (_what, thrown, reason) => {
    // Prepare
    const handler = streamHandler<Item>('test-consumer', async () => Promise.reject(thrown));

    // Act
    await handler(batch(record('1')), undefined as never);

    // Assess
    expect(parked().map((p) => p.reason)).toEqual([reason]);
  });
});

describe('a stream consumer of whole batches', () => {
  it('hands over the whole batch at once', async () => {
    // Prepare
    const calls: ItemChange<Item>[][] = [];
    const handler = streamBatchHandler<Item>('batch-consumer', async (changes) => {
      calls.push(changes);
    });

    // Act
    const result = await handler(batch(record('1'), record('2', { eventName: 'REMOVE', oldItem: { pk: 'item-2' } })), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([
      [
        { eventName: 'MODIFY', oldItem: undefined, newItem: { pk: 'item-1', n: 1 } },
        { eventName: 'REMOVE', oldItem: { pk: 'item-2' }, newItem: undefined },
      ],
    ]);
  });

  it('answers an event without records with no failures, handing over an empty batch', async () => {
    const calls: ItemChange<Item>[][] = [];
    const handler = streamBatchHandler<Item>('batch-consumer', async (changes) => {
      calls.push(changes);
    });
    expect(await handler({} as DynamoDBStreamEvent, undefined as never)).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([[]]);
  });

  it('reports no failure for an empty batch even while a dependency is down (there is no record to retry from)', async () => {
    const handler = streamBatchHandler<Item>('batch-consumer', async () => Promise.reject(throttled()));
    expect(await handler({ Records: [] }, undefined as never)).toEqual({ batchItemFailures: [] });
  });

  it('retries the whole batch from its first record while a dependency is down', async () => {
    // Prepare
    let calls = 0;
    const handler = streamBatchHandler<Item>('batch-consumer', async () => {
      calls++;
      throw throttled();
    });

    // Act
    const result = await handler(batch(record('7'), record('8')), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect(calls).toBe(1);
    expect(parked()).toEqual([]);
  });

  it('falls back to one record at a time when the batch fails otherwise, and parks only the record at fault', async () => {
    // Prepare
    const calls: string[][] = [];
    const handler = streamBatchHandler<Item>('batch-consumer', async (changes) => {
      const pks = changes.map((c) => c.newItem?.pk ?? '?');
      calls.push(pks);
      if (pks.includes('item-2')) throw new RangeError('n out of range');
    });

    // Act
    const result = await handler(batch(record('1'), record('2'), record('3')), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([['item-1', 'item-2', 'item-3'], ['item-1'], ['item-2'], ['item-2'], ['item-2'], ['item-3']]);
    expect(parked()).toEqual([{ source: 'batch-consumer', reason: 'RangeError: n out of range', payload: parkedChange('batch-consumer', record('2')) }]);
  });

  it('stops at the record whose dependency went down while going one by one', async () => {
    // Prepare
    const handler = streamBatchHandler<Item>('batch-consumer', async (changes) => {
      if (changes.length > 1) throw new Error('one of them is bad');
      if (changes[0]?.newItem?.pk === 'item-2') throw throttled();
    });

    // Act
    const result = await handler(batch(record('1'), record('2'), record('3')), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(parked()).toEqual([]);
  });
});
