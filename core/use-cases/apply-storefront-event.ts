import type { CheckoutSessionLines, ConnectorEvent, ExternalLine, Translation } from '../connectors/types';
import { type PaymentEvent, PAYMENT_SOURCE, parsePaymentEvent } from '../events';
import type { CatalogStore } from '../ports';
import { type PaymentEventDeps, type PaymentOutcome, recordPaymentEvent } from './record-payment-event';

/** A Checkout Session's lines through the Stripe API: the product (`prod_…`) and quantity of each. */
export interface CheckoutLineItems {
  linesOf(sessionId: string): Promise<{ product: string; quantity: number | null }[]>;
}

export interface StorefrontEventDeps extends PaymentEventDeps {
  catalog: PaymentEventDeps['catalog'] & Pick<CatalogStore, 'productsOfExternalIds'>;
  /** Needed for Stripe only. */
  checkoutLineItems?: CheckoutLineItems | undefined;
}

export type StorefrontOutcome =
  | { outcome: 'applied'; deliveryId: string; results: (PaymentOutcome & { type: PaymentEvent['type']; invoiceId: string })[] }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'park'; reason: string };

/** A connector's event with its lines known (a Checkout Session's read). */
type ResolvedEvent =
  | Exclude<ConnectorEvent, { type: 'PaymentSucceeded' }>
  | (Extract<ConnectorEvent, { type: 'PaymentSucceeded' }> & { lines: ExternalLine[] });

const isSessionLines = (lines: ExternalLine[] | CheckoutSessionLines): lines is CheckoutSessionLines => !Array.isArray(lines);

const linesOfSession = async (deps: StorefrontEventDeps, lines: CheckoutSessionLines): Promise<ExternalLine[]> => {
  if (!deps.checkoutLineItems) throw new Error('no Stripe client is configured for Checkout Session line items');
  return (await deps.checkoutLineItems.linesOf(lines.checkoutSession)).map((l) => ({ externalId: `stripe:product:${l.product}`, quantity: l.quantity }));
};

/**
 * Applies what a connector made of a provider's event (core/connectors/*):
 * the lines' external ids become the products they name (one read of the
 * catalog; a line of an unmapped product stays named by its external id,
 * which no digital product has: a physical good), every event is checked
 * against the schema of the system's payment events, and only then applied by
 * the same use case as `storefront.payments` events. Nothing is applied when
 * any of them is malformed. A replay changes nothing: the provider's ids name
 * the invoice and its lines, its timestamps order the states.
 */
export const applyStorefrontEvent = async (deps: StorefrontEventDeps, translation: Translation, now: Date): Promise<StorefrontOutcome> => {
  if (translation.outcome === 'park') return { outcome: 'park', reason: translation.reason };
  if (translation.outcome === 'ignored') return { outcome: 'ignored', reason: translation.reason };
  const resolved: ResolvedEvent[] = [];
  for (const event of translation.events) {
    if (event.type === 'PaymentSucceeded' && isSessionLines(event.lines)) resolved.push({ ...event, lines: await linesOfSession(deps, event.lines) });
    else resolved.push(event as ResolvedEvent);
  }
  const externalIds = [...new Set(resolved.flatMap((e) => (e.type === 'PaymentOnHold' ? [] : (e.lines ?? []).map((l) => l.externalId))))];
  const productOf = externalIds.length > 0 ? await deps.catalog.productsOfExternalIds(externalIds) : new Map<string, string>();
  const named = (lines: ExternalLine[]) => lines.map((l) => ({ productId: productOf.get(l.externalId) ?? l.externalId, quantity: l.quantity ?? null }));
  const parsed: PaymentEvent[] = [];
  for (const event of resolved) {
    const { type, ...rest } = event;
    const detail =
      type === 'PaymentSucceeded'
        ? { ...rest, lines: named(event.lines) }
        : type === 'PaymentRefunded' && event.lines
          ? { ...rest, lines: named(event.lines).map(({ productId }) => ({ productId })) }
          : rest;
    const result = parsePaymentEvent({ source: PAYMENT_SOURCE, 'detail-type': type, detail }, now);
    if (!result.ok) return { outcome: 'park', reason: `${translation.provider}: ${result.reason}` };
    parsed.push(result.event);
  }
  const results: Extract<StorefrontOutcome, { outcome: 'applied' }>['results'] = [];
  for (const event of parsed) {
    results.push({ ...(await recordPaymentEvent(deps, event, now.toISOString())), type: event.type, invoiceId: event.detail.invoiceId });
  }
  return { outcome: 'applied', deliveryId: translation.deliveryId, results };
};
