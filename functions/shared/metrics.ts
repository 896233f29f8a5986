import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The business metrics, as CloudWatch embedded metric format (EMF) log lines:
 * no API call, no I/O beyond the log. The alarms and the dashboard
 * (lib/monitoring.ts, lib/dashboard.ts) are built on these names and
 * dimensions, so they are declared here once.
 */
export const METRICS_NAMESPACE = 'DigitalDownloads';
export const METRICS_SERVICE = 'digital-downloads';

/** Every metric, with the dimension it is split by (besides `service`, which Powertools adds to all). */
export const METRIC_DIMENSIONS = {
  /** One per served download, counted by the link-log stream consumer (never on the download's hot path). */
  DownloadsServed: undefined,
  /** One per refused download, by the refusal's code (LINK_EXPIRED, RATE_LIMITED, …), where the refusal is answered. */
  DownloadsRefused: 'reason',
  /** Links of a generation, counted once when its DigitalProductDelivered is published. */
  LinksIssued: undefined,
  EventsPublished: 'detailType',
  EmailsSent: undefined,
  EmailsBounced: undefined,
  EmailsComplained: undefined,
  /** Stream records a consumer parked (they failed for their own reasons). */
  StreamRecordsParked: 'consumer',
  /** Events a queue consumer parked (they can never succeed). */
  EventsParked: 'consumer',
  /** Storefront webhooks refused for a bad signature (a wrong secret, or someone guessing). */
  WebhookSignatureRejected: 'provider',
  /** Lines refused because their product's license pool ran dry (one per line, when its DeliveryRejected is published). */
  LicensePoolsEmpty: undefined,
} as const;

export type MetricName = keyof typeof METRIC_DIMENSIONS;
type DimensionOf<M extends MetricName> = (typeof METRIC_DIMENSIONS)[M];
export type MetricDimensions<M extends MetricName> = DimensionOf<M> extends string ? Record<DimensionOf<M>, string> : undefined;

let instance: Metrics | undefined;
/** Built on first use: a function that counts nothing (a served download) pays nothing at cold start. */
const metrics = () => {
  instance ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  return instance;
};

const pending = new Map<string, { name: MetricName; dimensions: Record<string, string> | undefined; value: number }>();

/** Adds to a count, published by `publishMetrics` (the queue and stream wrappers publish after each batch). */
export const countMetric = <M extends MetricName>(
  name: M,
  ...[dimensions, value = 1]: MetricDimensions<M> extends undefined ? [undefined?, number?] : [MetricDimensions<M>, number?]
) => {
  if (value <= 0) return;
  const key = `${name}|${dimensions ? JSON.stringify(dimensions) : ''}`;
  const existing = pending.get(key);
  if (existing) existing.value += value;
  else pending.set(key, { name, dimensions: dimensions as Record<string, string> | undefined, value });
};

/**
 * Writes the pending counts as EMF lines: one line for the counts without a
 * dimension of their own, one per dimension value for the others. Outside
 * Lambda (the local runtime, tests) nothing is written.
 */
export const publishMetrics = (): void => {
  if (pending.size === 0) return;
  const counts = [...pending.values()];
  pending.clear();
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return;
  const m = metrics();
  for (const { name, dimensions, value } of counts) {
    if (dimensions) {
      const single = m.singleMetric();
      single.addDimensions(dimensions);
      single.addMetric(name, MetricUnit.Count, value);
    } else m.addMetric(name, MetricUnit.Count, value);
  }
  if (m.hasStoredMetrics()) m.publishStoredMetrics();
};
