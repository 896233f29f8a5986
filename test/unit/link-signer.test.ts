import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import type { SigningKeySource } from '../../core/ports';
import { LinkTokens, type SigningKeySet } from '../../core/token';
import { LinkSigner } from '../../core/link-signer';

const SECRET_1 = 'k1-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const SECRET_2 = 'k2-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const LINK_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const T0 = Date.UTC(2026, 2, 28, 10, 30, 0);

/** A key source (e.g. Secrets Manager) whose published key set the test can rotate; it counts reads. */
class FakeKeySource implements SigningKeySource {
  currentCalls = 0;
  refreshCalls = 0;
  constructor(public published: SigningKeySet) {}
  async current() {
    this.currentCalls++;
    return this.published;
  }
  async refresh() {
    this.refreshCalls++;
    return this.published;
  }
  get reads() {
    return this.currentCalls + this.refreshCalls;
  }
}

const setup = () => {
  const source = new FakeKeySource({ currentKid: 'k1', keys: { k1: SECRET_1 } });
  let now = T0;
  const clock = { advance: (ms: number) => (now += ms) };
  const verifier = new LinkSigner(source, () => now);
  const rotated: SigningKeySet = { currentKid: 'k2', keys: { k1: SECRET_1, k2: SECRET_2 } };
  const tokenOfNewKey = new LinkTokens(rotated).sign(LINK_ID);
  return { source, clock, verifier, rotated, tokenOfNewKey };
};

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe('LinkSigner', () => {
  it('gives the link id of a genuine token', async () => {
    // Prepare
    const { verifier } = setup();
    const token = await verifier.sign(LINK_ID);

    // Act
    const linkId = await verifier.linkIdOf(token);

    // Assess
    expect(linkId).toBe(LINK_ID);
  });

  it('refuses a forged token with not_found / LINK_NOT_FOUND', async () => {
    // Prepare
    const { verifier } = setup();
    const token = await verifier.sign(LINK_ID);
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

    // Act
    const error = await refusal(verifier.linkIdOf(forged));

    // Assess
    expect(error.kind).toBe('not_found');
    expect(error.code).toBe('LINK_NOT_FOUND');
    expect(error.message).toBe('No such download link.');
  });

  it('refuses a malformed token with LINK_NOT_FOUND and without asking the key source again', async () => {
    // Prepare
    const { verifier, source } = setup();
    await verifier.sign(LINK_ID);
    const readsBefore = source.reads;

    // Act
    const error = await refusal(verifier.linkIdOf('not-a-token'));

    // Assess
    expect(error.code).toBe('LINK_NOT_FOUND');
    expect(error.kind).toBe('not_found');
    expect(error.message).toBe('No such download link.');
    expect(source.reads).toBe(readsBefore);
  });

  it('refreshes the key set once when a token names a key it has not seen, and then accepts it', async () => {
    // Prepare
    const { verifier, source, rotated, tokenOfNewKey, clock } = setup();
    await verifier.sign(LINK_ID);
    clock.advance(1_000);
    source.published = rotated; // rotation elsewhere

    // Act
    const linkId = await verifier.linkIdOf(tokenOfNewKey);

    // Assess
    expect(linkId).toBe(LINK_ID);
    expect(source.refreshCalls).toBe(1);
  });

  it('signs new tokens with the new key after a refresh caused by an unknown key id', async () => {
    // Prepare
    const { verifier, source, rotated, tokenOfNewKey } = setup();
    const oldToken = await verifier.sign(LINK_ID);
    source.published = rotated;
    await verifier.linkIdOf(tokenOfNewKey);

    // Act
    const newToken = await verifier.sign(LINK_ID);

    // Assess
    expect(newToken.startsWith('k2.')).toBe(true);
    expect(await verifier.linkIdOf(oldToken)).toBe(LINK_ID);
  });

  it('refreshes at most once a minute however many unknown key ids arrive', async () => {
    // Prepare
    const { verifier, source, clock } = setup();
    await verifier.sign(LINK_ID);
    const forgedKids = Array.from({ length: 50 }, (_, i) => `x${i}.${LINK_ID}.${'A'.repeat(43)}`);

    // Act
    for (const token of forgedKids) {
      await refusal(verifier.linkIdOf(token));
      clock.advance(1_000); // 50 seconds in all
    }

    // Assess
    expect(source.refreshCalls).toBe(1);
  });

  it('refreshes again for an unknown key id once a full minute has passed since the last refresh', async () => {
    // Prepare
    const { verifier, source, clock, rotated, tokenOfNewKey } = setup();
    await verifier.sign(LINK_ID);
    await refusal(verifier.linkIdOf(tokenOfNewKey)); // refresh #1, the key is not published yet
    source.published = rotated;

    // Act
    clock.advance(59_999);
    const early = await refusal(verifier.linkIdOf(tokenOfNewKey));
    const refreshesWithinTheMinute = source.refreshCalls;
    clock.advance(2);
    const linkId = await verifier.linkIdOf(tokenOfNewKey);

    // Assess
    expect(early.code).toBe('LINK_NOT_FOUND');
    expect(refreshesWithinTheMinute).toBe(1);
    expect(linkId).toBe(LINK_ID);
    expect(source.refreshCalls).toBe(2);
  });

  it('does not refresh again exactly one minute after the last refresh: only once more than a minute has passed', async () => {
    // Prepare
    const { verifier, source, clock, rotated, tokenOfNewKey } = setup();
    await verifier.sign(LINK_ID);
    await refusal(verifier.linkIdOf(tokenOfNewKey)); // refresh #1, the key is not published yet
    source.published = rotated;

    // Act
    clock.advance(60_000);
    const atTheMinute = await refusal(verifier.linkIdOf(tokenOfNewKey));

    // Assess
    expect(atTheMinute.code).toBe('LINK_NOT_FOUND');
    expect(source.refreshCalls).toBe(1);
  });

  it('accepts every concurrent token naming a newly published key: they all wait for the one refresh', async () => {
    // Prepare
    const { verifier, source, rotated, tokenOfNewKey } = setup();
    await verifier.sign(LINK_ID);
    source.published = rotated;

    // Act
    const linkIds = await Promise.all(Array.from({ length: 5 }, () => verifier.linkIdOf(tokenOfNewKey)));

    // Assess
    expect(linkIds).toEqual(Array.from({ length: 5 }, () => LINK_ID));
    expect(source.refreshCalls).toBe(1);
  });

  it('refreshes only once for concurrent tokens naming the same unknown key', async () => {
    // Prepare
    const { verifier, source, rotated, tokenOfNewKey } = setup();
    await verifier.sign(LINK_ID);
    source.published = rotated;

    // Act
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => verifier.linkIdOf(tokenOfNewKey)));

    // Assess
    expect(source.refreshCalls).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as DomainError).code).toBe('LINK_NOT_FOUND');
  });

  it('picks up a rotation after five minutes even when no token names the new key', async () => {
    // Prepare
    const { verifier, source, rotated, clock } = setup();
    expect((await verifier.sign(LINK_ID)).startsWith('k1.')).toBe(true);
    source.published = rotated;

    // Act
    clock.advance(5 * 60_000);
    const stillOld = await verifier.sign(LINK_ID);
    clock.advance(1);
    const rotatedToken = await verifier.sign(LINK_ID);

    // Assess
    expect(stillOld.startsWith('k1.')).toBe(true);
    expect(rotatedToken.startsWith('k2.')).toBe(true);
  });

  it('reads the key set once while it is fresh', async () => {
    // Prepare
    const { verifier, source, clock } = setup();
    const token = await verifier.sign(LINK_ID);

    // Act
    for (let i = 0; i < 20; i++) {
      await verifier.linkIdOf(token);
      clock.advance(10_000);
    }

    // Assess
    expect(source.currentCalls).toBe(1);
    expect(source.refreshCalls).toBe(0);
  });
});
