import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { rotateKeySet } from '../../adapters/aws/signing-keys';
import {
  activationIdOf,
  activationsLeftOf,
  customerLicenseView,
  GENERATED_KEY_PATTERN,
  isLicenseKeyShape,
  type License,
  licenseLogEntryOf,
  licenseSlotId,
  newLicenseKey,
  operatorLicenseView,
} from '../../core/license';
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

const license = (over: Partial<License> = {}): License => ({
  key: 'AAAAA-BBBBB',
  productId: 'app',
  productName: 'App',
  source: 'pool',
  status: 'active',
  statusAt: '2026-06-01T00:00:00.000Z',
  invoiceId: 'inv-1',
  customerId: 'cust-1',
  activationLimit: 3,
  activations: {},
  importedAt: '2026-05-01T00:00:00.000Z',
  assignedAt: '2026-06-01T00:00:00.000Z',
  lastValidatedAt: null,
  ...over,
});

describe('license key views and log', () => {
  it('accepts as generated only six groups of five Crockford characters', () => {
    // Assess
    expect(GENERATED_KEY_PATTERN.test('ABCD-1234')).toBe(false);
    expect(GENERATED_KEY_PATTERN.test('7K3QD-9XW2M-7K3QD-9XW2M-7K3QD-9XW2M')).toBe(true);
    expect(GENERATED_KEY_PATTERN.test('7K3QD-9XW2M-7K3QD-9XW2M-7K3QD-9XW2I')).toBe(false);
  });

  it('names a slot with a fixed-length url-safe id, fit for a table key', () => {
    // Assess
    expect(licenseSlotId('inv-1', 'app', 0)).toMatch(/^slot#[A-Za-z0-9_-]{43}$/);
  });

  it('shows the buyer an unlimited key as having no limit and no count of seats left, and a pool key sold as active', () => {
    // Prepare
    const unlimited = license({ activationLimit: 0, status: 'available', activations: { i1: { activationId: 'a1', at: '2026-06-02T00:00:00.000Z' } } });

    // Act
    const view = customerLicenseView(unlimited);

    // Assess
    expect(activationsLeftOf(unlimited)).toBeNull();
    expect(view).toEqual({
      key: 'AAAAA-BBBBB',
      productId: 'app',
      productName: 'App',
      invoiceId: 'inv-1',
      status: 'active',
      activationLimit: null,
      activations: 1,
      activationsLeft: null,
      assignedUtc: '2026-06-01T00:00:00.000Z',
    });
  });

  it('shows the buyer a limited key with its limit, its status as it is, and the seats left, never fewer than none', () => {
    // Prepare
    const activations = { i1: { activationId: 'a1', at: '2026-06-02T00:00:00.000Z' }, i2: { activationId: 'a2', at: '2026-06-03T00:00:00.000Z' } };

    // Act
    const suspended = customerLicenseView(license({ status: 'suspended', activationLimit: 3, activations }));
    const over = customerLicenseView(license({ activationLimit: 1, activations }));

    // Assess
    expect(suspended).toMatchObject({ status: 'suspended', activationLimit: 3, activations: 2, activationsLeft: 1 });
    expect(over).toMatchObject({ status: 'active', activationLimit: 1, activations: 2, activationsLeft: 0 });
  });

  it('shows the operator the real status and every instance, oldest activation first, ties by instance id', () => {
    // Prepare
    const activations = {
      late: { activationId: 'a3', at: '2026-06-03T00:00:00.000Z' },
      early: { activationId: 'a1', at: '2026-06-01T00:00:00.000Z' },
      middle: { activationId: 'a2', at: '2026-06-02T00:00:00.000Z' },
      'same-b': { activationId: 'a5', at: '2026-06-04T00:00:00.000Z' },
      'same-a': { activationId: 'a4', at: '2026-06-04T00:00:00.000Z' },
    };

    // Act
    const view = operatorLicenseView(license({ status: 'available', activations, activationLimit: 0 }));

    // Assess
    expect(view.status).toBe('available');
    expect(view.instances).toEqual([
      { instanceId: 'early', activationId: 'a1', activatedUtc: '2026-06-01T00:00:00.000Z' },
      { instanceId: 'middle', activationId: 'a2', activatedUtc: '2026-06-02T00:00:00.000Z' },
      { instanceId: 'late', activationId: 'a3', activatedUtc: '2026-06-03T00:00:00.000Z' },
      { instanceId: 'same-a', activationId: 'a4', activatedUtc: '2026-06-04T00:00:00.000Z' },
      { instanceId: 'same-b', activationId: 'a5', activatedUtc: '2026-06-04T00:00:00.000Z' },
    ]);
  });

  it('writes a log line keyed by the zero-padded revision, with absent details as null and the status only when known', () => {
    // Act
    const full = licenseLogEntryOf('K', 42, {
      kind: 'validated',
      at: '2026-06-01T00:00:00.000Z',
      instanceId: 'i1',
      actor: 'op',
      ip: '192.0.2.1',
      userAgent: 'app/1.0',
      status: 'active',
    });
    const bare = licenseLogEntryOf('K', 7, { kind: 'imported', at: '2026-06-01T00:00:00.000Z' });

    // Assess
    expect(full).toEqual({
      key: 'K',
      entryKey: '000000000042',
      kind: 'validated',
      at: '2026-06-01T00:00:00.000Z',
      instanceId: 'i1',
      actor: 'op',
      ip: '192.0.2.1',
      userAgent: 'app/1.0',
      status: 'active',
    });
    expect(bare).toEqual({
      key: 'K',
      entryKey: '000000000007',
      kind: 'imported',
      at: '2026-06-01T00:00:00.000Z',
      instanceId: null,
      actor: null,
      ip: null,
      userAgent: null,
    });
    expect(bare).not.toHaveProperty('status');
  });
});

describe('license certificates', () => {
  it('derive the same public key from the same secret in every process, so certificates issued before a deploy still verify', async () => {
    // Act
    const { keys } = await certifier().jwks();

    // Assess
    expect(keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: '2vFPkGqXipzaSe7S8ErMMLjF6hMLyM0NbXtIE1Xp7FY', kid: 'k1', alg: 'EdDSA', use: 'sig' }]);
  });

  it('tell when they expire, the configured time after issue', async () => {
    // Act
    const { expiresAt } = await certifier().certify(CLAIMS);

    // Assess
    expect(expiresAt).toBe('2026-06-01T13:00:00.000Z');
  });

  it('are refused, not signed, when the key set names a current key it does not hold', async () => {
    // Prepare
    const c = certifier(new FakeKeySource({ currentKid: 'k2', keys: { k1: SECRET } }));

    // Act + Assess
    await expect(c.certify(CLAIMS)).rejects.toThrow('the current license-certificate key is missing from the key set');
    await expect(c.jwks()).rejects.toThrow('the current license-certificate key is missing from the key set');
  });

  it('are signed with a rotated key once five minutes have passed, without a refresh, and not before', async () => {
    // Prepare
    const source = new FakeKeySource({ currentKid: 'k1', keys: { k1: SECRET } });
    const start = Date.parse('2026-06-01T12:00:00Z');
    let now = start;
    const c = certifier(source, () => now);
    await c.certify(CLAIMS);
    source.keySet = rotateKeySet(source.keySet, { newSecret: 'another-license-secret-of-32-characters!!' });

    // Act
    now = start + 1;
    const soon = (await c.certify(CLAIMS)).certificate;
    now = start + 5 * 60_000;
    const atFiveMinutes = (await c.certify(CLAIMS)).certificate;
    now = start + 5 * 60_000 + 1;
    const after = (await c.certify(CLAIMS)).certificate;

    // Assess
    expect(decodeProtectedHeader(soon).kid).toBe('k1');
    expect(decodeProtectedHeader(atFiveMinutes).kid).toBe('k1');
    expect(decodeProtectedHeader(after).kid).toBe('k2');
  });

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
