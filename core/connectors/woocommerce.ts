import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ConnectorEvent, customerIdFrom, type ExternalLine, isObject, MAX_ORDER_LINES, numericId, text, type Translation, utcTime } from './types';

export interface WooCommerceOptions {
  /** `{id}` is the order's `customer_id` (`0`: a guest), `{email}` its billing email. @default 'woo:{id}' */
  customerIdTemplate: string;
}

export const WOOCOMMERCE_DEFAULTS: WooCommerceOptions = { customerIdTemplate: 'woo:{id}' };

/** The webhook topics the connector understands. */
export const WOOCOMMERCE_TOPICS = ['order.created', 'order.updated'] as const;

const provider = 'woocommerce' as const;
const park = (reason: string): Translation => ({ outcome: 'park', provider, reason: `WooCommerce: ${reason}` });

/** Order statuses that change no delivery (not paid yet, or never will be). */
const NOT_YET: ReadonlySet<unknown> = new Set(['pending', 'failed', 'draft', 'checkout-draft', 'trash']);

const linesOf = (items: unknown): ExternalLine[] | string => {
  if (!Array.isArray(items)) return 'line_items is not a list';
  if (items.length > MAX_ORDER_LINES) return `more than ${MAX_ORDER_LINES} line items`;
  const lines: ExternalLine[] = [];
  for (const item of items) {
    if (!isObject(item)) return 'a line item is not an object';
    // A variation is sold as its parent product (a digital product has no variants).
    if (item.product_id === 0 || item.product_id === null || item.product_id === undefined) continue;
    const productId = numericId(item.product_id);
    if (!productId) return `line item product_id ${JSON.stringify(item.product_id)} is not a WooCommerce id`;
    const quantity = item.quantity === undefined ? 1 : item.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0)
      return `line item quantity ${JSON.stringify(item.quantity)} is not a count`;
    lines.push({ externalId: `woo:product:${productId}`, quantity });
  }
  return lines;
};

/** Woo's `_gmt` times carry no offset: they are UTC. */
const gmt = (value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value) ? utcTime(`${value}Z`) : utcTime(value));

/**
 * A WooCommerce order webhook (the order as its REST API renders it):
 * `processing`/`completed` → PaymentSucceeded, `on-hold` → PaymentOnHold,
 * `refunded`/`cancelled` → PaymentRefunded. Ordered by `date_modified_gmt`;
 * the delivery id names the delivery.
 */
export const translateWooCommerce = (
  input: { topic: string | undefined; deliveryId: string | undefined; body: unknown },
  options: WooCommerceOptions = WOOCOMMERCE_DEFAULTS,
): Translation => {
  const { topic, body } = input;
  if (!topic) return park('the webhook names no X-WC-Webhook-Topic');
  if (!WOOCOMMERCE_TOPICS.includes(topic as never)) return park(`unknown topic ${JSON.stringify(topic)} (order.created and order.updated are understood)`);
  if (!isObject(body)) return park(`${topic}: the body is not an order`);
  const orderId = numericId(body.id);
  if (!orderId) return park(`${topic}: the order has no id`);
  // `date_modified` is the site's local time: only with an offset of its own does it name an instant.
  const occurredAt = gmt(body.date_modified_gmt) ?? utcTime(body.date_modified) ?? gmt(body.date_created_gmt);
  if (!occurredAt) return park(`${topic}: the order has no date_modified_gmt`);
  const invoiceId = `woo:${orderId}`;
  const status = body.status;
  const deliveryId = input.deliveryId ?? `${invoiceId}#${status}#${occurredAt}`;
  let event: ConnectorEvent;
  if (status === 'processing' || status === 'completed') {
    const lines = linesOf(body.line_items);
    if (typeof lines === 'string') return park(`${topic}: ${lines}`);
    const billing = isObject(body.billing) ? body.billing : {};
    const email = text(billing.email, 320) ?? null;
    // customer_id 0 is a guest checkout: not a numeric id, so no customer.
    const customer = numericId(body.customer_id);
    event = {
      type: 'PaymentSucceeded',
      invoiceId,
      customerId: customerIdFrom(options.customerIdTemplate, { id: customer, email }),
      customerEmail: email,
      occurredAt,
      lines,
    };
  } else if (status === 'on-hold') {
    event = { type: 'PaymentOnHold', invoiceId, occurredAt, reason: 'on hold in WooCommerce' };
  } else if (status === 'refunded' || status === 'cancelled') {
    event = { type: 'PaymentRefunded', invoiceId, occurredAt, reason: `${status} in WooCommerce` };
  } else if (NOT_YET.has(status)) {
    return { outcome: 'ignored', provider, deliveryId, reason: `order status ${status} changes no delivery` };
  } else {
    return park(`${topic}: unknown order status ${JSON.stringify(status)}`);
  }
  return { outcome: 'events', provider, deliveryId, events: [event] };
};

/**
 * Whether `X-WC-Webhook-Signature` is the base64 HMAC-SHA256 of the raw body
 * with the webhook's secret; compared in constant time.
 */
export const verifyWooSignature = (rawBody: Buffer, signature: string | undefined, secret: string): boolean => {
  if (!signature || secret.length === 0) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  // The base64 decoder skips whitespace: a header with spaces or a newline around the signature decodes the same.
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** WooCommerce's ping when a webhook is created or its URL changes: a form body `webhook_id=<id>`, unsigned. */
export const isWooPing = (rawBody: Buffer): boolean => rawBody.length < 64 && /^webhook_id=\d+$/.test(rawBody.toString('utf8').trim());
