import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { type EventRule, type FunctionName, queuePolicyOf } from '../functions/manifest';
import type { DataBinding } from './data-binding';
import type { Functions } from './functions';
import type { ResourceNames } from './names';

export interface EventConsumersProps {
  readonly names: ResourceNames;
  readonly eventRules: readonly EventRule[];
  readonly data: DataBinding;
  readonly functions: Functions;
}

/**
 * Bus events to their functions, never straight to Lambda: each rule of the
 * manifest targets its function's queue (in the data stack), which the
 * function consumes in batches that report failures per message, at most
 * `maxConcurrency` invocations at a time (the cap on what a consumer writes
 * per second, reserving none of the account's concurrency). Whatever cannot
 * be done lands in the function's dead-letter queue as the event itself:
 * EventBridge puts it there when it cannot reach the queue, SQS after
 * `maxReceiveCount` deliveries, the handler (with a `reason` attribute) when
 * it can never succeed. One format, one redrive: back into the work queue.
 */
export class EventConsumers extends Construct {
  readonly rules: events.Rule[] = [];

  constructor(scope: Construct, id: string, props: EventConsumersProps) {
    super(scope, id);
    const consumers = new Set<FunctionName>();
    for (const rule of props.eventRules) {
      const bound = props.data.eventQueues.get(rule.function);
      if (!bound) throw new Error(`no queue for ${rule.function}`);
      this.rules.push(
        new events.Rule(this, rule.id, {
          // The data stack's queue policies allow exactly this rule name.
          ruleName: props.names.eventRule(rule.id),
          description: `${rule.pattern.source.join(', ')} ${rule.pattern['detail-type'].join(', ')} to ${rule.function}`,
          eventPattern: { source: [...rule.pattern.source], detailType: [...rule.pattern['detail-type']] },
          // A queue is unreachable only when it is misconfigured: EventBridge's full day of retries covers the fix.
          targets: [new targets.SqsQueue(bound.queue, { deadLetterQueue: bound.deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
        }),
      );
      consumers.add(rule.function);
    }

    for (const name of consumers) {
      const fn = props.functions.get(name);
      const bound = props.data.eventQueues.get(name);
      if (!bound) throw new Error(`no queue for ${name}`);
      const policy = queuePolicyOf(name);
      fn.function.addEventSource(
        new SqsEventSource(bound.queue, { batchSize: policy.batchSize, maxConcurrency: policy.maxConcurrency, reportBatchItemFailures: true }),
      );
      // The handler parks events that can never succeed itself, with the reason (adapters/aws/dead-letters.ts).
      fn.allow(['sqs:SendMessage'], [bound.deadLetters.queueArn]);
      fn.env('DEAD_LETTER_QUEUE_URL', bound.deadLetters.queueUrl);
    }
  }
}
