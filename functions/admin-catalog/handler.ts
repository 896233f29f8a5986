import { getProduct, listProducts, putProductSettings, setProductArchived } from '../../core/use-cases/manage-products';
import { getProductUpdate, listProductUpdates, previewProductUpdate } from '../../core/use-cases/read-product-updates';
import { startProductUpdate } from '../../core/use-cases/start-product-update';
import { completeUpload, getFile, importObject, listFiles, startUpload } from '../../core/use-cases/upload-files';
import { productEtag, type DigitalProduct } from '../../core/product';
import { importLicenseKeys, listLicensePool } from '../../core/use-cases/manage-license-keys';
import { config } from '../shared/config';
import { catalogStore, fileStorage, licenseStore, linkStore, productUpdateStore } from '../shared/deps';
import { byRoute, httpRoute, json, preconditionOf } from '../shared/http';
// Traces the SDK clients this handler builds (X-Ray subsegments).
import '../shared/observability';
import {
  BucketQuery,
  PageQuery,
  UpdateBody,
  UpdatePath,
  UpdatePreviewBody,
  CompleteUploadBody,
  FileListQuery,
  FilePath,
  ImportBody,
  LicenseKeysImportBody,
  LicensePoolQuery,
  ProductListQuery,
  ProductPath,
  ProductSettingsSchema,
  StartUploadBody,
} from '../schemas';

const catalog = catalogStore();
const uploads = {
  catalog,
  storage: fileStorage(),
  uploadUrlTtlSeconds: config().UPLOAD_URL_TTL_SECONDS,
  multipartThresholdBytes: config().MULTIPART_THRESHOLD_BYTES,
};

const licenseAdmin = { catalog, licenses: licenseStore() };
const releases = { catalog, updates: productUpdateStore(), links: linkStore() };

const admin = true;

/** A product with its ETag, for the next conditional write. */
const productResponse = (product: DigitalProduct, headers: Record<string, string> = {}) => json(200, product, { etag: productEtag(product), ...headers });

/** Digital product settings and files: the catalog side of the admin API. */
export const handler = byRoute('admin-catalog', {
  'GET /admin/products': httpRoute({ admin, query: ProductListQuery }, async ({ query }) => json(200, await listProducts(catalog, query))),
  'GET /admin/products/{productId}': httpRoute({ admin, path: ProductPath }, async ({ path }) => productResponse(await getProduct(catalog, path.productId))),
  'PUT /admin/products/{productId}': httpRoute({ admin, path: ProductPath, body: ProductSettingsSchema }, async ({ path, body, caller, headers, now }) => {
    const { product, created } = await putProductSettings(catalog, path.productId, body, { now, by: caller.sub }, preconditionOf(headers));
    return productResponse(product, created ? { location: `/admin/products/${encodeURIComponent(path.productId)}` } : {});
  }),
  'POST /admin/products/{productId}/archive': httpRoute({ admin, path: ProductPath }, async ({ path, caller, headers, now }) =>
    productResponse(await setProductArchived(catalog, path.productId, true, { now, by: caller.sub }, preconditionOf(headers))),
  ),
  'POST /admin/products/{productId}/unarchive': httpRoute({ admin, path: ProductPath }, async ({ path, caller, headers, now }) =>
    productResponse(await setProductArchived(catalog, path.productId, false, { now, by: caller.sub }, preconditionOf(headers))),
  ),
  'POST /admin/products/{productId}/updates': httpRoute({ admin, path: ProductPath, body: UpdateBody }, async ({ path, body, caller, now }) => {
    const update = await startProductUpdate(releases, path.productId, body, { now, by: caller.sub });
    // Accepted: the links are repointed in batches from here on; the Location shows the progress.
    const location = `/admin/products/${encodeURIComponent(path.productId)}/updates/${update.updateId}`;
    return json(202, update, { location });
  }),
  'GET /admin/products/{productId}/updates': httpRoute({ admin, path: ProductPath, query: PageQuery }, async ({ path, query }) =>
    json(200, await listProductUpdates(releases, path.productId, query)),
  ),
  'POST /admin/products/{productId}/updates/preview': httpRoute({ admin, path: ProductPath, body: UpdatePreviewBody }, async ({ path, body }) =>
    json(200, await previewProductUpdate(releases, path.productId, body)),
  ),
  'GET /admin/products/{productId}/updates/{updateId}': httpRoute({ admin, path: UpdatePath }, async ({ path }) =>
    json(200, await getProductUpdate(releases.updates, path.productId, path.updateId)),
  ),
  'GET /admin/files': httpRoute({ admin, query: FileListQuery }, async ({ query }) => json(200, await listFiles(catalog, query))),
  'POST /admin/files': httpRoute({ admin, body: StartUploadBody }, async ({ body, caller, now }) =>
    json(201, await startUpload(uploads, body, { now, by: caller.sub })),
  ),
  'POST /admin/files/import': httpRoute({ admin, body: ImportBody }, async ({ body, caller, now }) =>
    json(201, await importObject(uploads, body, { now, by: caller.sub })),
  ),
  'GET /admin/files/{fileId}': httpRoute({ admin, path: FilePath }, async ({ path }) => json(200, await getFile(catalog, path.fileId))),
  'POST /admin/files/{fileId}/complete': httpRoute({ admin, path: FilePath, body: CompleteUploadBody }, async ({ path, body, now }) =>
    json(200, await completeUpload(uploads, path.fileId, body ?? {}, now)),
  ),
  'GET /admin/bucket/objects': httpRoute({ admin, query: BucketQuery }, async ({ query }) => json(200, await uploads.storage.list(query))),
  'POST /admin/products/{productId}/license-keys': httpRoute({ admin, path: ProductPath, body: LicenseKeysImportBody }, async ({ path, body, caller, now }) =>
    json(200, await importLicenseKeys(licenseAdmin, path.productId, body.keys, { sub: caller.sub, now })),
  ),
  'GET /admin/products/{productId}/license-keys': httpRoute({ admin, path: ProductPath, query: LicensePoolQuery }, async ({ path, query }) =>
    json(200, await listLicensePool(licenseAdmin, path.productId, query.status, query)),
  ),
});
