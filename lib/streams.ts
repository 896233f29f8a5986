import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { type StreamConsumer, streamTablesByFunction } from '../functions/manifest';
import type { DataBinding } from './data-binding';
import type { Functions } from './functions';

/**
 * How long the mapping retries a record the handler reported (an outage: its
 * own failures it parks itself) before giving up on it. The stream keeps
 * records 24 hours, so this leaves 18 hours to re-read one by its sequence
 * number from the failures queue; the iterator-age alarm fires long before.
 */
export const STREAM_MAX_RECORD_AGE = Duration.hours(6);

/**
 * Where a (re-)created consumer starts: at the oldest record the stream still
 * has. Re-creating the stateless stack therefore replays up to 24 hours of
 * changes; that is deliberate and safe, because every effect downstream is
 * exactly once (link log entries are keyed by count, outgoing events and
 * emails go through the dispatch ledger, core/dispatch.ts). LATEST would
 * silently skip what was written while the consumer was away.
 */
export const STREAM_STARTING_POSITION = lambda.StartingPosition.TRIM_HORIZON;

export interface StreamConsumersProps {
  readonly streamConsumers: readonly StreamConsumer[];
  readonly data: DataBinding;
  readonly functions: Functions;
}

/**
 * Table streams to their consumers, in order, in bisected batches that report
 * failures per record. A record that fails for its own reasons is parked by
 * the handler with the change itself (its DEAD_LETTER_QUEUE_URL); one that
 * waits for a dependency is retried for at most STREAM_MAX_RECORD_AGE, then
 * its shard and sequence numbers go to a separate failures queue.
 */
export class StreamConsumers extends Construct {
  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    for (const consumer of props.streamConsumers) {
      const fn = props.functions.get(consumer.function);
      const bound = props.data.streamQueues.get(consumer.function);
      if (!bound) throw new Error(`no queues for ${consumer.function}`);
      fn.function.addEventSource(
        new DynamoEventSource(props.data.tables[consumer.table], {
          startingPosition: STREAM_STARTING_POSITION,
          batchSize: 100,
          bisectBatchOnError: true,
          // The age is the bound: as many retries as Lambda allows within it.
          retryAttempts: 10_000,
          maxRecordAge: STREAM_MAX_RECORD_AGE,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(bound.failures),
        }),
      );
    }
    for (const name of streamTablesByFunction(props.streamConsumers).keys()) {
      const fn = props.functions.get(name);
      const bound = props.data.streamQueues.get(name);
      if (!bound) throw new Error(`no queues for ${name}`);
      fn.allow(['sqs:SendMessage'], [bound.parked.queueArn]);
      fn.env('DEAD_LETTER_QUEUE_URL', bound.parked.queueUrl);
    }
  }
}
