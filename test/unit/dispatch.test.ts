import { describe, expect, it } from 'vitest';
import { DISPATCH_TAG, DispatchBusy, dispatchIdOf, dispatchOnce, isDefiniteRefusal } from '../../core/dispatch';
import { FakeDispatchLedger, fakeTime } from '../support/fakes';

const timing = { leaseMs: 10_000, graceMs: 2_000, maxWaitMs: 30_000, pollMs: 250 };

/** A send that counts itself. */
const counter = () => {
  const state = { sends: 0 };
  return {
    state,
    send: async () => {
      state.sends++;
      return undefined;
    },
  };
};

const setup = () => {
  const ledger = new FakeDispatchLedger();
  const time = fakeTime();
  return { ledger, time, deps: { ledger, clock: time.clock, sleep: time.sleep, timing } };
};

describe('dispatchOnce', () => {
  it('sends once and reports a second call for the same key as already sent', async () => {
    // Prepare
    const { deps } = setup();
    let sends = 0;
    const send = async () => {
      sends++;
      return { messageId: 'm-1' };
    };

    // Act
    const first = await dispatchOnce(deps, 'email#inv-1#0', send);
    const second = await dispatchOnce(deps, 'email#inv-1#0', send);

    // Assess
    expect([first, second]).toEqual(['sent', 'already-sent']);
    expect(sends).toBe(1);
  });

  it('keeps different keys apart', async () => {
    const { deps } = setup();
    const { state, send: countSend } = counter();
    await dispatchOnce(deps, 'a', countSend);
    await dispatchOnce(deps, 'b', countSend);
    expect(state.sends).toBe(2);
  });

  it('records the message id the send returned', async () => {
    const { deps, ledger } = setup();
    await dispatchOnce(deps, 'k', async () => ({ messageId: 'ses-42' }));
    expect(ledger.items.get(dispatchIdOf('k'))?.messageId).toBe('ses-42');
  });

  it('does not send again after a crash when the receipt confirmed the first send', async () => {
    // Prepare: an attempt claimed and sent, then crashed before marking; the receipt came back meanwhile
    const { deps, ledger, time } = setup();
    await ledger.claim(dispatchIdOf('k'), { key: 'k', now: time.iso(), leaseMs: timing.leaseMs });
    await ledger.confirm(dispatchIdOf('k'), { at: time.iso() });
    const { state, send: countSend } = counter();

    // Act
    const outcome = await dispatchOnce(deps, 'k', countSend);

    // Assess
    expect(outcome).toBe('already-sent');
    expect(state.sends).toBe(0);
  });

  it('waits for a receipt that arrives during the grace period instead of sending again', async () => {
    // Prepare: a claim left by a crash whose lease is already over
    const { deps, ledger, time } = setup();
    await ledger.claim(dispatchIdOf('k'), { key: 'k', now: time.iso(), leaseMs: timing.leaseMs });
    time.advance(timing.leaseMs + 1);
    const { state, send: countSend } = counter();
    const sleep = deps.sleep;
    let slept = 0;
    const withReceipt = {
      ...deps,
      sleep: async (ms: number) => {
        slept += ms;
        // the bus delivers the receipt one second into the grace period
        if (slept >= 1000) await ledger.confirm(dispatchIdOf('k'), { at: time.iso() });
        await sleep(ms);
      },
    };

    // Act
    const outcome = await dispatchOnce(withReceipt, 'k', countSend);

    // Assess
    expect(outcome).toBe('already-sent');
    expect(state.sends).toBe(0);
  });

  it('sends again when a crashed attempt left a claim and no receipt came within its lease and the grace', async () => {
    // Prepare: the earlier attempt crashed before it sent anything
    const { deps, ledger, time } = setup();
    await ledger.claim(dispatchIdOf('k'), { key: 'k', now: time.iso(), leaseMs: timing.leaseMs });
    const claimedAt = time.clock();
    let sentAt: number | undefined;

    // Act
    const outcome = await dispatchOnce(deps, 'k', async () => {
      sentAt = time.clock();
      return undefined;
    });

    // Assess: not before the lease ended, nor before a whole grace period of waiting
    expect(outcome).toBe('sent');
    expect(sentAt).toBeGreaterThanOrEqual(claimedAt + timing.leaseMs);
    expect(ledger.items.get(dispatchIdOf('k'))).toMatchObject({ status: 'sent', attempt: 2 });
  });

  it('gives up with DispatchBusy when another attempt holds the claim longer than it may wait', async () => {
    const { deps, ledger, time } = setup();
    await ledger.claim(dispatchIdOf('k'), { key: 'k', now: time.iso(), leaseMs: 120_000 });
    const { state, send: countSend } = counter();
    await expect(dispatchOnce(deps, 'k', countSend)).rejects.toBeInstanceOf(DispatchBusy);
    expect(state.sends).toBe(0);
  });

  it('frees the claim when the outside refused the send, so the retry sends at once', async () => {
    // Prepare
    const { deps, ledger, time } = setup();
    const refused = Object.assign(new Error('MessageRejected'), { $metadata: { httpStatusCode: 400 } });
    const before = time.clock();

    // Act
    await expect(
      dispatchOnce(deps, 'k', async () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
    const { state, send: countSend } = counter();
    const retry = await dispatchOnce(deps, 'k', countSend);

    // Assess
    expect(retry).toBe('sent');
    expect(state.sends).toBe(1);
    expect(ledger.items.get(dispatchIdOf('k'))?.attempt).toBe(2);
    expect(time.clock()).toBe(before); // no waiting for a lease
  });

  it('gives up exactly when its patience runs out, naming the key', async () => {
    // Prepare: a live claim far longer than the wait allowed
    const { deps, ledger, time } = setup();
    await ledger.claim(dispatchIdOf('k'), { key: 'k', now: time.iso(), leaseMs: 120_000 });
    const started = time.clock();

    // Act
    const error = await dispatchOnce(deps, 'k', async () => undefined).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(DispatchBusy);
    expect(error).toMatchObject({ name: 'DispatchBusy', key: 'k', message: 'dispatch k is held by another attempt; retry later' });
    expect(time.clock() - started).toBe(timing.maxWaitMs);
  });

  it('sleeps only until the stale claim may be taken over, not a whole poll past it', async () => {
    // Prepare: a claim whose lease ends 2.1 s from now (longer than the grace, not a multiple of the poll)
    const { deps, ledger, time } = setup();
    await ledger.claim(dispatchIdOf('k'), { key: 'k', now: time.iso(), leaseMs: 2_100 });
    const started = time.clock();
    let sentAfter: number | undefined;

    // Act
    const outcome = await dispatchOnce(deps, 'k', async () => {
      sentAfter = time.clock() - started;
      return undefined;
    });

    // Assess
    expect(outcome).toBe('sent');
    expect(sentAfter).toBe(2_100);
  });

  it('claims the dispatch itself, with its own lease, when the holder frees it while it waits', async () => {
    // Prepare: another attempt holds the claim and releases it (its send was refused) during the first poll
    const { ledger, time } = setup();
    const id = dispatchIdOf('k');
    await ledger.claim(id, { key: 'k', now: time.iso(), leaseMs: 60_000 });
    const deps = {
      ledger,
      clock: time.clock,
      timing,
      sleep: async (ms: number) => {
        time.advance(ms);
        await ledger.release(id, 1);
      },
    };
    const { state, send: countSend } = counter();
    let leaseWhileSending: string | undefined;

    // Act
    const outcome = await dispatchOnce(deps, 'k', async () => {
      leaseWhileSending = ledger.items.get(id)?.leaseUntil;
      return countSend();
    });

    // Assess
    expect(outcome).toBe('sent');
    expect(state.sends).toBe(1);
    expect(ledger.items.get(id)).toMatchObject({ status: 'sent', attempt: 2, key: 'k' });
    expect(leaseWhileSending).toBe(new Date(time.clock() + timing.leaseMs).toISOString());
  });

  it('waits 20 s by default before giving up on a live claim, and claims with a 30 s lease', async () => {
    // Prepare
    const ledger = new FakeDispatchLedger();
    const time = fakeTime();
    const deps = { ledger, clock: time.clock, sleep: time.sleep };
    await ledger.claim(dispatchIdOf('held'), { key: 'held', now: time.iso(), leaseMs: 120_000 });
    const started = time.clock();

    // Act
    const busy = await dispatchOnce(deps, 'held', async () => undefined).catch((e: unknown) => e);
    const waited = time.clock() - started;
    let leaseWhileSending: string | undefined;
    await dispatchOnce(deps, 'free', async () => {
      leaseWhileSending = ledger.items.get(dispatchIdOf('free'))?.leaseUntil;
      return undefined;
    });

    // Assess
    expect(busy).toBeInstanceOf(DispatchBusy);
    expect(waited).toBe(20_000);
    expect(leaseWhileSending).toBe(new Date(time.clock() + 30_000).toISOString());
  });

  it('keeps the claim when the send failed without an answer (it may have gone out)', async () => {
    const { deps, ledger } = setup();
    await expect(
      dispatchOnce(deps, 'k', async () => {
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }),
    ).rejects.toThrow('socket hang up');
    expect(ledger.items.get(dispatchIdOf('k'))?.status).toBe('claimed');
  });

  it('lets only one of two late attempts take over a stale claim', async () => {
    // Prepare: a stale claim seen by two attempts
    const { ledger, time } = setup();
    const id = dispatchIdOf('k');
    await ledger.claim(id, { key: 'k', now: time.iso(), leaseMs: 1000 });
    time.advance(5000);

    // Act
    const a = await ledger.takeOver(id, { attempt: 1, now: time.iso(), leaseMs: 1000 });
    const b = await ledger.takeOver(id, { attempt: 1, now: time.iso(), leaseMs: 1000 });

    // Assess
    expect(a).toEqual({ status: 'claimed', attempt: 2 });
    expect(b.status).toBe('held');
  });
});

describe('DISPATCH_TAG', () => {
  it('is the SES message tag name the mailer sets and the email-events handler reads back', () => {
    expect(DISPATCH_TAG).toBe('dispatch');
  });
});

describe('dispatchIdOf', () => {
  it('is a fixed-length SES tag value, the same for the same key', () => {
    const id = dispatchIdOf('DigitalProductDelivered#inv with spaces & ünïcode#0#1');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(dispatchIdOf('DigitalProductDelivered#inv with spaces & ünïcode#0#1')).toBe(id);
    expect(dispatchIdOf('other')).not.toBe(id);
  });
});

describe('isDefiniteRefusal', () => {
  it('is true for an answered 4xx or 5xx and false for a failure without an answer', () => {
    expect(isDefiniteRefusal(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 400 } }))).toBe(true);
    expect(isDefiniteRefusal(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isDefiniteRefusal(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 200 } }))).toBe(false);
    expect(isDefiniteRefusal(new Error('timeout'))).toBe(false);
    expect(isDefiniteRefusal(null)).toBe(false);
  });
});
