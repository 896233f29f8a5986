import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LocalIdentity } from '../../local/jwt';

const ISSUER = 'http://127.0.0.1:3000/';

/** The local identity, and a way to sign any claims with its key (as a forger who stole nothing but the format cannot). */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const setup = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-jwt-'));
  dirs.push(dir);
  const file = join(dir, 'jwt-key.json');
  const identity = await LocalIdentity.load(file, ISSUER);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { private: JWK };
  const key = await importJWK(stored.private, 'ES256');
  const sign = (claims: Record<string, unknown>, edit: (jwt: SignJWT) => SignJWT = (j) => j) =>
    edit(
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: stored.private.kid ?? 'local' })
        .setIssuer(ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject('cust-1'),
    ).sign(key);
  return { identity, sign };
};

describe('the local authorizer checks what API Gateway checks', () => {
  it('accepts a token it minted', async () => {
    const { identity } = await setup();
    expect((await identity.verify(await identity.mint({ sub: 'cust-1' })))?.sub).toBe('cust-1');
  });

  it('refuses a token without exp: it would never expire', async () => {
    const { identity, sign } = await setup();
    expect(await identity.verify(await sign({}, (j) => j.setIssuedAt()))).toBeUndefined();
  });

  it('refuses a token that expired, or whose iat or nbf is ahead of now beyond a small skew', async () => {
    const { identity, sign } = await setup();
    const now = Math.floor(Date.now() / 1000);
    expect(await identity.verify(await sign({}, (j) => j.setIssuedAt(now - 7200).setExpirationTime(now - 60)))).toBeUndefined();
    expect(await identity.verify(await sign({}, (j) => j.setIssuedAt(now + 3600).setExpirationTime(now + 7200)))).toBeUndefined();
    expect(
      await identity.verify(
        await sign({}, (j) =>
          j
            .setIssuedAt(now)
            .setNotBefore(now + 3600)
            .setExpirationTime(now + 7200),
        ),
      ),
    ).toBeUndefined();
  });

  it('tolerates clocks a few seconds apart', async () => {
    const { identity, sign } = await setup();
    const now = Math.floor(Date.now() / 1000);
    expect(
      (
        await identity.verify(
          await sign({}, (j) =>
            j
              .setIssuedAt(now + 10)
              .setNotBefore(now + 10)
              .setExpirationTime(now + 600),
          ),
        )
      )?.sub,
    ).toBe('cust-1');
  });

  it('refuses another audience or issuer', async () => {
    const { identity, sign } = await setup();
    const now = Math.floor(Date.now() / 1000);
    expect(await identity.verify(await sign({}, (j) => j.setAudience('other').setExpirationTime(now + 600)))).toBeUndefined();
    expect(await identity.verify(await sign({}, (j) => j.setIssuer('https://evil.example/').setExpirationTime(now + 600)))).toBeUndefined();
  });
});
