import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STRIPE_EVENT_TYPES } from '../../core/connectors/stripe';
import { type PartnerEventRule, queuePolicyOf } from '../../functions/manifest';
import { alarmOn, runbook } from '../alarms';
import type { Functions } from '../functions';
import type { ResourceNames } from '../names';
import { DEAD_LETTER_RETENTION, WORK_QUEUE_RETENTION } from '../queues';

export interface StorefrontConnectorsProps {
  readonly names: ResourceNames;
  readonly functions: Functions;
  /** The partner event bus of each provider the shop connected (`-c shopifyEventBus=…`, `-c stripeEventBus=…`). */
  readonly partnerEventBuses: Readonly<Partial<Record<PartnerEventRule['provider'], string>>>;
  readonly partnerEventRules: readonly PartnerEventRule[];
  /** Whether the WooCommerce webhook route is deployed. */
  readonly wooCommerce: boolean;
  readonly alarmTopic: sns.ITopic;
  /** How long each partner bus's archive keeps the raw provider events (to replay a day). @default 30 days */
  readonly archiveRetention?: Duration;
}

/**
 * The storefront connectors' infrastructure. For each partner event bus the
 * shop named: a rule matching the provider's sources by prefix, targeting
 * the connector's queue (EventBridge retries for a day, then its dead-letter
 * queue), and an archive of the raw provider events so a shop can replay a
 * day. The connector function consumes the queue with partial batch failures
 * and parks what it can never map. The WooCommerce webhook route (public,
 * throttled with the public routes' lower limits by lib/http-api.ts) reads
 * its secret from Secrets Manager and parks unmappable orders in a queue of
 * its own. The Stripe key is a secret the shop fills in.
 */
export class StorefrontConnectors extends Construct {
  wooCommerceSecret?: secretsmanager.Secret;
  wooCommerceParked?: sqs.Queue;
  readonly stripeSecretKey?: secretsmanager.Secret;
  readonly queue?: sqs.Queue;
  readonly deadLetters?: sqs.Queue;
  readonly rules: events.Rule[] = [];
  readonly archives: events.Archive[] = [];
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: StorefrontConnectorsProps) {
    super(scope, id);
    const { names } = props;

    if (props.wooCommerce) this.wireWooCommerce(names, props.functions);

    const connected = props.partnerEventRules.filter((rule) => props.partnerEventBuses[rule.provider]);
    if (connected.length === 0) {
      this.notify(props.alarmTopic);
      return;
    }
    const consumer = props.functions.get('storefront-events');
    const policy = queuePolicyOf('storefront-events');
    this.deadLetters = this.deadLetterQueue('StorefrontEventsDlq', `${names.apiStack}-storefront-events-dlq`, 'storefront partner events');
    this.queue = new sqs.Queue(this, 'StorefrontEvents', {
      queueName: `${names.apiStack}-storefront-events`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: WORK_QUEUE_RETENTION,
      visibilityTimeout: Duration.seconds(consumer.function.timeout ? consumer.function.timeout.toSeconds() * 6 : 180),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: policy.maxReceiveCount },
    });

    for (const rule of connected) {
      const busName = props.partnerEventBuses[rule.provider] as string;
      const bus = events.EventBus.fromEventBusName(this, `${rule.id}Bus`, busName);
      const pattern: events.EventPattern = {
        source: events.Match.prefix(rule.sourcePrefix),
        ...(rule.provider === 'stripe' ? { detailType: [...STRIPE_EVENT_TYPES] } : {}),
      };
      this.rules.push(
        new events.Rule(this, rule.id, {
          ruleName: `${names.apiStack}-${rule.id}`,
          description: `${rule.provider} partner events (${rule.sourcePrefix}…) to ${rule.function}`,
          eventBus: bus,
          eventPattern: pattern,
          targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
        }),
      );
      this.archives.push(
        new events.Archive(this, `${rule.id}Archive`, {
          archiveName: `${names.apiStack}-${rule.provider}`.slice(0, 48),
          description: `The raw ${rule.provider} events, to replay (EventBridge → Archives → Start replay).`,
          sourceEventBus: bus,
          eventPattern: { source: events.Match.prefix(rule.sourcePrefix) },
          retention: props.archiveRetention ?? Duration.days(30),
        }),
      );
    }

    consumer.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: policy.batchSize, maxConcurrency: policy.maxConcurrency, reportBatchItemFailures: true }),
    );
    consumer.allow(['sqs:SendMessage'], [this.deadLetters.queueArn]);
    consumer.env('DEAD_LETTER_QUEUE_URL', this.deadLetters.queueUrl);

    if (props.partnerEventBuses.stripe) {
      // A restricted key (rk_…) that may read Checkout Sessions: the shop puts it here after the deploy.
      const stripeKeyName = `${names.apiStack}/stripe-secret-key`;
      this.stripeSecretKey = new secretsmanager.Secret(this, 'StripeSecretKey', {
        secretName: stripeKeyName,
        description: 'A Stripe restricted key with read access to Checkout Sessions (rk_…); set it with aws secretsmanager put-secret-value.',
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.noRotation(this.stripeSecretKey, 'Stripe issues the key; the shop rolls it in the Stripe Dashboard and puts the new one here');
      consumer.allow(['secretsmanager:GetSecretValue'], [this.stripeSecretKey.secretArn]);
      consumer.env('STRIPE_SECRET_KEY_ID', stripeKeyName);
    }
    this.alarms.push(
      alarmOn(
        this,
        'StorefrontEventsWaiting',
        this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        {
          threshold: 15 * 60,
          above: true,
          description: `A storefront event has waited over 15 minutes: the connector is failing (a Stripe key?), throttled or not consuming. ${runbook('event-queue-waiting')}`,
        },
      ),
    );
    this.notify(props.alarmTopic);
  }

  /** WooCommerce: the webhook's secret (generated; paste it into the webhook's settings) and its parked orders. */
  private wireWooCommerce(names: ResourceNames, functions: Functions): void {
    const webhook = functions.get('woocommerce-webhook');
    // A name, not an ARN: a named secret's ARN ends in a random suffix; GetSecretValue takes the name.
    const secretName = `${names.apiStack}/woocommerce-webhook-secret`;
    const secret = new secretsmanager.Secret(this, 'WooCommerceWebhookSecret', {
      secretName,
      description: 'The secret of the WooCommerce webhook (WooCommerce → Settings → Advanced → Webhooks → Secret).',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.noRotation(secret, 'it is shared with WooCommerce, which cannot take a rotated value: the shop changes both together');
    webhook.allow(['secretsmanager:GetSecretValue'], [secret.secretArn]);
    webhook.env('WOOCOMMERCE_WEBHOOK_SECRET_ID', secretName);
    const parked = this.deadLetterQueue('WooCommerceParked', `${names.apiStack}-woocommerce-parked`, 'signed WooCommerce webhooks that could not be mapped');
    webhook.allow(['sqs:SendMessage'], [parked.queueArn]);
    webhook.env('DEAD_LETTER_QUEUE_URL', parked.queueUrl);
    this.wooCommerceSecret = secret;
    this.wooCommerceParked = parked;
  }

  private deadLetterQueue(id: string, queueName: string, what: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (of ${what}); it is redriven by hand after the cause is fixed (docs/connectors.md), never into a further queue.`,
    });
    this.alarms.push(
      alarmOn(this, `${id}NotEmpty`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }), {
        threshold: 0,
        above: true,
        description: `Dead letters of ${what}. Inspect the messages and their reason attribute, fix the cause, then redrive. ${runbook('event-dead-letters')}`,
      }),
    );
    return queue;
  }

  private noRotation(secret: secretsmanager.Secret, why: string): void {
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: `Not rotated automatically: ${why}.` });
  }

  private notify(topic: sns.ITopic): void {
    for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(topic));
  }
}
