import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  readonly topicName: string;
  /** Subscribed by email when set. */
  readonly alarmEmail?: string;
}

/**
 * The one topic every alarm of the app notifies. It lives with the data, so a
 * pager's subscription survives re-creating the stateless stack. It is
 * encrypted with its own rotated key, because CloudWatch cannot publish to a
 * topic under the AWS-managed SNS key (that key's policy cannot grant
 * CloudWatch), and it accepts only TLS and CloudWatch alarms of this account.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: 'Digital downloads: encrypts the alarm topic',
      enableKeyRotation: true,
      // It protects notifications in flight only; nothing stored needs it after the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch calls KMS itself when it publishes to an encrypted topic; without this, alarms change state and notify no one.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: 'Digital downloads alarms',
      masterKey: this.key,
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
    this.action = new SnsAction(this.topic);
  }

  /** Makes `alarm` notify the topic when it fires. */
  notify(...alarms: cloudwatch.Alarm[]): void {
    for (const alarm of alarms) alarm.addAlarmAction(this.action);
  }
}
