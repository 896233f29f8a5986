import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { FunctionName } from '../functions/manifest';
import type { ApiFunction } from './constructs/api-function';

export interface MonitoringProps {
  readonly httpApi: apigw.IHttpApi;
  readonly functions: ReadonlyMap<FunctionName, ApiFunction>;
  /** Alarms made elsewhere (the dead-letter queues') that notify the same topic. */
  readonly alarms: readonly cloudwatch.Alarm[];
  /** Subscribed by email when set. */
  readonly alarmEmail?: string;
}

/** The functions whose throttles mean the account's concurrency ran out under a caller who is waiting. */
const THROTTLE_ALARMED: readonly FunctionName[] = ['download'];

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Every alarm of the app, and the one topic they all notify. An alarm fires on
 * the first occurrence in five minutes (an API 5xx, a function error, a
 * throttled download, a dead letter): at this traffic any of them is worth a
 * look. The topic is encrypted with its own key, because CloudWatch cannot
 * publish to a topic under the AWS-managed SNS key (its policy cannot grant
 * CloudWatch), and it only accepts CloudWatch alarms of this account and TLS.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly topicKey: kms.Key;
  /** The alarms made here (the API's and the functions'). */
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Digital downloads: encrypts the alarm topic',
      enableKeyRotation: true,
      // It protects notifications in flight only; nothing stored needs it after the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch calls KMS itself when it publishes to an encrypted topic; without this, alarms change state and notify no one.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Digital downloads alarms',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    // The topic policy above (TLS only) replaces SNS's default one, so CloudWatch needs an explicit grant,
    // limited to this account's alarms (confused deputy).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const atLeastOnce = (id: string, metric: cloudwatch.Metric, description: string) => {
      const alarm = metric.createAlarm(this, id, {
        alarmDescription: description,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(alarm);
      return alarm;
    };

    atLeastOnce(
      'Api5xx',
      props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      'The HTTP API answered 5xx: a function failed, timed out or was throttled. The access log names the route; the function logs and its Errors alarm say why.',
    );
    for (const [name, fn] of props.functions) {
      const id = fn.node.id;
      atLeastOnce(
        `${id}Errors`,
        fn.function.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        `The ${name} function failed (an uncaught error or a timeout). Its log group has the error and the request id.`,
      );
      if (THROTTLE_ALARMED.includes(name)) {
        atLeastOnce(
          `${id}Throttles`,
          fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
          `The ${name} function was throttled: the account's unreserved Lambda concurrency ran out, so customers got 5xx. Lower the download route throttling or raise the account's concurrency quota.`,
        );
      }
    }

    const action = new SnsAction(this.topic);
    for (const alarm of [...this.alarms, ...props.alarms]) alarm.addAlarmAction(action);
  }
}
