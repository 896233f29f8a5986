// zod/mini: the classic API weighs ~450 KB in every bundle; this file is on the download's cold start.
import * as z from 'zod/mini';

/**
 * The functions' environment, parsed once at cold start. A missing or wrong
 * value fails the cold start loudly instead of a request later.
 */
const optionalUrl = z.optional(z.url());
const name = z.string().check(z.minLength(1));
const integer = (min: number, max: number, fallback: number) => z._default(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);

const ConfigSchema = z.object({
  AWS_REGION: z._default(name, 'us-east-1'),
  LINKS_TABLE: name,
  INVOICES_TABLE: name,
  PRODUCTS_TABLE: name,
  EXTERNAL_IDS_TABLE: name,
  FILES_TABLE: name,
  LINK_LOG_TABLE: name,
  DISPATCHES_TABLE: name,
  LICENSES_TABLE: name,
  LICENSE_LOG_TABLE: name,
  /** The license-certificate keyring (Ed25519 seeds, in the link keyring's format). */
  LICENSE_KEY_SECRET_ID: name,
  /** How long a license certificate verifies offline. */
  LICENSE_CERTIFICATE_TTL_SECONDS: integer(60, 90 * 86_400, 7 * 86_400),
  /** The activation API's limits per warm instance: per key, and per client address (0 = off). */
  LICENSE_RATE_LIMIT_PER_KEY_PER_MINUTE: integer(0, 1_000_000, 60),
  LICENSE_RATE_LIMIT_PER_KEY_BURST: integer(1, 1_000_000, 60),
  LICENSE_RATE_LIMIT_PER_CLIENT_PER_MINUTE: integer(0, 1_000_000, 300),
  LICENSE_RATE_LIMIT_PER_CLIENT_BURST: integer(1, 1_000_000, 120),
  PRODUCT_UPDATES_TABLE: name,
  DASHBOARD_TABLE: name,
  FILES_BUCKET: name,
  PUBLIC_BASE_URL: z.url(),
  SIGNING_KEY_SECRET_ID: name,
  DEAD_LETTER_QUEUE_URL: z.optional(name),
  EVENT_BUS_NAME: z._default(name, 'default'),
  /** How long a presigned download URL lives: long enough to follow the 302 and resume a few times, short enough that a leaked URL is useless. */
  PRESIGNED_URL_TTL_SECONDS: integer(10, 300, 120),
  UPLOAD_URL_TTL_SECONDS: integer(60, 7 * 86_400, 3600),
  MULTIPART_THRESHOLD_BYTES: integer(5 * 1024 * 1024, 5 * 1024 ** 4, 16 * 1024 * 1024),
  /** Per customer, per warm instance; 0 turns the limiter off (API Gateway's stage throttling still applies). */
  DOWNLOAD_RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000, 120),
  DOWNLOAD_RATE_LIMIT_BURST: integer(1, 1_000_000, 60),
  LINK_LOG_RETENTION_DAYS: integer(1, 3650, 365),
  /** Sharing signals (core/sharing.ts): a link downloaded from more than SHARING_NETWORK_THRESHOLD networks within SHARING_WINDOW_DAYS is flagged. */
  SHARING_WINDOW_DAYS: integer(1, 365, 30),
  SHARING_NETWORK_THRESHOLD: integer(1, 1000, 5),
  /** Links an update repoints per step (one stream record each); a step must fit well within the consumer's 30 s. */
  UPDATE_BATCH_SIZE: integer(1, 1000, 200),
  DYNAMODB_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  EVENTBRIDGE_ENDPOINT: optionalUrl,
  SQS_ENDPOINT: optionalUrl,
  SECRETS_MANAGER_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  SENDER_EMAIL: z._default(name, 'downloads@shop.example.com'),
  /** The SES configuration set whose events (sent, bounced, complained) come back on the bus. */
  SES_CONFIGURATION_SET: z.optional(name),
  /** The customer's "My downloads" page, linked from every email. @default <PUBLIC_BASE_URL>/account/downloads */
  ACCOUNT_PAGE_URL: optionalUrl,
  /** The shop's name in emails. */
  SHOP_NAME: z.optional(name),
  /** Sent by the CloudFront distribution with every API request: only then is its `x-dd-viewer-address` the caller's address. */
  EDGE_TOKEN: z.optional(name),
  /** A claim on an outgoing event or email is exclusive this long; a later attempt waits this long plus the grace for its receipt. */
  /** The storefront connectors' secrets: the value itself (locally), or the Secrets Manager secret that holds it (AWS). */
  WOOCOMMERCE_WEBHOOK_SECRET: z.optional(name),
  WOOCOMMERCE_WEBHOOK_SECRET_ID: z.optional(name),
  STRIPE_SECRET_KEY: z.optional(name),
  STRIPE_SECRET_KEY_ID: z.optional(name),
  /** The Stripe API's base URL. @default Stripe's */
  STRIPE_API_BASE: optionalUrl,
  /** How each connector derives the customer id from an order (core/connectors/*: `{id}`, `{email}`, `{client_reference_id}`, `{customer}`). */
  SHOPIFY_CUSTOMER_ID: z.optional(name),
  STRIPE_CUSTOMER_ID: z.optional(name),
  WOOCOMMERCE_CUSTOMER_ID: z.optional(name),
  DISPATCH_LEASE_SECONDS: integer(1, 900, 30),
  DISPATCH_GRACE_SECONDS: integer(0, 300, 5),
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

export const config = (): Config => {
  if (!cached) {
    const parsed = ConfigSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')}`);
    }
    cached = parsed.data;
  }
  return cached;
};
