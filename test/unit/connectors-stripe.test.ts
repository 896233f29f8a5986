import { describe, expect, it } from 'vitest';
import { translateStripe } from '../../core/connectors/stripe';
import type { Translation } from '../../core/connectors/types';
import { SHOPIFY_SOURCE, STRIPE_SOURCE, checkoutSession, stripeCharge, stripeDispute, stripeEvent } from '../support/connector-samples';

const PI = 'pi_3MtwBwLkdIwHu7ix28a3tqPa';
const SESSION = checkoutSession().id;
const EVENT_ID = 'evt_1NG8Du2eZvKYlo2CUI79vXWy';
const AT = '2026-03-01T14:00:00.000Z';
const ENABLED =
  'checkout.session.completed, checkout.session.async_payment_succeeded, checkout.session.async_payment_failed, charge.refunded, charge.dispute.created, charge.dispute.closed';

const eventsOf = (translation: Translation) => {
  if (translation.outcome !== 'events') throw new Error(`expected events, got ${JSON.stringify(translation)}`);
  return translation.events;
};

const reasonOf = (translation: Translation) => (translation.outcome === 'park' ? translation.reason : `not parked: ${JSON.stringify(translation)}`);

const completed = (overrides: Record<string, unknown>, options?: { customerIdTemplate: string }) =>
  translateStripe(stripeEvent('checkout.session.completed', checkoutSession(overrides)), options);

describe('the Stripe connector: Checkout Sessions', () => {
  it('puts an unpaid completed session on hold until its asynchronous payment arrives', () => {
    // Act
    const events = eventsOf(completed({ payment_status: 'unpaid' }));

    // Assess
    expect(events).toEqual([{ type: 'PaymentOnHold', invoiceId: `stripe:${PI}`, occurredAt: AT, reason: 'awaiting an asynchronous payment' }]);
  });

  it('refunds the invoice of a failed asynchronous payment', () => {
    // Act
    const events = eventsOf(translateStripe(stripeEvent('checkout.session.async_payment_failed', checkoutSession({ payment_status: 'unpaid' }))));

    // Assess
    expect(events).toEqual([{ type: 'PaymentRefunded', invoiceId: `stripe:${PI}`, occurredAt: AT, reason: 'the asynchronous payment failed' }]);
  });

  it('delivers a session that charges nothing under the session id (it has no PaymentIntent)', () => {
    // Act
    const events = eventsOf(completed({ payment_status: 'no_payment_required', payment_intent: null, amount_total: 0 }));

    // Assess
    expect(events).toMatchObject([{ type: 'PaymentSucceeded', invoiceId: `stripe:${SESSION}`, lines: { checkoutSession: SESSION } }]);
  });

  it('reads ids whether Stripe sends them as text or expanded objects', () => {
    // Act
    const events = eventsOf(
      completed(
        { id: { id: SESSION }, payment_intent: { id: PI, object: 'payment_intent' }, customer: { id: 'cus_Expanded1' } },
        { customerIdTemplate: '{customer}' },
      ),
    );

    // Assess
    expect(events).toMatchObject([{ invoiceId: `stripe:${PI}`, customerId: 'cus_Expanded1', lines: { checkoutSession: SESSION } }]);
  });

  it('names the invoice by the session when payment_intent is not a PaymentIntent id', () => {
    // Act
    const invoices = [
      completed({ payment_intent: 'ch_3MtwBwLkdIwHu7ix28a3tqPa' }),
      completed({ payment_intent: 'pi_3Mtw-BwLk' }),
      completed({ payment_intent: `pi_${'a'.repeat(120)}` }),
      completed({ payment_intent: { id: 5 } }),
    ].map((t) => eventsOf(t)[0]?.invoiceId);

    // Assess
    expect(invoices).toEqual([`stripe:${SESSION}`, `stripe:${SESSION}`, `stripe:${SESSION}`, `stripe:${SESSION}`]);
  });

  it('takes the email from customer_details, else customer_email; none is null', () => {
    // Act
    const emails = [completed({ customer_details: { email: ' ' }, customer_email: 'jenny@example.com' }), completed({ customer_details: null })].map(
      (t) => eventsOf(t)[0],
    );

    // Assess
    expect(emails).toMatchObject([{ customerEmail: 'jenny@example.com' }, { customerEmail: null }]);
  });

  it('fills the customer id template from client_reference_id, the Stripe customer or the email, and none when it is missing', () => {
    // Act
    const ids = [
      completed({}, { customerIdTemplate: 'stripe:{customer}' }),
      completed({ customer: 'gcus_NffrFeUfNV2Hib' }, { customerIdTemplate: 'stripe:{customer}' }),
      completed({}, { customerIdTemplate: '{email}' }),
      completed({ client_reference_id: null }),
      completed({ client_reference_id: `  ${'r'.repeat(250)}` }),
    ].map((t) => {
      const [event] = eventsOf(t);
      return event?.type === 'PaymentSucceeded' ? event.customerId : 'not a success';
    });

    // Assess
    expect(ids).toEqual(['stripe:cus_NffrFeUfNV2Hib', null, 'jenny.rosen@example.com', null, 'r'.repeat(200)]);
  });

  it.each([
    [
      'a session without id',
      stripeEvent('checkout.session.completed', checkoutSession({ id: 'sess_1234567' })),
      'Stripe: checkout.session.completed: the Checkout Session has no id',
    ],
    [
      'a completed session of another payment status',
      stripeEvent('checkout.session.completed', checkoutSession({ payment_status: 'processing' })),
      'Stripe: checkout.session.completed: payment_status "processing" is not paid, unpaid or no_payment_required',
    ],
    [
      'a succeeded asynchronous payment that is still unpaid',
      stripeEvent('checkout.session.async_payment_succeeded', checkoutSession({ payment_status: 'unpaid' })),
      'Stripe: checkout.session.async_payment_succeeded: payment_status "unpaid" is not paid, unpaid or no_payment_required',
    ],
    ['another Checkout Session event', stripeEvent('checkout.session.expired', checkoutSession()), 'Stripe: unknown event type "checkout.session.expired"'],
    [
      'an event created beyond any date (it threw a RangeError, so the queue retried it)',
      stripeEvent('checkout.session.completed', checkoutSession(), { created: 1e13 }),
      'Stripe: checkout.session.completed: created is not a Unix time',
    ],
  ])('parks %s with its reason', (_, event, reason) => {
    // Act / Assess
    expect(reasonOf(translateStripe(event))).toBe(reason);
  });
});

describe('the Stripe connector: charges and disputes', () => {
  it('refunds the invoice of a charge refunded in full, and ignores a partial refund under the event id', () => {
    // Act
    const full = translateStripe(stripeEvent('charge.refunded', stripeCharge()));
    const partial = translateStripe(stripeEvent('charge.refunded', stripeCharge({ refunded: 'true' })));

    // Assess
    expect(full).toEqual({
      outcome: 'events',
      provider: 'stripe',
      deliveryId: EVENT_ID,
      events: [{ type: 'PaymentRefunded', invoiceId: `stripe:${PI}`, occurredAt: AT, reason: 'the charge was refunded in full' }],
    });
    expect(partial).toEqual({ outcome: 'ignored', provider: 'stripe', deliveryId: EVENT_ID, reason: 'charge.refunded: a partial refund names no lines' });
  });

  it('puts a disputed payment on hold, with the reason Stripe gives when it gives one', () => {
    // Act
    const events = [stripeDispute(), stripeDispute({ reason: null })].map((d) => eventsOf(translateStripe(stripeEvent('charge.dispute.created', d)))[0]);

    // Assess
    expect(events).toEqual([
      { type: 'PaymentOnHold', invoiceId: `stripe:${PI}`, occurredAt: AT, reason: 'disputed: fraudulent' },
      { type: 'PaymentOnHold', invoiceId: `stripe:${PI}`, occurredAt: AT, reason: 'disputed' },
    ]);
  });

  it('lets the payment stand again when a dispute is won or an inquiry closes, and refunds it when lost', () => {
    // Act
    const [won, closed, lost] = ['won', 'warning_closed', 'lost'].map(
      (status) => eventsOf(translateStripe(stripeEvent('charge.dispute.closed', stripeDispute({ status }))))[0],
    );

    // Assess
    expect(won).toEqual({ type: 'PaymentSucceeded', invoiceId: `stripe:${PI}`, customerId: null, customerEmail: null, occurredAt: AT, lines: [] });
    expect(closed).toEqual(won);
    expect(lost).toEqual({ type: 'PaymentRefunded', invoiceId: `stripe:${PI}`, occurredAt: AT, reason: 'the dispute was lost' });
  });

  it.each([
    [
      'a charge whose payment_intent is no PaymentIntent',
      stripeEvent('charge.refunded', stripeCharge({ payment_intent: 'ch_3MtwBwLkdIwHu7ix' })),
      'Stripe: charge.refunded: the charge has no payment_intent',
    ],
    [
      'a dispute without payment_intent',
      stripeEvent('charge.dispute.created', stripeDispute({ payment_intent: 'ch_3MtwBwLkdIwHu7ix' })),
      'Stripe: charge.dispute.created: the dispute has no payment_intent',
    ],
    [
      'a closed dispute still under review',
      stripeEvent('charge.dispute.closed', stripeDispute({ status: 'under_review' })),
      'Stripe: charge.dispute.closed: the closed dispute\'s status "under_review" is not won, lost or warning_closed',
    ],
  ])('parks %s with its reason', (_, event, reason) => {
    // Act / Assess
    expect(reasonOf(translateStripe(event))).toBe(reason);
  });
});

describe('the Stripe connector: the envelope', () => {
  const charged = stripeEvent('charge.refunded', stripeCharge());

  it('takes the event type from the Stripe event, else from the detail-type', () => {
    // Act
    const fromDetail = translateStripe({ ...charged, 'detail-type': 'charge.dispute.created' });
    const fromDetailType = translateStripe({ ...charged, detail: { ...charged.detail, type: undefined } });

    // Assess
    expect([fromDetail, fromDetailType]).toMatchObject([{ events: [{ type: 'PaymentRefunded' }] }, { events: [{ type: 'PaymentRefunded' }] }]);
  });

  it.each([
    ['another source', { ...charged, source: SHOPIFY_SOURCE }, `Stripe: unexpected source "${SHOPIFY_SOURCE}"`],
    ['a source that is not text', { ...charged, source: null }, 'Stripe: unexpected source null'],
    ['an event without detail', { source: STRIPE_SOURCE, detail: [] }, 'Stripe: the event has no detail'],
    [
      'an event id of another kind',
      { ...charged, detail: { ...charged.detail, id: 'ch_1NG8Du2eZvKYlo2C' } },
      'Stripe: the event has no Stripe event id (evt_…)',
    ],
    ['an event without type', { ...charged, 'detail-type': 5, detail: { ...charged.detail, type: null } }, 'Stripe: the event has no type'],
    ['a created time that is not one', stripeEvent('charge.refunded', stripeCharge(), { created: 0 }), 'Stripe: charge.refunded: created is not a Unix time'],
    ['an event without data', { ...charged, detail: { ...charged.detail, data: undefined } }, 'Stripe: charge.refunded: data.object is missing'],
    ['an object that is not one', stripeEvent('checkout.session.completed', 'cs_test_1'), 'Stripe: checkout.session.completed: data.object is missing'],
    ['an unknown event type', stripeEvent('customer.created', { id: 'cus_1' }), `Stripe: unknown event type "customer.created" (enable only ${ENABLED})`],
  ])('parks %s with its reason', (_, event, reason) => {
    // Act / Assess
    expect(reasonOf(translateStripe(event))).toBe(reason);
  });
});
