import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import {
  applyProductSettings,
  EXTERNAL_ID,
  externalIdChanges,
  externalIdTaken,
  isExternalId,
  isOnSale,
  PRODUCT_ID,
  matchesFilter,
  productEtag,
  productSortKey,
  compareSortKeys,
  ProductSettingsSchema,
  satisfies,
  withArchived,
  type DigitalProduct,
} from '../../core/product';

const META = { now: '2026-03-28T10:30:00.000Z', by: 'admin-1' };
const FILE_A = 'AAAAAAAAAAAAAAAAAAAAAA';
const FILE_B = 'BBBBBBBBBBBBBBBBBBBBBB';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('applyProductSettings', () => {
  it('gives a new product the contract defaults', () => {
    // Act
    const product = applyProductSettings('ebook', {}, undefined, META);

    // Assess
    expect(product).toEqual({
      productId: 'ebook',
      name: null,
      isDigital: true,
      deliveryMethod: 'InstantDownload',
      fileIds: [],
      externalIds: [],
      downloadLinkExpiryDays: 30,
      maxDownloadsPerLink: 0,
      updatedAt: META.now,
      updatedBy: 'admin-1',
      version: 1,
      archivedAt: null,
      licenseKeys: null,
      stamping: null,
      suspendOnSharing: false,
    });
  });

  it('keeps the previous values of the settings a partial update does not name', () => {
    // Prepare
    const previous = applyProductSettings(
      'ebook',
      { name: 'E-book', deliveryMethod: 'EmailDelivered', fileIds: [FILE_A], downloadLinkExpiryDays: 7, maxDownloadsPerLink: 3 },
      undefined,
      META,
    );

    // Act
    const updated = applyProductSettings('ebook', { maxDownloadsPerLink: 5 }, previous, { now: '2026-03-29T00:00:00.000Z', by: 'admin-2' });

    // Assess
    expect(updated).toEqual({
      ...previous,
      maxDownloadsPerLink: 5,
      updatedAt: '2026-03-29T00:00:00.000Z',
      updatedBy: 'admin-2',
      version: 2,
    });
  });

  it('lets 0 overwrite a previous non-zero expiry and limit', () => {
    // Prepare
    const previous = applyProductSettings('ebook', { downloadLinkExpiryDays: 7, maxDownloadsPerLink: 3 }, undefined, META);

    // Act
    const updated = applyProductSettings('ebook', { downloadLinkExpiryDays: 0, maxDownloadsPerLink: 0 }, previous, META);

    // Assess
    expect(updated.downloadLinkExpiryDays).toBe(0);
    expect(updated.maxDownloadsPerLink).toBe(0);
  });

  it('lets an empty file list replace a previous one', () => {
    // Prepare
    const previous = applyProductSettings('ebook', { fileIds: [FILE_A] }, undefined, META);

    // Act
    const updated = applyProductSettings('ebook', { fileIds: [] }, previous, META);

    // Assess
    expect(updated.fileIds).toEqual([]);
  });

  it('collapses duplicate file ids, keeping the first order', () => {
    // Act
    const product = applyProductSettings('ebook', { fileIds: [FILE_B, FILE_A, FILE_B, FILE_A] }, undefined, META);

    // Assess
    expect(product.fileIds).toEqual([FILE_B, FILE_A]);
  });

  it('does not share its file list with the previous product', () => {
    // Prepare
    const previous: DigitalProduct = applyProductSettings('ebook', { fileIds: [FILE_A] }, undefined, META);

    // Act
    const updated = applyProductSettings('ebook', { name: 'renamed' }, previous, META);
    updated.fileIds.push(FILE_B);

    // Assess
    expect(previous.fileIds).toEqual([FILE_A]);
  });

  it.each([
    ['variantOptions', { variantOptions: [{ name: 'Size', values: ['S', 'M'] }] }],
    ['variants', { variants: ['red', 'blue'] }],
    ['options', { options: { size: ['S'] } }],
    ['attributes', { attributes: [{ color: 'red' }] }],
    ['hasVariants', { hasVariants: true }],
    ['a variant string', { variants: 'Size' }],
    ['a variant count', { variantOptions: 2 }],
    ['variants next to valid settings', { fileIds: [FILE_A], options: ['S'] }],
  ])('refuses settings that declare variant options through %s', (_, input) => {
    // Act
    const error = thrown(() => applyProductSettings('ebook', input, undefined, META));

    // Assess
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VARIANT_OPTIONS_NOT_ALLOWED');
    expect((error as DomainError).kind).toBe('invalid');
  });

  it('accepts settings whose variant fields are empty or explicitly off', () => {
    // Prepare
    const input = { variantOptions: [], variants: [], options: {}, attributes: null, hasVariants: false };

    // Act
    const product = applyProductSettings('ebook', input, undefined, META);

    // Assess
    expect(product.productId).toBe('ebook');
  });

  it('tells why variant options are refused', () => {
    // Act
    const error = thrown(() => applyProductSettings('ebook', { variants: ['red'] }, undefined, META));

    // Assess
    expect((error as DomainError).message).toBe('A digital product cannot have variant options: sell each variant as its own product.');
  });

  it.each([
    ['false', false, true],
    ['an empty string', '', true],
    ['a non-empty string', 'Size', false],
    ['true', true, false],
  ])('takes a variant field set to %s as declaring no variants: %s', (_, value, accepted) => {
    // Act
    const apply = () => applyProductSettings('ebook', { variantOptions: value }, undefined, META);

    // Assess
    if (accepted) expect(apply).not.toThrow();
    else expect(apply).toThrow(expect.objectContaining({ code: 'VARIANT_OPTIONS_NOT_ALLOWED' }));
  });

  it('takes stamping as given (text null for the default) and keeps the previous stamping when not named', () => {
    // Prepare
    const stamped = applyProductSettings('ebook', { stamping: { enabled: true } }, undefined, META);
    const withText = applyProductSettings('ebook', { stamping: { enabled: true, text: 'For {customerEmail}' } }, undefined, META);

    // Act
    const renamed = applyProductSettings('ebook', { name: 'renamed' }, withText, META);

    // Assess
    expect(stamped.stamping).toEqual({ enabled: true, text: null });
    expect(withText.stamping).toEqual({ enabled: true, text: 'For {customerEmail}' });
    expect(renamed.stamping).toEqual({ enabled: true, text: 'For {customerEmail}' });
  });

  it('refuses variant options through the schema-parsed request as well', () => {
    // Prepare
    const input = ProductSettingsSchema.parse({ variantOptions: [{ name: 'Size' }] });

    // Act
    const error = thrown(() => applyProductSettings('ebook', input, undefined, META));

    // Assess
    expect((error as DomainError).code).toBe('VARIANT_OPTIONS_NOT_ALLOWED');
  });
});

describe('versions and archiving', () => {
  it('counts every write in the version, and an edit keeps the archive state', () => {
    // Prepare
    const first = applyProductSettings('ebook', {}, undefined, META);
    const archived = withArchived(first, true, { now: '2026-03-29T00:00:00.000Z', by: 'admin-2' });

    // Act
    const edited = applyProductSettings('ebook', { name: 'Renamed' }, archived, META);

    // Assess
    expect([first.version, archived.version, edited.version]).toEqual([1, 2, 3]);
    expect(edited.archivedAt).toBe('2026-03-29T00:00:00.000Z');
    expect(withArchived(edited, false, META).archivedAt).toBeNull();
  });

  it('sells a product only while it is digital and not archived', () => {
    // Prepare
    const product = applyProductSettings('ebook', {}, undefined, META);

    // Act
    const verdicts = [isOnSale(product), isOnSale(withArchived(product, true, META)), isOnSale({ ...product, isDigital: false })];

    // Assess
    expect(verdicts).toEqual([true, false, false]);
  });

  it('gives the version, quoted, as the ETag, and matches If-Match and If-None-Match against it', () => {
    // Prepare
    const product = { ...applyProductSettings('ebook', {}, undefined, META), version: 3 };

    // Act
    const etag = productEtag(product);

    // Assess
    expect(etag).toBe('"3"');
    expect(satisfies({ kind: 'match', etags: ['"3"'] }, product)).toBe(true);
    expect(satisfies({ kind: 'match', etags: ['"2"', '"3"'] }, product)).toBe(true);
    expect(satisfies({ kind: 'match', etags: ['"2"'] }, product)).toBe(false);
    expect(satisfies({ kind: 'match', etags: ['W/"3"'] }, product)).toBe(false);
    expect(satisfies({ kind: 'match', etags: '*' }, product)).toBe(true);
    expect(satisfies({ kind: 'match', etags: '*' }, undefined)).toBe(false);
    expect(satisfies({ kind: 'absent' }, product)).toBe(false);
    expect(satisfies({ kind: 'absent' }, undefined)).toBe(true);
    expect(satisfies({ kind: 'none' }, product)).toBe(true);
  });

  it('orders products by name in any case, then id, and finds them by part of either', () => {
    // Prepare
    const named = (productId: string, name: string | null) => ({ ...applyProductSettings(productId, {}, undefined, META), name });
    const products = [named('b-2', 'zebra'), named('a-1', null), named('c-3', 'Apple'), named('c-4', 'apple')];

    // Act
    const order = [...products].sort((a, b) => compareSortKeys(productSortKey(a), productSortKey(b))).map((p) => p.productId);
    const found = products.filter((p) => matchesFilter(p, { q: 'APP' })).map((p) => p.productId);
    const byId = products.filter((p) => matchesFilter(p, { q: 'b-' })).map((p) => p.productId);
    const archived = [withArchived(named('x', 'X'), true, META), named('y', 'Y')];

    // Assess
    expect(order).toEqual(['a-1', 'c-3', 'c-4', 'b-2']);
    expect(found).toEqual(['c-3', 'c-4']);
    expect(byId).toEqual(['b-2']);
    expect(archived.filter((p) => matchesFilter(p, { status: 'archived' })).map((p) => p.productId)).toEqual(['x']);
    expect(archived.filter((p) => matchesFilter(p, { status: 'active' })).map((p) => p.productId)).toEqual(['y']);
  });
});

describe('sorting and finding products', () => {
  const named = (productId: string, name: string | null) => ({ ...applyProductSettings(productId, {}, undefined, META), name });

  it('compares sort keys by name first, then by id, and equal keys as equal', () => {
    // Act / Assess
    expect(compareSortKeys(['a', 'z'], ['b', 'a'])).toBe(-1);
    expect(compareSortKeys(['b', 'a'], ['a', 'z'])).toBe(1);
    expect(compareSortKeys(['a', 'x'], ['a', 'y'])).toBe(-1);
    expect(compareSortKeys(['a', 'y'], ['a', 'x'])).toBe(1);
    expect(compareSortKeys(['a', 'x'], ['a', 'x'])).toBe(0);
  });

  it('sorts by the first 128 characters of the name, lower-cased', () => {
    // Act
    const key = productSortKey(named('p-1', `${'N'.repeat(200)}`));

    // Assess
    expect(key).toEqual(['n'.repeat(128), 'p-1']);
  });

  it('finds a product by a whole external id in any case, but not by part of one', () => {
    // Prepare
    const product = { ...named('p-1', 'E-book'), externalIds: ['shopify:product:632910392'] };

    // Act / Assess
    expect(matchesFilter(product, { q: 'SHOPIFY:product:632910392' })).toBe(true);
    expect(matchesFilter(product, { q: 'shopify:product:6329' })).toBe(false);
    expect(matchesFilter(product, { q: 'woo:product:1' })).toBe(false);
  });

  it('finds a product without a name only by its id', () => {
    // Prepare
    const product = named('p-1', null);

    // Act / Assess
    expect(matchesFilter(product, { q: 'p-1' })).toBe(true);
    expect(matchesFilter(product, { q: 'e' })).toBe(false);
  });
});

describe('ProductSettingsSchema', () => {
  it('explains a malformed product id, external id or stamping line', () => {
    // Act
    const productId = PRODUCT_ID.safeParse('a b');
    const externalId = EXTERNAL_ID.safeParse('etsy:product:1');
    const line = ProductSettingsSchema.safeParse({ stamping: { enabled: true, text: 'two\nlines' } });

    // Assess
    expect(productId.error?.issues[0]?.message).toBe('may use only letters, digits and . _ : -');
    expect(externalId.error?.issues[0]?.message).toBe('must be one of shopify:product:<id>, stripe:product:<prod_…>, woo:product:<id>');
    expect(line.error?.issues[0]?.message).toBe('one line: no control or format characters');
  });

  it('takes stamping without a text, and trims the text it is given', () => {
    // Act
    const without = ProductSettingsSchema.parse({ stamping: { enabled: true } });
    const trimmed = ProductSettingsSchema.parse({ stamping: { enabled: true, text: '  For {customerEmail}  ' } });

    // Assess
    expect(without.stamping).toEqual({ enabled: true });
    expect(trimmed.stamping?.text).toBe('For {customerEmail}');
  });

  it('accepts a full, valid settings body', () => {
    // Act
    const result = ProductSettingsSchema.safeParse({
      name: 'E-book',
      deliveryMethod: 'EmailDelivered',
      fileIds: [FILE_A],
      downloadLinkExpiryDays: 0,
      maxDownloadsPerLink: 5,
    });

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['negative expiry days', { downloadLinkExpiryDays: -1 }],
    ['fractional expiry days', { downloadLinkExpiryDays: 1.5 }],
    ['expiry days as a string', { downloadLinkExpiryDays: '30' }],
    ['negative max downloads', { maxDownloadsPerLink: -1 }],
    ['fractional max downloads', { maxDownloadsPerLink: 0.5 }],
    ['NaN max downloads', { maxDownloadsPerLink: Number.NaN }],
    ['an unknown delivery method', { deliveryMethod: 'Postal' }],
    ['a lower-case delivery method', { deliveryMethod: 'instantdownload' }],
    ['file ids that are not a list', { fileIds: FILE_A }],
    ['a malformed file id', { fileIds: ['../etc/passwd'] }],
    ['an empty name', { name: '   ' }],
    ['a numeric name', { name: 42 }],
    ['hasVariants as a string', { hasVariants: 'yes' }],
    ['an external id of an unknown storefront', { externalIds: ['etsy:product:1'] }],
    ['a Shopify external id that is not a number', { externalIds: ['shopify:product:abc'] }],
    ['a Stripe external id without prod_', { externalIds: ['stripe:product:price_123'] }],
    ['a WooCommerce external id of 0', { externalIds: ['woo:product:0'] }],
    ['an external id with a trailing space', { externalIds: ['woo:product:12 '] }],
    ['more than 20 external ids', { externalIds: Array.from({ length: 21 }, (_, i) => `woo:product:${i + 1}`) }],
  ])('rejects %s', (_, body) => {
    // Act
    const result = ProductSettingsSchema.safeParse(body);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('externalIds', () => {
  it("accepts the three storefronts' formats and keeps each id once", () => {
    // Prepare
    const body = ProductSettingsSchema.parse({
      externalIds: ['shopify:product:632910392', 'stripe:product:prod_NWjs8kKbJWmuuc', 'woo:product:93', 'woo:product:93'],
    });

    // Act
    const product = applyProductSettings('ebook', body, undefined, META);

    // Assess
    expect(product.externalIds).toEqual(['shopify:product:632910392', 'stripe:product:prod_NWjs8kKbJWmuuc', 'woo:product:93']);
  });

  it('tells whether a string is an external id', () => {
    // Act / Assess
    expect(isExternalId('woo:product:93')).toBe(true);
    expect(isExternalId('woo:product:0')).toBe(false);
  });

  it('lets a new product claim all its ids and release none', () => {
    // Act
    const changes = externalIdChanges({ externalIds: ['woo:product:2'] }, undefined);

    // Assess
    expect(changes).toEqual({ claim: ['woo:product:2'], release: [] });
  });

  it('names the product holding a taken external id, or says another product when it is unknown', () => {
    // Act
    const known = externalIdTaken('woo:product:2', 'ebook');
    const unknown = externalIdTaken('woo:product:2', undefined);

    // Assess
    expect(known.message).toBe('The external id woo:product:2 already names the product ebook: remove it there first. Nothing was changed.');
    expect(unknown.message).toBe('The external id woo:product:2 already names another product: remove it there first. Nothing was changed.');
    expect(unknown).toMatchObject({ kind: 'conflict', code: 'EXTERNAL_ID_TAKEN', name: 'DomainError' });
  });

  it('tells a write which ids it claims and which it lets go of', () => {
    // Act
    const changes = externalIdChanges({ externalIds: ['woo:product:2', 'woo:product:3'] }, { externalIds: ['woo:product:1', 'woo:product:2'] });

    // Assess
    expect(changes).toEqual({ claim: ['woo:product:3'], release: ['woo:product:1'] });
  });
});
