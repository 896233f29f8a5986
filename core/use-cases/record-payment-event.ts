import { stateKeyFor, type PaymentState } from '../invoice';
import type { PaymentEvent } from '../events';
import { digitalProductsOf, reconcileInvoiceLinks, type InvoiceLinkDeps, type KnownProducts } from './reconcile-invoice-links';

export type PaymentEventDeps = InvoiceLinkDeps;

export type PaymentOutcome =
  | { outcome: 'no-digital-lines' }
  | { outcome: 'rejected'; reason: 'CUSTOMER_ACCOUNT_REQUIRED' }
  | { outcome: 'recorded'; state: PaymentState | null; linkCount: number };

const STATE_OF: Record<PaymentEvent['type'], PaymentState> = {
  PaymentSucceeded: 'paid',
  PaymentOnHold: 'on_hold',
  PaymentRefunded: 'refunded',
};

/**
 * Applies one payment event. The invoice's state is decided by `occurredAt`
 * (the latest wins; a refund is final), every write is conditional or
 * idempotent, so replays and out-of-order arrivals converge.
 */
export const recordPaymentEvent = async (deps: PaymentEventDeps, event: PaymentEvent, now: string): Promise<PaymentOutcome> => {
  const { invoiceId } = event.detail;
  let alreadyRead: KnownProducts | undefined;
  if (event.type === 'PaymentSucceeded') {
    const detail = event.detail;
    // A line with quantity 0 buys nothing (a missing quantity is one).
    const bought = detail.lines.filter((l) => (l.quantity ?? 1) > 0);
    const productIds = [...new Set(bought.map((l) => l.productId))];
    // Units per product (license keys: one per unit); lines of the same product add up.
    const quantities: Record<string, number> = {};
    for (const line of bought) quantities[line.productId] = (quantities[line.productId] ?? 0) + (line.quantity ?? 1);
    const digital = await digitalProductsOf(deps.catalog, productIds);
    alreadyRead = { productIds, digital };
    const known = await deps.invoices.get(invoiceId);
    if (digital.length === 0 && !known) return { outcome: 'no-digital-lines' };
    if (digital.length > 0 && !detail.customerId && !known?.customerId) {
      // The invoice stream publishes DeliveryRejected from this write, once, even if we crash right after.
      await deps.invoices.markRejected(invoiceId, 'CUSTOMER_ACCOUNT_REQUIRED', now);
      return { outcome: 'rejected', reason: 'CUSTOMER_ACCOUNT_REQUIRED' };
    }
    await deps.invoices.recordPurchase({
      invoiceId,
      customerId: detail.customerId ?? null,
      customerEmail: detail.customerEmail ?? null,
      productIds,
      quantities,
      allLinesDigital: digital.length === productIds.length && productIds.length > 0,
      now,
    });
  }
  if (event.type === 'PaymentRefunded' && event.detail.lines && event.detail.lines.length > 0) {
    // A partial refund: only those products' links go, for good; the invoice's own state is unchanged.
    await deps.invoices.recordRefundedLines(invoiceId, [...new Set(event.detail.lines.map((l) => l.productId))], now);
    const invoice = await reconcileInvoiceLinks(deps, invoiceId, now);
    return { outcome: 'recorded', state: invoice?.state ?? null, linkCount: invoice?.linkIds?.length ?? 0 };
  }
  const recorded = await deps.invoices.recordState(invoiceId, STATE_OF[event.type], stateKeyFor(STATE_OF[event.type], event.detail.occurredAt), now);
  const invoice = await reconcileInvoiceLinks(deps, invoiceId, now, alreadyRead, recorded.invoice);
  return { outcome: 'recorded', state: invoice?.state ?? null, linkCount: invoice?.linkIds?.length ?? 0 };
};
