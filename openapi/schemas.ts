import { z } from 'zod';
import type { DashboardView } from '../core/dashboard';
import type { fileView } from '../core/file';
import type { DownloadLinkView } from '../core/link';
import type { SharingView } from '../core/sharing';
import type { linkLogView } from '../core/link-log';
import { LICENSE_MODES } from '../core/license';
import { DELIVERY_METHODS, type DigitalProduct } from '../core/product';
import type { UploadInstructions } from '../core/use-cases/upload-files';
import type { CustomerMatch } from '../core/use-cases/find-customers';
import type { customerView, operatorView } from '../core/use-cases/manage-license-keys';
import type { ProductUpdateView } from '../core/product-update';
import type { previewProductUpdate } from '../core/use-cases/read-product-updates';

/**
 * The schemas the OpenAPI document is made of. Request schemas come from the
 * modules the handlers validate with, where those can be imported without a
 * cold start; responses describe the core's views, and a compile-time check
 * below keeps each one equal to the TypeScript type it documents.
 */

export {
  BucketQuery,
  CompleteUploadBody,
  CustomerPath,
  CustomerSearchQuery,
  FileListQuery,
  FilePath,
  ImportBody,
  InvoiceIdPath,
  InvoicePath,
  LinkPath,
  PageQuery,
  ProductListQuery,
  ProductPath,
  ProductSettingsSchema,
  ResetBody,
  StartUploadBody,
  UpdateBody,
  UpdatePath,
  UpdatePreviewBody,
} from '../functions/schemas';

export const TokenPath = z.object({
  token: z.string().meta({ description: "The link's signed token: the last path segment of its `downloadUrl`." }),
});

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

const time = z.string().meta({ description: 'ISO 8601 UTC time', example: '2026-04-27T00:00:00Z' });
const nextCursor = z.string().nullable().meta({ description: 'Pass as `?cursor=` for the next page; null on the last one.' });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'LINK_EXPIRED' }),
      message: z.string(),
      details: z.unknown().optional().meta({ description: 'For 400s: what was wrong, e.g. `[{ path, message }]` per invalid field.' }),
    }),
  })
  .meta({ id: 'Error' });

export const SharingSignals = z
  .object({
    networks: z.number().int().meta({ description: 'Distinct networks (IPv4 /24, IPv6 /48) the link was downloaded from within the window (README: 30 days)' }),
    userAgents: z.number().int().meta({ description: 'Distinct user agents within the window' }),
    flagged: z.boolean().meta({ description: 'Crossed the threshold (more than 5 networks by default); an operator reset clears it' }),
    flaggedUtc: time.nullable(),
    flaggedNetworks: z.number().int().nullable().meta({ description: 'Networks counted when it was flagged' }),
    suspended: z.boolean().meta({ description: 'Refused (403 `LINK_SUSPENDED_SHARING`) until an operator resets it: the product sets `suspendOnSharing`' }),
    evidence: z
      .array(z.object({ network: z.string().meta({ example: '203.0.113.0/24' }), lastSeenUtc: time }))
      .meta({ description: 'Each network within the window and when it was last seen, most recent first' }),
  })
  .meta({ id: 'SharingSignals' });

export const DownloadLink = z
  .object({
    id: z.string(),
    productId: z.string(),
    productName: z.string().nullable().meta({ description: "The product's name when the link was issued; null when it had none." }),
    invoiceId: z.string(),
    fileName: z.string().meta({ example: 'ebook.pdf' }),
    downloadUrl: z.string().nullable().meta({ description: 'null for `EmailDelivered` links in customer views: those reach the customer by email only.' }),
    deliveryMethod: z.enum(DELIVERY_METHODS),
    status: z.enum(['active', 'suspended', 'revoked']),
    expiresUtc: time.nullable().meta({ description: 'null: never expires' }),
    maxDownloads: z.number().int().nullable().meta({ description: 'null: unlimited' }),
    downloadCount: z.number().int(),
    remainingDownloads: z.number().int().nullable().meta({ description: 'null: unlimited' }),
    lastDownloadUtc: time.nullable(),
    isExpired: z.boolean(),
    isDownloadLimitReached: z.boolean(),
    createdUtc: time.nullable(),
    fileVersion: z.number().int().min(1).meta({ description: "1 for the file the link was issued with; each update of the product's file adds one" }),
    updatedUtc: time.nullable().meta({ description: 'When an update last gave the link a new file; null: never' }),
    sharing: SharingSignals.optional().meta({ description: "Operators' views only: the link's sharing signals and their evidence" }),
  })
  .meta({ id: 'DownloadLink' });

export const DownloadLinkPage = z.object({ items: z.array(DownloadLink), nextCursor }).meta({ id: 'DownloadLinkPage' });

export const DownloadGrant = z
  .object({ url: z.string().meta({ description: 'Short-lived presigned S3 GET URL' }), expiresInSeconds: z.number().int() })
  .meta({ id: 'DownloadGrant' });

export const Product = z
  .object({
    productId: z.string(),
    name: z.string().nullable(),
    isDigital: z.boolean(),
    deliveryMethod: z.enum(DELIVERY_METHODS),
    fileIds: z.array(z.string()),
    externalIds: z.array(z.string()).meta({
      description: 'The product in the storefronts (`shopify:product:<id>`, `stripe:product:<prod_…>`, `woo:product:<id>`); each names at most one product.',
    }),
    downloadLinkExpiryDays: z.number().int().meta({ description: '0: links never expire' }),
    maxDownloadsPerLink: z.number().int().meta({ description: '0: unlimited' }),
    updatedAt: time,
    updatedBy: z.string().nullable(),
    version: z.number().int().meta({ description: 'One more on every change; the `ETag` header is this number, quoted (`"3"`).' }),
    archivedAt: time.nullable().meta({ description: 'Set while archived: new purchases get no links (a physical line); links already issued keep working.' }),
    licenseKeys: z
      .object({ mode: z.enum(LICENSE_MODES), activationLimit: z.number().int().meta({ description: '0: unlimited' }) })
      .nullable()
      .meta({ description: 'One license key per unit bought (generated, or from the pool the operator imported); null: none' }),
    stamping: z
      .object({ enabled: z.boolean(), text: z.string().nullable().meta({ description: 'null: "Licensed to {customerEmail} — order {invoiceId}"' }) })
      .nullable()
      .meta({ description: "Each buyer's copy of a PDF carries a line naming them; null: off" }),
    suspendOnSharing: z.boolean().meta({ description: 'A link flagged for sharing is suspended until an operator resets it; false: only flagged' }),
  })
  .meta({ id: 'Product' });

export const ProductPage = z.object({ items: z.array(Product), nextCursor }).meta({ id: 'ProductPage' });

export const File = z
  .object({
    fileId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    state: z.enum(['pending', 'ready']),
    source: z.enum(['upload', 'import']),
    key: z.string().nullable().meta({ description: 'The bucket key of imported files; null for uploads (their keys stay hidden).' }),
    createdAt: time,
    completedAt: time.nullable(),
  })
  .meta({ id: 'File' });

export const FilePage = z.object({ items: z.array(File), nextCursor }).meta({ id: 'FilePage' });

export const UploadInstructionsSchema = z
  .discriminatedUnion('method', [
    z.object({
      method: z.literal('PUT'),
      url: z.string(),
      headers: z.record(z.string(), z.string()).meta({ description: 'Send these headers with the PUT' }),
      expiresInSeconds: z.number().int(),
    }),
    z.object({
      method: z.literal('MULTIPART'),
      partSize: z.number().int().meta({ description: 'Bytes per part; the last part holds the rest' }),
      parts: z.array(z.object({ partNumber: z.number().int(), url: z.string() })),
      expiresInSeconds: z.number().int(),
    }),
  ])
  .meta({ id: 'UploadInstructions' });

export const StartedUpload = z.object({ file: File, upload: UploadInstructionsSchema }).meta({ id: 'StartedUpload' });

export const BucketObjectPage = z
  .object({ items: z.array(z.object({ key: z.string(), size: z.number().int(), lastModified: time })), nextCursor })
  .meta({ id: 'BucketObjectPage' });

export const LinkLogEntry = z
  .object({
    at: time,
    kind: z.enum(['download', 'admin']),
    outcome: z.string().meta({ description: "`ok`, a refusal's error code, or an operator action (`reset`, `revoke`, …)" }),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    actor: z.string().nullable().meta({ description: "The operator's `sub`, for admin actions" }),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'LinkLogEntry' });

export const LinkLogPage = z.object({ linkId: z.string(), sharing: SharingSignals, items: z.array(LinkLogEntry), nextCursor }).meta({ id: 'LinkLogPage' });

export const CustomerDownloadsPage = z
  .object({
    customer: z.object({
      customerId: z.string(),
      resets: z.number().int().meta({ description: "How often an operator reset this customer's links (one per reset request)" }),
    }),
    items: z.array(DownloadLink),
    nextCursor,
  })
  .meta({ id: 'CustomerDownloadsPage' });

const utcDay = z.string().meta({ description: 'A UTC day, `YYYY-MM-DD`', example: '2026-04-27' });
export const Dashboard = z
  .object({
    from: utcDay,
    to: utcDay,
    downloadsPerDay: z
      .array(z.object({ day: utcDay, downloads: z.number().int() }))
      .meta({ description: 'Every day of the window, oldest first; a day without downloads is 0' }),
    totals: z.object({
      downloads: z.number().int(),
      refusals: z.number().int(),
      flaggedLinks: z.number().int().meta({ description: 'Links the sharing signals flagged' }),
      bouncedEmails: z.number().int(),
    }),
    refusalsByReason: z
      .array(z.object({ reason: z.string().meta({ description: "The refusal's error code, e.g. `LINK_EXPIRED`" }), count: z.number().int() }))
      .meta({ description: 'Most first' }),
    topProducts: z.array(z.object({ productId: z.string(), downloads: z.number().int() })).meta({ description: 'Most downloaded first, at most 10' }),
  })
  .meta({ id: 'Dashboard' });

const PaymentStateSchema = z
  .enum(['paid', 'on_hold', 'refunded'])
  .nullable()
  .meta({ description: 'The payment state the latest event decided; null before any payment event' });

export const CustomerMatchSchema = z
  .object({
    customerId: z.string(),
    invoices: z.array(z.object({ invoiceId: z.string(), state: PaymentStateSchema, createdAt: time })).meta({ description: 'Newest first' }),
  })
  .meta({ id: 'CustomerMatch' });

export const CustomerMatches = z
  .object({ email: z.string(), items: z.array(CustomerMatchSchema).meta({ description: 'Customers who bought with this address, newest purchase first' }) })
  .meta({ id: 'CustomerMatches' });

export const InvoiceDownloadsPage = z
  .object({
    invoice: z.object({ invoiceId: z.string(), customerId: z.string().nullable(), customerEmail: z.string().nullable(), state: PaymentStateSchema }),
    items: z.array(DownloadLink),
    nextCursor,
  })
  .meta({ id: 'InvoiceDownloadsPage' });

export const CustomerReset = z.object({ customerId: z.string(), updated: z.number().int() }).meta({ id: 'CustomerReset' });

export const Regenerated = z.object({ invoiceId: z.string(), items: z.array(DownloadLink), nextCursor: z.null() }).meta({ id: 'Regenerated' });

const licenseStatus = z.enum(['active', 'suspended', 'revoked']);

export const CustomerLicense = z
  .object({
    key: z.string().meta({ example: '7K3QD-9XW2M-4H8TZ-C1V5N-PB6RJ-0QXEA' }),
    productId: z.string(),
    productName: z.string().nullable(),
    invoiceId: z.string().nullable(),
    status: licenseStatus,
    activationLimit: z.number().int().nullable().meta({ description: 'null: unlimited' }),
    activations: z.number().int().meta({ description: 'Instances active now' }),
    activationsLeft: z.number().int().nullable().meta({ description: 'null: unlimited' }),
    assignedUtc: time.nullable(),
  })
  .meta({ id: 'License' });

export const CustomerLicensePage = z.object({ items: z.array(CustomerLicense), nextCursor }).meta({ id: 'LicensePage' });

export const OperatorLicense = CustomerLicense.extend({
  status: z.enum(['available', 'active', 'suspended', 'revoked']).meta({ description: '`available`: in a pool, not sold yet' }),
  source: z.enum(LICENSE_MODES),
  customerId: z.string().nullable(),
  importedUtc: time.nullable(),
  lastValidatedUtc: time.nullable(),
  instances: z.array(z.object({ instanceId: z.string(), activationId: z.string(), activatedUtc: z.string() })),
}).meta({ id: 'OperatorLicense' });

export const OperatorLicensePage = z.object({ customerId: z.string(), items: z.array(OperatorLicense), nextCursor }).meta({ id: 'CustomerLicenses' });

export const LicensePoolPage = z
  .object({
    productId: z.string(),
    status: z.enum(['available', 'assigned']),
    counts: z.object({ available: z.number().int(), assigned: z.number().int() }),
    items: z.array(OperatorLicense),
    nextCursor,
  })
  .meta({ id: 'LicensePool' });

export const LicenseImport = z
  .object({
    productId: z.string(),
    imported: z.number().int(),
    alreadyImported: z.number().int().meta({ description: 'Keys already in this pool: an import repeated imports nothing twice' }),
    available: z.number().int(),
    assigned: z.number().int(),
  })
  .meta({ id: 'LicenseImport' });

export const LicenseLogPage = z
  .object({
    key: z.string(),
    items: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(['assigned', 'imported', 'activated', 'deactivated', 'validated', 'reset', 'revoked', 'payment']),
        instanceId: z.string().nullable(),
        actor: z.string().nullable().meta({ description: "The operator's `sub`, for admin actions" }),
        ip: z.string().nullable(),
        userAgent: z.string().nullable(),
        status: z.string().nullable(),
      }),
    ),
    nextCursor,
  })
  .meta({ id: 'LicenseLogPage' });

export const Activation = z
  .object({
    activationId: z.string().meta({ description: 'The same for the same key and instance: activating again is the same activation' }),
    activationsLeft: z.number().int().nullable().meta({ description: 'null: unlimited' }),
  })
  .meta({ id: 'Activation' });

export const Deactivation = z.object({ activationsLeft: z.number().int().nullable() }).meta({ id: 'Deactivation' });

export const Validation = z
  .object({
    valid: z.boolean().meta({ description: 'Active, and (when `instanceId` is given) activated on that instance' }),
    status: licenseStatus,
    productId: z.string(),
    activationsLeft: z.number().int().nullable(),
    certificate: z.string().meta({
      description:
        'A compact JWS (EdDSA, `typ: license+jwt`) over `{ key, productId, instanceId, status, valid, iss, iat, exp }`; verify it offline with `/.well-known/license-keys.json`',
    }),
    certificateExpiresUtc: z.string(),
  })
  .meta({ id: 'Validation' });

export const LicenseJwks = z
  .object({
    keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') }).passthrough()),
  })
  .meta({ id: 'LicenseKeySet' });
export const ProductUpdateSchema = z
  .object({
    productId: z.string(),
    updateId: z.string(),
    replace: z.record(z.string(), z.string()).meta({ description: 'Old file id → new file id' }),
    notify: z.boolean(),
    status: z.enum(['repointing', 'notifying', 'done']).meta({ description: 'Links are repointed first, then (with `notify`) customers are told' }),
    batches: z.number().int().meta({ description: 'Steps done so far (a page of links each)' }),
    scanned: z.number().int().meta({ description: 'Links of the product read so far' }),
    repointed: z.number().int().meta({ description: 'Links this update gave the new file' }),
    skipped: z.number().int().meta({ description: 'Links left as they are: revoked, or serving another file' }),
    customersNotified: z.number().int(),
    createdUtc: time,
    createdBy: z.string().nullable(),
    updatedUtc: time,
    finishedUtc: time.nullable(),
  })
  .meta({ id: 'ProductUpdate' });

export const ProductUpdatePage = z.object({ items: z.array(ProductUpdateSchema), nextCursor }).meta({ id: 'ProductUpdatePage' });

export const ProductUpdatePreview = z
  .object({
    productId: z.string(),
    links: z.number().int().meta({ description: 'Links that serve one of the old files and are not revoked' }),
    customers: z.number().int().meta({ description: 'Distinct customers those links belong to: whom the update reaches' }),
    complete: z.boolean().meta({ description: 'false: the product has more links than a preview reads (50,000); the counts are a lower bound' }),
  })
  .meta({ id: 'ProductUpdatePreview' });

// ---------------------------------------------------------------------------
// Each response schema is exactly the type the core returns: change one and
// `tsc` fails here until the other follows.
// ---------------------------------------------------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type ResponseSchemaChecks = [
  Assert<Equals<z.infer<typeof DownloadLink>, DownloadLinkView>>,
  Assert<Equals<z.infer<typeof Product>, Mutable<DigitalProduct>>>,
  Assert<Equals<z.infer<typeof File>, ReturnType<typeof fileView>>>,
  Assert<Equals<z.infer<typeof LinkLogEntry>, ReturnType<typeof linkLogView>>>,
  Assert<Equals<z.infer<typeof SharingSignals>, SharingView>>,
  Assert<Equals<z.infer<typeof Dashboard>, DashboardView>>,
  Assert<Equals<z.infer<typeof UploadInstructionsSchema>, UploadInstructions>>,
  Assert<Equals<z.infer<typeof CustomerMatchSchema>, CustomerMatch>>,
  Assert<Equals<z.infer<typeof CustomerLicense>, ReturnType<typeof customerView>>>,
  Assert<Equals<z.infer<typeof OperatorLicense>, ReturnType<typeof operatorView>>>,
  Assert<Equals<z.infer<typeof ProductUpdateSchema>, ProductUpdateView>>,
  Assert<Equals<z.infer<typeof ProductUpdatePreview>, Awaited<ReturnType<typeof previewProductUpdate>>>>,
];
