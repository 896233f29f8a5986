import { translatePartnerEvent } from '../../core/connectors';
import { applyStorefrontEvent } from '../../core/use-cases/apply-storefront-event';
import { checkoutLineItems, connectorOptions } from '../shared/connector-deps';
import { catalogStore, invoiceStore, linkStore } from '../shared/deps';
import { logger } from '../shared/logger';
import { queueHandler } from '../shared/queue';
// Traces the SDK clients this handler builds (X-Ray subsegments).
import '../shared/observability';

const deps = {
  invoices: invoiceStore(),
  links: linkStore(),
  catalog: catalogStore(),
  checkoutLineItems: checkoutLineItems(),
  log: { warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, extra ?? {}) },
};

/** A Checkout Session Stripe does not know (deleted, another account's): asking again never helps. */
const isUnknownToStripe = (error: unknown) => {
  const e = error as { type?: string; statusCode?: number } | null;
  return e?.type === 'StripeInvalidRequestError' && e.statusCode === 404;
};

/**
 * The storefronts' partner events (Shopify's and Stripe's EventBridge
 * sources): translated by their connector into the system's payment events,
 * then applied by the same use case as `storefront.payments`. What can never
 * be mapped is parked with its reason; anything else that fails is retried
 * by SQS (every write is conditional or idempotent).
 */
export const handler = queueHandler('storefront-events', async (event) => {
  const translation = translatePartnerEvent(event, connectorOptions());
  try {
    const outcome = await applyStorefrontEvent(deps, translation, new Date());
    if (outcome.outcome === 'park') return { park: outcome.reason };
    logger.info(outcome.outcome === 'applied' ? 'storefront event applied' : 'storefront event ignored', {
      eventId: event.id,
      provider: translation.provider,
      ...(outcome.outcome === 'applied' ? { deliveryId: outcome.deliveryId, results: outcome.results } : { reason: outcome.reason }),
    });
    return undefined;
  } catch (error) {
    if (isUnknownToStripe(error)) return { park: `stripe: the Checkout Session is unknown to Stripe (${(error as Error).message})` };
    throw error;
  }
});
