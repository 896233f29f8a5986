import type { EventBridgeEvent } from 'aws-lambda';
import { PaymentEventSchemas, PAYMENT_SOURCE, type PaymentEvent } from '../../core/payment-events';
import { recordPaymentEvent } from '../../core/use-cases/record-payment-event';
import { catalogStore, deadLetters, invoiceStore, linkStore } from '../shared/deps';
import { logger } from '../shared/logger';

const deps = {
  invoices: invoiceStore(),
  links: linkStore(),
  catalog: catalogStore(),
  log: { warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, extra ?? {}) },
};

type Parsed = { ok: true; event: PaymentEvent } | { ok: false; reason: string };

/** Validates the envelope and the detail; the reason names the first fields that are wrong. */
export const parsePaymentEvent = (event: unknown): Parsed => {
  const envelope = event as Partial<EventBridgeEvent<string, unknown>> | null;
  if (!envelope || typeof envelope !== 'object') return { ok: false, reason: 'not an EventBridge event' };
  if (envelope.source !== PAYMENT_SOURCE) return { ok: false, reason: `unexpected source ${JSON.stringify(envelope.source)}` };
  const type = envelope['detail-type'];
  if (typeof type !== 'string' || !(type in PaymentEventSchemas)) return { ok: false, reason: `unknown detail-type ${JSON.stringify(type)}` };
  const schema = PaymentEventSchemas[type as keyof typeof PaymentEventSchemas];
  const parsed = schema.safeParse(envelope.detail);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'detail'}: ${i.message}`);
    return { ok: false, reason: `invalid ${type} detail: ${issues.join('; ')}` };
  }
  return { ok: true, event: { type, detail: parsed.data } as PaymentEvent };
};

/**
 * Payment events from the storefront. A malformed event can never succeed:
 * it is parked in the dead-letter queue with its reason and not retried.
 * Anything else that fails throws, so Lambda retries it and then parks it.
 */
export const handler = async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  logger.appendKeys({ correlationId: (event as { id?: string })?.id });
  try {
    const parsed = parsePaymentEvent(event);
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
