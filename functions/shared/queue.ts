import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deadLetters } from './deps';
import { logger } from './logger';
import { countMetric } from './metrics';
import { observed } from './observability';

/** An EventBridge event, as a rule hands it to the queue in front of a function. */
export interface BusEvent {
  id?: string;
  source?: unknown;
  'detail-type'?: unknown;
  time?: unknown;
  detail?: unknown;
}

/** What a consumer decided about one event: done, or parked with a reason (it can never succeed). */
export type Handled = undefined | { park: string };

/**
 * A consumer of bus events behind an SQS queue (EventBridge rule → queue →
 * this function). Each message is one event; an event that can never succeed
 * is parked in the queue's dead-letter queue with its reason, as the event
 * itself (the same format SQS moves there after the last retry, so one
 * redrive serves both); one that fails otherwise is reported alone, so SQS
 * retries it and nothing else of the batch.
 */
export const queueHandler = (consumer: string, handle: (event: BusEvent) => Promise<Handled>) =>
  observed(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records ?? []) {
      try {
        let body: unknown;
        try {
          body = JSON.parse(record.body);
        } catch {
          // not JSON: `body` stays undefined, and the message is parked below
        }
        const isEvent = body !== null && typeof body === 'object';
        const outcome = isEvent ? await handle(body as BusEvent) : { park: 'the message is not a JSON event' };
        if (outcome) {
          logger.warn('event parked', { consumer, reason: outcome.park, messageId: record.messageId });
          // An event is parked as itself; anything else exactly as the message carried it (a JSON string keeps its quotes).
          await deadLetters().park({ source: consumer, reason: outcome.park, payload: isEvent ? body : record.body });
          countMetric('EventsParked', { consumer });
        }
      } catch (error) {
        logger.error('event failed; SQS will retry it', {
          consumer,
          messageId: record.messageId,
          error: { name: (error as Error)?.name, message: (error as Error)?.message },
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
