import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EventRule, StreamConsumer } from '../functions/manifest';
import { AlarmTopic } from './alarm-topic';
import { FUNCTION_TIMEOUTS } from './constructs/api-function';
import { LicenseKeyring } from './constructs/license-keys';
import { SenderIdentity } from './email';
import type { ResourceNames } from './names';
import { MessageQueues } from './queues';
import type { DeploymentSettings } from './settings';
import { Storage } from './storage';

export interface DigitalDownloadsDataProps
  extends StackProps,
    Pick<DeploymentSettings, 'presignedUrlTtlSeconds' | 'senderEmail' | 'senderIdentity' | 'hostedZoneId' | 'sandboxRecipients' | 'alarmEmail'> {
  readonly names: ResourceNames;
  readonly eventRules: readonly EventRule[];
  readonly streamConsumers: readonly StreamConsumer[];
}

/**
 * The stack that outlives the other: everything whose loss loses data, breaks
 * links already emailed, or drops messages in flight. The tables, the files
 * bucket and the link-signing key (Storage); every queue, work and dead
 * letters, with their alarms (MessageQueues); the alarm topic its
 * subscriptions hang on (AlarmTopic); the SES identity with its DKIM keys
 * (SenderIdentity). Termination protection is on: `cdk destroy` refuses it,
 * and its resources are retained and named (never replaced by a deploy).
 */
export class DigitalDownloadsData extends Stack {
  readonly storage: Storage;
  readonly licenseKeyring: LicenseKeyring;
  readonly alarmTopic: AlarmTopic;
  readonly queues: MessageQueues;
  readonly sender: SenderIdentity;

  constructor(scope: Construct, id: string, props: DigitalDownloadsDataProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.storage = new Storage(this, 'Storage', { names: props.names, presignedUrlTtlSeconds: props.presignedUrlTtlSeconds });
    this.licenseKeyring = new LicenseKeyring(this, 'LicenseKeys', { names: props.names });
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { topicName: props.names.alarmTopic, alarmEmail: props.alarmEmail });
    this.queues = new MessageQueues(this, 'Queues', {
      names: props.names,
      eventRules: props.eventRules,
      streamConsumers: props.streamConsumers,
      consumerTimeout: FUNCTION_TIMEOUTS.async,
      alarmTopic: this.alarmTopic,
    });
    this.sender = new SenderIdentity(this, 'Sender', {
      senderEmail: props.senderEmail,
      kind: props.senderIdentity,
      hostedZoneId: props.hostedZoneId,
      sandboxRecipients: props.sandboxRecipients,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topic.topicArn,
      description: 'SNS topic every alarm notifies: subscribe a pager, chat or email to it',
    });
  }
}
