import { z } from 'zod';
import { type OutgoingDetailType, PAYMENT_SOURCE, type PaymentDetailType } from './event-names';
import { plainMessage } from './input-messages';
import { PRODUCT_ID } from './product';

/**
 * Every event this system takes in or sends out, in one module: sources,
 * detail types and the schemas of their details. The bus rules (functions/
 * manifest.ts), the parsers of incoming events and the publisher of outgoing
 * ones all read it, so an outgoing event is checked against the very schema
 * its consumers parse it with.
 */

export { OUTGOING_DETAIL_TYPES, OUTGOING_SOURCE, PAYMENT_DETAIL_TYPES, PAYMENT_SOURCE } from './event-names';
export type { OutgoingDetailType, PaymentDetailType } from './event-names';

/** An `occurredAt` further ahead of the receiver's clock than this is malformed (contract). */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

const invoiceId = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[^\s\p{Cc}\p{Cf}]+$/u, 'no spaces, control or format characters');
const occurredAt = z.iso.datetime({ offset: true });

export const PaymentSucceededSchema = z.object({
  invoiceId,
  customerId: z.string().trim().min(1).max(256).nullish(),
  customerEmail: z.email().max(320).nullish(),
  occurredAt,
  lines: z.array(z.object({ productId: PRODUCT_ID, quantity: z.number().int().min(0).max(1_000_000).nullish() })).max(10_000),
});

export const PaymentOnHoldSchema = z.object({ invoiceId, occurredAt, reason: z.string().max(1000).nullish() });
/** With `lines`, a partial refund: only those products' links are revoked; without, the whole invoice is refunded. */
export const PaymentRefundedSchema = PaymentOnHoldSchema.extend({
  lines: z
    .array(z.object({ productId: PRODUCT_ID }))
    .max(10_000)
    .nullish(),
});

export type PaymentSucceeded = z.infer<typeof PaymentSucceededSchema>;
export type PaymentOnHold = z.infer<typeof PaymentOnHoldSchema>;
export type PaymentRefunded = z.infer<typeof PaymentRefundedSchema>;

export const PaymentEventSchemas = {
  PaymentSucceeded: PaymentSucceededSchema,
  PaymentOnHold: PaymentOnHoldSchema,
  PaymentRefunded: PaymentRefundedSchema,
} as const satisfies Record<PaymentDetailType, unknown>;

export type PaymentEvent =
  | { type: 'PaymentSucceeded'; detail: PaymentSucceeded }
  | { type: 'PaymentOnHold'; detail: PaymentOnHold }
  | { type: 'PaymentRefunded'; detail: PaymentRefunded };

type Parsed = { ok: true; event: PaymentEvent } | { ok: false; reason: string };

const issuesOf = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'detail'}: ${i.message}`)
    .join('; ');

/**
 * Validates an EventBridge envelope of a payment event and its detail; the
 * reason names the first fields that are wrong. `now` is the receiver's clock.
 */
export const parsePaymentEvent = (event: unknown, now: Date): Parsed => {
  const envelope = event as { source?: unknown; 'detail-type'?: unknown; detail?: unknown } | null;
  if (!envelope || typeof envelope !== 'object') return { ok: false, reason: 'not an EventBridge event' };
  if (envelope.source !== PAYMENT_SOURCE) return { ok: false, reason: `unexpected source ${JSON.stringify(envelope.source)}` };
  const type = envelope['detail-type'];
  if (typeof type !== 'string' || !Object.hasOwn(PaymentEventSchemas, type)) return { ok: false, reason: `unknown detail-type ${JSON.stringify(type)}` };
  const detailType = type as PaymentDetailType;
  const parsed = PaymentEventSchemas[detailType].safeParse(envelope.detail, { error: plainMessage });
  if (!parsed.success) return { ok: false, reason: `invalid ${detailType} detail: ${issuesOf(parsed.error)}` };
  if (Date.parse(parsed.data.occurredAt) - now.getTime() > MAX_FUTURE_SKEW_MS) {
    return { ok: false, reason: `invalid ${detailType} detail: occurredAt ${parsed.data.occurredAt} is more than 24 hours ahead of the receiver's clock` };
  }
  return { ok: true, event: { type: detailType, detail: parsed.data } as PaymentEvent };
};

/** The reasons a paid invoice (or one of its lines) cannot be delivered. */
export const REJECTION_REASONS = ['CUSTOMER_ACCOUNT_REQUIRED', 'NO_FILES', 'LICENSE_POOL_EMPTY'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const DeliveredLinkSchema = z.object({
  id: z.string(),
  productId: z.string(),
  fileName: z.string(),
  deliveryMethod: z.enum(['InstantDownload', 'EmailDelivered']),
  downloadUrl: z.url(),
  expiresUtc: z.string().nullable(),
  maxDownloads: z.number().int().nullable(),
});

export const DigitalProductDeliveredSchema = z
  .object({
    invoiceId: z.string().min(1),
    customerId: z.string().min(1),
    customerEmail: z.string().nullable(),
    /** 0 for the purchase; each regeneration of the invoice's links adds one. */
    generation: z.number().int().min(0),
    /** A very large invoice is announced in parts, each under EventBridge's 256 KB. */
    part: z.number().int().min(1).optional(),
    partCount: z.number().int().min(1).optional(),
    /** Empty only when the invoice delivered license keys and no file. */
    links: z.array(DeliveredLinkSchema),
    /** One license key per unit bought of a product sold with keys (in the first part only). */
    licenses: z.array(z.object({ key: z.string().min(1), productId: z.string().min(1) })).default([]),
  })
  .refine((d) => d.links.length > 0 || d.licenses.length > 0, 'a delivery announces links or license keys');

export const InvoiceCompletedSchema = z.object({
  invoiceId: z.string().min(1),
  customerId: z.string().min(1),
  completedAt: z.string(),
});

export const DeliveryRejectedSchema = z.object({
  invoiceId: z.string().min(1),
  reason: z.enum(REJECTION_REASONS),
  /** The lines it concerns, when the rest of the invoice is delivered (NO_FILES, LICENSE_POOL_EMPTY). */
  productIds: z.array(z.string()).optional(),
});

/** One customer's links after an update of the product's file (contract: "Updates for past buyers"). */
export const ProductUpdatedSchema = z.object({
  productId: z.string().min(1),
  /** Which update: one event per update and customer. */
  updateId: z.string().min(1),
  customerId: z.string().min(1),
  customerEmail: z.string().nullable(),
  links: z
    .array(
      z.object({
        id: z.string(),
        invoiceId: z.string(),
        fileName: z.string(),
        fileVersion: z.number().int().min(1),
        deliveryMethod: z.enum(['InstantDownload', 'EmailDelivered']),
        downloadUrl: z.url(),
      }),
    )
    .min(1)
    .max(100),
});

/** A link downloaded from more networks than the sharing threshold allows (contract: "Stamping and sharing signals"); once per flag. */
export const LinkFlaggedSchema = z.object({
  linkId: z.string().min(1),
  customerId: z.string().min(1),
  /** Distinct networks (IPv4 /24, IPv6 /48) within the window when it was flagged. */
  networks: z.number().int().min(1),
  invoiceId: z.string().min(1),
  productId: z.string().min(1),
  flaggedAt: z.string(),
  /** Whether the link was suspended with the flag (the product's `suspendOnSharing`). */
  suspended: z.boolean(),
});

export const OutgoingEventSchemas = {
  DigitalProductDelivered: DigitalProductDeliveredSchema,
  InvoiceCompleted: InvoiceCompletedSchema,
  DeliveryRejected: DeliveryRejectedSchema,
  ProductUpdated: ProductUpdatedSchema,
  LinkFlagged: LinkFlaggedSchema,
} as const satisfies Record<OutgoingDetailType, unknown>;

/** An event this system tells the shop about (source `digital-downloads`), typed by its detail's schema. */
export type OutgoingEvent = {
  [K in OutgoingDetailType]: { detailType: K; detail: z.infer<(typeof OutgoingEventSchemas)[K]> };
}[OutgoingDetailType];

export type DigitalProductDelivered = z.infer<typeof DigitalProductDeliveredSchema>;
export type ProductUpdated = z.infer<typeof ProductUpdatedSchema>;

/**
 * The key of an outgoing event's dispatch (core/dispatch.ts): what makes two
 * publications the same announcement. Derived from the detail alone, so the
 * publisher and the receipt of the event agree on it.
 */
export const dispatchKeyOf = (event: OutgoingEvent): string => {
  switch (event.detailType) {
    case 'DigitalProductDelivered':
      return `${event.detailType}#${event.detail.invoiceId}#${event.detail.generation}#${event.detail.part ?? 1}`;
    case 'InvoiceCompleted':
      return `${event.detailType}#${event.detail.invoiceId}`;
    case 'DeliveryRejected':
      return `${event.detailType}#${event.detail.invoiceId}#${event.detail.reason}#${[...(event.detail.productIds ?? [])].sort().join(',')}`;
    case 'ProductUpdated':
      return `${event.detailType}#${event.detail.productId}#${event.detail.updateId}#${event.detail.customerId}`;
    case 'LinkFlagged':
      // Per flag: a link an operator reset and that is shared again is flagged, and announced, again.
      return `${event.detailType}#${event.detail.linkId}#${event.detail.flaggedAt}`;
  }
};

/** Throws when an outgoing event does not match the schema its consumers parse it with. */
export const assertOutgoing = (event: OutgoingEvent): void => {
  const parsed = OutgoingEventSchemas[event.detailType].safeParse(event.detail);
  if (!parsed.success) throw new Error(`outgoing ${event.detailType} does not match its schema: ${issuesOf(parsed.error)}`);
};
