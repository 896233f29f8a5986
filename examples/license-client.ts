// A license check a seller's app can copy: activate on first run, then validate offline from the cached certificate
// (checked against the cached public keys), and online again once it expires. Run: npx tsx examples/license-client.ts <key>
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';

const API = (process.env.LICENSE_API ?? process.env.API ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const KEY = process.argv[2] ?? process.env.LICENSE_KEY ?? '';
const INSTANCE = process.env.INSTANCE_ID ?? hostname();
const CACHE = process.env.LICENSE_CACHE ?? `.license-${INSTANCE}.json`;
type Cache = { certificate: string; jwks: JSONWebKeySet };

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.ok) return json;
  console.error(`not licensed: ${res.status} ${json.error?.code}: ${json.error?.message}`); // e.g. 409 ACTIVATION_LIMIT_REACHED
  process.exit(1);
};
const verify = async ({ certificate, jwks }: Cache) => {
  const { payload } = await jwtVerify(certificate, createLocalJWKSet(jwks), { algorithms: ['EdDSA'], typ: 'license+jwt' });
  if (payload.key !== KEY || payload.instanceId !== INSTANCE) throw new Error('the certificate is for another key or instance');
  return payload as { valid: boolean; status: string; exp: number };
};

let cached: Cache | undefined = existsSync(CACHE) ? JSON.parse(readFileSync(CACHE, 'utf8')) : undefined;
let claims = cached && (await verify(cached).catch(() => undefined)); // offline: no request while the certificate lasts
if (!claims) {
  if (!cached) await call('POST', '/licenses/activate', { key: KEY, instanceId: INSTANCE }); // first run: take a seat (409 when none is free)
  const { certificate } = await call('POST', '/licenses/validate', { key: KEY, instanceId: INSTANCE });
  cached = { certificate, jwks: await call('GET', '/.well-known/license-keys.json') };
  writeFileSync(CACHE, JSON.stringify(cached));
  claims = await verify(cached);
}
console.log(claims.valid ? `licensed (${INSTANCE}) until ${new Date(claims.exp * 1000).toISOString()}` : `not licensed: ${claims.status}`);
process.exitCode = claims.valid ? 0 : 1;
