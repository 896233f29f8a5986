import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { type StreamConsumer, streamTablesByFunction } from '../functions/manifest';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE, type MetricName } from '../functions/shared/metrics';
import type { DataBinding } from './data-binding';
import type { Functions } from './functions';
import { businessMetric } from './monitoring';

export interface OperationsDashboardProps {
  readonly httpApi: apigw.IHttpApi;
  readonly functions: Functions;
  readonly data: DataBinding;
  readonly streamConsumers: readonly StreamConsumer[];
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const FIVE_MINUTES = Duration.minutes(5);

/** Every value of a dimensioned business metric (one line per reason, consumer or detail type), found by a search. */
const byDimension = (name: MetricName, label: string): cloudwatch.MathExpression => {
  const dimension = METRIC_DIMENSIONS[name];
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},service,${dimension}} MetricName="${name}"', 'Sum', 300)`,
    usingMetrics: {},
    label,
    period: FIVE_MINUTES,
  });
};

/**
 * The on-call engineer's one page: the alarms' state first, then what
 * customers see (API traffic, errors, latency), what the business does
 * (downloads served and refused by reason, links issued, events published,
 * emails sent, bounced, complained), and where work waits or fails (function
 * errors and durations, stream iterator age, queue depth and age, dead letters).
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const functions = props.functions.all;
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });

    const workQueues = [...props.data.eventQueues.entries()];
    const deadLetterQueues = [
      ...workQueues.map(([fn, q]) => [`${fn} dead letters`, q.deadLetters] as const),
      ...[...props.data.streamQueues.entries()].flatMap(([fn, q]) => [[`${fn} parked`, q.parked] as const, [`${fn} stream failures`, q.failures] as const]),
    ];

    // Dashboards are account-wide (not regional): the stack and Region keep two deployments apart.
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-${stack.region}`,
      defaultInterval: Duration.hours(6),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms of this stack (queue alarms: the data stack)', alarms: [...props.alarms], width: 24, height: 4 })],
        [
          graph('API requests and errors', [
            props.httpApi.metricCount({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM, label: 'requests' }),
            props.httpApi.metricClientError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM, label: '4xx' }),
            props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM, label: '5xx' }),
          ]),
          graph('API latency (p50, p99)', [
            props.httpApi.metricLatency({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
            props.httpApi.metricLatency({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99), label: 'p99' }),
          ]),
          graph('Downloads', [businessMetric('DownloadsServed', undefined, { label: 'served' }), byDimension('DownloadsRefused', 'refused')]),
        ],
        [
          graph('Links issued and events published', [
            businessMetric('LinksIssued', undefined, { label: 'links issued' }),
            byDimension('EventsPublished', 'published'),
            businessMetric('LicensePoolsEmpty', undefined, { label: 'lines refused: license pool empty' }),
          ]),
          graph('Delivery emails', [
            businessMetric('EmailsSent', undefined, { label: 'sent' }),
            businessMetric('EmailsBounced', undefined, { label: 'bounced' }),
            businessMetric('EmailsComplained', undefined, { label: 'complained' }),
          ]),
          graph('Parked (can never succeed), webhooks refused', [
            byDimension('StreamRecordsParked', 'stream records'),
            byDimension('EventsParked', 'events'),
            byDimension('WebhookSignatureRejected', 'bad webhook signatures'),
          ]),
        ],
        [
          graph(
            'Function errors',
            functions.map((fn) => fn.function.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM, label: fn.name })),
          ),
          graph(
            'Function duration (p99)',
            functions.map((fn) => fn.function.metricDuration({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99), label: fn.name })),
          ),
          graph(
            'Stream iterator age (max)',
            [...streamTablesByFunction(props.streamConsumers).keys()].map((name) =>
              props.functions.get(name).function.metric('IteratorAge', { period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM, label: name }),
            ),
          ),
        ],
        [
          graph(
            'Work queues: oldest event (s)',
            workQueues.map(([fn, q]) => q.queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM, label: fn })),
            12,
          ),
          graph(
            'Dead letters waiting',
            deadLetterQueues.map(([label, q]) =>
              q.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM, label }),
            ),
            12,
          ),
        ],
      ],
    });
  }
}
