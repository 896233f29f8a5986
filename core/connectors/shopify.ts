import { type ConnectorEvent, customerIdFrom, type ExternalLine, isObject, MAX_ORDER_LINES, numericId, text, type Translation, utcTime } from './types';

/** Shopify's EventBridge partner event sources: `aws.partner/shopify.com/<app id>/<name>`. */
export const SHOPIFY_SOURCE_PREFIX = 'aws.partner/shopify.com';

export interface ShopifyOptions {
  /** `{id}` is the order's customer id, `{email}` its email. @default 'shopify:{id}' */
  customerIdTemplate: string;
}

export const SHOPIFY_DEFAULTS: ShopifyOptions = { customerIdTemplate: 'shopify:{id}' };

const provider = 'shopify' as const;
const park = (reason: string): Translation => ({ outcome: 'park', provider, reason: `Shopify: ${reason}` });

const invoiceOf = (orderId: string) => `shopify:${orderId}`;

/** Lines by `product_id`; custom lines (no product) are not products of the catalog and are left out. */
const linesOf = (items: unknown): ExternalLine[] | string => {
  if (!Array.isArray(items)) return 'line_items is not a list';
  if (items.length > MAX_ORDER_LINES) return `more than ${MAX_ORDER_LINES} line items`;
  const lines: ExternalLine[] = [];
  for (const item of items) {
    if (!isObject(item)) return 'a line item is not an object';
    if (item.product_id === null || item.product_id === undefined) continue;
    const productId = numericId(item.product_id);
    if (!productId) return `line item product_id ${JSON.stringify(item.product_id)} is not a Shopify id`;
    const quantity = item.quantity === undefined ? 1 : item.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0)
      return `line item quantity ${JSON.stringify(item.quantity)} is not a count`;
    lines.push({ externalId: `shopify:product:${productId}`, quantity });
  }
  return lines;
};

const paid = (order: Record<string, unknown>, options: ShopifyOptions): ConnectorEvent | string => {
  const orderId = numericId(order.id);
  if (!orderId) return 'the order has no id';
  // The latest change of the order decides its state against the other topics' times.
  const occurredAt = utcTime(order.updated_at) ?? utcTime(order.processed_at) ?? utcTime(order.created_at);
  if (!occurredAt) return 'the order has no updated_at, processed_at or created_at';
  const lines = linesOf(order.line_items);
  if (typeof lines === 'string') return lines;
  const customer = isObject(order.customer) ? order.customer : undefined;
  const email = text(order.email, 320) ?? text(order.contact_email, 320) ?? text(customer?.email, 320) ?? null;
  return {
    type: 'PaymentSucceeded',
    invoiceId: invoiceOf(orderId),
    customerId: customerIdFrom(options.customerIdTemplate, { id: numericId(customer?.id), email }),
    customerEmail: email,
    occurredAt,
    lines,
  };
};

const cancelled = (order: Record<string, unknown>): ConnectorEvent | string => {
  const orderId = numericId(order.id);
  if (!orderId) return 'the order has no id';
  const occurredAt = utcTime(order.cancelled_at) ?? utcTime(order.updated_at);
  if (!occurredAt) return 'the cancelled order has no cancelled_at or updated_at';
  return {
    type: 'PaymentRefunded',
    invoiceId: invoiceOf(orderId),
    occurredAt,
    reason: `cancelled${text(order.cancel_reason) ? `: ${text(order.cancel_reason)}` : ''}`,
  };
};

const refunded = (refund: Record<string, unknown>): ConnectorEvent | string | null => {
  const orderId = numericId(refund.order_id);
  if (!orderId) return 'the refund has no order_id';
  const occurredAt = utcTime(refund.created_at) ?? utcTime(refund.processed_at);
  if (!occurredAt) return 'the refund has no created_at or processed_at';
  if (!Array.isArray(refund.refund_line_items)) return 'refund_line_items is not a list';
  if (refund.refund_line_items.length > MAX_ORDER_LINES) return `more than ${MAX_ORDER_LINES} refunded lines`;
  const lines: ExternalLine[] = [];
  for (const item of refund.refund_line_items) {
    if (!isObject(item)) return 'a refunded line is not an object';
    const lineItem = isObject(item.line_item) ? item.line_item : undefined;
    if (lineItem?.product_id === null || lineItem?.product_id === undefined) continue;
    const productId = numericId(lineItem.product_id);
    if (!productId) return `refunded line product_id ${JSON.stringify(lineItem.product_id)} is not a Shopify id`;
    lines.push({ externalId: `shopify:product:${productId}` });
  }
  // A refund of shipping or of an amount names no line: no product's links are concerned.
  if (lines.length === 0) return null;
  return { type: 'PaymentRefunded', invoiceId: invoiceOf(orderId), occurredAt, reason: text(refund.note) ?? 'refunded in Shopify', lines };
};

/**
 * A Shopify webhook as its EventBridge partner event source delivers it
 * (`detail.metadata` the webhook's headers, `detail.payload` its JSON):
 * `orders/paid` → PaymentSucceeded, `refunds/create` → PaymentRefunded of the
 * refunded lines, `orders/cancelled` → PaymentRefunded. The webhook id names
 * the delivery; the payload's timestamps order the events.
 */
export const translateShopify = (event: { id?: unknown; source?: unknown; detail?: unknown }, options: ShopifyOptions = SHOPIFY_DEFAULTS): Translation => {
  if (typeof event.source !== 'string' || !event.source.startsWith(SHOPIFY_SOURCE_PREFIX)) return park(`unexpected source ${JSON.stringify(event.source)}`);
  if (!isObject(event.detail)) return park('the event has no detail');
  const metadata = isObject(event.detail.metadata) ? event.detail.metadata : {};
  const header = (name: string) => {
    const key = Object.keys(metadata).find((k) => k.toLowerCase() === name.toLowerCase());
    return key ? text(metadata[key], 200) : undefined;
  };
  const topic = header('X-Shopify-Topic');
  const deliveryId = header('X-Shopify-Webhook-Id') ?? header('X-Shopify-Event-Id') ?? (typeof event.id === 'string' ? event.id : null);
  const payload = event.detail.payload;
  if (!topic) return park('the event names no X-Shopify-Topic');
  if (!isObject(payload)) return park(`${topic}: the payload is not an object`);
  const mapped =
    topic === 'orders/paid'
      ? paid(payload, options)
      : topic === 'orders/cancelled'
        ? cancelled(payload)
        : topic === 'refunds/create'
          ? refunded(payload)
          : `unknown topic ${JSON.stringify(topic)} (orders/paid, refunds/create and orders/cancelled are understood)`;
  if (mapped === null) return { outcome: 'ignored', provider, deliveryId, reason: `${topic}: the refund names no line items (shipping or an amount only)` };
  if (typeof mapped === 'string') return park(mapped.startsWith('unknown topic') ? mapped : `${topic}: ${mapped}`);
  return { outcome: 'events', provider, deliveryId: deliveryId ?? `${topic}#${mapped.invoiceId}#${mapped.occurredAt}`, events: [mapped] };
};
