import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type FunctionName, type StreamConsumer, streamTablesByFunction } from '../functions/manifest';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE, METRICS_SERVICE, type MetricName } from '../functions/shared/metrics';
import { alarmOn, runbook } from './alarms';
import type { Functions } from './functions';

/** A business metric of functions/shared/metrics.ts, with exactly the dimensions the functions publish it under. */
export const businessMetric = (name: MetricName, dimensionValue?: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric => {
  const dimension = METRIC_DIMENSIONS[name];
  if ((dimension === undefined) !== (dimensionValue === undefined))
    throw new Error(`${name} is published ${dimension ? `by ${dimension}` : 'without a dimension'}`);
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRICS_SERVICE, ...(dimension && dimensionValue ? { [dimension]: dimensionValue } : {}) },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...options,
  });
};

/** The functions whose throttles mean the account's concurrency ran out under a caller who is waiting. */
const THROTTLE_ALARMED: readonly FunctionName[] = ['download'];

/** A stream consumer this far behind is not keeping up or is retrying an outage; records are given up at 6 hours. */
export const ITERATOR_AGE_ALARM = Duration.minutes(15);
/** Of at least 20 requests in five minutes: more 4xx than this means callers are refused wholesale (a wrong audience, issuer or CORS). */
export const CLIENT_ERROR_RATE_ALARM_PERCENT = 25;
/** SES reviews an account at a 5 % bounce rate and 0.1 % complaint rate (and may pause sending at 10 % / 0.5 %). */
export const BOUNCE_RATE_ALARM = 0.05;
export const COMPLAINT_RATE_ALARM = 0.001;

const FIVE_MINUTES = Duration.minutes(5);

export interface MonitoringProps {
  readonly httpApi: apigw.IHttpApi;
  readonly functions: Functions;
  readonly streamConsumers: readonly StreamConsumer[];
  /** The configuration set the delivery emails go through (its reputation metrics). */
  readonly configurationSetName: string;
  /** The data stack's alarm topic. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * The stateless stack's alarms, each notifying the data stack's alarm topic
 * and naming its runbook: API 5xx and 4xx rate, every function's errors, the
 * download's throttles, each stream consumer's iterator age and parked
 * records, SES bounce and complaint rates (the account's reputation and our
 * own counts). The queues' alarms live with the queues, in the data stack.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const add = (alarm: cloudwatch.Alarm) => {
      this.alarms.push(alarm);
      return alarm;
    };

    add(
      alarmOn(this, 'Api5xx', props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }), {
        threshold: 1,
        description: `The HTTP API answered 5xx: a function failed, timed out or was throttled. ${runbook('api-5xx')}`,
      }),
    );
    add(
      alarmOn(
        this,
        'Api4xxRate',
        new cloudwatch.MathExpression({
          expression: `IF(requests >= 20, 100 * clientErrors / requests, 0)`,
          usingMetrics: {
            requests: props.httpApi.metricCount({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
            clientErrors: props.httpApi.metricClientError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
          },
          period: FIVE_MINUTES,
          label: '4xx % of requests',
        }),
        {
          threshold: CLIENT_ERROR_RATE_ALARM_PERCENT,
          above: true,
          periods: 3,
          description: `Over ${CLIENT_ERROR_RATE_ALARM_PERCENT} % of API requests were refused (4xx) for 15 minutes: tokens rejected wholesale (issuer, audience), a broken client, or an attack. ${runbook('api-4xx-rate')}`,
        },
      ),
    );

    for (const fn of props.functions.all) {
      const id = fn.node.id;
      add(
        alarmOn(this, `${id}Errors`, fn.function.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }), {
          threshold: 1,
          description: `The ${fn.name} function failed (an uncaught error or a timeout). Its log group has the error and the request id. ${runbook('function-errors')}`,
        }),
      );
      if (THROTTLE_ALARMED.includes(fn.name)) {
        add(
          alarmOn(this, `${id}Throttles`, fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }), {
            threshold: 1,
            description: `The ${fn.name} function was throttled: the account's unreserved Lambda concurrency ran out, so customers got 5xx. ${runbook('download-throttles')}`,
          }),
        );
      }
    }

    for (const [name, tables] of streamTablesByFunction(props.streamConsumers)) {
      const consumer = { function: name, table: tables.join(' and ') };
      const fn = props.functions.get(consumer.function);
      add(
        alarmOn(this, `${fn.node.id}IteratorAge`, fn.function.metric('IteratorAge', { period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM }), {
          threshold: ITERATOR_AGE_ALARM.toMilliseconds(),
          above: true,
          description: `${consumer.function} is over ${ITERATOR_AGE_ALARM.toMinutes()} minutes behind the ${consumer.table} stream${tables.length > 1 ? 's' : ''}: it is retrying an outage or cannot keep up. Records older than 6 hours are given up to its stream-failures queue. ${runbook('stream-iterator-age')}`,
        }),
      );
      // Per-record failures do not fail the invocation (the record is parked, the batch goes on): Errors stays at zero.
      add(
        alarmOn(this, `${fn.node.id}RecordsParked`, businessMetric('StreamRecordsParked', consumer.function), {
          threshold: 1,
          description: `${consumer.function} parked ${consumer.table} stream records that failed for their own reasons. ${runbook('stream-parked-changes')}`,
        }),
      );
    }

    const reputation = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { 'ses:configuration-set': props.configurationSetName },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.hours(1),
      });
    add(
      alarmOn(this, 'SesBounceRate', reputation('Reputation.BounceRate'), {
        threshold: BOUNCE_RATE_ALARM,
        above: true,
        description: `SES's bounce rate of the delivery emails is over ${BOUNCE_RATE_ALARM * 100} %: SES reviews the account from there and may pause it at 10 %. ${runbook('ses-bounces')}`,
      }),
    );
    add(
      alarmOn(this, 'SesComplaintRate', reputation('Reputation.ComplaintRate'), {
        threshold: COMPLAINT_RATE_ALARM,
        above: true,
        description: `SES's complaint rate of the delivery emails is over ${COMPLAINT_RATE_ALARM * 100} %: SES reviews the account from there and may pause it at 0.5 %. ${runbook('ses-complaints')}`,
      }),
    );
    // Our own counts, per hour: the first complaint and a bad hour of bounces show long before SES's rolling rates move.
    add(
      alarmOn(
        this,
        'EmailsBouncedRate',
        new cloudwatch.MathExpression({
          expression: 'IF(sent >= 20, bounced / sent, 0)',
          usingMetrics: {
            sent: businessMetric('EmailsSent', undefined, { period: Duration.hours(1) }),
            bounced: businessMetric('EmailsBounced', undefined, { period: Duration.hours(1) }),
          },
          period: Duration.hours(1),
          label: 'bounced / sent',
        }),
        {
          threshold: BOUNCE_RATE_ALARM,
          above: true,
          description: `Over ${BOUNCE_RATE_ALARM * 100} % of the last hour's delivery emails bounced. ${runbook('ses-bounces')}`,
        },
      ),
    );
    add(
      alarmOn(this, 'EmailsComplained', businessMetric('EmailsComplained', undefined, { period: Duration.hours(1) }), {
        threshold: 1,
        description: `A customer marked a delivery email as spam. SES suppresses the address from now on. ${runbook('ses-complaints')}`,
      }),
    );
    add(
      alarmOn(this, 'LicensePoolEmpty', businessMetric('LicensePoolsEmpty', undefined, { period: FIVE_MINUTES }), {
        threshold: 1,
        description: `A product's license-key pool ran dry: a paid line got no key (DeliveryRejected LICENSE_POOL_EMPTY). ${runbook('license-pool-empty')}`,
      }),
    );

    const action = new SnsAction(props.alarmTopic);
    for (const alarm of this.alarms) alarm.addAlarmAction(action);
  }
}
