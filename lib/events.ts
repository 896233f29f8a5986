import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TableName } from '../adapters/dynamo/tables';
import type { EventRule, FunctionName, StreamConsumer } from '../functions/manifest';
import type { ApiFunction } from './constructs/api-function';

export interface AsyncTriggersProps {
  readonly eventRules: readonly EventRule[];
  readonly streamConsumers: readonly StreamConsumer[];
  readonly tables: Readonly<Record<TableName, dynamodb.ITable>>;
  /** The (single) function of a catalog name, created on first use. */
  readonly functionFor: (name: FunctionName) => ApiFunction;
}

const pascal = (name: string) => name.replace(/(^|[-_])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());

/**
 * Everything that runs a function without a caller waiting: EventBridge rules
 * on the default bus and table streams. Nothing is lost quietly: each path
 * retries a bounded number of times, then parks the input in an encrypted,
 * TLS-only dead-letter queue kept 14 days, and an alarm fires as soon as a
 * queue holds anything.
 */
export class AsyncTriggers extends Construct {
  /** The dead-letter queue of each event-driven function (rule DLQ, async-invoke failures, parked malformed events). */
  readonly eventDeadLetterQueues = new Map<FunctionName, sqs.Queue>();
  /** The dead-letter queue of each stream consumer, by `<table>:<function>`. */
  readonly streamDeadLetterQueues = new Map<string, sqs.Queue>();
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AsyncTriggersProps) {
    super(scope, id);

    for (const rule of props.eventRules) {
      const fn = props.functionFor(rule.function);
      const dlq = this.eventDeadLetterQueueFor(fn);
      new events.Rule(this, `${rule.id}Rule`, {
        description: `${rule.pattern.source.join(', ')} ${rule.pattern['detail-type'].join(', ')} to ${rule.function}`,
        eventPattern: { source: [...rule.pattern.source], detailType: [...rule.pattern['detail-type']] },
        targets: [new targets.LambdaFunction(fn.function, { deadLetterQueue: dlq, retryAttempts: 4, maxEventAge: Duration.hours(2) })],
      });
    }

    for (const consumer of props.streamConsumers) {
      const fn = props.functionFor(consumer.function);
      const key = `${consumer.table}:${consumer.function}`;
      const dlq = this.deadLetterQueue(
        `${pascal(consumer.table)}Stream${pascal(consumer.function)}Dlq`,
        `the ${consumer.table} stream consumed by ${consumer.function}`,
      );
      this.streamDeadLetterQueues.set(key, dlq);
      fn.function.addEventSource(
        new DynamoEventSource(props.tables[consumer.table], {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: 100,
          bisectBatchOnError: true,
          retryAttempts: 5,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(dlq),
        }),
      );
    }
  }

  /** One queue per event-driven function, however many rules target it (async-invoke config is per function). */
  private eventDeadLetterQueueFor(fn: ApiFunction): sqs.Queue {
    const existing = this.eventDeadLetterQueues.get(fn.name);
    if (existing) return existing;
    const dlq = this.deadLetterQueue(`${pascal(fn.name)}Dlq`, `events for ${fn.name}`);
    this.eventDeadLetterQueues.set(fn.name, dlq);
    // EventBridge invokes asynchronously: after its own retries, Lambda's two retries, then the queue.
    fn.function.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(dlq) });
    // The handler parks events that can never succeed itself, with the reason.
    dlq.grantSendMessages(fn.function);
    fn.env('DEAD_LETTER_QUEUE_URL', dlq.queueUrl);
    return dlq;
  }

  private deadLetterQueue(id: string, what: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (of ${what}: an EventBridge target, Lambda on-failure destination or event-source mapping, which cdk-nag does not recognise as DLQ users); nothing consumes it to redrive further.`,
    });
    const alarm = queue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM })
      .createAlarm(this, `${id}NotEmpty`, {
        alarmDescription: `Dead letters from ${what}: inspect the messages, fix the cause, then redrive or delete them.`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.alarms.push(alarm);
    return queue;
  }
}
