import { z } from 'zod';
import { isValidContentType } from '../core/content-type';
import { DEFAULT_DASHBOARD_DAYS, MAX_DASHBOARD_DAYS } from '../core/dashboard';
import { INSTANCE_ID_PATTERN } from '../core/license';
import { FILE_ID, PRODUCT_ID } from '../core/product';
import { UPDATE_ID_PATTERN } from '../core/product-update';
import { LINK_ID_PATTERN } from '../core/token';
import { MAX_FILE_SIZE } from '../core/use-cases/upload-files';
import { PageQuery } from './shared/page-query';

/**
 * The HTTP API's request schemas, in one module with no cold-start work, so
 * that the handlers validate with them and the OpenAPI document is built from
 * the very same objects. (The download route's path is in its handler, on
 * zod/mini, to keep the hot path's bundle small.)
 */
export { PageQuery };
export { ProductSettingsSchema } from '../core/product';

const fileName = z.string().trim().min(1).max(255);
const contentType = z.string().max(200).refine(isValidContentType, 'must be a MIME type such as application/pdf');

export const StartUploadBody = z.object({ fileName, contentType: contentType.optional(), size: z.number().int().min(0).max(MAX_FILE_SIZE) });
export const CompleteUploadBody = z
  .object({
    parts: z
      .array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
      .max(10_000)
      .optional(),
  })
  .optional();
export const ImportBody = z.object({ key: z.string().min(1).max(1024), fileName: fileName.optional(), contentType: contentType.optional() });
export const BucketQuery = PageQuery.extend({ prefix: z.string().max(1024).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });
export const ResetBody = z
  .object({
    resetCount: z.boolean().optional(),
    expiresInDays: z.number().int().min(0).max(36_500).optional(),
  })
  .strict()
  .optional();

const search = z.string().trim().max(100).optional();
export const ProductListQuery = PageQuery.extend({
  q: search.meta({ description: 'Part of the name or id, in any case' }),
  status: z.enum(['active', 'archived']).optional().meta({ description: 'Only the products on sale, or only the archived ones; both when absent' }),
});
export const FileListQuery = PageQuery.extend({ q: search.meta({ description: "Part of the file's display name, in any case" }) });
export const CustomerSearchQuery = z.object({ email: z.string().trim().min(3).max(320).meta({ description: 'The email address the shopper bought with' }) });

export const ProductPath = z.object({ productId: PRODUCT_ID });
export const UpdatePath = z.object({
  productId: PRODUCT_ID,
  updateId: z.string().regex(UPDATE_ID_PATTERN, 'must be an update id, as POST …/updates answered it'),
});
const replace = z
  .record(FILE_ID, FILE_ID)
  .refine((value) => Object.keys(value).length >= 1 && Object.keys(value).length <= 100, 'name 1 to 100 files to replace')
  .meta({ description: 'Old file id → the id of the completed file that replaces it', example: { '<old fileId>': '<new fileId>' } });
export const UpdateBody = z.object({
  replace,
  notify: z.boolean().optional().meta({ description: 'Tell each customer concerned once: one `ProductUpdated` event and one email' }),
});
export const UpdatePreviewBody = z.object({ replace });
export const FilePath = z.object({ fileId: FILE_ID });
export const CustomerPath = z.object({ customerId: z.string().min(1).max(256) });
export const InvoiceIdPath = z.object({ invoiceId: z.string().min(1).max(128) });
export const InvoicePath = InvoiceIdPath;
export const LinkPath = z.object({ linkId: z.string().regex(LINK_ID_PATTERN, 'must be a link id (22 letters, digits, - or _)') });

// License keys ------------------------------------------------------------------------------------

/** A key as a request names it: its format is checked by the use case (an unknown shape is the same 404 as an unknown key). */
const licenseKey = z.string().min(1).max(512).meta({ description: 'The license key, e.g. `7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA`' });
const instanceId = z
  .string()
  .regex(INSTANCE_ID_PATTERN, 'must be 1 to 128 printable ASCII characters without spaces')
  .meta({ description: "The seller's software instance (a machine or install id it keeps); the same instance activating again is the same activation" });

export const ActivateBody = z.object({ key: licenseKey, instanceId }).strict();
export const DeactivateBody = ActivateBody;
export const ValidateBody = z.object({ key: licenseKey, instanceId: instanceId.optional() }).strict();
export const LicenseKeysImportBody = z
  .object({
    keys: z
      .array(z.string().min(1).max(256))
      .min(1)
      .max(1000)
      .meta({ description: 'The keys, each once (4–128 letters, digits and . _ ~ : + = -); at most 1,000 a request' }),
  })
  .strict();
export const LicensePoolQuery = PageQuery.extend({
  status: z
    .enum(['available', 'assigned'])
    .default('available')
    .meta({ description: 'Keys not sold yet (in the order they are handed out), or sold ones (newest first)' }),
});
export const LicensePath = z.object({ key: licenseKey });

export const DashboardQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_DASHBOARD_DAYS)
    .default(DEFAULT_DASHBOARD_DAYS)
    .meta({ description: `UTC days up to today, 1 to ${MAX_DASHBOARD_DAYS}` }),
});
