import { invalidInput, notFound } from '../errors';
import type { CatalogStore, PageRequest } from '../ports';
import { applyProductSettings, type ProductSettingsInput } from '../product';

/**
 * Creates or edits a product's digital settings. Only files that finished
 * uploading can be attached. Links already issued keep the settings they
 * were made with: they are copies, by design.
 */
export const putProductSettings = async (catalog: CatalogStore, productId: string, input: ProductSettingsInput, meta: { now: string; by: string | null }) => {
  const previous = await catalog.getProduct(productId);
  const product = applyProductSettings(productId, input, previous, meta);
  if (input.fileIds) {
    const found = new Map((await catalog.getFiles(product.fileIds)).map((f) => [f.fileId, f]));
    const unknown = product.fileIds.filter((id) => !found.has(id));
    if (unknown.length > 0) throw invalidInput(`Unknown file ids: ${unknown.join(', ')}.`, { fileIds: unknown }, 'UNKNOWN_FILE');
    const pending = product.fileIds.filter((id) => found.get(id)?.state !== 'ready');
    if (pending.length > 0) {
      throw invalidInput(`Files not completed yet: ${pending.join(', ')}.`, { fileIds: pending }, 'FILE_NOT_READY');
    }
  }
  await catalog.putProduct(product);
  return { product, created: !previous };
};

export const getProduct = async (catalog: CatalogStore, productId: string) => {
  const product = await catalog.getProduct(productId);
  if (!product) throw notFound('PRODUCT_NOT_FOUND', 'No digital product with this id.');
  return product;
};

export const listProducts = (catalog: CatalogStore, page: PageRequest) => catalog.listProducts(page);
