import type { EventBridgeEvent } from 'aws-lambda';
import { parsePaymentEvent } from '../../core/events';
import { recordPaymentEvent } from '../../core/use-cases/record-payment-event';
import { catalogStore, deadLetters, invoiceStore, linkStore } from '../shared/deps';
import { logger } from '../shared/logger';

const deps = {
  invoices: invoiceStore(),
  links: linkStore(),
  catalog: catalogStore(),
  log: { warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, extra ?? {}) },
};

/**
 * Payment events from the storefront. A malformed event can never succeed:
 * it is parked in the dead-letter queue with its reason and not retried.
 * Anything else that fails throws, so Lambda retries it and then parks it.
 */
export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  logger.appendKeys({ correlationId: (event as { id?: string })?.id });
  try {
    const parsed = parsePaymentEvent(event, new Date());
    if (!parsed.ok) {
      logger.warn('payment event rejected', { reason: parsed.reason, detailType: event?.['detail-type'] });
      await deadLetters().park({ source: 'payment-events', reason: parsed.reason, payload: event });
      return;
    }
    const result = await recordPaymentEvent(deps, parsed.event, new Date().toISOString());
    logger.info('payment event applied', { detailType: parsed.event.type, invoiceId: parsed.event.detail.invoiceId, ...result });
  } finally {
    logger.resetKeys();
  }
};
