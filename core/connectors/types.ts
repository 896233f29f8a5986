/**
 * What every storefront connector turns a provider's event into: the
 * system's own payment events (core/events.ts), with lines still named by
 * the storefront (`shopify:product:<id>`, …) until the catalog says which
 * product each names. One translation layer, then the same use cases.
 */

export const CONNECTOR_PROVIDERS = ['shopify', 'stripe', 'woocommerce'] as const;
export type ConnectorProvider = (typeof CONNECTOR_PROVIDERS)[number];

/** A line as the storefront names its product. */
export interface ExternalLine {
  externalId: string;
  quantity?: number | null | undefined;
}

/** A Stripe Checkout Session's lines are not in its event: they are read through the Stripe API. */
export interface CheckoutSessionLines {
  checkoutSession: string;
}

export type ConnectorEvent =
  | {
      type: 'PaymentSucceeded';
      invoiceId: string;
      customerId: string | null;
      customerEmail: string | null;
      occurredAt: string;
      lines: ExternalLine[] | CheckoutSessionLines;
    }
  | { type: 'PaymentOnHold'; invoiceId: string; occurredAt: string; reason?: string | undefined }
  | { type: 'PaymentRefunded'; invoiceId: string; occurredAt: string; reason?: string | undefined; lines?: ExternalLine[] | undefined };

/**
 * What a provider's event means: payment events to apply, nothing to do (a
 * state that changes no delivery, a ping), or a reason it can never be
 * applied (unknown topic, malformed payload): that one is parked, under
 * the provider whose connector read it (none for a source no connector knows).
 */
export type Translation =
  | { outcome: 'events'; provider: ConnectorProvider; deliveryId: string; events: ConnectorEvent[] }
  | { outcome: 'ignored'; provider: ConnectorProvider; deliveryId: string | null; reason: string }
  | { outcome: 'park'; provider: ConnectorProvider | null; reason: string };

/** Upper bound of lines taken from one order: the payment events' own limit. */
export const MAX_ORDER_LINES = 10_000;

/**
 * A provider's timestamp (ISO 8601 with its offset, or Unix seconds) as a stored UTC time; undefined if it is none.
 * A time without an offset is none: it names a different instant in every time zone (JavaScript would read it in
 * the process's own).
 */
export const utcTime = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Beyond the year 275760 there is no date: not a time (the event is parked), rather than a RangeError.
    const at = new Date(value * 1000);
    return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
  }
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

/** A storefront's numeric id (a JSON number or a string of digits) as text; undefined when it is not one. */
export const numericId = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9][0-9]{0,19}$/.test(value)) return value;
  return undefined;
};

/**
 * How a connector derives the customer id from what the order says: a
 * template whose `{placeholders}` are filled from the order (see each
 * connector's defaults). Null when a placeholder it uses has no value: a
 * guest order.
 */
export const customerIdFrom = (template: string, values: Record<string, string | null | undefined>): string | null => {
  let missing = false;
  const id = template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
    const value = values[name];
    if (!value) missing = true;
    return value ?? '';
  });
  return missing || id.trim() === '' ? null : id;
};

export const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

export const text = (value: unknown, max = 1000): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;
