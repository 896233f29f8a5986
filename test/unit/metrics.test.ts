import { afterEach, describe, expect, it, vi } from 'vitest';
import { countMetric, METRICS_NAMESPACE, publishMetrics } from '../../functions/shared/metrics';

/** The EMF lines Powertools writes to stdout (CloudWatch turns each into metrics); `warnings` gets what it writes to stderr. */
const captureEmf = (act: () => void, warnings: string[] = []): Record<string, any>[] => {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    warnings.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l));
};

describe('business metrics', () => {
  afterEach(() => {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  });

  it('publishes counts as EMF in the DigitalDownloads namespace, summed, with the service and their own dimension', () => {
    // Prepare
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'link-log';
    countMetric('DownloadsServed', undefined, 3);
    countMetric('DownloadsServed', undefined, 2);
    countMetric('StreamRecordsParked', { consumer: 'link-log' });

    // Act
    const lines = captureEmf(publishMetrics);

    // Assess
    const served = lines.find((l) => 'DownloadsServed' in l);
    const parked = lines.find((l) => 'StreamRecordsParked' in l);
    expect(served).toMatchObject({ DownloadsServed: 5, service: 'digital-downloads' });
    expect(served?._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: METRICS_NAMESPACE, Dimensions: [['service']] });
    expect(parked).toMatchObject({ StreamRecordsParked: 1, consumer: 'link-log', service: 'digital-downloads' });
    expect(parked?._aws.CloudWatchMetrics[0].Dimensions[0].sort()).toEqual(['consumer', 'service']);
  });

  it('writes nothing outside Lambda (the local runtime, tests), and forgets what it counted', () => {
    countMetric('EmailsSent');
    expect(captureEmf(publishMetrics)).toEqual([]);
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'delivery-email';
    expect(captureEmf(publishMetrics)).toEqual([]);
  });

  it('counts nothing for a zero or negative amount', () => {
    // Prepare
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'link-log';
    countMetric('DownloadsServed', undefined, 0);
    countMetric('LinksIssued', undefined, -2);
    countMetric('DownloadsRefused', { reason: 'LINK_EXPIRED' }, 0);

    // Act
    const lines = captureEmf(publishMetrics);

    // Assess
    expect(lines).toEqual([]);
  });

  it('writes a line per dimension value and no warning when every count has a dimension of its own', () => {
    // Prepare
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'payment-events';
    countMetric('EventsParked', { consumer: 'payment-events' });
    countMetric('EventsParked', { consumer: 'delivery-email' }, 2);
    const warnings: string[] = [];

    // Act
    const lines = captureEmf(publishMetrics, warnings);

    // Assess
    expect(lines.map((l) => [l.consumer, l.EventsParked])).toEqual([
      ['payment-events', 1],
      ['delivery-email', 2],
    ]);
    expect(warnings).toEqual([]);
  });
});
