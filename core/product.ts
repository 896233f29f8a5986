import { z } from 'zod';
import { invalidInput } from './errors';

export const DELIVERY_METHODS = ['InstantDownload', 'EmailDelivered'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export const PRODUCT_ID = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

export const FILE_ID = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a file id');

/** A product the shop sells as a digital good, with the settings its future links are made from. */
export interface DigitalProduct {
  productId: string;
  name: string | null;
  isDigital: boolean;
  deliveryMethod: DeliveryMethod;
  fileIds: string[];
  downloadLinkExpiryDays: number;
  maxDownloadsPerLink: number;
  updatedAt: string;
  updatedBy: string | null;
}

export const PRODUCT_DEFAULTS = {
  isDigital: true,
  deliveryMethod: 'InstantDownload' as DeliveryMethod,
  fileIds: [] as string[],
  downloadLinkExpiryDays: 30,
  maxDownloadsPerLink: 0,
};

const VARIANT_KEYS = ['variantOptions', 'variants', 'options', 'attributes'] as const;

export const ProductSettingsSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    isDigital: z.boolean().optional(),
    deliveryMethod: z.enum(DELIVERY_METHODS).optional(),
    fileIds: z.array(FILE_ID).max(100).optional(),
    downloadLinkExpiryDays: z.number().int().min(0).max(36_500).optional(),
    maxDownloadsPerLink: z.number().int().min(0).max(1_000_000).optional(),
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
    if (Array.isArray(value)) return value.length > 0;
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
  const base = previous ?? { ...PRODUCT_DEFAULTS, name: null };
  return {
    productId,
    name: input.name ?? base.name,
    isDigital: input.isDigital ?? base.isDigital,
    deliveryMethod: input.deliveryMethod ?? base.deliveryMethod,
    fileIds: [...new Set(input.fileIds ?? base.fileIds)],
    downloadLinkExpiryDays: input.downloadLinkExpiryDays ?? base.downloadLinkExpiryDays,
    maxDownloadsPerLink: input.maxDownloadsPerLink ?? base.maxDownloadsPerLink,
    updatedAt: meta.now,
    updatedBy: meta.by,
  };
};
