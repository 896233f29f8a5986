import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type EventRule, type FunctionName, queuePolicyOf, type StreamConsumer, streamTablesByFunction } from '../functions/manifest';
import type { AlarmTopic } from './alarm-topic';
import { alarmOn, runbook } from './alarms';
import type { ResourceNames } from './names';

/** SQS's longest retention: the time an operator has to redrive a dead letter. */
export const DEAD_LETTER_RETENTION = Duration.days(14);
/**
 * A work queue keeps a message 4 days. Shorter than the dead-letter queues on
 * purpose: SQS keeps a message's first enqueue time when it moves to a
 * dead-letter queue, so what is left of 14 days there is 14 minus its time here.
 */
export const WORK_QUEUE_RETENTION = Duration.days(4);
/**
 * A dead letter this old is still there: it expires (14 days after it first
 * reached the app) within 7 to 11 days. The queue's depth alarm fired already;
 * this one says nobody acted.
 */
export const DEAD_LETTER_AGE_ALARM = Duration.days(3);
/** Stream failures point at records the stream keeps 24 hours: after that only the logs know the keys. */
export const STREAM_FAILURE_AGE_ALARM = Duration.hours(1);
/** A consumer that leaves an event waiting this long is down, throttled or failing on every message. */
export const WORK_QUEUE_AGE_ALARM = Duration.minutes(15);

export interface EventQueues {
  /** What the function's EventBridge rules target and its SQS event source consumes. */
  readonly queue: sqs.Queue;
  /** The events themselves: SQS moves them here after `maxReceiveCount`, EventBridge when it cannot reach the queue, the handler when they can never succeed. */
  readonly deadLetters: sqs.Queue;
}

export interface StreamQueues {
  /** Changes the handler parked itself (keys, both images, the reason): its DEAD_LETTER_QUEUE_URL. */
  readonly parked: sqs.Queue;
  /** The event source mapping's on-failure destination: shard and sequence numbers of the records it gave up on. */
  readonly failures: sqs.Queue;
}

export interface MessageQueuesProps {
  readonly names: ResourceNames;
  readonly eventRules: readonly EventRule[];
  readonly streamConsumers: readonly StreamConsumer[];
  /** The longest one invocation of a queue consumer may run: its messages stay invisible six times that (AWS's guidance). */
  readonly consumerTimeout: Duration;
  readonly alarmTopic: AlarmTopic;
}

/**
 * Every queue of the app, kept with the data so that re-creating the
 * stateless stack loses no message: one work queue per event-driven function
 * (whatever rules feed it) with its dead-letter queue, and for each stream
 * consumer a queue of parked changes and one of mapping failures. Each queue
 * holds one format only, is encrypted, TLS-only and named; dead letters are
 * kept 14 days (retained if the stack goes), and alarms fire as soon as one
 * arrives and again while one is left unattended.
 */
export class MessageQueues extends Construct {
  readonly eventQueues = new Map<FunctionName, EventQueues>();
  readonly streamQueues = new Map<FunctionName, StreamQueues>();
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MessageQueuesProps) {
    super(scope, id);
    const { names } = props;
    const stack = Stack.of(this);

    const rulesOf = new Map<FunctionName, EventRule[]>();
    for (const rule of props.eventRules) rulesOf.set(rule.function, [...(rulesOf.get(rule.function) ?? []), rule]);
    for (const consumer of props.streamConsumers) {
      // DEAD_LETTER_QUEUE_URL holds events for one and stream changes for the other: a function cannot be both.
      if (rulesOf.has(consumer.function)) throw new Error(`${consumer.function} is both an event consumer and a stream consumer; give each its own function`);
    }

    for (const [fn, rules] of rulesOf) {
      const ruleArns = rules.map((rule) => stack.formatArn({ service: 'events', resource: 'rule', resourceName: names.eventRule(rule.id) }));
      const deadLetters = this.queue(`${fn}-dlq`, names.deadLetterQueue(fn), {
        retentionPeriod: DEAD_LETTER_RETENTION,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const queue = this.queue(fn, names.workQueue(fn), {
        retentionPeriod: WORK_QUEUE_RETENTION,
        visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: queuePolicyOf(fn).maxReceiveCount },
      });
      // Only this function's rules may send, to its queue and (when they cannot reach the queue) to its dead letters.
      for (const target of [queue, deadLetters]) {
        target.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: 'AllowItsEventBridgeRules',
            principals: [new iam.ServicePrincipal('events.amazonaws.com')],
            actions: ['sqs:SendMessage'],
            resources: [target.queueArn],
            conditions: { ArnEquals: { 'aws:SourceArn': ruleArns } },
          }),
        );
      }
      this.isDeadLetterQueue(deadLetters, `events for ${fn}`);
      this.alarmWhileHolding(`${fn}-dlq`, deadLetters, `Dead letters of ${fn}: events it could not handle.`, DEAD_LETTER_AGE_ALARM, 'event-dead-letters');
      this.alarms.push(
        alarmOn(this, `${fn}-waiting`, queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }), {
          threshold: WORK_QUEUE_AGE_ALARM.toSeconds(),
          above: true,
          description: `An event has waited over ${WORK_QUEUE_AGE_ALARM.toMinutes()} minutes in the queue of ${fn}: the function is failing, throttled or not consuming. ${runbook('event-queue-waiting')}`,
        }),
      );
      this.eventQueues.set(fn, { queue, deadLetters });
    }

    for (const [fn, tables] of streamTablesByFunction(props.streamConsumers)) {
      const table = tables.join(' and ');
      const parked = this.queue(`${fn}-parked`, names.parkedChanges(fn), { retentionPeriod: DEAD_LETTER_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
      const failures = this.queue(`${fn}-stream-failures`, names.streamFailures(fn), {
        retentionPeriod: DEAD_LETTER_RETENTION,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.isDeadLetterQueue(parked, `the ${table} stream${tables.length > 1 ? 's' : ''} consumed by ${fn}: changes its handler parked`);
      this.isDeadLetterQueue(
        failures,
        `the ${table} stream${tables.length > 1 ? 's' : ''} consumed by ${fn}: the event source mapping's on-failure destination`,
      );
      this.alarmWhileHolding(`${fn}-parked`, parked, `Changes of the ${table} stream that ${fn} parked.`, DEAD_LETTER_AGE_ALARM, 'stream-parked-changes');
      this.alarmWhileHolding(
        `${fn}-stream-failures`,
        failures,
        `The event source mapping of ${fn} gave up on ${table} stream records (shard and sequence numbers inside; the stream keeps records 24 hours).`,
        STREAM_FAILURE_AGE_ALARM,
        'stream-failures',
      );
      this.streamQueues.set(fn, { parked, failures });
    }

    props.alarmTopic.notify(...this.alarms);
  }

  private queue(id: string, queueName: string, props: sqs.QueueProps): sqs.Queue {
    return new sqs.Queue(this, id, { queueName, encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });
  }

  private isDeadLetterQueue(queue: sqs.Queue, what: string): void {
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (of ${what}); it is redriven by hand after the cause is fixed (docs/operations.md), never into a further queue.`,
    });
  }

  /** Fires at the first message, and again when one is left there `age`. */
  private alarmWhileHolding(id: string, queue: sqs.Queue, what: string, age: Duration, anchor: string): void {
    this.alarms.push(
      alarmOn(this, `${id}-not-empty`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }), {
        threshold: 0,
        above: true,
        description: `${what} Inspect the messages and their reason attribute, fix the cause, then redrive. ${runbook(anchor)}`,
      }),
      alarmOn(this, `${id}-unattended`, queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }), {
        threshold: age.toSeconds(),
        above: true,
        description: `${what} One has waited over ${age.toHumanString()} and will expire: redrive or export it now. ${runbook(anchor)}`,
      }),
    );
  }
}
