import { SHOPIFY_SOURCE_PREFIX, type ShopifyOptions, translateShopify } from './shopify';
import { STRIPE_SOURCE_PREFIX, type StripeOptions, translateStripe } from './stripe';
import type { Translation } from './types';

/** A partner event (Shopify's or Stripe's EventBridge source), translated by the connector its source names. */
export const translatePartnerEvent = (
  event: { id?: unknown; source?: unknown; 'detail-type'?: unknown; detail?: unknown },
  options: { shopify: ShopifyOptions; stripe: StripeOptions },
): Translation => {
  const isFrom = (prefix: string) => typeof event.source === 'string' && event.source.startsWith(prefix);
  if (isFrom(SHOPIFY_SOURCE_PREFIX)) return translateShopify(event, options.shopify);
  if (isFrom(STRIPE_SOURCE_PREFIX)) return translateStripe(event, options.stripe);
  return { outcome: 'park', provider: null, reason: `no connector for the source ${JSON.stringify(event.source)}` };
};
