import { z } from 'zod';
import { conflict, invalidInput } from './errors';
import { type LicenseKeySettings, LicenseKeySettingsSchema } from './license';

export const DELIVERY_METHODS = ['InstantDownload', 'EmailDelivered'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export const PRODUCT_ID = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'may use only letters, digits and . _ : -');

/**
 * How a storefront names the same product (contract: Digital product settings): the connectors find the
 * product of a line by it. Shopify and WooCommerce ids are numbers, Stripe's are `prod_…`.
 */
export const EXTERNAL_ID_FORMATS = ['shopify:product:<id>', 'stripe:product:<prod_…>', 'woo:product:<id>'] as const;
const EXTERNAL_ID_PATTERN = /^(?:shopify:product:[1-9][0-9]{0,19}|stripe:product:prod_[A-Za-z0-9]{1,64}|woo:product:[1-9][0-9]{0,19})$/;
export const EXTERNAL_ID = z
  .string()
  .max(128)
  .regex(EXTERNAL_ID_PATTERN, `must be one of ${EXTERNAL_ID_FORMATS.join(', ')}`);
/** Names per product: a few per storefront is plenty, and a product's write stays one transaction. */
export const MAX_EXTERNAL_IDS = 20;

export const isExternalId = (value: string): boolean => EXTERNAL_ID_PATTERN.test(value);

export const FILE_ID = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a file id (22 letters, digits, - or _)');

/** A product the shop sells as a digital good, with the settings its future links are made from. */
export interface DigitalProduct {
  productId: string;
  name: string | null;
  isDigital: boolean;
  deliveryMethod: DeliveryMethod;
  fileIds: string[];
  /** The product's names in the shop's storefronts (`shopify:product:<id>`, …); each names at most one product. */
  externalIds: string[];
  downloadLinkExpiryDays: number;
  maxDownloadsPerLink: number;
  updatedAt: string;
  updatedBy: string | null;
  /** One more on every write: the product's ETag, and what the next conditional write expects. */
  version: number;
  /** Set while archived: not sold to new purchases; links already issued keep working. */
  archivedAt: string | null;
  /** Sold with license keys: one per unit bought (core/license.ts); null for none. */
  licenseKeys: LicenseKeySettings | null;
  /** Each buyer's copy of a PDF carries a line naming them (core/stamp.ts); null: files are served as they are. */
  stamping: Stamping | null;
  /** A link of this product flagged for sharing (core/sharing.ts) is suspended until an operator resets it. */
  suspendOnSharing: boolean;
}

export interface Stamping {
  enabled: boolean;
  /** The line, with `{customerEmail}`, `{invoiceId}`, `{customerId}` filled in; null: the default. */
  text: string | null;
}

export const PRODUCT_DEFAULTS = {
  isDigital: true,
  deliveryMethod: 'InstantDownload' as DeliveryMethod,
  fileIds: [] as string[],
  externalIds: [] as string[],
  downloadLinkExpiryDays: 30,
  maxDownloadsPerLink: 0,
  licenseKeys: null as LicenseKeySettings | null,
  suspendOnSharing: false,
};

const VARIANT_KEYS = ['variantOptions', 'variants', 'options', 'attributes'] as const;

export const ProductSettingsSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    isDigital: z.boolean().optional(),
    deliveryMethod: z.enum(DELIVERY_METHODS).optional(),
    fileIds: z.array(FILE_ID).max(100).optional(),
    externalIds: z.array(EXTERNAL_ID).max(MAX_EXTERNAL_IDS).optional(),
    downloadLinkExpiryDays: z.number().int().min(0).max(36_500).optional(),
    maxDownloadsPerLink: z.number().int().min(0).max(1_000_000).optional(),
    /** `{ mode: generated | pool, activationLimit }`; null takes license keys off the product (keys already sold stay). */
    licenseKeys: LicenseKeySettingsSchema.nullable().optional(),
    stamping: z
      .object({
        enabled: z.boolean(),
        text: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'one line: no control or format characters')
          .optional()
          .meta({
            description: 'The line on every page; `{customerEmail}`, `{invoiceId}` and `{customerId}` are filled in',
            example: 'Licensed to {customerEmail} — order {invoiceId}',
          }),
      })
      .optional()
      .meta({ description: "Each buyer's copy of a PDF carries a line naming them, on every page and in its metadata; other files are served as they are" }),
    suspendOnSharing: z.boolean().optional().meta({
      description:
        'A link downloaded from more networks than the sharing threshold allows is suspended (403 `LINK_SUSPENDED_SHARING`) until an operator resets it; default false: only flagged',
    }),
    hasVariants: z.boolean().optional(),
    variantOptions: z.unknown().optional(),
    variants: z.unknown().optional(),
    options: z.unknown().optional(),
    attributes: z.unknown().optional(),
  })
  .meta({ id: 'ProductSettings' });
export type ProductSettingsInput = z.infer<typeof ProductSettingsSchema>;

const declaresVariants = (input: ProductSettingsInput): boolean =>
  input.hasVariants === true ||
  VARIANT_KEYS.some((key) => {
    const value = input[key];
    if (value === undefined || value === null) return false;
    // An array is an object too: its keys are its indexes.
    if (typeof value === 'object') return Object.keys(value).length > 0;
    return value !== false && value !== '';
  });

/**
 * The settings after a PUT: what the request names, the rest kept from before
 * (or the defaults). A digital product cannot have variant options.
 */
export const applyProductSettings = (
  productId: string,
  input: ProductSettingsInput,
  previous: DigitalProduct | undefined,
  meta: { now: string; by: string | null },
): DigitalProduct => {
  if (declaresVariants(input)) {
    throw invalidInput('A digital product cannot have variant options: sell each variant as its own product.', undefined, 'VARIANT_OPTIONS_NOT_ALLOWED');
  }
  const base: Omit<DigitalProduct, 'productId' | 'updatedAt' | 'updatedBy' | 'version' | 'archivedAt'> = previous ?? {
    ...PRODUCT_DEFAULTS,
    name: null,
    stamping: null,
  };
  return {
    productId,
    name: input.name ?? base.name,
    isDigital: input.isDigital ?? base.isDigital,
    deliveryMethod: input.deliveryMethod ?? base.deliveryMethod,
    fileIds: [...new Set(input.fileIds ?? base.fileIds)],
    externalIds: [...new Set(input.externalIds ?? base.externalIds)],
    downloadLinkExpiryDays: input.downloadLinkExpiryDays ?? base.downloadLinkExpiryDays,
    maxDownloadsPerLink: input.maxDownloadsPerLink ?? base.maxDownloadsPerLink,
    licenseKeys: input.licenseKeys === undefined ? (base.licenseKeys ?? null) : input.licenseKeys,
    updatedAt: meta.now,
    updatedBy: meta.by,
    version: (previous?.version ?? 0) + 1,
    archivedAt: previous?.archivedAt ?? null,
    stamping: input.stamping ? { enabled: input.stamping.enabled, text: input.stamping.text ?? null } : (base.stamping ?? null),
    suspendOnSharing: input.suspendOnSharing ?? base.suspendOnSharing ?? false,
  };
};

/** The product archived (or back on sale), as one more version. */
export const withArchived = (product: DigitalProduct, archived: boolean, meta: { now: string; by: string | null }): DigitalProduct => ({
  ...product,
  archivedAt: archived ? meta.now : null,
  updatedAt: meta.now,
  updatedBy: meta.by,
  version: product.version + 1,
});

/** Whether a purchase of this product gets links: an archived or non-digital product is a physical line. */
export const isOnSale = (product: Pick<DigitalProduct, 'isDigital' | 'archivedAt'>): boolean => product.isDigital && !product.archivedAt;

/** The product's HTTP ETag: its version, quoted (a strong validator). */
export const productEtag = (product: Pick<DigitalProduct, 'version'>): string => `"${product.version}"`;

/**
 * What a conditional write of a product requires (`If-None-Match: *` → absent,
 * `If-Match: <etags>|*` → one of these versions), or nothing.
 */
export type Precondition = { kind: 'none' } | { kind: 'absent' } | { kind: 'match'; etags: '*' | string[] };

/** Whether `current` (undefined: no such product) satisfies an `If-Match` / `If-None-Match`. */
export const satisfies = (precondition: Precondition, current: DigitalProduct | undefined): boolean => {
  if (precondition.kind === 'none') return true;
  if (precondition.kind === 'absent') return current === undefined;
  if (!current) return false;
  return precondition.etags === '*' || precondition.etags.includes(productEtag(current));
};

/** Products as the console lists them: by name (or id), then id; `q` matches either, in any case. */
export const productSortKey = (product: Pick<DigitalProduct, 'name' | 'productId'>): [string, string] => [
  // 128 characters are plenty to order by, and keep a cursor of the key short.
  (product.name ?? product.productId).toLowerCase().slice(0, 128),
  product.productId,
];

export const compareSortKeys = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

export interface ProductFilter {
  q?: string | undefined;
  status?: 'active' | 'archived' | undefined;
}

export const matchesFilter = (product: DigitalProduct, filter: ProductFilter): boolean => {
  if (filter.status === 'active' && product.archivedAt) return false;
  if (filter.status === 'archived' && !product.archivedAt) return false;
  const q = filter.q?.trim().toLowerCase();
  return (
    !q ||
    product.productId.toLowerCase().includes(q) ||
    product.name?.toLowerCase().includes(q) === true ||
    product.externalIds.some((id) => id.toLowerCase() === q)
  );
};

/** What a write of `next` changes in the external ids' claims: the ids to claim and those `previous` held and lets go. */
export const externalIdChanges = (next: Pick<DigitalProduct, 'externalIds'>, previous: Pick<DigitalProduct, 'externalIds'> | undefined) => {
  const before = new Set(previous?.externalIds ?? []);
  const after = new Set(next.externalIds);
  return { claim: [...after].filter((id) => !before.has(id)), release: [...before].filter((id) => !after.has(id)) };
};

/** An external id names at most one product: one another product holds is a 409 that names it. */
export const externalIdTaken = (externalId: string, productId: string | undefined) =>
  conflict(
    'EXTERNAL_ID_TAKEN',
    `The external id ${externalId} already names ${productId ? `the product ${productId}` : 'another product'}: remove it there first. Nothing was changed.`,
  );
