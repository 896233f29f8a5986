import { conflict, invalidInput, notFound } from '../errors';
import type { CatalogStore, ProductUpdateStore } from '../ports';
import { newProductUpdate, type ProductUpdate, productUpdateView, replacedFileIds, type UpdateTarget } from '../product-update';

export interface StartUpdateDeps {
  catalog: CatalogStore;
  updates: ProductUpdateStore;
}

export interface StartUpdateRequest {
  /** Old file id → new file id. */
  replace: Record<string, string>;
  notify?: boolean | undefined;
}

/** An unconditional product write retries on top of a concurrent one this many times, then gives up. */
const MAX_MERGES = 3;

/**
 * Publishes a new version of a product's files: the product sells the new
 * files from now on, and an update job is recorded that repoints every link
 * of the product serving an old file (same token, count and limit) in
 * batches, asynchronously (see advanceProductUpdate). Answers at once with
 * the job, whose progress `GET` shows. The new files must be completed; an
 * old file need not be on the product any more (links issued before a PUT
 * removed it still serve it).
 */
export const startProductUpdate = async (deps: StartUpdateDeps, productId: string, request: StartUpdateRequest, meta: { now: string; by: string | null }) => {
  const pairs = Object.entries(request.replace);
  if (pairs.length === 0) throw invalidInput('Name at least one file to replace: `{ "replace": { "<old fileId>": "<new fileId>" } }`.');
  const same = pairs.filter(([from, to]) => from === to);
  if (same.length > 0) throw invalidInput(`A file cannot replace itself: ${same.map(([from]) => from).join(', ')}.`, undefined, 'SAME_FILE');
  const product = await deps.catalog.getProduct(productId);
  if (!product) throw notFound('PRODUCT_NOT_FOUND', 'No digital product with this id.');

  const newIds = [...new Set(pairs.map(([, to]) => to))];
  const files = new Map((await deps.catalog.getFiles(newIds)).map((f) => [f.fileId, f]));
  const unknown = newIds.filter((id) => !files.has(id));
  if (unknown.length > 0) throw invalidInput(`No file with the id ${unknown.join(', ')}: upload the new version first.`, undefined, 'UNKNOWN_FILE');
  const pending = newIds.filter((id) => files.get(id)?.state !== 'ready');
  if (pending.length > 0) throw invalidInput(`Files not completed yet: ${pending.join(', ')}.`, undefined, 'FILE_NOT_READY');
  const replace: Record<string, UpdateTarget> = {};
  for (const [from, to] of pairs) {
    const file = files.get(to);
    if (file) replace[from] = { fileId: file.fileId, fileName: file.fileName, contentType: file.contentType, objectKey: file.objectKey };
  }

  // New purchases get the new files; the product's write is conditional on the version read, like every edit.
  let current = product;
  for (let attempt = 0; ; attempt++) {
    const fileIds = replacedFileIds(current.fileIds, replace);
    if (fileIds.join() === current.fileIds.join()) break;
    const next = { ...current, fileIds, updatedAt: meta.now, updatedBy: meta.by, version: current.version + 1 };
    if (await deps.catalog.saveProduct(next, { version: current.version })) break;
    const reread = attempt + 1 < MAX_MERGES ? await deps.catalog.getProduct(productId) : undefined;
    if (!reread) throw conflict('CONCURRENT_CHANGE', 'The product kept changing while the update was published; try again.');
    current = reread;
  }

  const update: ProductUpdate = newProductUpdate({ productId, replace, notify: request.notify ?? false, now: meta.now, by: meta.by });
  await deps.updates.create(update);
  return productUpdateView(update);
};
