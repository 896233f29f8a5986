/**
 * An invoice as this system knows it: who bought, which products, and the
 * payment state that the latest event (by `occurredAt`) decided.
 */
export type PaymentState = 'paid' | 'on_hold' | 'refunded';

/** A key given to the invoice's buyer, as the shop is told about it. */
export interface IssuedLicense {
  key: string;
  productId: string;
}

export interface Invoice {
  invoiceId: string;
  customerId: string | null;
  customerEmail: string | null;
  /** Product ids of the invoice's lines, in order, without repeats. */
  productIds: string[] | null;
  /** Units bought per product (a missing quantity is one); absent on invoices recorded before license keys. */
  quantities?: Record<string, number> | null;
  /** The license keys the invoice was delivered with, fixed in the write that issued its first links. */
  licenses?: IssuedLicense[] | null;
  /** Every line is a digital product: the invoice completes once its links exist. */
  allLinesDigital: boolean;
  /** Why the whole invoice cannot be delivered (no customer account); null when it can. */
  rejectedReason: string | null;
  /** Products refunded on their own (a partial refund): their links are revoked for good, and never issued. */
  refundedProductIds: string[] | null;
  /** Lines that could not be delivered when the links were issued, by reason (e.g. NO_FILES: products without a ready file). */
  undeliverable: Partial<Record<'NO_FILES' | 'LICENSE_POOL_EMPTY', string[]>> | null;
  state: PaymentState | null;
  /** `<occurredAt>#<rank>` of the event that set `state`: a later key wins, a replay is equal and changes nothing. */
  stateKey: string | null;
  /** Random per generation; link ids derive from it (regenerating draws a new one). */
  linkSeed: string;
  generation: number;
  /** The links of the current generation, fixed by the first delivery that wins the write. */
  linkIds: string[] | null;
  linksIssuedAt: string | null;
  createdAt: string;
}

/**
 * On equal `occurredAt`, the more final state wins, so that every ordering of
 * equal-time events agrees. A refund wins whatever its time (see the invoice store).
 */
const RANK: Record<PaymentState, number> = { paid: 1, on_hold: 2, refunded: 3 };

export const stateKeyFor = (state: PaymentState, occurredAt: string): string => `${new Date(occurredAt).toISOString()}#${RANK[state]}`;

/** The link status an invoice state implies. */
export const linkStatusFor = (state: PaymentState): 'active' | 'suspended' | 'revoked' =>
  state === 'paid' ? 'active' : state === 'on_hold' ? 'suspended' : 'revoked';
