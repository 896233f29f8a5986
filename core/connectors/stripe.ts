import { type ConnectorEvent, customerIdFrom, isObject, text, type Translation, utcTime } from './types';

/** Stripe's EventBridge partner event sources: `aws.partner/stripe.com/<destination id>`. */
export const STRIPE_SOURCE_PREFIX = 'aws.partner/stripe.com';

/** The Stripe event types the connector understands (the ones to enable on the event destination). */
export const STRIPE_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
] as const;

export interface StripeOptions {
  /**
   * `{client_reference_id}` (what the shop's checkout puts there: the
   * signed-in customer's `sub`), `{customer}` (the Stripe customer `cus_…`),
   * `{email}`. @default '{client_reference_id}'
   */
  customerIdTemplate: string;
}

export const STRIPE_DEFAULTS: StripeOptions = { customerIdTemplate: '{client_reference_id}' };

const provider = 'stripe' as const;
const park = (reason: string): Translation => ({ outcome: 'park', provider, reason: `Stripe: ${reason}` });

const idOf = (value: unknown, prefix: string): string | undefined => {
  const id = typeof value === 'string' ? value : isObject(value) && typeof value.id === 'string' ? value.id : undefined;
  return id?.startsWith(prefix) && /^[A-Za-z0-9_]{4,120}$/.test(id) ? id : undefined;
};

const invoiceOf = (paymentIntent: string) => `stripe:${paymentIntent}`;

const session = (type: string, object: Record<string, unknown>, occurredAt: string, options: StripeOptions): ConnectorEvent | string | null => {
  const sessionId = idOf(object.id, 'cs_');
  if (!sessionId) return 'the Checkout Session has no id';
  // A session that charges nothing has no PaymentIntent: the session names the invoice then.
  const invoiceId = invoiceOf(idOf(object.payment_intent, 'pi_') ?? sessionId);
  if (type === 'checkout.session.async_payment_failed') return { type: 'PaymentRefunded', invoiceId, occurredAt, reason: 'the asynchronous payment failed' };
  const status = object.payment_status;
  if (type === 'checkout.session.completed' && status === 'unpaid') {
    return { type: 'PaymentOnHold', invoiceId, occurredAt, reason: 'awaiting an asynchronous payment' };
  }
  if (status !== 'paid' && status !== 'no_payment_required') return `payment_status ${JSON.stringify(status)} is not paid, unpaid or no_payment_required`;
  const details = isObject(object.customer_details) ? object.customer_details : {};
  const email = text(details.email, 320) ?? text(object.customer_email, 320) ?? null;
  return {
    type: 'PaymentSucceeded',
    invoiceId,
    customerId: customerIdFrom(options.customerIdTemplate, {
      client_reference_id: text(object.client_reference_id, 200),
      customer: idOf(object.customer, 'cus_'),
      email,
    }),
    customerEmail: email,
    occurredAt,
    lines: { checkoutSession: sessionId },
  };
};

const charge = (object: Record<string, unknown>, occurredAt: string): ConnectorEvent | string | null => {
  const paymentIntent = idOf(object.payment_intent, 'pi_');
  if (!paymentIntent) return 'the charge has no payment_intent';
  // A partial refund of a charge names no lines: the links stay (refund the lines in the storefront's terms instead).
  if (object.refunded !== true) return null;
  return { type: 'PaymentRefunded', invoiceId: invoiceOf(paymentIntent), occurredAt, reason: 'the charge was refunded in full' };
};

const dispute = (type: string, object: Record<string, unknown>, occurredAt: string): ConnectorEvent | string | null => {
  const paymentIntent = idOf(object.payment_intent, 'pi_');
  if (!paymentIntent) return 'the dispute has no payment_intent';
  const invoiceId = invoiceOf(paymentIntent);
  if (type === 'charge.dispute.created')
    return { type: 'PaymentOnHold', invoiceId, occurredAt, reason: `disputed${text(object.reason) ? `: ${text(object.reason)}` : ''}` };
  if (object.status === 'lost') return { type: 'PaymentRefunded', invoiceId, occurredAt, reason: 'the dispute was lost' };
  // Won, or an inquiry closed without a chargeback: the payment stands again.
  if (object.status === 'won' || object.status === 'warning_closed') {
    return { type: 'PaymentSucceeded', invoiceId, customerId: null, customerEmail: null, occurredAt, lines: [] };
  }
  return `the closed dispute's status ${JSON.stringify(object.status)} is not won, lost or warning_closed`;
};

/**
 * A Stripe snapshot event as its EventBridge event destination delivers it
 * (`detail-type` the event type, `detail` the event: `id`, `type`, `created`,
 * `data.object`). Ordered by `created`; the event id names the delivery.
 */
export const translateStripe = (
  event: { source?: unknown; 'detail-type'?: unknown; detail?: unknown },
  options: StripeOptions = STRIPE_DEFAULTS,
): Translation => {
  if (typeof event.source !== 'string' || !event.source.startsWith(STRIPE_SOURCE_PREFIX)) return park(`unexpected source ${JSON.stringify(event.source)}`);
  const detail = event.detail;
  if (!isObject(detail)) return park('the event has no detail');
  const eventId = idOf(detail.id, 'evt_');
  if (!eventId) return park('the event has no Stripe event id (evt_…)');
  const type = typeof detail.type === 'string' ? detail.type : event['detail-type'];
  if (typeof type !== 'string') return park('the event has no type');
  const occurredAt = utcTime(detail.created);
  if (!occurredAt) return park(`${type}: created is not a Unix time`);
  const object = isObject(detail.data) && isObject(detail.data.object) ? detail.data.object : undefined;
  if (!object) return park(`${type}: data.object is missing`);
  const mapped = type.startsWith('checkout.session.')
    ? STRIPE_EVENT_TYPES.includes(type as never)
      ? session(type, object, occurredAt, options)
      : `unknown event type ${JSON.stringify(type)}`
    : type === 'charge.refunded'
      ? charge(object, occurredAt)
      : type === 'charge.dispute.created' || type === 'charge.dispute.closed'
        ? dispute(type, object, occurredAt)
        : `unknown event type ${JSON.stringify(type)} (enable only ${STRIPE_EVENT_TYPES.join(', ')})`;
  if (mapped === null) return { outcome: 'ignored', provider, deliveryId: eventId, reason: `${type}: a partial refund names no lines` };
  if (typeof mapped === 'string') return park(mapped.startsWith('unknown') ? mapped : `${type}: ${mapped}`);
  return { outcome: 'events', provider, deliveryId: eventId, events: [mapped] };
};
