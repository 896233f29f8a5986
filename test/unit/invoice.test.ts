import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkStatusFor, stateKeyFor, type PaymentState } from '../../core/invoice';

const STATES: PaymentState[] = ['paid', 'on_hold', 'refunded'];
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });

describe('stateKeyFor', () => {
  it('sorts an event with a later occurredAt after an earlier one, whatever the states', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10 * 86_400_000 }), fc.constantFrom(...STATES), fc.constantFrom(...STATES), (at, laterBy, s1, s2) => {
        // Prepare
        const earlier = at.toISOString();
        const later = new Date(at.getTime() + laterBy).toISOString();

        // Act
        const a = stateKeyFor(s1, earlier);
        const b = stateKeyFor(s2, later);

        // Assess
        expect(a < b).toBe(true);
      }),
    );
  });

  it('orders equal times refunded > on_hold > paid', () => {
    // Prepare
    const at = '2026-03-28T10:30:00Z';

    // Act
    const [paid, onHold, refunded] = STATES.map((s) => stateKeyFor(s, at)) as [string, string, string];

    // Assess
    expect(paid < onHold).toBe(true);
    expect(onHold < refunded).toBe(true);
  });

  it('gives a replay the very same key', () => {
    // Act / Assess
    expect(stateKeyFor('paid', '2026-03-28T10:30:00Z')).toBe(stateKeyFor('paid', '2026-03-28T10:30:00Z'));
  });

  it('normalizes an offset to UTC, so the same instant gives the same key', () => {
    // Act
    const withOffset = stateKeyFor('paid', '2026-03-28T12:30:00+02:00');
    const inUtc = stateKeyFor('paid', '2026-03-28T10:30:00Z');

    // Assess
    expect(withOffset).toBe(inUtc);
    expect(withOffset).toBe('2026-03-28T10:30:00.000Z#1');
  });

  it('orders by instant, not by the written local time', () => {
    // Prepare: 11:00+02:00 is 09:00Z, earlier than 10:00Z although "11" > "10"
    const earlier = '2026-03-28T11:00:00+02:00';
    const later = '2026-03-28T10:00:00Z';

    // Act / Assess
    expect(stateKeyFor('refunded', earlier) < stateKeyFor('paid', later)).toBe(true);
  });

  it('breaks a tie of a millisecond correctly (later millisecond wins over higher rank)', () => {
    // Act / Assess
    expect(stateKeyFor('refunded', '2026-03-28T10:30:00.000Z') < stateKeyFor('paid', '2026-03-28T10:30:00.001Z')).toBe(true);
  });
});

describe('linkStatusFor', () => {
  it('maps paid to active, on hold to suspended, refunded to revoked', () => {
    // Act / Assess
    expect(STATES.map(linkStatusFor)).toEqual(['active', 'suspended', 'revoked']);
  });
});
