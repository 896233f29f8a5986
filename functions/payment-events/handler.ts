import { parsePaymentEvent } from '../../core/events';
import { recordPaymentEvent } from '../../core/use-cases/record-payment-event';
import { catalogStore, invoiceStore, licenseStore, linkStore } from '../shared/deps';
import { logger } from '../shared/logger';
import { queueHandler } from '../shared/queue';

const deps = {
  invoices: invoiceStore(),
  links: linkStore(),
  catalog: catalogStore(),
  licenses: licenseStore(),
  log: { warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, extra ?? {}) },
};

/**
 * Payment events from the storefront. A malformed event can never succeed:
 * it is parked with its reason and not retried. Anything else that fails is
 * retried by SQS (every write is conditional or idempotent, so a retry after
 * a crash halfway converges), then moved to the dead-letter queue.
 */
export const handler = queueHandler('payment-events', async (event) => {
  const parsed = parsePaymentEvent(event, new Date());
  if (!parsed.ok) return { park: parsed.reason };
  const result = await recordPaymentEvent(deps, parsed.event, new Date().toISOString());
  logger.info('payment event applied', { eventId: event.id, detailType: parsed.event.type, invoiceId: parsed.event.detail.invoiceId, ...result });
  return undefined;
});
