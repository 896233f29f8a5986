import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../core/errors';
import type { StoredFile } from '../../core/file';
import type { CatalogStore } from '../../core/ports';
import { applyProductSettings, productEtag, type DigitalProduct } from '../../core/product';
import { getProduct, listProducts, putProductSettings, setProductArchived } from '../../core/use-cases/manage-products';
import { FakeCatalogStore } from '../support/fakes';

const META = { now: '2026-03-28T10:30:00.000Z', by: 'admin-1' };
const READY = 'RRRRRRRRRRRRRRRRRRRRRR';
const PENDING = 'PPPPPPPPPPPPPPPPPPPPPP';

/** A catalog with DynamoDB's conditional-write semantics, and a hook to let "someone else" write between a read and a write. */
const memoryCatalog = (products: DigitalProduct[] = []) => {
  const stored = new Map(products.map((p) => [p.productId, p]));
  const files = new Map<string, StoredFile>([
    [READY, { fileId: READY, state: 'ready' } as StoredFile],
    [PENDING, { fileId: PENDING, state: 'pending' } as StoredFile],
  ]);
  const hooks = { beforeSave: [] as (() => void)[] };
  const writes: DigitalProduct[] = [];
  const catalog = {
    getProduct: async (id: string) => stored.get(id),
    getFiles: async (ids: string[]) => ids.flatMap((id) => (files.has(id) ? [files.get(id) as StoredFile] : [])),
    productsOfExternalIds: async (ids: string[]) =>
      new Map([...stored.values()].flatMap((p) => p.externalIds.filter((id) => ids.includes(id)).map((id) => [id, p.productId] as const))),
    saveProduct: async (product: DigitalProduct, expected: 'absent' | { version: number }) => {
      hooks.beforeSave.shift()?.();
      const current = stored.get(product.productId);
      const holds = expected === 'absent' ? !current : current?.version === expected.version;
      if (!holds) return false;
      stored.set(product.productId, product);
      writes.push(product);
      return true;
    },
  } as unknown as CatalogStore;
  return { catalog, stored, hooks, writes };
};

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a rejection');
};

const existing = (overrides: Partial<DigitalProduct> = {}) => ({
  ...applyProductSettings('ebook', { name: 'E-book', fileIds: [READY], maxDownloadsPerLink: 3 }, undefined, META),
  ...overrides,
});

describe('putProductSettings', () => {
  it('with If-None-Match: * creates a new product at version 1', async () => {
    // Prepare
    const { catalog, stored } = memoryCatalog();

    // Act
    const { product, created } = await putProductSettings(catalog, 'ebook', { name: 'E-book' }, META, { kind: 'absent' });

    // Assess
    expect(created).toBe(true);
    expect(product.version).toBe(1);
    expect(stored.get('ebook')?.name).toBe('E-book');
  });

  it('with If-None-Match: * refuses an existing id with 412 and leaves the product as it was', async () => {
    // Prepare
    const before = existing();
    const { catalog, stored } = memoryCatalog([before]);

    // Act
    const error = await rejection(putProductSettings(catalog, 'ebook', { name: 'Blank' }, META, { kind: 'absent' }));

    // Assess
    expect(error.kind).toBe('precondition');
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(stored.get('ebook')).toEqual(before);
  });

  it('with the current ETag in If-Match updates that version', async () => {
    // Prepare
    const before = existing({ version: 4 });
    const { catalog, stored } = memoryCatalog([before]);

    // Act
    const { product } = await putProductSettings(catalog, 'ebook', { maxDownloadsPerLink: 5 }, META, { kind: 'match', etags: [productEtag(before)] });

    // Assess
    expect(product.version).toBe(5);
    expect(stored.get('ebook')?.maxDownloadsPerLink).toBe(5);
    expect(stored.get('ebook')?.fileIds).toEqual([READY]);
  });

  it('with a stale ETag in If-Match is refused with 412, and nothing is written', async () => {
    // Prepare
    const { catalog, writes } = memoryCatalog([existing({ version: 2 })]);

    // Act
    const error = await rejection(putProductSettings(catalog, 'ebook', { name: 'Mine' }, META, { kind: 'match', etags: ['"1"'] }));

    // Assess
    expect(error.kind).toBe('precondition');
    expect(writes).toEqual([]);
  });

  it('with If-Match is refused when someone else writes between its read and its write (the write is conditional)', async () => {
    // Prepare
    const before = existing({ version: 2 });
    const { catalog, stored, hooks } = memoryCatalog([before]);
    hooks.beforeSave.push(() => stored.set('ebook', { ...before, name: 'Theirs', version: 3 }));

    // Act
    const error = await rejection(putProductSettings(catalog, 'ebook', { name: 'Mine' }, META, { kind: 'match', etags: ['"2"'] }));

    // Assess
    expect(error.kind).toBe('precondition');
    expect(stored.get('ebook')?.name).toBe('Theirs');
  });

  it('without a precondition merges onto a concurrent change instead of overwriting it', async () => {
    // Prepare
    const before = existing({ version: 2 });
    const { catalog, stored, hooks } = memoryCatalog([before]);
    hooks.beforeSave.push(() => stored.set('ebook', { ...before, name: 'Theirs', version: 3 }));

    // Act
    const { product } = await putProductSettings(catalog, 'ebook', { maxDownloadsPerLink: 9 }, META, { kind: 'none' });

    // Assess
    expect(product).toMatchObject({ name: 'Theirs', maxDownloadsPerLink: 9, version: 4 });
    expect(stored.get('ebook')).toEqual(product);
  });

  it('reports unknown and unfinished files per entry of fileIds, in plain words', async () => {
    // Prepare
    const { catalog } = memoryCatalog();
    const unknownId = 'UUUUUUUUUUUUUUUUUUUUUU';

    // Act
    const unknown = await rejection(putProductSettings(catalog, 'ebook', { fileIds: [READY, unknownId] }, META, { kind: 'absent' }));
    const pending = await rejection(putProductSettings(catalog, 'ebook', { fileIds: [PENDING] }, META, { kind: 'absent' }));

    // Assess
    expect(unknown.code).toBe('UNKNOWN_FILE');
    expect(unknown.details).toEqual([{ path: 'fileIds.1', message: 'no file with this id' }]);
    expect(pending.code).toBe('FILE_NOT_READY');
    expect(pending.details).toEqual([{ path: 'fileIds.0', message: 'has not finished uploading' }]);
  });
});

describe('setProductArchived', () => {
  it('archives a product as a new version, and archiving it again changes nothing', async () => {
    // Prepare
    const { catalog, writes } = memoryCatalog([existing({ version: 1 })]);

    // Act
    const archived = await setProductArchived(catalog, 'ebook', true, META, { kind: 'none' });
    const again = await setProductArchived(catalog, 'ebook', true, META, { kind: 'none' });
    const back = await setProductArchived(catalog, 'ebook', false, META, { kind: 'none' });

    // Assess
    expect(archived).toMatchObject({ archivedAt: META.now, version: 2 });
    expect(again).toEqual(archived);
    expect(back).toMatchObject({ archivedAt: null, version: 3 });
    expect(writes).toHaveLength(2);
  });

  it('refuses an unknown product with 404, and a stale If-Match with 412', async () => {
    // Prepare
    const { catalog } = memoryCatalog([existing({ version: 5 })]);

    // Act
    const unknown = await rejection(setProductArchived(catalog, 'nope', true, META, { kind: 'none' }));
    const stale = await rejection(setProductArchived(catalog, 'ebook', true, META, { kind: 'match', etags: ['"4"'] }));

    // Assess
    expect(unknown.code).toBe('PRODUCT_NOT_FOUND');
    expect(stale.code).toBe('PRECONDITION_FAILED');
  });
});

describe('external ids', () => {
  it('are claimed with the product, and one another product holds is a 409 that names it and writes nothing', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    await putProductSettings(catalog, 'ebook', { externalIds: ['shopify:product:111'] }, META, { kind: 'none' });

    // Act
    const error = await rejection(putProductSettings(catalog, 'course', { externalIds: ['woo:product:7', 'shopify:product:111'] }, META, { kind: 'none' }));

    // Assess
    expect({ kind: error.kind, code: error.code }).toEqual({ kind: 'conflict', code: 'EXTERNAL_ID_TAKEN' });
    expect(error.message).toContain('ebook');
    expect(catalog.products.has('course')).toBe(false);
    expect(await catalog.productsOfExternalIds(['shopify:product:111', 'woo:product:7'])).toEqual(new Map([['shopify:product:111', 'ebook']]));
  });

  it('let go of an id the product no longer names, so another product can take it', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    await putProductSettings(catalog, 'ebook', { externalIds: ['woo:product:7'] }, META, { kind: 'none' });
    await putProductSettings(catalog, 'ebook', { externalIds: [] }, META, { kind: 'none' });

    // Act
    await putProductSettings(catalog, 'course', { externalIds: ['woo:product:7'] }, META, { kind: 'none' });

    // Assess
    expect(await catalog.productsOfExternalIds(['woo:product:7'])).toEqual(new Map([['woo:product:7', 'course']]));
  });

  it('a product saved again with the ids it holds keeps them', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    await putProductSettings(catalog, 'ebook', { externalIds: ['woo:product:7'] }, META, { kind: 'none' });

    // Act
    await putProductSettings(catalog, 'ebook', { name: 'Renamed', externalIds: ['woo:product:7'] }, META, { kind: 'none' });

    // Assess
    expect((await catalog.getProduct('ebook'))?.externalIds).toEqual(['woo:product:7']);
    expect(await catalog.productsOfExternalIds(['woo:product:7'])).toEqual(new Map([['woo:product:7', 'ebook']]));
  });
});

describe('putProductSettings: refusals, files and retries', () => {
  const file = (fileId: string, state: 'ready' | 'pending') => ({ fileId, state }) as StoredFile;

  it('says why a precondition failed: the id exists for a create, someone else changed it for an edit', async () => {
    // Prepare
    const { catalog } = memoryCatalog([existing({ version: 2 })]);

    // Act
    const create = await rejection(putProductSettings(catalog, 'ebook', { name: 'Blank' }, META, { kind: 'absent' }));
    const edit = await rejection(putProductSettings(catalog, 'ebook', { name: 'Mine' }, META, { kind: 'match', etags: ['"1"'] }));

    // Assess
    expect(create.message).toBe('A product with this id already exists: nothing was changed. Open it from the list to edit it.');
    expect(edit.message).toBe('Someone else changed this product since you opened it: nothing was changed. Reload it to see their version.');
  });

  it('attaches files that finished uploading', async () => {
    // Prepare
    const { catalog, stored } = memoryCatalog();

    // Act
    await putProductSettings(catalog, 'ebook', { name: 'E-book', fileIds: [READY] }, META, { kind: 'absent' });

    // Assess
    expect(stored.get('ebook')?.fileIds).toEqual([READY]);
  });

  it('names every unknown and every unfinished file in the message', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    for (const f of [file('R1', 'ready'), file('P1', 'pending'), file('P2', 'pending')]) catalog.files.set(f.fileId, f);

    // Act
    const unknown = await rejection(putProductSettings(catalog, 'ebook', { fileIds: ['R1', 'U1', 'U2'] }, META, { kind: 'absent' }));
    const pending = await rejection(putProductSettings(catalog, 'ebook', { fileIds: ['P1', 'R1', 'P2'] }, META, { kind: 'absent' }));

    // Assess
    expect(unknown).toMatchObject({ kind: 'invalid', code: 'UNKNOWN_FILE', message: 'No file with the id U1, U2: pick one from the file library.' });
    expect(pending).toMatchObject({
      kind: 'invalid',
      code: 'FILE_NOT_READY',
      message: 'Files not completed yet: P1, P2.',
      details: [
        { path: 'fileIds.0', message: 'has not finished uploading' },
        { path: 'fileIds.2', message: 'has not finished uploading' },
      ],
    });
    expect(catalog.products.size).toBe(0);
  });

  it('does not re-check the files a change leaves alone', async () => {
    // Prepare: the product already names a file (set up before the check existed) that is not ready
    const { catalog, stored } = memoryCatalog([existing({ fileIds: [PENDING], version: 1 })]);

    // Act
    const { product } = await putProductSettings(catalog, 'ebook', { name: 'Renamed' }, META, { kind: 'none' });

    // Assess
    expect(product).toMatchObject({ name: 'Renamed', fileIds: [PENDING], version: 2 });
    expect(stored.get('ebook')?.name).toBe('Renamed');
  });

  it('gives up after three merges onto concurrent changes with 409 CONCURRENT_CHANGE', async () => {
    // Prepare: someone else writes before each of our writes, four times
    const before = existing({ version: 1 });
    const { catalog, stored, hooks, writes } = memoryCatalog([before]);
    for (let v = 2; v <= 5; v++) hooks.beforeSave.push(() => stored.set('ebook', { ...before, name: `Theirs ${v}`, version: v }));

    // Act
    const error = await rejection(putProductSettings(catalog, 'ebook', { maxDownloadsPerLink: 9 }, META, { kind: 'none' }));

    // Assess
    expect(error).toMatchObject({
      kind: 'conflict',
      code: 'CONCURRENT_CHANGE',
      message: 'The product kept changing while this change was applied; try again.',
    });
    expect(hooks.beforeSave).toHaveLength(1);
    expect(writes).toEqual([]);
  });

  it('with If-None-Match: * on an existing id, an external id held elsewhere is reported as taken, and nothing is written', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    await putProductSettings(catalog, 'course', { externalIds: ['woo:product:7'] }, META, { kind: 'none' });
    await putProductSettings(catalog, 'ebook', { name: 'E-book' }, META, { kind: 'none' });

    // Act
    const error = await rejection(putProductSettings(catalog, 'ebook', { name: 'Again', externalIds: ['woo:product:7'] }, META, { kind: 'absent' }));

    // Assess
    expect(error).toMatchObject({ kind: 'conflict', code: 'EXTERNAL_ID_TAKEN', message: expect.stringContaining('course') });
    expect(catalog.products.get('ebook')?.name).toBe('E-book');
    expect(await catalog.productsOfExternalIds(['woo:product:7'])).toEqual(new Map([['woo:product:7', 'course']]));
  });

  it('with If-None-Match: * on an existing id that holds the external id itself, is a plain 412', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    await putProductSettings(catalog, 'ebook', { externalIds: ['woo:product:7'] }, META, { kind: 'none' });

    // Act
    const error = await rejection(putProductSettings(catalog, 'ebook', { externalIds: ['woo:product:7'] }, META, { kind: 'absent' }));

    // Assess
    expect(error).toMatchObject({ kind: 'precondition', code: 'PRECONDITION_FAILED' });
  });

  it('looks no external ids up when the change claims none', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();

    // Act
    await putProductSettings(catalog, 'ebook', { name: 'E-book' }, META, { kind: 'none' });
    await putProductSettings(catalog, 'course', { externalIds: ['woo:product:7'] }, META, { kind: 'none' });

    // Assess
    expect(catalog.externalIdLookups).toEqual([['woo:product:7']]);
  });
});

describe('setProductArchived: races', () => {
  it('without a precondition archives on top of a concurrent change', async () => {
    // Prepare
    const before = existing({ version: 1 });
    const { catalog, stored, hooks } = memoryCatalog([before]);
    hooks.beforeSave.push(() => stored.set('ebook', { ...before, name: 'Theirs', version: 2 }));

    // Act
    const archived = await setProductArchived(catalog, 'ebook', true, META, { kind: 'none' });

    // Assess
    expect(archived).toMatchObject({ name: 'Theirs', archivedAt: META.now, version: 3 });
    expect(stored.get('ebook')).toEqual(archived);
  });

  it('with If-Match: * refuses with 412 when it loses a race, rather than retrying', async () => {
    // Prepare
    const before = existing({ version: 1 });
    const { catalog, stored, hooks } = memoryCatalog([before]);
    hooks.beforeSave.push(() => stored.set('ebook', { ...before, name: 'Theirs', version: 2 }));

    // Act
    const error = await rejection(setProductArchived(catalog, 'ebook', true, META, { kind: 'match', etags: '*' }));

    // Assess
    expect(error).toMatchObject({ kind: 'precondition', code: 'PRECONDITION_FAILED' });
    expect(stored.get('ebook')).toMatchObject({ name: 'Theirs', archivedAt: null });
  });

  it('gives up after three tries against concurrent changes with 409 CONCURRENT_CHANGE', async () => {
    // Prepare
    const before = existing({ version: 1 });
    const { catalog, stored, hooks, writes } = memoryCatalog([before]);
    for (let v = 2; v <= 5; v++) hooks.beforeSave.push(() => stored.set('ebook', { ...before, version: v }));

    // Act
    const error = await rejection(setProductArchived(catalog, 'ebook', true, META, { kind: 'none' }));

    // Assess
    expect(error).toMatchObject({ kind: 'conflict', code: 'CONCURRENT_CHANGE', message: 'The product kept changing meanwhile; try again.' });
    expect(hooks.beforeSave).toHaveLength(1);
    expect(writes).toEqual([]);
  });

  it('answers an unknown product with a message', async () => {
    // Prepare
    const { catalog } = memoryCatalog();

    // Act
    const error = await rejection(setProductArchived(catalog, 'nope', true, META, { kind: 'none' }));

    // Assess
    expect(error).toMatchObject({ kind: 'not_found', code: 'PRODUCT_NOT_FOUND', message: 'No digital product with this id.' });
  });
});

describe('reading products', () => {
  it('answers a product by id, and an unknown id with 404 PRODUCT_NOT_FOUND', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    await putProductSettings(catalog, 'ebook', { name: 'E-book' }, META, { kind: 'none' });

    // Act
    const product = await getProduct(catalog, 'ebook');
    const error = await rejection(getProduct(catalog, 'nope'));

    // Assess
    expect(product).toMatchObject({ productId: 'ebook', name: 'E-book', version: 1 });
    expect(error).toMatchObject({ kind: 'not_found', code: 'PRODUCT_NOT_FOUND', message: 'No digital product with this id.' });
  });

  it('lists the products the catalog lists, by name', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    await putProductSettings(catalog, 'b', { name: 'Beta' }, META, { kind: 'none' });
    await putProductSettings(catalog, 'a', { name: 'Alpha' }, META, { kind: 'none' });

    // Act
    const page = await listProducts(catalog, { limit: 10 });

    // Assess
    expect(page.items.map((p) => p.productId)).toEqual(['a', 'b']);
    expect(page.nextCursor).toBeNull();
  });
});
