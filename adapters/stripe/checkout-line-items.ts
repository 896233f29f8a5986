import Stripe from 'stripe';
import { MAX_ORDER_LINES } from '../../core/connectors/types';
import type { CheckoutLineItems } from '../../core/use-cases/apply-storefront-event';

/** Where the Stripe API is: Stripe's own by default; a local fake in tests (`STRIPE_API_BASE`). */
export const stripeAddress = (apiBase: string | undefined) => {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  return {
    host: url.hostname,
    port: url.port || (url.protocol === 'http:' ? 80 : 443),
    protocol: url.protocol === 'http:' ? ('http' as const) : ('https' as const),
  };
};

/**
 * A Checkout Session's line items through the official Stripe SDK
 * (`GET /v1/checkout/sessions/{id}/line_items`, every page): the product of
 * each line's price. The key is read when first needed (Secrets Manager in
 * AWS), so a function without Stripe events never asks for it.
 */
export class StripeCheckoutLineItems implements CheckoutLineItems {
  private client: Promise<Stripe> | undefined;

  constructor(private readonly options: { apiKey: () => Promise<string>; apiBase?: string | undefined; timeoutMs?: number }) {}

  private stripe(): Promise<Stripe> {
    this.client ??= this.options
      .apiKey()
      .then(
        (key) => new Stripe(key, { ...stripeAddress(this.options.apiBase), maxNetworkRetries: 2, timeout: this.options.timeoutMs ?? 10_000, telemetry: false }),
      );
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  async linesOf(sessionId: string) {
    const stripe = await this.stripe();
    const lines: { product: string; quantity: number | null }[] = [];
    for await (const item of stripe.checkout.sessions.listLineItems(sessionId, { limit: 100 })) {
      const product = item.price?.product;
      const id = typeof product === 'string' ? product : product?.id;
      if (id) lines.push({ product: id, quantity: item.quantity ?? null });
      if (lines.length > MAX_ORDER_LINES) throw new Error(`the Checkout Session ${sessionId} has more than ${MAX_ORDER_LINES} line items`);
    }
    return lines;
  }
}
