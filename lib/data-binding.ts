import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLES, type TableName } from '../adapters/dynamo/tables';
import { type EventRule, type FunctionName, type StreamConsumer, streamTablesByFunction } from '../functions/manifest';
import type { ResourceNames } from './names';
import { STREAM_VIEW_TYPE } from './storage';

export interface DataBindingProps {
  readonly names: ResourceNames;
  /**
   * The ARN of each table stream (a reference to the data stack: a stream ARN
   * carries its creation time, so it cannot be derived from a name).
   */
  readonly streamArns: Readonly<Partial<Record<TableName, string>>>;
  readonly eventRules: readonly EventRule[];
  readonly streamConsumers: readonly StreamConsumer[];
}

/** The queues of an event-driven function, as the data stack named them. */
export interface BoundEventQueues {
  readonly queue: sqs.IQueue;
  readonly deadLetters: sqs.IQueue;
}

/** The queues of a stream consumer, as the data stack named them. */
export interface BoundStreamQueues {
  readonly parked: sqs.IQueue;
  readonly failures: sqs.IQueue;
}

/**
 * The stateless stack's view of the data stack. Everything is addressed by
 * its fixed name (ResourceNames), so the names, ARNs and URLs are literal in
 * this stack's template: when a data resource is replaced under a new name,
 * this template changes too and `cdk deploy --all` updates it in the same run.
 * The only values read from the data stack are the stream ARNs; each stream
 * is imported under its table's name and view type, so a new stream also
 * means new event source mappings, which read the new ARN when created.
 */
export class DataBinding extends Construct {
  readonly tables: Readonly<Record<TableName, dynamodb.ITable>>;
  readonly filesBucket: s3.IBucket;
  readonly signingKey: secretsmanager.ISecret;
  readonly licenseKey: secretsmanager.ISecret;
  readonly alarmTopic: sns.ITopic;
  readonly eventQueues = new Map<FunctionName, BoundEventQueues>();
  readonly streamQueues = new Map<FunctionName, BoundStreamQueues>();

  constructor(scope: Construct, id: string, props: DataBindingProps) {
    super(scope, id);
    const { names } = props;
    const stack = Stack.of(this);

    this.tables = Object.fromEntries(
      (Object.keys(TABLES) as TableName[]).map((name) => {
        const tableName = names.table(name);
        const tableStreamArn = props.streamArns[name];
        const importId = tableStreamArn ? `${tableName}:${STREAM_VIEW_TYPE}` : tableName;
        return [name, dynamodb.Table.fromTableAttributes(this, importId, { tableName, ...(tableStreamArn ? { tableStreamArn } : {}) })];
      }),
    ) as Record<TableName, dynamodb.ITable>;
    for (const consumer of props.streamConsumers) {
      if (!props.streamArns[consumer.table])
        throw new Error(`${consumer.function} consumes the ${consumer.table} stream, but that table has no stream (adapters/dynamo/tables.ts)`);
    }

    this.filesBucket = s3.Bucket.fromBucketName(this, 'FilesBucket', names.filesBucket);
    this.signingKey = secretsmanager.Secret.fromSecretNameV2(this, 'SigningKey', names.signingKeySecret);
    this.licenseKey = secretsmanager.Secret.fromSecretNameV2(this, 'LicenseKey', names.licenseKeySecret);
    this.alarmTopic = sns.Topic.fromTopicArn(this, 'AlarmTopic', stack.formatArn({ service: 'sns', resource: names.alarmTopic }));

    const queue = (queueName: string) =>
      sqs.Queue.fromQueueAttributes(this, queueName, {
        queueName,
        queueArn: stack.formatArn({ service: 'sqs', resource: queueName }),
        queueUrl: `https://sqs.${stack.region}.${stack.urlSuffix}/${stack.account}/${queueName}`,
      });
    for (const fn of new Set(props.eventRules.map((r) => r.function))) {
      this.eventQueues.set(fn, { queue: queue(names.workQueue(fn)), deadLetters: queue(names.deadLetterQueue(fn)) });
    }
    for (const fn of streamTablesByFunction(props.streamConsumers).keys()) {
      this.streamQueues.set(fn, { parked: queue(names.parkedChanges(fn)), failures: queue(names.streamFailures(fn)) });
    }
  }
}
