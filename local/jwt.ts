import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, createLocalJWKSet, type JWK, type JWTPayload } from 'jose';

export const LOCAL_AUDIENCE = 'digital-downloads';

/** Tolerance for clocks that disagree a little, on `exp`, `nbf` and `iat`. */
export const CLOCK_SKEW_SECONDS = 30;

/**
 * The local identity provider: an ES256 key kept in DATA_DIR, tokens minted
 * on request, verified the way API Gateway's JWT authorizer does (signature,
 * issuer, audience, expiry).
 */
export class LocalIdentity {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;

  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly issuer: string,
  ) {
    this.keySet = createLocalJWKSet({ keys: [publicJwk] });
  }

  static async load(file: string, issuer: string): Promise<LocalIdentity> {
    if (!existsSync(file)) {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = `local-${Date.now().toString(36)}`;
      writeFileSync(
        file,
        JSON.stringify({ private: { ...(await exportJWK(privateKey)), kid }, public: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } }),
        { mode: 0o600 },
      );
    }
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { private: JWK; public: JWK };
    return new LocalIdentity((await importJWK(stored.private, 'ES256')) as CryptoKey, stored.public, issuer);
  }

  get jwks() {
    return { keys: [this.publicJwk] };
  }

  mint(claims: { sub: string; scope?: string | undefined; email?: string | undefined; expiresInSeconds?: number }): Promise<string> {
    return new SignJWT({ ...(claims.scope ? { scope: claims.scope } : {}), ...(claims.email ? { email: claims.email } : {}) })
      .setProtectedHeader({ alg: 'ES256', kid: this.publicJwk.kid ?? 'local' })
      .setSubject(claims.sub)
      .setIssuer(this.issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${claims.expiresInSeconds ?? 3600}s`)
      .sign(this.privateKey);
  }

  /**
   * What API Gateway's JWT authorizer checks: the signature, `iss`, `aud`,
   * `exp` present and in the future, and `nbf`/`iat` not ahead of now (with
   * CLOCK_SKEW_SECONDS of tolerance). A token without `exp` would never expire.
   */
  async verify(token: string, now: Date = new Date()): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        issuer: this.issuer,
        audience: LOCAL_AUDIENCE,
        algorithms: ['ES256'],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: now,
      });
      const nowSeconds = now.getTime() / 1000;
      if (typeof payload.iat === 'number' && payload.iat > nowSeconds + CLOCK_SKEW_SECONDS) return undefined;
      return typeof payload.sub === 'string' && payload.sub.length > 0 ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}
