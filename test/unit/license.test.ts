import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { rotateKeySet } from '../../adapters/aws/signing-keys';
import { activationIdOf, GENERATED_KEY_PATTERN, isLicenseKeyShape, licenseSlotId, newLicenseKey } from '../../core/license';
import { LicenseCertifier } from '../../core/license-certificate';
import { applyProductSettings } from '../../core/product';
import { FakeKeySource } from '../support/fakes';

const SECRET = 'a-license-certificate-secret-of-32-characters';
const CLAIMS = { key: 'AAAAA-BBBBB', productId: 'app', instanceId: 'laptop-1', status: 'active' as const, valid: true };

const certifier = (source = new FakeKeySource({ currentKid: 'k1', keys: { k1: SECRET } }), clock = () => Date.parse('2026-06-01T12:00:00Z')) =>
  new LicenseCertifier(source, { ttlSeconds: 3600, issuer: 'https://shop.example.com' }, clock);

describe('license keys', () => {
  it('generates keys of six groups of five Crockford base32 characters, 150 random bits, never the same twice', () => {
    // Act
    const keys = Array.from({ length: 2000 }, () => newLicenseKey());

    // Assess
    for (const key of keys) expect(key).toMatch(GENERATED_KEY_PATTERN);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.join('')).not.toMatch(/[ILOU]/);
    expect(newLicenseKey(Buffer.alloc(19, 0))).toBe('00000-00000-00000-00000-00000-00000');
    expect(newLicenseKey(Buffer.alloc(19, 0xff))).toBe('ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ');
  });

  it('takes pool keys of 4 to 128 safe characters and refuses overlong, unicode or spaced strings', () => {
    // Assess
    expect(isLicenseKeyShape('ABCD-1234')).toBe(true);
    expect(isLicenseKeyShape(newLicenseKey())).toBe(true);
    expect(isLicenseKeyShape('A'.repeat(128))).toBe(true);
    expect(isLicenseKeyShape('A'.repeat(129))).toBe(false);
    expect(isLicenseKeyShape('ABC')).toBe(false);
    expect(isLicenseKeyShape('ÄBCD-1234')).toBe(false);
    expect(isLicenseKeyShape('ABCD 1234')).toBe(false);
    expect(isLicenseKeyShape('slot#abcd')).toBe(false);
    expect(isLicenseKeyShape('../admin')).toBe(false);
  });

  it('derives the same slot for the same unit and a different one for any other unit, product or invoice', () => {
    // Assess
    expect(licenseSlotId('inv-1', 'app', 0)).toBe(licenseSlotId('inv-1', 'app', 0));
    const others = [licenseSlotId('inv-1', 'app', 1), licenseSlotId('inv-1', 'app2', 0), licenseSlotId('inv-2', 'app', 0)];
    expect(new Set([licenseSlotId('inv-1', 'app', 0), ...others]).size).toBe(4);
    expect(activationIdOf('K', 'i1')).toBe(activationIdOf('K', 'i1'));
    expect(activationIdOf('K', 'i1')).not.toBe(activationIdOf('K', 'i2'));
  });

  it('validates the product setting: generated or pool, a whole activation limit of 0 or more', () => {
    // Prepare
    const meta = { now: '2026-06-01T00:00:00.000Z', by: 'op' };

    // Act
    const product = applyProductSettings('app', { licenseKeys: { mode: 'pool', activationLimit: 2 } }, undefined, meta);
    const kept = applyProductSettings('app', { name: 'App' }, product, meta);
    const removed = applyProductSettings('app', { licenseKeys: null }, kept, meta);

    // Assess
    expect(kept.licenseKeys).toEqual({ mode: 'pool', activationLimit: 2 });
    expect(removed.licenseKeys).toBeNull();
  });
});

describe('license certificates', () => {
  it('are compact EdDSA JWS that verify offline against the published key set and carry the key state', async () => {
    // Prepare
    const c = certifier();

    // Act
    const { certificate } = await c.certify(CLAIMS);
    const { payload, protectedHeader } = await jwtVerify(certificate, createLocalJWKSet(await c.jwks()), {
      algorithms: ['EdDSA'],
      currentDate: new Date('2026-06-01T12:30:00Z'),
    });

    // Assess
    expect(certificate.split('.')).toHaveLength(3);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: 'k1', typ: 'license+jwt' });
    expect(payload).toMatchObject({ ...CLAIMS, exp: Date.parse('2026-06-01T13:00:00Z') / 1000 });
  });

  it('stop verifying after they expire, and a tampered certificate never verifies', async () => {
    // Prepare
    const c = certifier();
    const { certificate } = await c.certify(CLAIMS);
    const jwks = createLocalJWKSet(await c.jwks());
    const [h, p, sig] = certificate.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...CLAIMS, status: 'active', exp: 9_999_999_999 })).toString('base64url')}.${sig}`;

    // Act + Assess
    await expect(jwtVerify(certificate, jwks, { currentDate: new Date('2026-06-01T13:00:01Z') })).rejects.toThrow(/exp/);
    await expect(jwtVerify(forged, jwks, { currentDate: new Date('2026-06-01T12:30:00Z') })).rejects.toThrow();
    expect(p).not.toBe(forged.split('.')[1]);
  });

  it('keep verifying after a rotation until the old key retires; new ones are signed with the new key', async () => {
    // Prepare
    const source = new FakeKeySource({ currentKid: 'k1', keys: { k1: SECRET } });
    let now = Date.parse('2026-06-01T12:00:00Z');
    const c = certifier(source, () => now);
    const before = (await c.certify(CLAIMS)).certificate;
    source.keySet = rotateKeySet(source.keySet, { newSecret: 'another-license-secret-of-32-characters!!', retirePreviousAt: '2026-06-01T14:00:00Z' });
    await c.refresh();

    // Act
    const after = (await c.certify(CLAIMS)).certificate;
    const published = await c.jwks();
    now = Date.parse('2026-06-01T14:00:00Z');
    const later = await c.jwks();

    // Assess
    expect(decodeProtectedHeader(after).kid).toBe('k2');
    expect(published.keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
    await expect(jwtVerify(before, createLocalJWKSet(published), { currentDate: new Date('2026-06-01T12:10:00Z') })).resolves.toBeTruthy();
    expect(later.keys.map((k) => k.kid)).toEqual(['k2']);
  });
});
