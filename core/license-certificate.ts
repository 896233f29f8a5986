import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { exportJWK, SignJWT, type JWK } from 'jose';
import type { SigningKeySource } from './ports';
import type { SigningKeySet } from './token';

/**
 * License certificates: what `POST /licenses/validate` answers, a compact JWS
 * (EdDSA, Ed25519) that the seller's software checks offline against the
 * public keys at `/.well-known/license-keys.json`.
 *
 * The keyring has the link keyring's shape and rotation (`SigningKeySet`: a
 * current kid, older kids kept, optional retire dates), so the same secret
 * format, generator and rotation step serve both. Each kid's secret is the
 * seed of its Ed25519 key pair. A rotation makes a new kid current and keeps
 * the old one published until its retire date, which an operator sets past
 * the longest certificate life: every certificate issued stays verifiable.
 */

export interface CertificateClaims {
  key: string;
  productId: string;
  instanceId: string | null;
  status: 'active' | 'suspended' | 'revoked';
  valid: boolean;
}

/** An Ed25519 private key in PKCS #8 is this prefix and the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

type KeyPair = { privateKey: KeyObject; publicKey: KeyObject };

const keyPairOf = (secret: string): KeyPair => {
  const seed = createHash('sha256').update(`license-certificate\n${secret}`).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
};

export const CERTIFICATE_TYPE = 'license+jwt';

export class LicenseCertifier {
  private loaded: { keySet: SigningKeySet; pairs: Map<string, KeyPair>; currentPair: KeyPair; at: number } | undefined;

  constructor(
    private readonly keys: SigningKeySource,
    private readonly options: { ttlSeconds: number; issuer: string },
    private readonly clock: () => number = Date.now,
  ) {}

  /** A certificate of the key's state, valid for the configured time. */
  async certify(claims: CertificateClaims): Promise<{ certificate: string; expiresAt: string }> {
    const { keySet, currentPair } = await this.current();
    const now = Math.floor(this.clock() / 1000);
    const exp = now + this.options.ttlSeconds;
    const certificate = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid: keySet.currentKid, typ: CERTIFICATE_TYPE })
      .setIssuer(this.options.issuer)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(currentPair.privateKey);
    return { certificate, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The public keys that still verify: every kid not past its retire date. */
  async jwks(): Promise<{ keys: (JWK & { kid: string; alg: 'EdDSA'; use: 'sig' })[] }> {
    const { keySet, pairs } = await this.current();
    const now = this.clock();
    const keys = [];
    for (const [kid, pair] of pairs) {
      const retireAt = keySet.retireAt?.[kid];
      if (retireAt !== undefined && now >= Date.parse(retireAt)) continue;
      keys.push({ ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA' as const, use: 'sig' as const });
    }
    return { keys };
  }

  /** Reads the keyring again (after a rotation). */
  async refresh(): Promise<void> {
    this.loaded = undefined;
    await this.load(await this.keys.refresh());
  }

  private async current() {
    // A warm process picks up a rotation within five minutes.
    if (!this.loaded || this.clock() - this.loaded.at > 5 * 60_000) await this.load(this.loaded ? await this.keys.refresh() : await this.keys.current());
    return this.loaded as NonNullable<typeof this.loaded>;
  }

  private async load(keySet: SigningKeySet) {
    const pairs = new Map(Object.entries(keySet.keys).map(([kid, secret]) => [kid, keyPairOf(secret)] as const));
    const currentPair = pairs.get(keySet.currentKid);
    if (!currentPair) throw new Error('the current license-certificate key is missing from the key set');
    this.loaded = { keySet, pairs, currentPair, at: this.clock() };
  }
}
