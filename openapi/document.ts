import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { type Access, ADMIN_SCOPE, HTTP_ROUTES, type HttpRoute } from '../functions/manifest';
import {
  BucketObjectPage,
  BucketQuery,
  CompleteUploadBody,
  CustomerMatches,
  CustomerPath,
  CustomerDownloadsPage,
  CustomerReset,
  CustomerSearchQuery,
  Dashboard,
  DownloadGrant,
  DownloadLink,
  DownloadLinkPage,
  ErrorResponse,
  File,
  FileListQuery,
  FilePage,
  FilePath,
  ImportBody,
  InvoiceDownloadsPage,
  InvoiceIdPath,
  InvoicePath,
  LinkLogPage,
  LinkPath,
  PageQuery,
  Product,
  ProductListQuery,
  ProductPage,
  ProductPath,
  ProductSettingsSchema,
  ProductUpdatePage,
  ProductUpdatePreview,
  ProductUpdateSchema,
  Regenerated,
  ResetBody,
  StartedUpload,
  StartUploadBody,
  TokenPath,
  Activation,
  CustomerLicensePage,
  Deactivation,
  LicenseImport,
  LicenseJwks,
  LicenseLogPage,
  LicensePoolPage,
  OperatorLicense,
  OperatorLicensePage,
  Validation,
  UpdateBody,
  UpdatePath,
  UpdatePreviewBody,
} from './schemas';
import { DashboardQuery } from '../functions/schemas';
import { ActivateBody, DeactivateBody, LicenseKeysImportBody, LicensePath, LicensePoolQuery, ValidateBody } from '../functions/schemas';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const ok = (description: string, schema: z.ZodType, headers?: ResponseConfig['headers']): ResponseConfig => ({
  description,
  content: json(schema),
  ...(headers ? { headers } : {}),
});
const error = (description: string): ResponseConfig => ({ description, content: json(ErrorResponse) });
/** An absent body is validated as `{}`: it is required only when `{}` is not valid. */
const body = (schema: z.ZodType, description?: string) => ({
  content: json(schema),
  required: !schema.safeParse({}).success,
  ...(description ? { description } : {}),
});

type Request = NonNullable<RouteConfig['request']>;

const etagHeader = z.object({ ETag: z.string().meta({ description: 'The product\'s version, quoted (`"3"`): send it back as `If-Match`', example: '"3"' }) });
const ifMatch = z
  .string()
  .optional()
  .meta({ description: "Change only this version (the `ETag` of a `GET`); `412 PRECONDITION_FAILED` after someone else's change", example: '"3"' });

/** What a route documents beyond its method, path, security and the errors every route shares. */
interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  request?: Request;
  responses: Record<number, ResponseConfig>;
}

/**
 * Every route of `HTTP_ROUTES`, by route key. `buildOpenApiDocument` fails on a
 * route missing here (or an entry here that is no route), so the document
 * cannot drift from what the gateway serves.
 */
const OPERATIONS: Record<string, Operation> = {
  'GET /downloads/customer': {
    operationId: 'listMyDownloads',
    summary: "The caller's download links, newest first",
    description: "The customer is the token's `sub`; never a parameter.",
    request: { query: PageQuery },
    responses: { 200: ok('One page of links', DownloadLinkPage), 400: error('Invalid `limit` or `cursor`') },
  },
  'GET /downloads/invoice/{invoiceId}': {
    operationId: 'listMyInvoiceDownloads',
    summary: "One of the caller's invoices: its download links",
    request: { params: InvoiceIdPath, query: PageQuery },
    responses: {
      200: ok('One page of links', DownloadLinkPage),
      400: error('Invalid input'),
      404: error("`INVOICE_NOT_FOUND`: no such invoice, or not the caller's"),
    },
  },
  'GET /downloads/{token}': {
    operationId: 'download',
    summary: 'Download a file: counts one download',
    description:
      'Answers `302` to a short-lived presigned S3 URL, or with `Accept: application/json` a `200 { url, expiresInSeconds }`. ' +
      'Each successful answer counts one download, atomically. A forged or malformed token is a `404`.\n\n' +
      'A browser that opens a `downloadUrl` without a bearer token (a link in an email, a bookmark) never reaches this route: ' +
      'the local runtime (and CloudFront in AWS) answers its navigation with `302` to `/account/downloads#download=<token>`, ' +
      'the customer page, which signs the customer in and calls this route with the bearer and `Accept: application/json`.',
    request: { params: TokenPath },
    responses: {
      200: ok('With `Accept: application/json`: where to fetch the file', DownloadGrant),
      302: {
        description: "Redirect to the presigned URL (attachment with the file's display name and content type)",
        headers: z.object({
          Location: z.string().meta({ description: 'Presigned S3 GET URL' }),
          'Cache-Control': z.literal('no-store'),
        }),
      },
      403: error('`NOT_LINK_OWNER`, `REVOKED`, `ORDER_ON_HOLD` or `LINK_SUSPENDED_SHARING` (flagged for sharing; an operator reset restores it)'),
      404: error('`LINK_NOT_FOUND`: unknown, forged or malformed token'),
      410: error('`LINK_EXPIRED` or `DOWNLOAD_LIMIT_REACHED`'),
    },
  },
  'GET /admin/products': {
    operationId: 'listProducts',
    summary: 'Digital products and their settings, sorted by name (or id)',
    description: '`q` searches names and ids in any case; `status` keeps the products on sale or the archived ones.',
    request: { query: ProductListQuery },
    responses: { 200: ok('One page of products', ProductPage), 400: error('Invalid `limit` or `cursor`') },
  },
  'GET /admin/products/{productId}': {
    operationId: 'getProduct',
    summary: "A product's digital settings",
    request: { params: ProductPath },
    responses: { 200: ok('The product', Product, etagHeader), 400: error('Invalid product id'), 404: error('`PRODUCT_NOT_FOUND`') },
  },
  'PUT /admin/products/{productId}': {
    operationId: 'putProduct',
    summary: "Create or edit a product's digital settings",
    description:
      'With `If-None-Match: *` it only creates (`412` when the product exists, which stays unchanged); with `If-Match: <ETag>` it only ' +
      "updates that version (`412` after someone else's change). Without either it creates or merges onto the current version. " +
      "Each is one conditional write on the product's `version`. " +
      'Fields left out keep their value (or the default). Links already issued keep the settings they were made with. ' +
      'A product that declares variant options is refused (`VARIANT_OPTIONS_NOT_ALLOWED`); `fileIds` must name completed files.',
    request: {
      params: ProductPath,
      headers: z.object({
        'If-None-Match': z.literal('*').optional().meta({ description: 'Create only: `412 PRECONDITION_FAILED` when the product exists' }),
        'If-Match': ifMatch,
      }),
      body: body(ProductSettingsSchema),
    },
    responses: {
      200: ok(
        'The product after the change (`Location` set when it was created)',
        Product,
        etagHeader.extend({ Location: z.string().optional().meta({ description: 'Set when the product was created' }) }),
      ),
      400: error(
        '`INVALID_INPUT` (see `details`), `INVALID_PRECONDITION`, `VARIANT_OPTIONS_NOT_ALLOWED`, `UNKNOWN_FILE` or `FILE_NOT_READY` (`details` name the `fileIds.N` entries)',
      ),
      409: error(
        '`EXTERNAL_ID_TAKEN`: one of `externalIds` already names another product (nothing changed); `CONCURRENT_CHANGE`: without a precondition, the product kept changing while the change was applied',
      ),
      412: error('`PRECONDITION_FAILED`: the product exists (`If-None-Match: *`) or is no longer the version of `If-Match`; nothing changed'),
    },
  },
  'POST /admin/products/{productId}/archive': {
    operationId: 'archiveProduct',
    summary: 'Archive a product: new purchases get no links (a physical line); links already issued keep working',
    description: 'Archiving an archived product changes nothing. `If-Match` is optional.',
    request: { params: ProductPath, headers: z.object({ 'If-Match': ifMatch }) },
    responses: {
      200: ok('The archived product', Product, etagHeader),
      400: error('Invalid product id'),
      404: error('`PRODUCT_NOT_FOUND`'),
      412: error('`PRECONDITION_FAILED`'),
    },
  },
  'POST /admin/products/{productId}/unarchive': {
    operationId: 'unarchiveProduct',
    summary: 'Put an archived product back on sale',
    request: { params: ProductPath, headers: z.object({ 'If-Match': ifMatch }) },
    responses: {
      200: ok('The product, on sale', Product, etagHeader),
      400: error('Invalid product id'),
      404: error('`PRODUCT_NOT_FOUND`'),
      412: error('`PRECONDITION_FAILED`'),
    },
  },
  'POST /admin/products/{productId}/updates': {
    operationId: 'startProductUpdate',
    summary: "Publish a new version of a product's files to its past buyers",
    description:
      'The product sells the new files from now on, and every link of the product that serves an old file serves its new one ' +
      '(same token, same count and limit; revoked links stay revoked), repointed asynchronously in bounded batches that resume after a crash. ' +
      'Links show `fileVersion` and `updatedUtc`. With `notify`, each customer concerned gets one `ProductUpdated` event and one email. ' +
      'Answers `202` at once; `Location` is the update, whose `GET` shows the progress.',
    request: { params: ProductPath, body: body(UpdateBody) },
    responses: {
      202: ok('The update, started', ProductUpdateSchema, z.object({ Location: z.string().meta({ description: "The update's progress" }) })),
      400: error('`INVALID_INPUT`, `SAME_FILE`, `UNKNOWN_FILE` or `FILE_NOT_READY` (a new file must be completed)'),
      404: error('`PRODUCT_NOT_FOUND`'),
      409: error('`CONCURRENT_CHANGE`: the product kept changing meanwhile'),
    },
  },
  'GET /admin/products/{productId}/updates': {
    operationId: 'listProductUpdates',
    summary: "A product's updates (its published versions), newest first",
    request: { params: ProductPath, query: PageQuery },
    responses: { 200: ok('One page of updates', ProductUpdatePage), 400: error('Invalid input'), 404: error('`PRODUCT_NOT_FOUND`') },
  },
  'POST /admin/products/{productId}/updates/preview': {
    operationId: 'previewProductUpdate',
    summary: 'How many links and customers an update would reach; changes nothing',
    request: { params: ProductPath, body: body(UpdatePreviewBody) },
    responses: { 200: ok('What the update would reach', ProductUpdatePreview), 400: error('Invalid input'), 404: error('`PRODUCT_NOT_FOUND`') },
  },
  'GET /admin/products/{productId}/updates/{updateId}': {
    operationId: 'getProductUpdate',
    summary: "An update's progress",
    request: { params: UpdatePath },
    responses: { 200: ok('The update', ProductUpdateSchema), 400: error('Invalid input'), 404: error('`UPDATE_NOT_FOUND`') },
  },
  'GET /admin/files': {
    operationId: 'listFiles',
    summary: 'The file library: every uploaded or imported file, newest first',
    description: "`q` matches part of the file's display name, in any case.",
    request: { query: FileListQuery },
    responses: { 200: ok('One page of files', FilePage), 400: error('Invalid `limit`, `cursor` or `q`') },
  },
  'POST /admin/files': {
    operationId: 'startUpload',
    summary: 'Start an upload: a presigned PUT, or a multipart upload with a presigned URL per part',
    request: { body: body(StartUploadBody) },
    responses: { 201: ok('The pending file and how to send its bytes', StartedUpload), 400: error('Invalid input, or `FILE_TOO_LARGE`') },
  },
  'POST /admin/files/import': {
    operationId: 'importObject',
    summary: 'Register an object already in the files bucket as a file',
    request: { body: body(ImportBody) },
    responses: {
      201: ok('The file, ready to attach', File),
      400: error('`INVALID_KEY`: `..`, a leading `/`, or inside the upload area'),
      404: error('`OBJECT_NOT_FOUND`'),
    },
  },
  'GET /admin/files/{fileId}': {
    operationId: 'getFile',
    summary: 'A file record: name, size, content type, state',
    request: { params: FilePath },
    responses: { 200: ok('The file', File), 400: error('Invalid file id'), 404: error('`FILE_NOT_FOUND`') },
  },
  'POST /admin/files/{fileId}/complete': {
    operationId: 'completeUpload',
    summary: 'Finish an upload; the file is usable only after this',
    description: 'A multipart upload completes with its parts and their ETags.',
    request: { params: FilePath, body: body(CompleteUploadBody) },
    responses: {
      200: ok('The file, ready', File),
      400: error('`PARTS_REQUIRED`, `INVALID_PARTS` or `UPLOAD_INCOMPLETE` (S3 refused the parts)'),
      404: error('`FILE_NOT_FOUND`'),
      409: error('`UPLOAD_INCOMPLETE`: the bytes have not been sent yet'),
    },
  },
  'GET /admin/bucket/objects': {
    operationId: 'listBucketObjects',
    summary: 'Objects already in the files bucket, to import',
    request: { query: BucketQuery },
    responses: { 200: ok('One page of objects', BucketObjectPage), 400: error('Invalid input') },
  },
  'GET /admin/customers': {
    operationId: 'findCustomers',
    summary: 'Download Manager: the customers who bought with an email address, and their invoices',
    description: 'The address is matched as the storefront sent it, and in lower case.',
    request: { query: CustomerSearchQuery },
    responses: { 200: ok('The matching customers, newest purchase first', CustomerMatches), 400: error('Invalid input') },
  },
  'GET /admin/customers/{customerId}/downloads': {
    operationId: 'listCustomerDownloads',
    summary: "Download Manager: a customer's links, newest first, with their sharing signals and the customer's count of resets",
    request: { params: CustomerPath, query: PageQuery },
    responses: { 200: ok('The customer and one page of links, URLs and sharing signals included', CustomerDownloadsPage), 400: error('Invalid input') },
  },
  'POST /admin/customers/{customerId}/downloads/reset': {
    operationId: 'resetCustomerDownloads',
    summary: "Reset all of a customer's links",
    request: { params: CustomerPath, body: body(ResetBody, 'An empty body resets the counts; `expiresInDays` sets a new expiry (0 = never).') },
    responses: { 200: ok('How many links changed', CustomerReset), 400: error('Invalid input') },
  },
  'GET /admin/invoices/{invoiceId}/downloads': {
    operationId: 'listInvoiceDownloads',
    summary: "Download Manager: an invoice's links and its payment state",
    request: { params: InvoicePath, query: PageQuery },
    responses: {
      200: ok('The invoice and one page of its links, URLs included', InvoiceDownloadsPage),
      400: error('Invalid input'),
      404: error('`INVOICE_NOT_FOUND`'),
    },
  },
  'POST /admin/invoices/{invoiceId}/downloads/regenerate': {
    operationId: 'regenerateInvoiceDownloads',
    summary: 'New links for an invoice; the old tokens stop working at once',
    request: { params: InvoicePath },
    responses: {
      200: ok('The new links', Regenerated),
      400: error('Invalid input'),
      404: error('`INVOICE_NOT_FOUND`'),
      409: error('`INVOICE_REFUNDED`, `ORDER_ON_HOLD` or `CONCURRENT_CHANGE`'),
    },
  },
  'POST /admin/links/{linkId}/reset': {
    operationId: 'resetLink',
    summary: "Reset a link's count and/or set a new expiry; also lifts a sharing flag and its suspension",
    request: { params: LinkPath, body: body(ResetBody, 'An empty body resets the count; `expiresInDays` sets a new expiry (0 = never).') },
    responses: { 200: ok('The link after the change', DownloadLink), 400: error('Invalid input'), 404: error('`LINK_NOT_FOUND`') },
  },
  'POST /admin/links/{linkId}/revoke': {
    operationId: 'revokeLink',
    summary: 'Revoke one link',
    request: { params: LinkPath },
    responses: { 200: ok('The revoked link', DownloadLink), 400: error('Invalid link id'), 404: error('`LINK_NOT_FOUND`') },
  },
  'GET /admin/links/{linkId}/events': {
    operationId: 'readLinkLog',
    summary: "A link's log: downloads served and refused, operators' actions; newest first",
    request: { params: LinkPath, query: PageQuery },
    responses: { 200: ok('One page of the log', LinkLogPage), 400: error('Invalid input'), 404: error('`LINK_NOT_FOUND`') },
  },
  'POST /webhooks/woocommerce': {
    operationId: 'receiveWooCommerceWebhook',
    summary: "WooCommerce's order webhooks (topics order.created and order.updated)",
    description:
      'No JWT: `X-WC-Webhook-Signature` (base64 HMAC-SHA256 of the raw body with the webhook secret) is the credential, checked in constant time; ' +
      "a bad one is a `401` that writes nothing. The creation ping (`webhook_id=<id>`) answers `200`. An order is mapped by its products' " +
      '`externalIds` (`woo:product:<id>`) onto the payment events: `processing`/`completed` delivers, `on-hold` suspends, `refunded`/`cancelled` revokes. ' +
      'One that can never be mapped is parked in the dead letters with its reason and answered `200` (`status: parked`), so WooCommerce does not retry it.',
    request: {
      headers: z.object({
        'X-WC-Webhook-Signature': z.string().optional().meta({ description: 'base64 HMAC-SHA256 of the raw body' }),
        'X-WC-Webhook-Topic': z.string().optional().meta({ description: '`order.created` or `order.updated`' }),
        'X-WC-Webhook-Delivery-ID': z.string().optional(),
      }),
      body: {
        content: { 'application/json': { schema: z.object({}).passthrough().meta({ description: 'The order, as WooCommerce renders it' }) } },
        required: true,
      },
    },
    responses: {
      200: ok(
        'Applied, ignored (a status that changes no delivery), parked, or the ping',
        z.object({ status: z.enum(['applied', 'ignored', 'parked', 'ping']), reason: z.string().optional(), invoiceIds: z.array(z.string()).optional() }),
      ),
      400: error('`INVALID_JSON`'),
      401: error('`INVALID_SIGNATURE`: the signature does not match the body'),
      503: error('`SERVICE_UNAVAILABLE`: a store is down; WooCommerce retries'),
    },
  },
  'POST /licenses/activate': {
    operationId: 'activateLicense',
    summary: "The seller's software takes a seat for an instance",
    description:
      'No JWT: the key is the credential. One conditional write decides: concurrent activations never exceed the limit, and the same `instanceId` again is the same activation. Rate limited per key and per client address.',
    request: { body: body(ActivateBody) },
    responses: {
      200: ok('Activated (or already active on this instance)', Activation),
      400: error('Invalid input'),
      403: error('`LICENSE_REVOKED` or `LICENSE_SUSPENDED`'),
      404: error('`LICENSE_NOT_FOUND`: the same answer for any key that is not sold, whatever its form'),
      409: error('`ACTIVATION_LIMIT_REACHED`'),
    },
  },
  'POST /licenses/validate': {
    operationId: 'validateLicense',
    summary: "The key's state now, with a certificate the software checks offline until it expires",
    description: 'No JWT. A suspended or revoked key, or an instance without a seat, is `valid: false` (and its certificate says so).',
    request: { body: body(ValidateBody) },
    responses: { 200: ok("The key's state and certificate", Validation), 400: error('Invalid input'), 404: error('`LICENSE_NOT_FOUND`') },
  },
  'POST /licenses/deactivate': {
    operationId: 'deactivateLicense',
    summary: "Frees an instance's seat",
    description: 'No JWT. An instance without a seat is fine: the answer is the same.',
    request: { body: body(DeactivateBody) },
    responses: { 200: ok('Seats left after it', Deactivation), 400: error('Invalid input'), 404: error('`LICENSE_NOT_FOUND`') },
  },
  'GET /.well-known/license-keys.json': {
    operationId: 'licenseKeySet',
    summary: 'The public keys (JWKS, Ed25519) license certificates verify against',
    description: 'Every key not yet retired: after a rotation the previous key stays here until its retire date, so certificates issued before keep verifying.',
    responses: { 200: ok('The key set', LicenseJwks) },
  },
  'GET /licenses/customer': {
    operationId: 'listMyLicenses',
    summary: "The caller's license keys, newest first",
    request: { query: PageQuery },
    responses: { 200: ok('One page of keys', CustomerLicensePage), 400: error('Invalid input') },
  },
  'POST /admin/products/{productId}/license-keys': {
    operationId: 'importLicenseKeys',
    summary: "Imports keys into a product's pool",
    description:
      'Idempotent: keys already in this pool are left as they are. A key named twice, or one that exists elsewhere, is refused, and then nothing is imported.',
    request: { params: ProductPath, body: body(LicenseKeysImportBody) },
    responses: {
      200: ok('What was imported, and the pool after it', LicenseImport),
      400: error('`INVALID_INPUT` or `INVALID_LICENSE_KEY`'),
      404: error('`PRODUCT_NOT_FOUND`'),
      409: error('`DUPLICATE_LICENSE_KEYS`'),
    },
  },
  'GET /admin/products/{productId}/license-keys': {
    operationId: 'listLicensePool',
    summary: "A product's pool: keys available or assigned, with both counts",
    request: { params: ProductPath, query: LicensePoolQuery },
    responses: { 200: ok('One page of the pool', LicensePoolPage), 400: error('Invalid input'), 404: error('`PRODUCT_NOT_FOUND`') },
  },
  'GET /admin/licenses/{key}': {
    operationId: 'findLicense',
    summary: 'Download Manager: one key, its owner and its activations',
    request: { params: LicensePath },
    responses: { 200: ok('The key', OperatorLicense), 400: error('Invalid input'), 404: error('`LICENSE_NOT_FOUND`') },
  },
  'GET /admin/licenses/{key}/events': {
    operationId: 'readLicenseLog',
    summary: "A key's log: activations, validations, payment changes, operators' actions; newest first",
    request: { params: LicensePath, query: PageQuery },
    responses: { 200: ok('One page of the log', LicenseLogPage), 400: error('Invalid input'), 404: error('`LICENSE_NOT_FOUND`') },
  },
  'POST /admin/licenses/{key}/reset-activations': {
    operationId: 'resetLicenseActivations',
    summary: 'Frees every seat of a key',
    request: { params: LicensePath },
    responses: { 200: ok('The key after it', OperatorLicense), 400: error('Invalid input'), 404: error('`LICENSE_NOT_FOUND`') },
  },
  'POST /admin/licenses/{key}/revoke': {
    operationId: 'revokeLicense',
    summary: 'Revokes a key for good',
    request: { params: LicensePath },
    responses: { 200: ok('The revoked key', OperatorLicense), 400: error('Invalid input'), 404: error('`LICENSE_NOT_FOUND`') },
  },
  'GET /admin/customers/{customerId}/licenses': {
    operationId: 'listCustomerLicenses',
    summary: "Download Manager: a customer's license keys, newest first",
    request: { params: CustomerPath, query: PageQuery },
    responses: { 200: ok('One page of keys', OperatorLicensePage), 400: error('Invalid input') },
  },
  'GET /admin/dashboard': {
    operationId: 'readDashboard',
    summary: 'The operator dashboard: downloads per day, refusals by reason, top products, flagged links, bounced emails',
    description:
      'From day counters the stream consumers keep (each change counted once, never a table scan): served downloads and flagged links from the links ' +
      "table's stream, refusals from the link log's, bounces from SES's events. Days are UTC; today's counts lag the downloads by the streams' delay (about a second).",
    request: { query: DashboardQuery },
    responses: { 200: ok('The window up to today', Dashboard), 400: error('Invalid input') },
  },
};

const methodOf = (route: HttpRoute) => route.routeKey.slice(0, route.routeKey.indexOf(' ')).toLowerCase() as RouteConfig['method'];
const pathOf = (route: HttpRoute) => route.routeKey.slice(route.routeKey.indexOf(' ') + 1);

/** The errors any route may answer, whatever it does. */
const sharedErrors = (route: HttpRoute, operation: Operation): Record<number, ResponseConfig> => {
  const errors: Record<number, ResponseConfig> =
    (route.access as Access) === 'public' ? {} : { 401: error('`UNAUTHORIZED`: no bearer token, or not a valid one') };
  if (route.access === 'admin') errors[403] = operation.responses[403] ?? error(`\`ADMIN_SCOPE_REQUIRED\`: the token lacks the \`${ADMIN_SCOPE}\` scope`);
  if (operation.request?.body) {
    errors[413] = error('`BODY_TOO_LARGE`');
    errors[415] = error('`UNSUPPORTED_MEDIA_TYPE`: send JSON');
  }
  errors[429] = {
    description: 'Throttled',
    headers: z.object({ 'Retry-After': z.string().optional().meta({ description: 'Seconds to wait' }) }),
    content: json(ErrorResponse),
  };
  errors[500] = error('`INTERNAL_ERROR`');
  return errors;
};

export interface DocumentOptions {
  /** The API's address; the committed document names the local runtime's default. */
  serverUrl?: string;
}

/** The API's OpenAPI 3.1 document, built from the schemas the handlers validate with. */
export const buildOpenApiDocument = (options: DocumentOptions = {}) => {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      `A JWT from the shop's identity provider (Cognito or any OIDC issuer): \`sub\` is the customer id. Admin routes need \`${ADMIN_SCOPE}\` in the \`scope\` claim. ` +
      'Locally, `GET /_local/token?sub=<id>[&scope=downloads/admin]` mints one.',
  });
  const routeKeys = new Set(HTTP_ROUTES.map((r) => r.routeKey as string));
  const missing = [...routeKeys].filter((key) => !OPERATIONS[key]);
  const stale = Object.keys(OPERATIONS).filter((key) => !routeKeys.has(key));
  if (missing.length > 0 || stale.length > 0) {
    throw new Error(`OpenAPI registrations out of step with HTTP_ROUTES: missing ${missing.join(', ') || '-'}; not a route ${stale.join(', ') || '-'}`);
  }
  for (const route of HTTP_ROUTES) {
    const operation = OPERATIONS[route.routeKey] as Operation;
    const admin = route.access === 'admin';
    registry.registerPath({
      method: methodOf(route),
      path: pathOf(route),
      operationId: operation.operationId,
      summary: operation.summary,
      ...(operation.description || admin
        ? { description: [operation.description, admin ? `Needs the \`${ADMIN_SCOPE}\` scope.` : undefined].filter(Boolean).join('\n\n') }
        : {}),
      tags: [route.access],
      security: (route.access as Access) === 'public' ? [] : [{ bearerAuth: admin ? [ADMIN_SCOPE] : [] }],
      ...(admin ? { 'x-required-scope': ADMIN_SCOPE } : {}),
      ...(operation.request ? { request: operation.request } : {}),
      responses: Object.fromEntries(Object.entries({ ...operation.responses, ...sharedErrors(route, operation) }).sort(([a], [b]) => Number(a) - Number(b))),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions, { sortComponents: 'alphabetically' }).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Digital downloads',
      version: '1.0.0',
      description:
        "Delivers a shop's digital goods: payment events in, signed download links out, S3 presigned downloads. " +
        'Errors are `{ "error": { "code", "message", "details"? } }`; for invalid input `details` is `[{ path, message }]` per field. ' +
        'Lists are newest first; unlimited values are `null`.',
    },
    servers: [{ url: options.serverUrl ?? 'http://127.0.0.1:3000' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'customer', description: 'A signed-in customer: their own links' },
      { name: 'admin', description: `Operators (scope \`${ADMIN_SCOPE}\`): products, files, the Download Manager` },
      { name: 'public', description: 'No JWT: the request carries its own credential (a license key, a webhook signature)' },
    ],
  });
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
