import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SigningKeySource } from '../../core/ports';
import type { SigningKeySet } from '../../core/token';

/**
 * The secret's JSON value is flat, so that Secrets Manager can generate the
 * first key itself: `{ "currentKid": "k1", "k1": "<secret>", "k0": "<older>" }`.
 * Every other string member of at least 32 characters is an accepted key.
 */
export const parseKeySet = (value: string): SigningKeySet => {
  const parsed: unknown = JSON.parse(value);
  if (!parsed || typeof parsed !== 'object') throw new Error('the signing-key secret is not a JSON object');
  const { currentKid, retireAt, ...rest } = parsed as Record<string, unknown>;
  if (typeof currentKid !== 'string') throw new Error('the signing-key secret has no currentKid');
  const keys = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= 32));
  const dates =
    retireAt && typeof retireAt === 'object'
      ? Object.fromEntries(Object.entries(retireAt).filter((e): e is [string, string] => typeof e[1] === 'string' && !Number.isNaN(Date.parse(e[1]))))
      : {};
  return { currentKid, keys, ...(Object.keys(dates).length > 0 ? { retireAt: dates } : {}) };
};

export const serializeKeySet = (keySet: SigningKeySet): string =>
  JSON.stringify({
    currentKid: keySet.currentKid,
    ...keySet.keys,
    ...(keySet.retireAt && Object.keys(keySet.retireAt).length > 0 ? { retireAt: keySet.retireAt } : {}),
  });

/**
 * The keyring after a rotation: a new key, current from now on, and every
 * key before it kept (a link signed with any of them may still be live; see
 * SigningKeySet). `retirePreviousAt` dates the previous current key, when the
 * operator knows the longest remaining life of the links it signed.
 */
export const rotateKeySet = (keySet: SigningKeySet, input: { newSecret: string; retirePreviousAt?: string | undefined }): SigningKeySet => {
  const numbers = Object.keys(keySet.keys).map((kid) => Number(/^k(\d+)$/.exec(kid)?.[1] ?? 0));
  const next = `k${Math.max(0, ...numbers) + 1}`;
  const retireAt = { ...(keySet.retireAt ?? {}), ...(input.retirePreviousAt ? { [keySet.currentKid]: input.retirePreviousAt } : {}) };
  return { currentKid: next, keys: { ...keySet.keys, [next]: input.newSecret }, ...(Object.keys(retireAt).length > 0 ? { retireAt } : {}) };
};

/** GetSecretValue's `SecretString`, through whichever client: the SDK's, or the download function's wire client. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

export const sdkSecretReader =
  (client: SecretsManagerClient): SecretReader =>
  async (secretId) =>
    (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;

/** The link-signing key set in Secrets Manager, read once per cold start and again on demand. */
export class SecretsManagerKeySource implements SigningKeySource {
  private cached: Promise<SigningKeySet> | undefined;

  constructor(
    private readonly read: SecretReader,
    private readonly secretId: string,
  ) {}

  current() {
    if (!this.cached) {
      this.cached = this.load();
      this.cached.catch(() => (this.cached = undefined));
    }
    return this.cached;
  }

  refresh() {
    this.cached = undefined;
    return this.current();
  }

  private async load(): Promise<SigningKeySet> {
    const value = await this.read(this.secretId);
    if (!value) throw new Error('the signing-key secret has no string value');
    return parseKeySet(value);
  }
}
