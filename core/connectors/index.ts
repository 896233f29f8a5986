import { SHOPIFY_SOURCE_PREFIX, type ShopifyOptions, translateShopify } from './shopify';
import { STRIPE_SOURCE_PREFIX, type StripeOptions, translateStripe } from './stripe';
import type { Translation } from './types';

/** A partner event (Shopify's or Stripe's EventBridge source), translated by the connector its source names. */
export const translatePartnerEvent = (
  event: { id?: unknown; source?: unknown; 'detail-type'?: unknown; detail?: unknown },
  options: { shopify: ShopifyOptions; stripe: StripeOptions },
): Translation => {
  const source = typeof event.source === 'string' ? event.source : '';
  if (source.startsWith(SHOPIFY_SOURCE_PREFIX)) return translateShopify(event, options.shopify);
  if (source.startsWith(STRIPE_SOURCE_PREFIX)) return translateStripe(event, options.stripe);
  return { outcome: 'park', provider: 'shopify', reason: `no connector for the source ${JSON.stringify(event.source)}` };
};
