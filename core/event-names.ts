/**
 * The names of the events this system takes in and sends out: sources and
 * detail types, with no schema attached (zod stays out of the bundles that
 * only need a name, such as the download's). core/events.ts holds the
 * schemas and re-exports these.
 */

/** The storefront's payment events (contract: "Events in"). */
export const PAYMENT_SOURCE = 'storefront.payments';
/** This system's own events (contract: "Events out"). */
export const OUTGOING_SOURCE = 'digital-downloads';

export const PAYMENT_DETAIL_TYPES = ['PaymentSucceeded', 'PaymentOnHold', 'PaymentRefunded'] as const;
export type PaymentDetailType = (typeof PAYMENT_DETAIL_TYPES)[number];

export const OUTGOING_DETAIL_TYPES = ['DigitalProductDelivered', 'InvoiceCompleted', 'DeliveryRejected', 'ProductUpdated', 'LinkFlagged'] as const;
export type OutgoingDetailType = (typeof OUTGOING_DETAIL_TYPES)[number];
