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
  const { currentKid, ...rest } = parsed as Record<string, unknown>;
  if (typeof currentKid !== 'string') throw new Error('the signing-key secret has no currentKid');
  const keys = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= 32));
  return { currentKid, keys };
};

export const serializeKeySet = (keySet: SigningKeySet): string => JSON.stringify({ currentKid: keySet.currentKid, ...keySet.keys });

/** The link-signing key set in Secrets Manager, read once per cold start and again on demand. */
export class SecretsManagerKeySource implements SigningKeySource {
  private cached: Promise<SigningKeySet> | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
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
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (!out.SecretString) throw new Error('the signing-key secret has no string value');
    return parseKeySet(out.SecretString);
  }
}
