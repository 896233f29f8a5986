import { conflict, invalidInput, notFound } from '../errors';
import { isLicenseKeyShape, type License, operatorLicenseView, customerLicenseView } from '../license';
import type { CatalogStore, LicenseLog, LicenseStore, PageRequest } from '../ports';
import { toPublicTime } from '../time';

export interface LicenseAdminDeps {
  licenses: LicenseStore;
  catalog: CatalogStore;
}

export interface Operator {
  sub: string;
  now: string;
}

const publicTimes = <T extends { assignedUtc: string | null; importedUtc?: string | null; lastValidatedUtc?: string | null }>(view: T): T => ({
  ...view,
  assignedUtc: toPublicTime(view.assignedUtc),
  ...('importedUtc' in view ? { importedUtc: toPublicTime(view.importedUtc) } : {}),
  ...('lastValidatedUtc' in view ? { lastValidatedUtc: toPublicTime(view.lastValidatedUtc) } : {}),
});

export const operatorView = (license: License) => {
  const view = publicTimes(operatorLicenseView(license));
  return { ...view, instances: view.instances.map((i) => ({ ...i, activatedUtc: toPublicTime(i.activatedUtc) ?? i.activatedUtc })) };
};
export const customerView = (license: License) => publicTimes(customerLicenseView(license));

const requireProduct = async (deps: LicenseAdminDeps, productId: string) => {
  const product = await deps.catalog.getProduct(productId);
  if (!product) throw notFound('PRODUCT_NOT_FOUND', 'No product with this id.');
  return product;
};

/**
 * Imports keys into a product's pool. Idempotent: a key already in this pool
 * is left as it is (importing the same list twice imports it once). A key
 * that appears twice in the list, or exists anywhere else (another product's
 * pool, a generated key), is refused, and then nothing is imported.
 */
export const importLicenseKeys = async (deps: LicenseAdminDeps, productId: string, keys: string[], operator: Operator) => {
  await requireProduct(deps, productId);
  const malformed = keys.filter((k) => !isLicenseKeyShape(k));
  if (malformed.length > 0) {
    throw invalidInput(
      'Some keys are not in a format this system takes (4–128 letters, digits and . _ ~ : + = -).',
      malformed.slice(0, 20).map((key) => ({ path: 'keys', message: `${JSON.stringify(key.slice(0, 140))} is not a key` })),
      'INVALID_LICENSE_KEY',
    );
  }
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
  }
  if (repeated.size > 0) {
    throw conflict('DUPLICATE_LICENSE_KEYS', `The list names ${[...repeated].slice(0, 10).join(', ')} more than once; send each key once.`);
  }
  const result = await deps.licenses.importPool(productId, keys, operator.now);
  if (result.conflicts.length > 0) {
    throw conflict(
      'DUPLICATE_LICENSE_KEYS',
      `${result.conflicts.length} of these keys already exist outside this pool (e.g. ${result.conflicts.slice(0, 5).join(', ')}); nothing was imported.`,
    );
  }
  return { productId, imported: result.imported, alreadyImported: result.alreadyImported, ...(await deps.licenses.countPool(productId)) };
};

/** A product's pool: its keys available or assigned, with both counts. */
export const listLicensePool = async (deps: LicenseAdminDeps, productId: string, status: 'available' | 'assigned', page: PageRequest) => {
  await requireProduct(deps, productId);
  const [listed, counts] = await Promise.all([deps.licenses.listPool(productId, status, page), deps.licenses.countPool(productId)]);
  return { productId, status, counts, items: listed.items.map(operatorView), nextCursor: listed.nextCursor };
};

/** The store's operator writes answer undefined for a key that is not sold (ports.ts). */
const requireSold = (license: License | undefined): License => {
  if (!license) throw notFound('LICENSE_NOT_FOUND', 'No sold license key with this value.');
  return license;
};

/** The Download Manager: one key, found by its value. */
export const findLicense = async (deps: Pick<LicenseAdminDeps, 'licenses'>, key: string) => {
  if (!isLicenseKeyShape(key)) throw notFound('LICENSE_NOT_FOUND', 'No license key with this value.');
  const license = await deps.licenses.get(key);
  if (!license) throw notFound('LICENSE_NOT_FOUND', 'No license key with this value.');
  return operatorView(license);
};

/** The Download Manager: a customer's keys, newest first. */
export const listCustomerLicensesForOperator = async (deps: Pick<LicenseAdminDeps, 'licenses'>, customerId: string, page: PageRequest) => {
  const listed = await deps.licenses.listByCustomer(customerId, page);
  return { customerId, items: listed.items.map(operatorView), nextCursor: listed.nextCursor };
};

/** Frees every seat of a key; the operator's `sub` goes to the key's log. */
export const resetLicenseActivations = async (deps: Pick<LicenseAdminDeps, 'licenses'>, key: string, operator: Operator) => {
  if (!isLicenseKeyShape(key)) throw notFound('LICENSE_NOT_FOUND', 'No sold license key with this value.');
  return operatorView(requireSold(await deps.licenses.resetActivations(key, { now: operator.now, actor: operator.sub })));
};

/** Revokes a key for good (a later payment event does not bring it back); the operator's `sub` goes to the key's log. */
export const revokeLicense = async (deps: Pick<LicenseAdminDeps, 'licenses'>, key: string, operator: Operator) => {
  if (!isLicenseKeyShape(key)) throw notFound('LICENSE_NOT_FOUND', 'No sold license key with this value.');
  return operatorView(requireSold(await deps.licenses.revoke(key, { now: operator.now, actor: operator.sub })));
};

/** The signed-in customer's keys (`GET /licenses/customer`), newest first. */
export const listCustomerLicenses = async (deps: Pick<LicenseAdminDeps, 'licenses'>, customerId: string, page: PageRequest) => {
  const listed = await deps.licenses.listByCustomer(customerId, page);
  return { items: listed.items.map(customerView), nextCursor: listed.nextCursor };
};

/** A key's log, newest first: activations, validations, payment changes and operators' actions (with their `sub`). */
export const readLicenseLog = async (deps: { licenses: LicenseStore; licenseLog: LicenseLog }, key: string, page: PageRequest) => {
  if (!isLicenseKeyShape(key) || !(await deps.licenses.get(key))) throw notFound('LICENSE_NOT_FOUND', 'No license key with this value.');
  const listed = await deps.licenseLog.list(key, page);
  return {
    key,
    items: listed.items.map((e) => ({
      at: toPublicTime(e.at) ?? e.at,
      kind: e.kind,
      instanceId: e.instanceId ?? null,
      actor: e.actor ?? null,
      ip: e.ip ?? null,
      userAgent: e.userAgent ?? null,
      status: e.status ?? null,
    })),
    nextCursor: listed.nextCursor,
  };
};
