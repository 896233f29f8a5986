import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;

const paid = (invoiceId: string, customerId: string, lines: { productId: string; quantity?: number }[]) => ({
  invoiceId,
  customerId,
  customerEmail: `${customerId}@example.com`,
  occurredAt: new Date().toISOString(),
  lines,
});

const emailText = (raw: string) => Buffer.from(raw.split('\r\n\r\n')[2]?.split('\r\n--')[0]?.replace(/\r\n/g, '') ?? '', 'base64').toString();

const keysOf = async (customerId: string) =>
  ((await system.request('GET', '/licenses/customer', { as: customerId })).json as { items: { key: string; productId: string; status: string }[] }).items;

beforeAll(async () => {
  system = await startTestRuntime();
  const fileId = system.runtime.demo.fileId;
  for (const [productId, licenseKeys, fileIds] of [
    ['app-pool', { mode: 'pool', activationLimit: 2 }, [fileId]],
    ['app-gen', { mode: 'generated', activationLimit: 3 }, []],
  ] as const) {
    const put = await system.request('PUT', `/admin/products/${productId}`, { admin: true, body: { name: `Product ${productId}`, fileIds, licenseKeys } });
    expect(put.status).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

describe('license keys through the local runtime', () => {
  it('imports a pool once, refuses duplicates, and assigns one key per unit bought, in the event, the email and GET /licenses/customer', async () => {
    // Prepare
    const keys = ['POOL-AAAA-0001', 'POOL-AAAA-0002', 'POOL-AAAA-0003'];

    // Act
    const imported = await system.request('POST', '/admin/products/app-pool/license-keys', { admin: true, body: { keys } });
    const again = await system.request('POST', '/admin/products/app-pool/license-keys', { admin: true, body: { keys } });
    const repeated = await system.request('POST', '/admin/products/app-pool/license-keys', { admin: true, body: { keys: ['POOL-B-1', 'POOL-B-1'] } });
    const event = paid('inv-lic-1', 'cust-lic-1', [{ productId: 'app-pool', quantity: 2 }]);
    await Promise.all([system.sendPayment('PaymentSucceeded', event, { wait: false }), system.sendPayment('PaymentSucceeded', event, { wait: false })]);
    await system.settled();
    await system.sendPayment('PaymentSucceeded', event);
    await system.sendPayment('PaymentSucceeded', event);
    await system.sendPayment('PaymentSucceeded', event);

    // Assess
    expect(imported.json).toMatchObject({ imported: 3, alreadyImported: 0, available: 3, assigned: 0 });
    expect(again.json).toMatchObject({ imported: 0, alreadyImported: 3, available: 3 });
    expect(repeated.status).toBe(409);
    expect(repeated.json.error.code).toBe('DUPLICATE_LICENSE_KEYS');
    const mine = await keysOf('cust-lic-1');
    expect(mine.map((k) => k.key).sort()).toEqual(['POOL-AAAA-0001', 'POOL-AAAA-0002']);
    expect(mine[0]).toMatchObject({ productId: 'app-pool', status: 'active', activationLimit: 2, activations: 0 });
    const delivered = system.runtime.bus
      .history({ detailType: 'DigitalProductDelivered' })
      .filter((e) => (e.detail as { invoiceId: string }).invoiceId === 'inv-lic-1');
    expect(delivered).toHaveLength(1);
    const announced = (delivered[0]?.detail as { licenses?: { key: string; productId: string }[] } | undefined)?.licenses ?? [];
    expect(announced.map((l) => `${l.productId} ${l.key}`)).toEqual(['app-pool POOL-AAAA-0001', 'app-pool POOL-AAAA-0002']);
    const emails = system.runtime.ses.list().filter((m) => m.file.includes('inv-lic-1'));
    expect(emails).toHaveLength(1);
    for (const { key } of mine) expect(emailText(emails[0]?.raw ?? '')).toContain(key);
    const pool = await system.request('GET', '/admin/products/app-pool/license-keys?status=available', { admin: true });
    expect(pool.json.counts).toEqual({ available: 1, assigned: 2 });
    expect(pool.json.items.map((k: { key: string }) => k.key)).toEqual(['POOL-AAAA-0003']);
  });

  it('refuses only the line whose pool runs dry (LICENSE_POOL_EMPTY) and delivers the rest', async () => {
    // Act
    await system.sendPayment(
      'PaymentSucceeded',
      paid('inv-lic-2', 'cust-lic-2', [
        { productId: 'app-pool', quantity: 2 },
        { productId: 'app-gen', quantity: 1 },
      ]),
    );

    // Assess
    const rejected = system.runtime.bus
      .history({ detailType: 'DeliveryRejected' })
      .filter((e) => (e.detail as { invoiceId: string }).invoiceId === 'inv-lic-2');
    expect(rejected.map((e) => e.detail)).toEqual([{ invoiceId: 'inv-lic-2', reason: 'LICENSE_POOL_EMPTY', productIds: ['app-pool'] }]);
    const mine = await keysOf('cust-lic-2');
    expect(mine.map((k) => k.productId).sort()).toEqual(['app-gen', 'app-pool']);
    expect(mine.find((k) => k.productId === 'app-gen')?.key).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
  });

  it('activates at most the limit under 50 concurrent activations, and validate’s certificate verifies with the published keys', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', paid('inv-lic-3', 'cust-lic-3', [{ productId: 'app-gen' }]));
    const key = (await keysOf('cust-lic-3'))[0]?.key as string;

    // Act
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => system.request('POST', '/licenses/activate', { body: { key, instanceId: `machine-${i}` } })),
    );
    const same = await system.request('POST', '/licenses/activate', { body: { key, instanceId: 'machine-0' } });
    const seated = answers.findIndex((a) => a.status === 200);
    const validated = await system.request('POST', '/licenses/validate', { body: { key, instanceId: `machine-${seated}` } });
    const jwks = await system.request('GET', '/.well-known/license-keys.json');
    const { payload } = await jwtVerify(validated.json.certificate, createLocalJWKSet(jwks.json), { algorithms: ['EdDSA'] });

    // Assess
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 409).map((a) => a.json.error.code)).toEqual(Array(47).fill('ACTIVATION_LIMIT_REACHED'));
    expect([200, 409]).toContain(same.status);
    expect(validated.json).toMatchObject({ valid: true, status: 'active', productId: 'app-gen', activationsLeft: 0 });
    expect(payload).toMatchObject({ key, productId: 'app-gen', instanceId: `machine-${seated}`, status: 'active' });
    expect((await keysOf('cust-lic-3'))[0]).toMatchObject({ activations: 3, activationsLeft: 0 });
  });

  it('frees a seat on deactivate, and the same instance activating twice is one seat', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', paid('inv-lic-4', 'cust-lic-4', [{ productId: 'app-gen' }]));
    const key = (await keysOf('cust-lic-4'))[0]?.key as string;

    // Act
    const first = await system.request('POST', '/licenses/activate', { body: { key, instanceId: 'pc-1' } });
    const twice = await system.request('POST', '/licenses/activate', { body: { key, instanceId: 'pc-1' } });
    const freed = await system.request('POST', '/licenses/deactivate', { body: { key, instanceId: 'pc-1' } });

    // Assess
    expect(first.json.activationsLeft).toBe(2);
    expect(twice.json).toEqual(first.json);
    expect(freed.json).toEqual({ activationsLeft: 3 });
  });

  it('refuses activation after a refund, and validate answers revoked', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', paid('inv-lic-5', 'cust-lic-5', [{ productId: 'app-gen' }]));
    const key = (await keysOf('cust-lic-5'))[0]?.key as string;
    expect((await system.request('POST', '/licenses/activate', { body: { key, instanceId: 'pc-1' } })).status).toBe(200);

    // Act
    await system.sendPayment('PaymentRefunded', { invoiceId: 'inv-lic-5', occurredAt: new Date().toISOString() });
    const activate = await system.request('POST', '/licenses/activate', { body: { key, instanceId: 'pc-2' } });
    const validate = await system.request('POST', '/licenses/validate', { body: { key, instanceId: 'pc-1' } });

    // Assess
    expect(activate.status).toBe(403);
    expect(activate.json.error.code).toBe('LICENSE_REVOKED');
    expect(validate.json).toMatchObject({ valid: false, status: 'revoked' });
    expect((await keysOf('cust-lic-5'))[0]?.status).toBe('revoked');
  });

  it('answers hostile input with 4xx and a wrong key with the same 404 as an unsold one', async () => {
    // Prepare
    await system.request('POST', '/admin/products/app-pool/license-keys', { admin: true, body: { keys: ['POOL-UNSOLD-9'] } });

    // Act
    const answers = await Promise.all([
      system.request('POST', '/licenses/activate', { body: { key: 'NOPE-NOPE-NOPE', instanceId: 'pc' } }),
      system.request('POST', '/licenses/activate', { body: { key: 'POOL-UNSOLD-9', instanceId: 'pc' } }),
      system.request('POST', '/licenses/activate', { body: { key: 'Ä'.repeat(100), instanceId: 'pc' } }),
      system.request('POST', '/licenses/activate', { body: { key: 'K'.repeat(5000), instanceId: 'pc' } }),
      system.request('POST', '/licenses/activate', { body: { key: 42, instanceId: ['pc'] } }),
      system.request('POST', '/licenses/validate', { rawBody: '{not json', headers: { 'content-type': 'application/json' } }),
      system.request('POST', '/licenses/deactivate', { body: { key: 'NOPE-NOPE-NOPE', instanceId: 'x'.repeat(200) } }),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 400, 400, 400, 400]);
    expect(answers[0]?.json).toEqual(answers[1]?.json);
    expect(answers[0]?.json.error.code).toBe('LICENSE_NOT_FOUND');
  });

  it('lets an operator find, reset and revoke a key, with their sub in the key’s log', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', paid('inv-lic-6', 'cust-lic-6', [{ productId: 'app-gen' }]));
    const key = (await keysOf('cust-lic-6'))[0]?.key as string;
    await system.request('POST', '/licenses/activate', { body: { key, instanceId: 'pc-1' } });

    // Act
    const found = await system.request('GET', `/admin/licenses/${key}`, { admin: true });
    const byCustomer = await system.request('GET', '/admin/customers/cust-lic-6/licenses', { admin: true });
    const reset = await system.request('POST', `/admin/licenses/${key}/reset-activations`, { admin: true });
    const revoked = await system.request('POST', `/admin/licenses/${key}/revoke`, { admin: true });
    await system.settled();
    const log = await system.request('GET', `/admin/licenses/${key}/events`, { admin: true });

    // Assess
    expect(found.json).toMatchObject({ key, customerId: 'cust-lic-6', instances: [{ instanceId: 'pc-1' }] });
    expect(byCustomer.json.items.map((k: { key: string }) => k.key)).toEqual([key]);
    expect(reset.json).toMatchObject({ activations: 0 });
    expect(revoked.json).toMatchObject({ status: 'revoked' });
    expect(log.json.items.map((e: { kind: string; actor: string | null }) => [e.kind, e.actor])).toEqual([
      ['revoked', 'operator-1'],
      ['reset', 'operator-1'],
      ['activated', null],
      ['assigned', null],
    ]);
  });

  it('keeps certificates issued before a key rotation verifiable, and signs new ones with the new key', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', paid('inv-lic-7', 'cust-lic-7', [{ productId: 'app-gen' }]));
    const key = (await keysOf('cust-lic-7'))[0]?.key as string;
    const before = (await system.request('POST', '/licenses/validate', { body: { key } })).json.certificate as string;

    // Act
    const rotated = await system.request('POST', '/_local/rotate-license-key');
    const after = (await system.request('POST', '/licenses/validate', { body: { key } })).json.certificate as string;
    const jwks = createLocalJWKSet((await system.request('GET', '/.well-known/license-keys.json')).json);

    // Assess
    expect(rotated.json.currentKid).toBe('k2');
    expect(decodeProtectedHeader(before).kid).toBe('k1');
    expect(decodeProtectedHeader(after).kid).toBe('k2');
    await expect(jwtVerify(before, jwks)).resolves.toBeTruthy();
    await expect(jwtVerify(after, jwks)).resolves.toBeTruthy();
  });

  it('the sample client activates two instances of a key limited to two, refuses the third, and validates offline from its cache', async () => {
    // Prepare
    await system.sendPayment('PaymentSucceeded', paid('inv-lic-8', 'cust-lic-8', [{ productId: 'app-pool', quantity: 1 }]));
    await system.request('POST', '/admin/products/app-pool/license-keys', { admin: true, body: { keys: ['POOL-CLIENT-1'] } });
    await system.sendPayment('PaymentSucceeded', paid('inv-lic-9', 'cust-lic-9', [{ productId: 'app-pool', quantity: 1 }]));
    const key = (await keysOf('cust-lic-9'))[0]?.key as string;
    const dir = mkdtempSync(join(system.dataDir, 'license-client-'));
    const client = (instance: string, api = system.url) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/license-client.ts', key], {
        env: { ...process.env, LICENSE_API: api, INSTANCE_ID: instance, LICENSE_CACHE: join(dir, `${instance}.json`) },
      }).then(
        (out) => ({ code: 0, out: out.stdout }),
        (error: { code: number; stderr: string }) => ({ code: error.code, out: error.stderr }),
      );

    // Act
    const first = await client('laptop');
    const second = await client('desktop');
    const third = await client('tablet');
    const offline = await client('laptop', 'http://127.0.0.1:9');

    // Assess
    expect(key).toBe('POOL-CLIENT-1');
    expect(first).toMatchObject({ code: 0, out: expect.stringContaining('licensed (laptop)') });
    expect(second).toMatchObject({ code: 0, out: expect.stringContaining('licensed (desktop)') });
    expect(third.code).not.toBe(0);
    expect(third.out).toContain('not licensed: 409 ACTIVATION_LIMIT_REACHED');
    expect(third.out).not.toContain('    at '); // a message for the user, not a stack trace
    expect(offline).toMatchObject({ code: 0, out: expect.stringContaining('licensed (laptop)') });
  }, 60_000);
});
