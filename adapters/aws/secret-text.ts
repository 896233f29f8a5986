import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A plain-text secret (a webhook secret, an API key) from Secrets Manager,
 * cached for a few minutes so a rotation reaches warm functions soon.
 */
export class CachedSecretText {
  private cached: { value: Promise<string>; until: number } | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  value(): Promise<string> {
    if (!this.cached || this.cached.until < Date.now()) {
      const value = this.load();
      this.cached = { value, until: Date.now() + this.ttlMs };
      value.catch(() => (this.cached = undefined));
    }
    return this.cached.value;
  }

  private async load(): Promise<string> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const value = out.SecretString?.trim();
    if (!value) throw new Error(`the secret ${this.secretId} has no value`);
    return value;
  }
}
