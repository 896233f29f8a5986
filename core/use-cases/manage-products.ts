import { conflict, invalidInput, notFound, preconditionFailed } from '../errors';
import type { CatalogStore, PageRequest } from '../ports';
import {
  applyProductSettings,
  externalIdChanges,
  externalIdTaken,
  satisfies,
  withArchived,
  type DigitalProduct,
  type Precondition,
  type ProductFilter,
  type ProductSettingsInput,
} from '../product';

type Meta = { now: string; by: string | null };

/** An unconditional write retries on top of a concurrent one this many times, then gives up. */
const MAX_MERGES = 3;

const ALREADY_EXISTS = 'A product with this id already exists: nothing was changed. Open it from the list to edit it.';
const CHANGED_MEANWHILE = 'Someone else changed this product since you opened it: nothing was changed. Reload it to see their version.';

const refusal = (precondition: Precondition) => preconditionFailed(precondition.kind === 'absent' ? ALREADY_EXISTS : CHANGED_MEANWHILE);

/** Every file named must exist and have finished uploading; the problems are reported per list entry. */
const assertUsableFiles = async (catalog: CatalogStore, fileIds: string[]) => {
  const found = new Map((await catalog.getFiles(fileIds)).map((f) => [f.fileId, f]));
  const unknown = fileIds.filter((id) => !found.has(id));
  const pending = fileIds.filter((id) => {
    const file = found.get(id);
    return file !== undefined && file.state !== 'ready';
  });
  const details = (ids: string[], message: string) => ids.map((id) => ({ path: `fileIds.${fileIds.indexOf(id)}`, message }));
  if (unknown.length > 0) {
    throw invalidInput(`No file with the id ${unknown.join(', ')}: pick one from the file library.`, details(unknown, 'no file with this id'), 'UNKNOWN_FILE');
  }
  if (pending.length > 0) {
    throw invalidInput(`Files not completed yet: ${pending.join(', ')}.`, details(pending, 'has not finished uploading'), 'FILE_NOT_READY');
  }
};

const assertExternalIdsFree = async (catalog: CatalogStore, productId: string, externalIds: string[]) => {
  if (externalIds.length === 0) return;
  const owners = await catalog.productsOfExternalIds(externalIds);
  for (const id of externalIds) {
    const owner = owners.get(id);
    if (owner && owner !== productId) throw externalIdTaken(id, owner);
  }
};

/**
 * Creates or edits a product's digital settings with one conditional write
 * on its version: `If-None-Match: *` only creates, `If-Match` only updates
 * the version the caller read, and an unconditional PUT merges onto whatever
 * is current (never onto a stale read). Only files that finished uploading can
 * be attached. Links already issued keep the settings they were made with.
 * An external id names at most one product (409 `EXTERNAL_ID_TAKEN`).
 */
export const putProductSettings = async (catalog: CatalogStore, productId: string, input: ProductSettingsInput, meta: Meta, precondition: Precondition) => {
  let filesChecked = false;
  for (let attempt = 0; attempt < MAX_MERGES; attempt++) {
    // A create needs no read: the write's condition is the check.
    const previous = precondition.kind === 'absent' ? undefined : await catalog.getProduct(productId);
    if (!satisfies(precondition, previous)) throw refusal(precondition);
    const product = applyProductSettings(productId, input, previous, meta);
    if (input.fileIds && !filesChecked) {
      await assertUsableFiles(catalog, product.fileIds);
      filesChecked = true;
    }
    const changes = externalIdChanges(product, previous);
    // A friendly check first; the write's own conditions decide when two operators race for an id.
    await assertExternalIdsFree(catalog, productId, changes.claim);
    const saved = await catalog.saveProduct(
      product,
      previous ? { version: previous.version } : 'absent',
      changes.claim.length + changes.release.length > 0 ? changes : undefined,
    );
    if (saved) return { product, created: !previous };
    if (precondition.kind !== 'none') throw refusal(precondition);
  }
  throw conflict('CONCURRENT_CHANGE', 'The product kept changing while this change was applied; try again.');
};

/**
 * Archives a product (or puts it back on sale). An archived product is sold
 * like a physical good: new purchases get no links; links already issued keep
 * working. Archiving an archived product changes nothing.
 */
export const setProductArchived = async (catalog: CatalogStore, productId: string, archived: boolean, meta: Meta, precondition: Precondition) => {
  for (let attempt = 0; attempt < MAX_MERGES; attempt++) {
    const current = await catalog.getProduct(productId);
    if (!current) throw notFound('PRODUCT_NOT_FOUND', 'No digital product with this id.');
    if (!satisfies(precondition, current)) throw refusal(precondition);
    if (Boolean(current.archivedAt) === archived) return current;
    const next = withArchived(current, archived, meta);
    if (await catalog.saveProduct(next, { version: current.version })) return next;
    if (precondition.kind !== 'none') throw refusal(precondition);
  }
  throw conflict('CONCURRENT_CHANGE', 'The product kept changing meanwhile; try again.');
};

export const getProduct = async (catalog: CatalogStore, productId: string): Promise<DigitalProduct> => {
  const product = await catalog.getProduct(productId);
  if (!product) throw notFound('PRODUCT_NOT_FOUND', 'No digital product with this id.');
  return product;
};

/** Products sorted by name (or id), then id; `q` searches both, `status` keeps the active or the archived ones. */
export const listProducts = (catalog: CatalogStore, page: PageRequest & ProductFilter) => catalog.listProducts(page);
