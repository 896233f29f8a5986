import { createHash } from 'node:crypto';
import type { DispatchLedger } from './ports';

/**
 * Exactly-once effects towards the outside (an event published, an email
 * sent). Every hop before them can run twice (EventBridge, SQS and stream
 * retries, a crash after the effect and before its checkpoint, a re-created
 * stack replaying a stream), and neither EventBridge nor SES deduplicates.
 *
 * So each effect has a key (`dispatchKeyOf`, the email's key) and a ledger
 * entry. A sender claims the entry for a lease before acting and marks it
 * sent after. A crash between acting and marking leaves a claim behind; the
 * effect itself then confirms it: the system's own events come back to it
 * from the bus (the receipts rule) and SES reports each accepted email
 * ("Email Sent"), and both mark the entry sent. A later attempt that finds a
 * claim waits for that receipt (the lease, then a grace period) and only
 * acts again when none came: the effect did not happen.
 */

/** The tag (SES) that carries a dispatch id, so SES's own events name the dispatch they confirm. */
export const DISPATCH_TAG = 'dispatch';

/** A dispatch id: fixed length, `[A-Za-z0-9_-]`, as SES tag values must be. */
export const dispatchIdOf = (key: string): string => createHash('sha256').update(key).digest('base64url');

export interface DispatchTiming {
  /** How long a claim is exclusive: longer than one send takes. */
  leaseMs: number;
  /** How long a later attempt waits past a claim for its receipt before acting again. */
  graceMs: number;
  /** How long one attempt waits at most before giving up (and being retried later). */
  maxWaitMs: number;
  /** How often a waiting attempt reads the ledger again. */
  pollMs: number;
}

export const DEFAULT_DISPATCH_TIMING: DispatchTiming = { leaseMs: 30_000, graceMs: 5_000, maxWaitMs: 20_000, pollMs: 250 };

/** Another attempt holds the dispatch and no receipt came in time: retry later. */
export class DispatchBusy extends Error {
  constructor(readonly key: string) {
    super(`dispatch ${key} is held by another attempt; retry later`);
    this.name = 'DispatchBusy';
  }
}

export interface DispatchDeps {
  ledger: DispatchLedger;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  timing?: DispatchTiming;
}

/** What a send tells the ledger (SES's message id, for instance). */
export interface SendOutcome {
  messageId?: string | undefined;
}

/** A send failed with an answer (the outside received the request and refused it): nothing happened. */
export const isDefiniteRefusal = (error: unknown): boolean => {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400;
};

/**
 * Performs `send` at most once per key, and at least once: returns `sent`
 * when this call did it, `already-sent` when an earlier one did. Throws
 * `DispatchBusy` when another attempt holds it past this call's patience.
 */
export const dispatchOnce = async (deps: DispatchDeps, key: string, send: () => Promise<SendOutcome | undefined>): Promise<'sent' | 'already-sent'> => {
  const timing = deps.timing ?? DEFAULT_DISPATCH_TIMING;
  const id = dispatchIdOf(key);
  const iso = (ms: number) => new Date(ms).toISOString();
  const act = async (attempt: number): Promise<'sent'> => {
    let outcome: SendOutcome | undefined;
    try {
      outcome = await send();
    } catch (error) {
      // A refusal means nothing went out: free the claim so a retry acts at once. Anything else (a timeout)
      // may have gone out: the claim stays, and its receipt or its lease decides.
      if (isDefiniteRefusal(error)) await deps.ledger.release(id, attempt).catch(() => undefined);
      throw error;
    }
    await deps.ledger.markSent(id, { at: iso(deps.clock()), messageId: outcome?.messageId });
    return 'sent';
  };
  const started = deps.clock();
  let firstSeenHeld: number | undefined;
  let claim = await deps.ledger.claim(id, { key, now: iso(started), leaseMs: timing.leaseMs });
  for (;;) {
    if (claim.status === 'sent') return 'already-sent';
    if (claim.status === 'claimed') return act(claim.attempt);
    // Held by another attempt (live, or left by a crash): wait for its receipt, or for its lease and the grace to pass.
    const now = deps.clock();
    firstSeenHeld ??= now;
    const takeOverAt = Math.max(Date.parse(claim.leaseUntil), firstSeenHeld + timing.graceMs);
    if (now >= takeOverAt) {
      claim = await deps.ledger.takeOver(id, { attempt: claim.attempt, now: iso(now), leaseMs: timing.leaseMs });
      continue;
    }
    if (now - started >= timing.maxWaitMs) throw new DispatchBusy(key);
    await deps.sleep(Math.min(timing.pollMs, takeOverAt - now));
    claim = await deps.ledger.claim(id, { key, now: iso(deps.clock()), leaseMs: timing.leaseMs });
  }
};
