import { decodeJwt } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { LinkSigner } from '../../core/link-signer';
import { LicenseCertifier } from '../../core/license-certificate';
import { applyProductSettings } from '../../core/product';
import { RateLimiter } from '../../core/rate-limiter';
import { activateLicense, deactivateLicense, validateLicense } from '../../core/use-cases/activate-license';
import { eventsForInvoiceChange } from '../../core/use-cases/announce-invoice';
import { importLicenseKeys, listCustomerLicenses, listLicensePool, revokeLicense } from '../../core/use-cases/manage-license-keys';
import { recordPaymentEvent } from '../../core/use-cases/record-payment-event';
import { sendDeliveryEmail } from '../../core/use-cases/send-delivery-email';
import type { Invoice } from '../../core/invoice';
import { type LicenseKeySettings, licenseSlotId, MAX_KEYS_PER_LINE } from '../../core/license';
import { allSlotIdsOf, applyInvoiceStateToLicenses, assignLicenses, unitsOf } from '../../core/use-cases/assign-licenses';
import {
  FakeCatalogStore,
  FakeDispatchLedger,
  FakeInvoiceStore,
  FakeKeySource,
  FakeLicenseStore,
  FakeLinkStore,
  FakeMailer,
  FakePublisher,
  fakeTime,
} from '../support/fakes';

const NOW = '2026-06-01T12:00:00.000Z';
const LATER = '2026-06-01T13:00:00.000Z';
const OP = { sub: 'operator-7', now: NOW };
const CALL = { now: NOW, requester: { ip: '192.0.2.1', userAgent: 'app/1.0' } };

const system = () => {
  const catalog = new FakeCatalogStore();
  const invoices = new FakeInvoiceStore();
  const links = new FakeLinkStore();
  const licenses = new FakeLicenseStore();
  const deps = { invoices, links, catalog, licenses };
  const product = (productId: string, licenseKeys: LicenseKeySettings) =>
    catalog.put(applyProductSettings(productId, { name: `Product ${productId}`, licenseKeys }, undefined, { now: NOW, by: 'op' }));
  const pay = (invoiceId: string, lines: { productId: string; quantity?: number }[], occurredAt = NOW) =>
    recordPaymentEvent(
      deps,
      { type: 'PaymentSucceeded', detail: { invoiceId, occurredAt, lines, customerId: 'cust-1', customerEmail: 'ada@example.com' } },
      NOW,
    );
  const api = {
    licenses,
    certifier: new LicenseCertifier(new FakeKeySource({ currentKid: 'k1', keys: { k1: 'a-license-certificate-secret-of-32-characters' } }), {
      ttlSeconds: 600,
      issuer: 'https://shop.example.com',
    }),
    keyLimiter: new RateLimiter(0, 1),
    clientLimiter: new RateLimiter(0, 1),
  };
  return { catalog, invoices, links, licenses, deps, product, pay, api };
};

const keysOf = async (s: ReturnType<typeof system>, invoiceId: string) => (await s.invoices.get(invoiceId))?.licenses ?? [];

describe('assigning license keys', () => {
  it('gives each unit bought one generated key, and a replay of the payment gives nothing new', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'generated', activationLimit: 3 });

    // Act
    await s.pay('inv-1', [{ productId: 'app', quantity: 2 }]);
    const first = await keysOf(s, 'inv-1');
    await s.pay('inv-1', [{ productId: 'app', quantity: 2 }]);
    await s.pay('inv-1', [{ productId: 'app', quantity: 2 }]);

    // Assess
    expect(first).toHaveLength(2);
    expect(new Set(first.map((l) => l.key)).size).toBe(2);
    expect(await keysOf(s, 'inv-1')).toEqual(first);
    expect(s.licenses.items.size).toBe(2);
    const mine = await listCustomerLicenses(s.deps, 'cust-1', { limit: 10 });
    expect(mine.items.map((l) => [l.productId, l.status, l.activationLimit, l.activations])).toEqual([
      ['app', 'active', 3, 0],
      ['app', 'active', 3, 0],
    ]);
  });

  it('gives two concurrent deliveries of the same invoice the same keys', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'generated', activationLimit: 1 });

    // Act
    await Promise.all([s.pay('inv-1', [{ productId: 'app', quantity: 3 }]), s.pay('inv-1', [{ productId: 'app', quantity: 3 }])]);

    // Assess
    expect(s.licenses.items.size).toBe(3);
    expect(s.licenses.slots.size).toBe(3);
  });

  it('takes pool keys in import order, never one twice, and refuses the line whose pool runs dry while delivering the rest', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'pool', activationLimit: 2 });
    s.product('tool', { mode: 'generated', activationLimit: 0 });
    await importLicenseKeys(s.deps, 'app', ['POOL-0001', 'POOL-0002', 'POOL-0003'], OP);

    // Act
    await s.pay('inv-1', [{ productId: 'app', quantity: 2 }]);
    await s.pay('inv-2', [
      { productId: 'app', quantity: 2 },
      { productId: 'tool', quantity: 1 },
    ]);
    const announced = await eventsForInvoiceChange(
      { links: s.links, signer: new LinkSigner(new FakeKeySource()), events: new FakePublisher(), publicBaseUrl: 'https://shop.example.com' },
      undefined,
      await s.invoices.get('inv-2'),
    );

    // Assess
    expect((await keysOf(s, 'inv-1')).map((l) => l.key)).toEqual(['POOL-0001', 'POOL-0002']);
    expect((await keysOf(s, 'inv-2')).map((l) => l.productId)).toEqual(['app', 'tool']);
    expect((await keysOf(s, 'inv-2'))[0]?.key).toBe('POOL-0003');
    expect(announced.map((e) => [e.detailType, 'reason' in e.detail ? e.detail.reason : 'licenses' in e.detail ? e.detail.licenses.length : null])).toEqual([
      ['DeliveryRejected', 'LICENSE_POOL_EMPTY'],
      ['DigitalProductDelivered', 2],
    ]);
    expect((await listLicensePool(s.deps, 'app', 'assigned', { limit: 10 })).counts).toEqual({ available: 0, assigned: 3 });
  });

  it('imports a pool idempotently and refuses keys that repeat or exist elsewhere, importing nothing then', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'pool', activationLimit: 1 });
    s.product('other', { mode: 'pool', activationLimit: 1 });
    await importLicenseKeys(s.deps, 'other', ['OTHER-001'], OP);

    // Act
    const first = await importLicenseKeys(s.deps, 'app', ['KEY-0001', 'KEY-0002'], OP);
    const again = await importLicenseKeys(s.deps, 'app', ['KEY-0001', 'KEY-0002'], OP);
    const repeated = importLicenseKeys(s.deps, 'app', ['KEY-0003', 'KEY-0003'], OP);
    const elsewhere = importLicenseKeys(s.deps, 'app', ['KEY-0004', 'OTHER-001'], OP);
    const malformed = importLicenseKeys(s.deps, 'app', ['bad key'], OP);

    // Assess
    expect(first).toMatchObject({ imported: 2, alreadyImported: 0, available: 2, assigned: 0 });
    expect(again).toMatchObject({ imported: 0, alreadyImported: 2, available: 2 });
    await expect(repeated).rejects.toMatchObject({ code: 'DUPLICATE_LICENSE_KEYS' });
    await expect(elsewhere).rejects.toMatchObject({ code: 'DUPLICATE_LICENSE_KEYS' });
    await expect(malformed).rejects.toMatchObject({ code: 'INVALID_LICENSE_KEY' });
    expect(s.licenses.items.has('KEY-0004')).toBe(false);
  });

  it('suspends keys on hold, activates them again when the payment clears, and revokes them for good on refund', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'generated', activationLimit: 1 });
    await s.pay('inv-1', [{ productId: 'app' }]);
    const key = (await keysOf(s, 'inv-1'))[0]?.key as string;
    const status = async () => (await s.licenses.get(key))?.status;

    // Act + Assess
    await recordPaymentEvent(s.deps, { type: 'PaymentOnHold', detail: { invoiceId: 'inv-1', occurredAt: LATER } }, LATER);
    expect(await status()).toBe('suspended');
    await expect(activateLicense(s.api, { key, instanceId: 'pc' }, CALL)).rejects.toMatchObject({ code: 'LICENSE_SUSPENDED' });
    await s.pay('inv-1', [{ productId: 'app' }], '2026-06-01T14:00:00.000Z');
    expect(await status()).toBe('active');
    await recordPaymentEvent(s.deps, { type: 'PaymentRefunded', detail: { invoiceId: 'inv-1', occurredAt: LATER } }, LATER);
    expect(await status()).toBe('revoked');
    await s.pay('inv-1', [{ productId: 'app' }], '2026-06-02T00:00:00.000Z');
    expect(await status()).toBe('revoked');
    await expect(activateLicense(s.api, { key, instanceId: 'pc' }, CALL)).rejects.toMatchObject({ code: 'LICENSE_REVOKED' });
    expect((await validateLicense(s.api, { key }, CALL)).status).toBe('revoked');
  });

  it('revokes only the refunded line’s keys on a partial refund', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'generated', activationLimit: 1 });
    s.product('tool', { mode: 'generated', activationLimit: 1 });
    await s.pay('inv-1', [{ productId: 'app' }, { productId: 'tool' }]);

    // Act
    await recordPaymentEvent(s.deps, { type: 'PaymentRefunded', detail: { invoiceId: 'inv-1', occurredAt: LATER, lines: [{ productId: 'tool' }] } }, LATER);

    // Assess
    const statuses = Object.fromEntries([...s.licenses.items.values()].map((l) => [l.productId, l.status]));
    expect(statuses).toEqual({ app: 'active', tool: 'revoked' });
  });

  it('assigns nothing while the order is on hold', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'generated', activationLimit: 1 });
    await recordPaymentEvent(s.deps, { type: 'PaymentOnHold', detail: { invoiceId: 'inv-1', occurredAt: LATER } }, NOW);

    // Act
    await s.pay('inv-1', [{ productId: 'app' }]);

    // Assess
    expect(s.licenses.items.size).toBe(0);
  });

  it('shows the keys in the delivery email, under the product name', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'generated', activationLimit: 1 });
    await s.pay('inv-1', [{ productId: 'app', quantity: 2 }]);
    const mailer = new FakeMailer();
    const time = fakeTime(Date.parse(NOW));

    // Act
    const outcome = await sendDeliveryEmail(
      {
        invoices: s.invoices,
        links: s.links,
        licenses: s.licenses,
        signer: new LinkSigner(new FakeKeySource()),
        mailer,
        dispatch: {
          ledger: new FakeDispatchLedger(),
          clock: time.clock,
          sleep: time.sleep,
          timing: { leaseMs: 5000, graceMs: 1000, maxWaitMs: 10_000, pollMs: 100 },
        },
        publicBaseUrl: 'https://shop.example.com',
        accountUrl: 'https://shop.example.com/account/downloads',
        from: 'shop@example.com',
      },
      { invoiceId: 'inv-1', generation: 0 },
      new Date(NOW),
    );

    // Assess
    expect(outcome).toBe('sent');
    const text = Buffer.from(mailer.sent[0]?.raw.toString().split('base64\r\n\r\n')[1]?.split('\r\n--')[0]?.replace(/\r\n/g, '') ?? '', 'base64').toString();
    expect(text).toContain('Product app');
    for (const { key } of await keysOf(s, 'inv-1')) expect(text).toContain(`License key: ${key}`);
    expect(text.match(/License key: /g)).toHaveLength(2);
  });
});

describe('the slots and keys of an invoice', () => {
  const invoiceOf = async (input: { customerId?: string | null; productIds: string[]; quantities?: Record<string, number> }) => {
    const invoices = new FakeInvoiceStore();
    await invoices.recordPurchase({
      invoiceId: 'inv-1',
      customerId: input.customerId === undefined ? 'cust-1' : input.customerId,
      customerEmail: 'ada@example.com',
      productIds: input.productIds,
      quantities: input.quantities,
      allLinesDigital: true,
      now: NOW,
    });
    return (await invoices.get('inv-1')) as Invoice;
  };
  const licensed = (productId: string, licenseKeys: LicenseKeySettings | null) =>
    applyProductSettings(productId, { name: `Product ${productId}`, licenseKeys }, undefined, { now: NOW, by: 'op' });

  it('counts a missing quantity as one unit, none below zero, and at most the keys a line may get', () => {
    const invoice = { quantities: { three: 3, none: 0, minus: -2, lots: MAX_KEYS_PER_LINE + 50 } };
    expect(['three', 'none', 'minus', 'lots', 'unlisted'].map((p) => unitsOf(invoice, p))).toEqual([3, 0, 0, MAX_KEYS_PER_LINE, 1]);
    expect(unitsOf({}, 'app')).toBe(1);
  });

  it('names a slot for every unit of the invoice’s products, or of the products asked for', async () => {
    const invoice = await invoiceOf({ productIds: ['app', 'tool'], quantities: { app: 2 } });
    expect(allSlotIdsOf(invoice)).toEqual([licenseSlotId('inv-1', 'app', 0), licenseSlotId('inv-1', 'app', 1), licenseSlotId('inv-1', 'tool', 0)]);
    expect(allSlotIdsOf(invoice, ['tool'])).toEqual([licenseSlotId('inv-1', 'tool', 0)]);
    expect(allSlotIdsOf({ ...invoice, productIds: null })).toEqual([]);
  });

  it('sells each key with the product name, its activation limit, the invoice, the customer and the time, active when the invoice has no state yet', async () => {
    // Prepare
    const store = new FakeLicenseStore();
    const invoice = await invoiceOf({ productIds: ['app'] });

    // Act
    const { licenses } = await assignLicenses(store, invoice, [licensed('app', { mode: 'generated', activationLimit: 4 })], LATER);

    // Assess
    expect(licenses).toHaveLength(1);
    expect(await store.get(licenses[0]?.key as string)).toMatchObject({
      productId: 'app',
      productName: 'Product app',
      status: 'active',
      statusAt: '',
      invoiceId: 'inv-1',
      customerId: 'cust-1',
      activationLimit: 4,
      assignedAt: LATER,
      source: 'generated',
    });
  });

  it('sells keys of an invoice on hold suspended, at its state', async () => {
    const store = new FakeLicenseStore();
    const invoice = { ...(await invoiceOf({ productIds: ['app'] })), state: 'on_hold' as const, stateKey: `${NOW}#2` };
    const { licenses } = await assignLicenses(store, invoice, [licensed('app', { mode: 'generated', activationLimit: 1 })], NOW);
    expect(await store.get(licenses[0]?.key as string)).toMatchObject({ status: 'suspended', statusAt: `${NOW}#2` });
  });

  it('assigns nothing to an invoice without a customer, or without a licensed product', async () => {
    const store = new FakeLicenseStore();
    const app = licensed('app', { mode: 'generated', activationLimit: 1 });
    const anonymous = await assignLicenses(store, await invoiceOf({ customerId: null, productIds: ['app'] }), [app], NOW);
    const unlicensed = await assignLicenses(store, await invoiceOf({ productIds: ['book'] }), [licensed('book', null)], NOW);
    expect([anonymous, unlicensed]).toEqual([
      { licenses: [], poolEmpty: [] },
      { licenses: [], poolEmpty: [] },
    ]);
    expect(store.items.size).toBe(0);
  });

  it('lists the keys product by product, unit by unit, and the dry pools in the products’ order, asking a dry pool no further', async () => {
    // Prepare
    const s = system();
    s.product('gen', { mode: 'generated', activationLimit: 1 });
    s.product('dry', { mode: 'pool', activationLimit: 1 });
    s.product('low', { mode: 'pool', activationLimit: 1 });
    await importLicenseKeys(s.deps, 'dry', ['DRY-00001'], OP);
    await importLicenseKeys(s.deps, 'low', ['LOW-00001', 'LOW-00002'], OP);
    const products = await s.catalog.getProducts(['low', 'gen', 'dry']);
    const invoice = await invoiceOf({ productIds: ['low', 'gen', 'dry'], quantities: { low: 3, gen: 2, dry: 4 } });
    const fromPool = vi.spyOn(s.licenses, 'assignFromPool');

    // Act
    const result = await assignLicenses(s.licenses, invoice, products, NOW);

    // Assess
    expect(result.licenses.map((l) => [l.productId, l.key.startsWith('LOW') || l.key.startsWith('DRY') ? l.key : 'generated'])).toEqual([
      ['low', 'LOW-00001'],
      ['low', 'LOW-00002'],
      ['gen', 'generated'],
      ['gen', 'generated'],
      ['dry', 'DRY-00001'],
    ]);
    expect(result.poolEmpty).toEqual(['low', 'dry']);
    expect(fromPool).toHaveBeenCalledTimes(5);
  });

  it('asks the store for no key a slot already has', async () => {
    // Prepare
    const store = new FakeLicenseStore();
    const invoice = await invoiceOf({ productIds: ['app'], quantities: { app: 2 } });
    const products = [licensed('app', { mode: 'generated', activationLimit: 1 })];
    const first = await assignLicenses(store, invoice, products, NOW);
    const generate = vi.spyOn(store, 'assignGenerated');

    // Act
    const again = await assignLicenses(store, invoice, products, LATER);

    // Assess
    expect(again).toEqual(first);
    expect(generate).not.toHaveBeenCalled();
  });

  it('moves no key of an invoice without a state, a state key or products, and revokes only the refunded products’ keys', async () => {
    // Prepare
    const store = new FakeLicenseStore();
    const bought = await invoiceOf({ productIds: ['app', 'tool'] });
    const products = [licensed('app', { mode: 'generated', activationLimit: 1 }), licensed('tool', { mode: 'generated', activationLimit: 1 })];
    const paid = { ...bought, state: 'paid' as const, stateKey: `${NOW}#1` };
    await assignLicenses(store, paid, products, NOW);
    const statuses = () => [...store.items.values()].map((l) => `${l.productId}:${l.status}`).sort();
    const onHold = { ...paid, state: 'on_hold' as const, stateKey: `${LATER}#2` };

    // Act + Assess
    await applyInvoiceStateToLicenses(store, { ...onHold, state: null });
    await applyInvoiceStateToLicenses(store, { ...onHold, stateKey: null });
    await applyInvoiceStateToLicenses(store, { ...onHold, productIds: [] });
    await applyInvoiceStateToLicenses(store, { ...onHold, productIds: null });
    expect(statuses()).toEqual(['app:active', 'tool:active']);
    await applyInvoiceStateToLicenses(store, onHold);
    expect(statuses()).toEqual(['app:suspended', 'tool:suspended']);
    expect([...store.items.values()].map((l) => l.statusAt)).toEqual([`${LATER}#2`, `${LATER}#2`]);
    await applyInvoiceStateToLicenses(store, { ...paid, stateKey: `${LATER}#3`, refundedProductIds: ['tool'] });
    expect(statuses()).toEqual(['app:active', 'tool:revoked']);
  });
});

describe('activating license keys', () => {
  const sold = async (activationLimit: number) => {
    const s = system();
    s.product('app', { mode: 'generated', activationLimit });
    await s.pay('inv-1', [{ productId: 'app' }]);
    const key = (await keysOf(s, 'inv-1'))[0]?.key as string;
    return { s, key };
  };

  it('never exceeds the limit under concurrent activations, and the same instance twice is one seat', async () => {
    // Prepare
    const { s, key } = await sold(3);

    // Act
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => activateLicense(s.api, { key, instanceId: `pc-${i}` }, CALL)));
    const again = await activateLicense(s.api, { key, instanceId: 'pc-0' }, CALL);

    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(17).fill('ACTIVATION_LIMIT_REACHED'),
    );
    expect(again.activationsLeft).toBe(0);
    expect(again.activationId).toBe((results[0] as PromiseFulfilledResult<{ activationId: string }>).value.activationId);
  });

  it('frees a seat on deactivation, and validate says whether this instance holds one', async () => {
    // Prepare
    const { s, key } = await sold(1);
    await activateLicense(s.api, { key, instanceId: 'pc-1' }, CALL);

    // Act
    const other = await validateLicense(s.api, { key, instanceId: 'pc-2' }, CALL);
    const left = await deactivateLicense(s.api, { key, instanceId: 'pc-1' }, CALL);
    const second = await activateLicense(s.api, { key, instanceId: 'pc-2' }, CALL);
    const valid = await validateLicense(s.api, { key, instanceId: 'pc-2' }, CALL);

    // Assess
    expect(other).toMatchObject({ valid: false, status: 'active', activationsLeft: 0 });
    expect(left.activationsLeft).toBe(1);
    expect(second.activationsLeft).toBe(0);
    expect(valid).toMatchObject({ valid: true, status: 'active', productId: 'app' });
  });

  it('answers a wrong, malformed or unsold key the same 404 on activate, deactivate and validate, a malformed one without any lookup', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'pool', activationLimit: 1 });
    await importLicenseKeys(s.deps, 'app', ['UNSOLD-0001'], OP);

    // Act + Assess
    for (const key of ['WRONG-00000', 'UNSOLD-0001', 'x'.repeat(500), 'ünïcode-key']) {
      await expect(activateLicense(s.api, { key, instanceId: 'pc' }, CALL)).rejects.toMatchObject({ code: 'LICENSE_NOT_FOUND' });
      await expect(deactivateLicense(s.api, { key, instanceId: 'pc' }, CALL)).rejects.toMatchObject({ code: 'LICENSE_NOT_FOUND' });
      await expect(validateLicense(s.api, { key, instanceId: 'pc' }, CALL)).rejects.toMatchObject({ code: 'LICENSE_NOT_FOUND' });
    }
    // The two well-formed keys, three calls each; the malformed ones cost no lookup.
    expect(s.licenses.writes).toBe(6);
  });

  it('rate limits per client address and per key with a retry time', async () => {
    // Prepare
    const { s, key } = await sold(5);
    const api = { ...s.api, clientLimiter: new RateLimiter(60, 2, () => 0), keyLimiter: new RateLimiter(60, 100, () => 0) };

    // Act
    await validateLicense(api, { key }, CALL);
    await validateLicense(api, { key }, CALL);
    const third = validateLicense(api, { key }, CALL);
    const otherClient = validateLicense(api, { key }, { ...CALL, requester: { ip: '192.0.2.2', userAgent: null } });

    // Assess
    await expect(third).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } });
    await expect(otherClient).resolves.toMatchObject({ valid: true });
  });

  it('says why a key refuses, in words', async () => {
    // Prepare
    const { s, key } = await sold(1);
    await activateLicense(s.api, { key, instanceId: 'pc-1' }, CALL);
    const refusal = (instanceId: string) => activateLicense(s.api, { key, instanceId }, CALL).catch((e) => [e.kind, e.code, e.message]);

    // Act
    const full = await refusal('pc-2');
    await recordPaymentEvent(s.deps, { type: 'PaymentOnHold', detail: { invoiceId: 'inv-1', occurredAt: LATER } }, LATER);
    const onHold = await refusal('pc-2');
    await revokeLicense(s.deps, key, OP);
    const revoked = await refusal('pc-2');
    const unknown = await activateLicense(s.api, { key: 'WRONG-00000', instanceId: 'pc' }, CALL).catch((e) => [e.kind, e.code, e.message]);

    // Assess
    expect([full, onHold, revoked, unknown]).toEqual([
      ['conflict', 'ACTIVATION_LIMIT_REACHED', 'This license key is active on as many instances as it allows; deactivate one first.'],
      ['forbidden', 'LICENSE_SUSPENDED', 'This license key is suspended while its order is on hold.'],
      ['forbidden', 'LICENSE_REVOKED', 'This license key was revoked.'],
      ['not_found', 'LICENSE_NOT_FOUND', 'No such license key.'],
    ]);
  });

  it('records when an instance was activated, when the key was last checked, and who asked each time for the key’s log', async () => {
    // Prepare
    const { s, key } = await sold(2);
    const later = { ...CALL, now: LATER };

    // Act
    await activateLicense(s.api, { key, instanceId: 'pc-1' }, CALL);
    await validateLicense(s.api, { key, instanceId: 'pc-1' }, later);

    await deactivateLicense(s.api, { key, instanceId: 'pc-1' }, { now: LATER, requester: { ip: '192.0.2.9', userAgent: null } });

    // Assess
    expect(await s.licenses.get(key)).toMatchObject({ activations: {}, lastValidatedAt: LATER });
    expect(s.licenses.log).toEqual([
      { key, kind: 'activated', at: NOW, ip: '192.0.2.1' },
      { key, kind: 'validated', at: LATER, ip: '192.0.2.1' },
      { key, kind: 'deactivated', at: LATER, ip: '192.0.2.9' },
    ]);
  });

  it('says a key on hold is not valid, even asked without an instance, and certifies exactly what it answered', async () => {
    // Prepare
    const { s, key } = await sold(1);
    await recordPaymentEvent(s.deps, { type: 'PaymentOnHold', detail: { invoiceId: 'inv-1', occurredAt: LATER } }, LATER);

    // Act
    const onHold = await validateLicense(s.api, { key }, CALL);
    const asInstance = await validateLicense(s.api, { key, instanceId: 'pc-9' }, CALL);

    // Assess
    expect(onHold).toMatchObject({ valid: false, status: 'suspended', productId: 'app' });
    expect(decodeJwt(onHold.certificate)).toMatchObject({ key, productId: 'app', instanceId: null, status: 'suspended', valid: false });
    expect(decodeJwt(asInstance.certificate)).toMatchObject({ instanceId: 'pc-9', valid: false });
  });

  it('limits each key on its own', async () => {
    // Prepare
    const s = system();
    s.product('app', { mode: 'generated', activationLimit: 5 });
    await s.pay('inv-1', [{ productId: 'app', quantity: 2 }]);
    const [first, second] = (await keysOf(s, 'inv-1')).map((l) => l.key) as [string, string];
    const api = { ...s.api, clientLimiter: new RateLimiter(60, 100, () => 0), keyLimiter: new RateLimiter(60, 1, () => 0) };

    // Act
    const results = await Promise.allSettled([first, second, first].map((key) => validateLicense(api, { key }, CALL)));

    // Assess
    expect(results.map((r) => (r.status === 'fulfilled' ? 'valid' : r.reason.code))).toEqual(['valid', 'valid', 'RATE_LIMITED']);
  });

  it('an operator revoke ends the key for good', async () => {
    // Prepare
    const { s, key } = await sold(1);

    // Act
    const revoked = await revokeLicense(s.deps, key, OP);
    await s.pay('inv-1', [{ productId: 'app' }], '2026-06-03T00:00:00.000Z');

    // Assess
    expect(revoked.status).toBe('revoked');
    expect((await s.licenses.get(key))?.status).toBe('revoked');
  });
});
