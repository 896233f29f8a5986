import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as StreamAttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from './logger';

export interface ItemChange<T> {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldItem: T | undefined;
  newItem: T | undefined;
}

const image = <T>(value: Record<string, StreamAttributeValue> | undefined): T | undefined =>
  value ? (unmarshall(value as Parameters<typeof unmarshall>[0]) as T) : undefined;

/**
 * A stream consumer: each record's change, in order; a record that throws is
 * reported as the batch's first failure, so Lambda retries from there (and
 * later parks it in the stream's dead-letter queue) without redoing the rest.
 */
export const streamHandler =
  <T>(handle: (change: ItemChange<T>) => Promise<void>) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records as DynamoDBRecord[]) {
      try {
        await handle({
          eventName: record.eventName as ItemChange<T>['eventName'],
          oldItem: image<T>(record.dynamodb?.OldImage),
          newItem: image<T>(record.dynamodb?.NewImage),
        });
      } catch (error) {
        logger.error('stream record failed', { eventID: record.eventID, error: (error as Error).message });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };

/**
 * A stream consumer that handles a whole batch at once (e.g. one batched
 * write for many records). If it throws, the batch is retried from its first
 * record, so the handling must be idempotent.
 */
export const streamBatchHandler =
  <T>(handle: (changes: ItemChange<T>[]) => Promise<void>) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records as DynamoDBRecord[];
    try {
      await handle(
        records.map((record) => ({
          eventName: record.eventName as ItemChange<T>['eventName'],
          oldItem: image<T>(record.dynamodb?.OldImage),
          newItem: image<T>(record.dynamodb?.NewImage),
        })),
      );
      return { batchItemFailures: [] };
    } catch (error) {
      logger.error('stream batch failed', { records: records.length, error: (error as Error).message });
      return { batchItemFailures: records[0] ? [{ itemIdentifier: records[0].dynamodb?.SequenceNumber ?? '' }] : [] };
    }
  };
