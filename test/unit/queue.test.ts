import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadLetters } from '../../functions/shared/deps';
import { type BusEvent, queueHandler } from '../../functions/shared/queue';
import type { FakeDeadLetters } from '../support/fakes';
import { captureOutput } from '../support/output';

// The dead letters are an SQS queue in AWS: a recording fake here (and no X-Ray: nothing else of deps.ts is used).
vi.mock('../../functions/shared/deps', async () => {
  const { FakeDeadLetters } = await import('../support/fakes');
  const letters = new FakeDeadLetters();
  return { deadLetters: () => letters, instrumentClients: () => undefined };
});

const parked = () => (deadLetters() as unknown as FakeDeadLetters).parked;

/** An SQS message holding what an EventBridge rule put on the queue. */
const message = (messageId: string, body: string): SQSRecord => ({ messageId, body }) as SQSRecord;
const messages = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const busEvent = (id: string, detail: unknown = { invoiceId: `inv-${id}` }): BusEvent => ({
  id,
  source: 'shop.payments',
  'detail-type': 'PaymentSucceeded',
  detail,
});

beforeEach(() => {
  parked().length = 0;
});
afterEach(() => {
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
});

describe('a queue consumer of bus events', () => {
  it('hands each message over as its event and reports no failures when all are done', async () => {
    // Prepare
    const seen: BusEvent[] = [];
    const handler = queueHandler('payment-events', async (event) => {
      seen.push(event);
      return undefined;
    });

    // Act
    const result = await handler(messages(message('m1', JSON.stringify(busEvent('e1'))), message('m2', JSON.stringify(busEvent('e2')))), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([busEvent('e1'), busEvent('e2')]);
    expect(parked()).toEqual([]);
  });

  it('answers an event without messages with no failures, handling and parking nothing', async () => {
    const seen: BusEvent[] = [];
    const handler = queueHandler('payment-events', async (event) => {
      seen.push(event);
      return undefined;
    });
    expect(await handler({} as SQSEvent, undefined as never)).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([]);
    expect(parked()).toEqual([]);
  });

  it('parks an event the consumer says can never succeed, as the event itself with its reason, and counts it', async () => {
    // Prepare
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'payment-events';
    const handler = queueHandler('payment-events', async (event) => (event.id === 'e2' ? { park: 'no invoiceId' } : undefined));

    // Act
    const { result, logs, metrics } = await captureOutput(() =>
      handler(messages(message('m1', JSON.stringify(busEvent('e1'))), message('m2', JSON.stringify(busEvent('e2', {})))), undefined as never),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(parked()).toEqual([{ source: 'payment-events', reason: 'no invoiceId', payload: busEvent('e2', {}) }]);
    expect(logs).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'event parked', consumer: 'payment-events', reason: 'no invoiceId', messageId: 'm2' }),
    ]);
    expect(metrics).toEqual([expect.objectContaining({ EventsParked: 1, consumer: 'payment-events' })]);
  });

  it.each([
    ['malformed JSON', '{"detail-type": "PaymentSucceeded"', '{"detail-type": "PaymentSucceeded"'],
    ['JSON that is not an object', '42', '42'],
    ['a JSON string', '"PaymentSucceeded"', '"PaymentSucceeded"'],
    ['JSON null', 'null', 'null'],
    ['an empty body', '', ''],
  ])('parks %s with its reason and the message exactly as it came, without asking the consumer', async (_what, body, payload) => {
    // Prepare
    let asked = 0;
    const handler = queueHandler('payment-events', async () => {
      asked++;
      return undefined;
    });

    // Act
    const result = await handler(messages(message('m1', body)), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(asked).toBe(0);
    expect(parked()).toEqual([{ source: 'payment-events', reason: 'the message is not a JSON event', payload }]);
  });

  it('reports a message whose handling threw for that message only, so SQS retries it and nothing else', async () => {
    // Prepare
    const seen: string[] = [];
    const handler = queueHandler('delivery-email', async (event) => {
      seen.push(event.id ?? '?');
      if (event.id === 'e2') throw Object.assign(new Error('SES is throttling'), { name: 'TooManyRequestsException' });
      return undefined;
    });

    // Act
    const { result, logs } = await captureOutput(() =>
      handler(
        messages(message('m1', JSON.stringify(busEvent('e1'))), message('m2', JSON.stringify(busEvent('e2'))), message('m3', JSON.stringify(busEvent('e3')))),
        undefined as never,
      ),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(seen).toEqual(['e1', 'e2', 'e3']);
    expect(parked()).toEqual([]);
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'event failed; SQS will retry it',
        consumer: 'delivery-email',
        messageId: 'm2',
        error: { name: 'TooManyRequestsException', message: 'SES is throttling' },
      }),
    ]);
  });

  it('reports a message for which something other than an Error was thrown', async () => {
    // Prepare
    const handler = queueHandler('delivery-email', async () => Promise.reject(undefined));

    // Act
    const { result, logs } = await captureOutput(() => handler(messages(message('m1', '{}')), undefined as never));

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(logs).toEqual([expect.objectContaining({ message: 'event failed; SQS will retry it', messageId: 'm1' })]);
  });

  it('reports a message whose parking failed, so SQS tries it again', async () => {
    // Prepare
    const letters = deadLetters() as unknown as FakeDeadLetters;
    const park = vi.spyOn(letters, 'park').mockRejectedValueOnce(Object.assign(new Error('queue unavailable'), { name: 'ServiceUnavailable' }));
    const handler = queueHandler('payment-events', async () => ({ park: 'no invoiceId' }));

    // Act
    const result = await handler(messages(message('m1', '{}'), message('m2', '{}')), undefined as never);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(parked()).toEqual([{ source: 'payment-events', reason: 'no invoiceId', payload: {} }]);
    park.mockRestore();
  });
});
