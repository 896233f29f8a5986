import { describe, expect, it } from 'vitest';
import { addDays, toPublicTime, toStoredTime } from '../../core/time';

describe('time', () => {
  it('stores times as ISO strings with milliseconds in UTC', () => {
    // Act
    const stored = toStoredTime(new Date('2026-03-28T12:30:00+02:00'));

    // Assess
    expect(stored).toBe('2026-03-28T10:30:00.000Z');
  });

  it('publishes times without zero milliseconds, and keeps non-zero ones', () => {
    // Act / Assess
    expect(toPublicTime('2026-04-27T00:00:00.000Z')).toBe('2026-04-27T00:00:00Z');
    expect(toPublicTime('2026-04-27T00:00:00.100Z')).toBe('2026-04-27T00:00:00.100Z');
  });

  it('publishes a missing time as null', () => {
    // Act / Assess
    expect(toPublicTime(null)).toBeNull();
    expect(toPublicTime(undefined)).toBeNull();
    expect(toPublicTime('')).toBeNull();
  });

  it('adds whole days to a time, in UTC', () => {
    // Act
    const expires = addDays('2026-03-28T00:00:00.000Z', 30);

    // Assess
    expect(expires).toBe('2026-04-27T00:00:00.000Z');
  });

  it('counts days from an offset time and gives the result in UTC', () => {
    // Act
    const expires = addDays('2026-03-28T02:00:00+02:00', 1);

    // Assess
    expect(expires).toBe('2026-03-29T00:00:00.000Z');
  });

  it('means "never" for 0 days', () => {
    // Act / Assess
    expect(addDays('2026-03-28T00:00:00.000Z', 0)).toBeNull();
  });

  it('keeps 24-hour days across a daylight-saving change', () => {
    // Act
    const expires = addDays('2026-03-28T12:00:00.000Z', 2); // Europe switches on 2026-03-29

    // Assess
    expect(expires).toBe('2026-03-30T12:00:00.000Z');
  });
});
