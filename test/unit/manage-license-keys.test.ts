import { describe, expect, it, vi } from 'vitest';
import { type License, type LicenseLogEntry, licenseLogEntryOf } from '../../core/license';
import type { LicenseLog, PageRequest } from '../../core/ports';
import { applyProductSettings } from '../../core/product';
import {
  customerView,
  findLicense,
  importLicenseKeys,
  listCustomerLicenses,
  listCustomerLicensesForOperator,
  listLicensePool,
  operatorView,
  readLicenseLog,
  resetLicenseActivations,
  revokeLicense,
} from '../../core/use-cases/manage-license-keys';
import { FakeCatalogStore, FakeLicenseStore } from '../support/fakes';

const NOW = '2026-06-01T12:00:00.000Z';
const OP = { sub: 'operator-7', now: NOW };

const sold = (overrides: Partial<License> = {}): License => ({
  key: 'SOLD-0001',
  productId: 'app',
  productName: 'The app',
  source: 'pool',
  status: 'active',
  statusAt: `${NOW}#1`,
  invoiceId: 'inv-1',
  customerId: 'cust-1',
  activationLimit: 3,
  activations: {},
  importedAt: '2026-05-01T08:00:00.000Z',
  assignedAt: '2026-05-02T09:30:00.000Z',
  lastValidatedAt: '2026-05-03T10:00:00.000Z',
  ...overrides,
});

/** The key log's store, newest first (the Dynamo adapter's order), paged like the other fakes. */
class MemoryLicenseLog implements LicenseLog {
  readonly entries: LicenseLogEntry[] = [];
  async record(entries: LicenseLogEntry[]) {
    this.entries.push(...entries);
  }
  async list(key: string, request: PageRequest) {
    const mine = this.entries.filter((e) => e.key === key).sort((a, b) => b.entryKey.localeCompare(a.entryKey));
    const start = request.cursor ? Number(request.cursor) : 0;
    const next = start + request.limit;
    return { items: mine.slice(start, next), nextCursor: next < mine.length ? String(next) : null };
  }
}

const setup = (licenses: License[] = []) => {
  const catalog = new FakeCatalogStore();
  catalog.put(applyProductSettings('app', { name: 'The app', licenseKeys: { mode: 'pool', activationLimit: 3 } }, undefined, { now: NOW, by: 'op' }));
  const store = new FakeLicenseStore();
  for (const license of licenses) store.items.set(license.key, license);
  const licenseLog = new MemoryLicenseLog();
  return { catalog, licenses: store, licenseLog, deps: { catalog, licenses: store, licenseLog } };
};

describe('license keys in the Download Manager', () => {
  it('shows an operator a key with every time in public form and its instances oldest first', async () => {
    // Prepare
    const s = setup([
      sold({
        activations: {
          'pc-2': { activationId: 'act-2', at: '2026-05-05T00:00:00.000Z' },
          'pc-1': { activationId: 'act-1', at: '2026-05-04T00:00:00.500Z' },
        },
      }),
    ]);

    // Act
    const view = await findLicense(s.deps, 'SOLD-0001');

    // Assess
    expect(view).toEqual({
      key: 'SOLD-0001',
      productId: 'app',
      productName: 'The app',
      invoiceId: 'inv-1',
      customerId: 'cust-1',
      source: 'pool',
      status: 'active',
      activationLimit: 3,
      activations: 2,
      activationsLeft: 1,
      assignedUtc: '2026-05-02T09:30:00Z',
      importedUtc: '2026-05-01T08:00:00Z',
      lastValidatedUtc: '2026-05-03T10:00:00Z',
      instances: [
        { instanceId: 'pc-1', activationId: 'act-1', activatedUtc: '2026-05-04T00:00:00.500Z' },
        { instanceId: 'pc-2', activationId: 'act-2', activatedUtc: '2026-05-05T00:00:00Z' },
      ],
    });
  });

  it('shows times an unsold, never validated key does not have as null', async () => {
    // Prepare
    const key = sold({ status: 'available', invoiceId: null, customerId: null, assignedAt: null, lastValidatedAt: null, importedAt: null });

    // Act
    const view = operatorView(key);

    // Assess
    expect(view).toMatchObject({ status: 'available', assignedUtc: null, importedUtc: null, lastValidatedUtc: null, instances: [] });
  });

  it('shows a buyer their key without the operator’s fields', () => {
    // Prepare
    const key = sold({ activations: { 'pc-1': { activationId: 'act-1', at: NOW } } });

    // Act
    const view = customerView(key);

    // Assess
    expect(view).toEqual({
      key: 'SOLD-0001',
      productId: 'app',
      productName: 'The app',
      invoiceId: 'inv-1',
      status: 'active',
      activationLimit: 3,
      activations: 1,
      activationsLeft: 2,
      assignedUtc: '2026-05-02T09:30:00Z',
    });
  });

  it('answers a wrong or malformed key 404, a malformed one without a lookup', async () => {
    // Prepare
    const s = setup([sold()]);
    const get = vi.spyOn(s.licenses, 'get');

    // Act
    const wrong = findLicense(s.deps, 'WRONG-0001');
    const malformed = findLicense(s.deps, 'bad key');

    // Assess
    await expect(wrong).rejects.toMatchObject({ kind: 'not_found', code: 'LICENSE_NOT_FOUND', message: 'No license key with this value.' });
    await expect(malformed).rejects.toMatchObject({ kind: 'not_found', code: 'LICENSE_NOT_FOUND', message: 'No license key with this value.' });
    expect(get.mock.calls).toEqual([['WRONG-0001']]);
  });

  it('finds a pool key that is not sold yet', async () => {
    // Prepare
    const s = setup([sold({ status: 'available', customerId: null })]);

    // Act
    const view = await findLicense(s.deps, 'SOLD-0001');

    // Assess
    expect(view.status).toBe('available');
  });

  it('lists a customer’s keys for an operator, page by page, in the operator’s view', async () => {
    // Prepare
    const s = setup([
      sold({ key: 'KEY-OLD1', assignedAt: '2026-05-01T00:00:00.000Z' }),
      sold({ key: 'KEY-NEW1', assignedAt: '2026-05-09T00:00:00.000Z' }),
      sold({ key: 'KEY-ELSE', customerId: 'cust-2' }),
    ]);

    // Act
    const first = await listCustomerLicensesForOperator(s.deps, 'cust-1', { limit: 1 });
    const second = await listCustomerLicensesForOperator(s.deps, 'cust-1', { limit: 1, cursor: first.nextCursor ?? undefined });

    // Assess
    expect(first.customerId).toBe('cust-1');
    expect(first.items).toEqual([operatorView(sold({ key: 'KEY-NEW1', assignedAt: '2026-05-09T00:00:00.000Z' }))]);
    expect(first.items[0]?.assignedUtc).toBe('2026-05-09T00:00:00Z');
    expect(first.nextCursor).not.toBeNull();
    expect(second.items.map((l) => [l.key, l.source])).toEqual([['KEY-OLD1', 'pool']]);
    expect(second.nextCursor).toBeNull();
  });

  it('lists the signed-in customer’s keys in the buyer’s view, page by page', async () => {
    // Prepare
    const s = setup([sold({ key: 'KEY-OLD1', assignedAt: '2026-05-01T00:00:00.000Z' }), sold({ key: 'KEY-NEW1', assignedAt: '2026-05-09T00:00:00.000Z' })]);

    // Act
    const first = await listCustomerLicenses(s.deps, 'cust-1', { limit: 1 });
    const second = await listCustomerLicenses(s.deps, 'cust-1', { limit: 1, cursor: first.nextCursor ?? undefined });

    // Assess
    expect(first).toEqual({ items: [customerView(sold({ key: 'KEY-NEW1', assignedAt: '2026-05-09T00:00:00.000Z' }))], nextCursor: expect.any(String) });
    expect(second).toEqual({ items: [customerView(sold({ key: 'KEY-OLD1', assignedAt: '2026-05-01T00:00:00.000Z' }))], nextCursor: null });
  });
});

describe('importing and listing a product’s pool', () => {
  it('refuses keys for a product that does not exist', async () => {
    // Prepare
    const s = setup();

    // Act
    const imported = importLicenseKeys(s.deps, 'nope', ['KEY-0001'], OP);
    const listed = listLicensePool(s.deps, 'nope', 'available', { limit: 10 });

    // Assess
    await expect(imported).rejects.toMatchObject({ kind: 'not_found', code: 'PRODUCT_NOT_FOUND', message: 'No product with this id.' });
    await expect(listed).rejects.toMatchObject({ kind: 'not_found', code: 'PRODUCT_NOT_FOUND' });
    expect(s.licenses.items.size).toBe(0);
  });

  it('names at most 20 malformed keys, each cut to 140 characters, and imports none of the list', async () => {
    // Prepare
    const s = setup();
    const bad = Array.from({ length: 25 }, (_, i) => `bad key ${i}`);
    const long = `${'x'.repeat(200)} `;

    // Act
    const few = importLicenseKeys(s.deps, 'app', ['GOOD-0001', long], OP);
    const many = importLicenseKeys(s.deps, 'app', ['GOOD-0001', ...bad], OP);

    // Assess
    await expect(few).rejects.toMatchObject({
      kind: 'invalid',
      code: 'INVALID_LICENSE_KEY',
      message: 'Some keys are not in a format this system takes (4–128 letters, digits and . _ ~ : + = -).',
      details: [{ path: 'keys', message: `"${'x'.repeat(140)}" is not a key` }],
    });
    const refused = await many.catch((e) => e);
    expect(refused.details).toHaveLength(20);
    expect(refused.details[0]).toEqual({ path: 'keys', message: '"bad key 0" is not a key' });
    expect(refused.details[19]).toEqual({ path: 'keys', message: '"bad key 19" is not a key' });
    expect(s.licenses.items.size).toBe(0);
  });

  it('names the keys a list repeats (at most 10) and imports nothing', async () => {
    // Prepare
    const s = setup();
    const twice = Array.from({ length: 12 }, (_, i) => `KEY-${String(i).padStart(4, '0')}`);

    // Act
    const one = importLicenseKeys(s.deps, 'app', ['KEY-AAAA', 'KEY-BBBB', 'KEY-AAAA'], OP);
    const many = importLicenseKeys(s.deps, 'app', [...twice, ...twice], OP);

    // Assess
    await expect(one).rejects.toMatchObject({
      kind: 'conflict',
      code: 'DUPLICATE_LICENSE_KEYS',
      message: 'The list names KEY-AAAA more than once; send each key once.',
    });
    await expect(many).rejects.toMatchObject({
      message: `The list names ${twice.slice(0, 10).join(', ')} more than once; send each key once.`,
    });
    expect(s.licenses.items.size).toBe(0);
  });

  it('says how many keys exist elsewhere, names up to five, and imports nothing', async () => {
    // Prepare
    const elsewhere = Array.from({ length: 6 }, (_, i) => sold({ key: `TAKEN-00${i}`, productId: 'other' }));
    const s = setup(elsewhere);

    // Act
    const attempt = importLicenseKeys(s.deps, 'app', ['FRESH-001', ...elsewhere.map((l) => l.key)], OP);

    // Assess
    await expect(attempt).rejects.toMatchObject({
      kind: 'conflict',
      code: 'DUPLICATE_LICENSE_KEYS',
      message: '6 of these keys already exist outside this pool (e.g. TAKEN-000, TAKEN-001, TAKEN-002, TAKEN-003, TAKEN-004); nothing was imported.',
    });
    expect(s.licenses.items.has('FRESH-001')).toBe(false);
  });

  it('answers what it imported with the pool’s counts, and lists the pool by status, page by page', async () => {
    // Prepare
    const s = setup();
    await importLicenseKeys(s.deps, 'app', ['KEY-0001', 'KEY-0002', 'KEY-0003'], OP);
    const first = s.licenses.items.get('KEY-0001') as License;
    s.licenses.items.set('KEY-0001', { ...first, status: 'active', customerId: 'cust-1', assignedAt: NOW });

    // Act
    const again = await importLicenseKeys(s.deps, 'app', ['KEY-0003', 'KEY-0004'], OP);
    const available = await listLicensePool(s.deps, 'app', 'available', { limit: 2 });
    const rest = await listLicensePool(s.deps, 'app', 'available', { limit: 2, cursor: available.nextCursor ?? undefined });
    const assigned = await listLicensePool(s.deps, 'app', 'assigned', { limit: 10 });

    // Assess
    expect(again).toEqual({ productId: 'app', imported: 1, alreadyImported: 1, available: 3, assigned: 1 });
    expect(available).toMatchObject({ productId: 'app', status: 'available', counts: { available: 3, assigned: 1 } });
    expect(available.items.map((l) => [l.key, l.importedUtc])).toEqual([
      ['KEY-0002', '2026-06-01T12:00:00Z'],
      ['KEY-0003', '2026-06-01T12:00:00Z'],
    ]);
    expect(available.nextCursor).not.toBeNull();
    expect(rest.items.map((l) => l.key)).toEqual(['KEY-0004']);
    expect(rest.nextCursor).toBeNull();
    expect(assigned).toMatchObject({ status: 'assigned', items: [{ key: 'KEY-0001', customerId: 'cust-1', status: 'active' }], nextCursor: null });
  });
});

describe('an operator’s reset and revoke of a key', () => {
  const withSeats = () => sold({ activations: { 'pc-1': { activationId: 'act-1', at: NOW } } });

  it('frees every seat and answers the key as the operator sees it', async () => {
    // Prepare
    const s = setup([withSeats()]);

    // Act
    const view = await resetLicenseActivations(s.deps, 'SOLD-0001', OP);

    // Assess
    expect(view).toEqual(operatorView(sold()));
    expect(s.licenses.items.get('SOLD-0001')?.activations).toEqual({});
  });

  it('revokes the key and answers it as the operator sees it', async () => {
    // Prepare
    const s = setup([withSeats()]);
    const revoke = vi.spyOn(s.licenses, 'revoke');

    // Act
    const view = await revokeLicense(s.deps, 'SOLD-0001', OP);

    // Assess
    expect(view).toMatchObject({ key: 'SOLD-0001', status: 'revoked', instances: [{ instanceId: 'pc-1', activatedUtc: '2026-06-01T12:00:00Z' }] });
    expect(revoke.mock.calls).toEqual([['SOLD-0001', { now: NOW, actor: 'operator-7' }]]);
  });

  it('passes the operator’s sub to the key’s log with a reset', async () => {
    // Prepare
    const s = setup([withSeats()]);
    const reset = vi.spyOn(s.licenses, 'resetActivations');

    // Act
    await resetLicenseActivations(s.deps, 'SOLD-0001', OP);

    // Assess
    expect(reset.mock.calls).toEqual([['SOLD-0001', { now: NOW, actor: 'operator-7' }]]);
  });

  it.each([
    ['reset', resetLicenseActivations],
    ['revoke', revokeLicense],
  ] as const)('answers a %s of an unsold, unknown or malformed key 404 and changes nothing', async (_what, act) => {
    // Prepare
    const s = setup([sold({ key: 'UNSOLD-01', status: 'available', customerId: null })]);

    // Act + Assess
    for (const key of ['UNSOLD-01', 'WRONG-0001', 'bad key']) {
      await expect(act(s.deps, key, OP)).rejects.toMatchObject({
        kind: 'not_found',
        code: 'LICENSE_NOT_FOUND',
        message: 'No sold license key with this value.',
      });
    }
    expect(s.licenses.items.get('UNSOLD-01')?.status).toBe('available');
  });

  it.each([
    ['reset', resetLicenseActivations, 'resetActivations'],
    ['revoke', revokeLicense, 'revoke'],
  ] as const)('does not look a malformed key up for a %s', async (_what, act, method) => {
    // Prepare
    const s = setup();
    const write = vi.spyOn(s.licenses, method);

    // Act
    await act(s.deps, 'bad key', OP).catch(() => undefined);

    // Assess
    expect(write).not.toHaveBeenCalled();
  });
});

describe('a key’s log', () => {
  it('lists the entries newest first in public form, with absent details as null, page by page', async () => {
    // Prepare
    const s = setup([sold()]);
    await s.licenseLog.record([
      licenseLogEntryOf('SOLD-0001', 1, { kind: 'assigned', at: '2026-05-02T09:30:00.000Z' }),
      licenseLogEntryOf('SOLD-0001', 2, { kind: 'activated', at: '2026-05-04T00:00:00.250Z', instanceId: 'pc-1', ip: '192.0.2.1', userAgent: 'app/1.0' }),
      licenseLogEntryOf('SOLD-0001', 3, { kind: 'payment', at: '2026-05-05T00:00:00.000Z', status: 'suspended', actor: 'operator-7' }),
      licenseLogEntryOf('OTHER-001', 1, { kind: 'assigned', at: NOW }),
    ]);

    // Act
    const first = await readLicenseLog(s.deps, 'SOLD-0001', { limit: 2 });
    const second = await readLicenseLog(s.deps, 'SOLD-0001', { limit: 2, cursor: first.nextCursor ?? undefined });

    // Assess
    expect(first).toEqual({
      key: 'SOLD-0001',
      items: [
        { at: '2026-05-05T00:00:00Z', kind: 'payment', instanceId: null, actor: 'operator-7', ip: null, userAgent: null, status: 'suspended' },
        { at: '2026-05-04T00:00:00.250Z', kind: 'activated', instanceId: 'pc-1', actor: null, ip: '192.0.2.1', userAgent: 'app/1.0', status: null },
      ],
      nextCursor: '2',
    });
    expect(second).toEqual({
      key: 'SOLD-0001',
      items: [{ at: '2026-05-02T09:30:00Z', kind: 'assigned', instanceId: null, actor: null, ip: null, userAgent: null, status: null }],
      nextCursor: null,
    });
  });

  it('shows the entries of a log written without the optional fields as null', async () => {
    // Prepare
    const s = setup([sold()]);
    await s.licenseLog.record([{ key: 'SOLD-0001', entryKey: '000000000001', kind: 'reset', at: NOW }]);

    // Act
    const log = await readLicenseLog(s.deps, 'SOLD-0001', { limit: 10 });

    // Assess
    expect(log.items).toEqual([{ at: '2026-06-01T12:00:00Z', kind: 'reset', instanceId: null, actor: null, ip: null, userAgent: null, status: null }]);
  });

  it('answers an unknown or malformed key 404, the malformed one without a lookup', async () => {
    // Prepare
    const s = setup([sold()]);
    const get = vi.spyOn(s.licenses, 'get');
    const list = vi.spyOn(s.licenseLog, 'list');

    // Act
    const unknown = readLicenseLog(s.deps, 'WRONG-0001', { limit: 10 });
    const malformed = readLicenseLog(s.deps, 'bad key', { limit: 10 });

    // Assess
    await expect(unknown).rejects.toMatchObject({ kind: 'not_found', code: 'LICENSE_NOT_FOUND', message: 'No license key with this value.' });
    await expect(malformed).rejects.toMatchObject({ kind: 'not_found', code: 'LICENSE_NOT_FOUND' });
    expect(get.mock.calls).toEqual([['WRONG-0001']]);
    expect(list).not.toHaveBeenCalled();
  });
});
