import { z } from 'zod';
import { PRODUCT_ID } from './product';

/** The storefront's payment events (source `storefront.payments`), as the contract fixes them. */
export const PAYMENT_SOURCE = 'storefront.payments';

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
export const PaymentRefundedSchema = PaymentOnHoldSchema;

export type PaymentSucceeded = z.infer<typeof PaymentSucceededSchema>;
export type PaymentOnHold = z.infer<typeof PaymentOnHoldSchema>;
export type PaymentRefunded = z.infer<typeof PaymentRefundedSchema>;

export const PaymentEventSchemas = {
  PaymentSucceeded: PaymentSucceededSchema,
  PaymentOnHold: PaymentOnHoldSchema,
  PaymentRefunded: PaymentRefundedSchema,
} as const;
export type PaymentDetailType = keyof typeof PaymentEventSchemas;

export type PaymentEvent =
  | { type: 'PaymentSucceeded'; detail: PaymentSucceeded }
  | { type: 'PaymentOnHold'; detail: PaymentOnHold }
  | { type: 'PaymentRefunded'; detail: PaymentRefunded };
