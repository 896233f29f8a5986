import { notFound } from '../errors';
import type { CatalogStore, LinkStore, PageRequest, ProductUpdateStore } from '../ports';
import { productUpdateView } from '../product-update';

/** One update's progress: how far it got, how many links it repointed, how many customers it told. */
export const getProductUpdate = async (updates: ProductUpdateStore, productId: string, updateId: string) => {
  const update = await updates.get(productId, updateId);
  if (!update) throw notFound('UPDATE_NOT_FOUND', 'No update with this id for this product.');
  return productUpdateView(update);
};

/** A product's updates (its published versions), newest first. */
export const listProductUpdates = async (
  deps: { catalog: Pick<CatalogStore, 'getProduct'>; updates: ProductUpdateStore },
  productId: string,
  page: PageRequest,
) => {
  if (!(await deps.catalog.getProduct(productId))) throw notFound('PRODUCT_NOT_FOUND', 'No digital product with this id.');
  const result = await deps.updates.list(productId, page);
  return { items: result.items.map(productUpdateView), nextCursor: result.nextCursor };
};

/** Links read at most for a preview (a page is at most 1,000): beyond it the counts are a lower bound (`complete: false`). */
const PREVIEW_MAX_LINKS = 50_000;

/**
 * What an update would reach, before it is published: the links that serve
 * one of the old files and are not revoked, and their distinct customers (the
 * console's confirmation says it). Reads the product's links page by page;
 * changes nothing.
 */
export const previewProductUpdate = async (
  deps: { catalog: Pick<CatalogStore, 'getProduct'>; links: Pick<LinkStore, 'listByProduct'> },
  productId: string,
  request: { replace: Record<string, string> },
) => {
  if (!(await deps.catalog.getProduct(productId))) throw notFound('PRODUCT_NOT_FOUND', 'No digital product with this id.');
  const old = new Set(Object.keys(request.replace));
  const customers = new Set<string>();
  let links = 0;
  let read = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.links.listByProduct(productId, { limit: 1000, cursor });
    read += page.items.length;
    for (const link of page.items) {
      if (!old.has(link.fileId) || link.status === 'revoked') continue;
      links++;
      customers.add(link.customerId);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && read < PREVIEW_MAX_LINKS);
  return { productId, links, customers: customers.size, complete: !cursor };
};
