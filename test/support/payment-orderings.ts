import fc from 'fast-check';
import type { PaymentEvent } from '../../core/events';

/** What the ordering properties generate (test/unit/deliver-invoice.test.ts on the fakes, payment-lifecycle on the engines). */
export type PaymentKind = PaymentEvent['type'];
export interface TimedPayment {
  kind: PaymentKind;
  minute: number;
}

/** Up to `maxLength` payment events of one invoice at minutes 0–5 (equal times included), at least one a success. */
export const paymentHistories = (maxLength: number) =>
  fc
    .array(fc.record({ kind: fc.constantFrom<PaymentKind>('PaymentSucceeded', 'PaymentOnHold', 'PaymentRefunded'), minute: fc.integer({ min: 0, max: 5 }) }), {
      minLength: 1,
      maxLength,
    })
    .filter((events) => events.some((e) => e.kind === 'PaymentSucceeded'));

/** Shuffle keys for `deliveriesOf`. */
export const shuffles = fc.array(fc.nat(), { minLength: 6, maxLength: 6 });

/** The events plus a duplicate of the first, in the order the shuffle keys give. */
export const deliveriesOf = (events: TimedPayment[], shuffle: number[]): TimedPayment[] =>
  [...events, events[0] as TimedPayment]
    .map((e, i) => ({ ...e, order: (shuffle[i % shuffle.length] as number) + i / 100 }))
    .sort((a, b) => a.order - b.order)
    .map(({ kind, minute }) => ({ kind, minute }));

/** The contract: a refund is final; otherwise the latest occurredAt wins (on equal times, hold over success). */
export const expectedLinkStatus = (events: TimedPayment[]): 'active' | 'suspended' | 'revoked' => {
  if (events.some((e) => e.kind === 'PaymentRefunded')) return 'revoked';
  const latest = [...events].sort((a, b) => a.minute - b.minute || (a.kind === 'PaymentOnHold' ? 1 : -1)).at(-1);
  return latest?.kind === 'PaymentOnHold' ? 'suspended' : 'active';
};
