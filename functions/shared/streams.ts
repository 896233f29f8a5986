import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as StreamAttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { deadLetters } from './deps';
import { isDependencyUnavailable } from './failures';
import { logger } from './logger';
import { countMetric } from './metrics';
import { observed } from './observability';

export interface ItemChange<T> {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldItem: T | undefined;
  newItem: T | undefined;
}

const image = <T>(value: Record<string, StreamAttributeValue> | undefined): T | undefined =>
  value ? (unmarshall(value as Parameters<typeof unmarshall>[0]) as T) : undefined;

const changeOf = <T>(record: DynamoDBRecord): ItemChange<T> => ({
  eventName: record.eventName as ItemChange<T>['eventName'],
  oldItem: image<T>(record.dynamodb?.OldImage),
  newItem: image<T>(record.dynamodb?.NewImage),
});

/** Tries of a record that fails for a reason of its own (not an outage) before it is parked. */
const ATTEMPTS_BEFORE_PARKING = 3;

/**
 * What a stream dead letter keeps: the change itself (keys and both images),
 * so that it can be redriven after the stream's 24 hours are gone. The
 * stream's own on-failure destination keeps only shard and sequence numbers.
 */
export const parkedChange = (consumer: string, record: DynamoDBRecord) => ({
  consumer,
  eventSourceARN: record.eventSourceARN,
  eventName: record.eventName,
  sequenceNumber: record.dynamodb?.SequenceNumber,
  approximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime,
  keys: image(record.dynamodb?.Keys),
  oldImage: image(record.dynamodb?.OldImage),
  newImage: image(record.dynamodb?.NewImage),
});

/**
 * Handles one record; answers whether the batch must stop here (true). An outage
 * (a store down, throttling) stops the batch so the event source mapping
 * retries from this record, in order, until it recovers; any other failure
 * is tried again, then parked with the change and the reason, so one bad
 * record cannot block the stream behind it.
 */
const handleRecord = async <T>(consumer: string, record: DynamoDBRecord, handle: (changes: ItemChange<T>[]) => Promise<void>): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await handle([changeOf<T>(record)]);
      return false;
    } catch (error) {
      if (isDependencyUnavailable(error)) {
        logger.warn('stream record waits for a dependency', { consumer, eventID: record.eventID, error: (error as Error).message });
        return true;
      }
      if (attempt < ATTEMPTS_BEFORE_PARKING) continue;
      const reason = `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
      logger.error('stream record parked', { consumer, eventID: record.eventID, reason });
      await deadLetters().park({ source: consumer, reason, payload: parkedChange(consumer, record) });
      countMetric('StreamRecordsParked', { consumer });
      return false;
    }
  }
};

const failureAt = (record: DynamoDBRecord | undefined): DynamoDBBatchResponse => ({
  batchItemFailures: record ? [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] : [],
});

/** A stream consumer that handles each record's change, in order (see handleRecord). */
export const streamHandler = <T>(consumer: string, handle: (change: ItemChange<T>) => Promise<void>) =>
  observed(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records ?? []) {
      if (await handleRecord<T>(consumer, record, ([change]) => handle(change as ItemChange<T>))) return failureAt(record);
    }
    return { batchItemFailures: [] };
  });

/**
 * A stream consumer that handles a whole batch at once (e.g. one batched
 * write for many records), which must be idempotent. When the batch fails
 * for a reason other than an outage, its records are handled one by one, so
 * that the one at fault is found and parked.
 */
export const streamBatchHandler = <T>(consumer: string, handle: (changes: ItemChange<T>[]) => Promise<void>) =>
  observed(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records ?? [];
    try {
      await handle(records.map((r) => changeOf<T>(r)));
      return { batchItemFailures: [] };
    } catch (error) {
      if (isDependencyUnavailable(error)) return failureAt(records[0]);
      for (const record of records) if (await handleRecord<T>(consumer, record, handle)) return failureAt(record);
      return { batchItemFailures: [] };
    }
  });
