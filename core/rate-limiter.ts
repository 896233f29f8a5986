import { DomainError } from './errors';

/**
 * A token bucket per key, in memory: no I/O, so it costs the hot path
 * nothing. It limits each warm instance; API Gateway's stage throttling
 * bounds the total. `ratePerMinute` 0 turns it off.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerMinute: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = 10_000,
    /** What is counted, for the 429's message. */
    private readonly what = 'downloads',
  ) {}

  /** Takes one token for `key` or throws 429 `RATE_LIMITED` with the seconds until one is free. */
  take(key: string): void {
    if (this.ratePerMinute <= 0) return;
    const now = this.clock();
    const perMs = this.ratePerMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      // Less than a token is more than nothing: the wait is at least 1 s.
      const retryAfterSeconds = Math.ceil((1 - bucket.tokens) / perMs / 1000);
      throw new DomainError('throttled', 'RATE_LIMITED', `Too many ${this.what}; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
    }
    bucket.tokens -= 1;
    // Refresh the key's place so the map stays an LRU of active customers.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
