import { SHOPIFY_SOURCE_PREFIX } from '../core/connectors/shopify';
import { STRIPE_SOURCE_PREFIX } from '../core/connectors/stripe';
import { OUTGOING_DETAIL_TYPES, OUTGOING_SOURCE, PAYMENT_DETAIL_TYPES, PAYMENT_SOURCE } from '../core/event-names';

/**
 * What the system is made of, described once: the CDK app deploys from this
 * and the local runtime serves from it, so the two cannot drift apart.
 */
export type FunctionName =
  | 'download'
  | 'customer-downloads'
  | 'admin-catalog'
  | 'admin-manager'
  | 'payment-events'
  | 'link-log'
  | 'invoice-outbox'
  | 'delivery-email'
  | 'dispatch-receipts'
  | 'email-events'
  | 'storefront-events'
  | 'woocommerce-webhook'
  | 'licenses'
  | 'license-log'
  | 'product-updates'
  | 'pdf-stamper'
  | 'dashboard-aggregates'
  | 'copy-sweeper';

export { ADMIN_SCOPE } from './scopes';

/**
 * Who may call a route: a signed-in customer, an operator (the admin scope), or
 * anyone (`public`: no JWT; the handler checks the credential the request
 * carries, such as a license key or a webhook signature).
 */
export type Access = 'customer' | 'admin' | 'public';

export interface HttpRoute {
  routeKey: `${'GET' | 'PUT' | 'POST' | 'DELETE'} /${string}`;
  function: FunctionName;
  access: Access;
}

export const HTTP_ROUTES = [
  { routeKey: 'GET /downloads/customer', function: 'customer-downloads', access: 'customer' },
  { routeKey: 'GET /downloads/invoice/{invoiceId}', function: 'customer-downloads', access: 'customer' },
  { routeKey: 'GET /downloads/{token}', function: 'download', access: 'customer' },
  { routeKey: 'GET /admin/products', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/products/{productId}', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'PUT /admin/products/{productId}', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'POST /admin/products/{productId}/archive', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'POST /admin/products/{productId}/unarchive', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'POST /admin/products/{productId}/updates', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/products/{productId}/updates', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'POST /admin/products/{productId}/updates/preview', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/products/{productId}/updates/{updateId}', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/files', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'POST /admin/files', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'POST /admin/files/import', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/files/{fileId}', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'POST /admin/files/{fileId}/complete', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/bucket/objects', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/customers', function: 'admin-manager', access: 'admin' },
  { routeKey: 'GET /admin/customers/{customerId}/downloads', function: 'admin-manager', access: 'admin' },
  { routeKey: 'POST /admin/customers/{customerId}/downloads/reset', function: 'admin-manager', access: 'admin' },
  { routeKey: 'GET /admin/invoices/{invoiceId}/downloads', function: 'admin-manager', access: 'admin' },
  { routeKey: 'POST /admin/invoices/{invoiceId}/downloads/regenerate', function: 'admin-manager', access: 'admin' },
  { routeKey: 'POST /admin/links/{linkId}/reset', function: 'admin-manager', access: 'admin' },
  { routeKey: 'POST /admin/links/{linkId}/revoke', function: 'admin-manager', access: 'admin' },
  { routeKey: 'GET /admin/links/{linkId}/events', function: 'admin-manager', access: 'admin' },
  // The webhook's signature is its credential (no JWT); public routes get their own, lower throttling.
  { routeKey: 'POST /webhooks/woocommerce', function: 'woocommerce-webhook', access: 'public' },
  // License keys: the seller's software calls these without a JWT (the key is the credential).
  { routeKey: 'POST /licenses/activate', function: 'licenses', access: 'public' },
  { routeKey: 'POST /licenses/validate', function: 'licenses', access: 'public' },
  { routeKey: 'POST /licenses/deactivate', function: 'licenses', access: 'public' },
  { routeKey: 'GET /.well-known/license-keys.json', function: 'licenses', access: 'public' },
  { routeKey: 'GET /licenses/customer', function: 'customer-downloads', access: 'customer' },
  { routeKey: 'POST /admin/products/{productId}/license-keys', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/products/{productId}/license-keys', function: 'admin-catalog', access: 'admin' },
  { routeKey: 'GET /admin/licenses/{key}', function: 'admin-manager', access: 'admin' },
  { routeKey: 'GET /admin/licenses/{key}/events', function: 'admin-manager', access: 'admin' },
  { routeKey: 'POST /admin/licenses/{key}/reset-activations', function: 'admin-manager', access: 'admin' },
  { routeKey: 'POST /admin/licenses/{key}/revoke', function: 'admin-manager', access: 'admin' },
  { routeKey: 'GET /admin/customers/{customerId}/licenses', function: 'admin-manager', access: 'admin' },
  { routeKey: 'GET /admin/dashboard', function: 'admin-manager', access: 'admin' },
] as const satisfies readonly HttpRoute[];

/** The route keys a function serves: its handler must answer exactly these (checked at compile time). */
export type RouteKeyOf<F extends FunctionName> = Extract<(typeof HTTP_ROUTES)[number], { function: F }>['routeKey'];

/** An EventBridge event pattern, as much of the syntax as the rules below use. */
export type EventPattern = { source: readonly string[]; 'detail-type': readonly string[] };

/**
 * How a consumer takes its events: EventBridge rule → an SQS queue of its
 * own → the function, in batches with partial failures. A message that keeps
 * failing moves to the queue's dead-letter queue as it is (the event), which
 * is also where the function parks what can never succeed: one format, one
 * redrive. The local bus plays the same policy.
 */
export interface QueuePolicy {
  /** Deliveries of a message before it moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Messages handed to one invocation. */
  batchSize: number;
  /**
   * At most this many concurrent invocations (SQS's maximum concurrency, 2 or
   * more): a cap on what the consumer writes per second that reserves none of
   * the account's Lambda concurrency.
   */
  maxConcurrency: number;
}

export const DEFAULT_QUEUE_POLICY: QueuePolicy = { maxReceiveCount: 5, batchSize: 10, maxConcurrency: 5 };

export interface EventRule {
  id: string;
  pattern: EventPattern;
  function: FunctionName;
}

/** SES's events about the emails it accepted (a configuration set publishing to the default bus). */
export const SES_EVENT_TYPES = ['Email Sent', 'Email Delivered', 'Email Bounced', 'Email Complaint Received', 'Email Rejected'];

export const EVENT_RULES: readonly EventRule[] = [
  {
    id: 'PaymentEvents',
    pattern: { source: [PAYMENT_SOURCE], 'detail-type': PAYMENT_DETAIL_TYPES },
    function: 'payment-events',
  },
  {
    id: 'DeliveryEmails',
    pattern: { source: [OUTGOING_SOURCE], 'detail-type': ['DigitalProductDelivered'] },
    function: 'delivery-email',
  },
  // The system's own events come back to confirm their dispatch (exactly-once publication, core/dispatch.ts).
  {
    id: 'DispatchReceipts',
    pattern: { source: [OUTGOING_SOURCE], 'detail-type': OUTGOING_DETAIL_TYPES },
    function: 'dispatch-receipts',
  },
  {
    id: 'EmailEvents',
    pattern: { source: ['aws.ses'], 'detail-type': SES_EVENT_TYPES },
    function: 'email-events',
  },
];

/**
 * The storefronts that deliver to an EventBridge partner event source
 * (Shopify, Stripe): a rule on the shop's partner event bus (named by CDK
 * context) per provider, matching its sources by prefix, to the connector's
 * queue. Locally the one bus takes these sources too.
 */
export interface PartnerEventRule {
  id: string;
  /** Which partner bus (the CDK context `<provider>EventBus` names it). */
  provider: 'shopify' | 'stripe';
  sourcePrefix: string;
  function: FunctionName;
}

export const PARTNER_EVENT_RULES: readonly PartnerEventRule[] = [
  { id: 'ShopifyEvents', provider: 'shopify', sourcePrefix: SHOPIFY_SOURCE_PREFIX, function: 'storefront-events' },
  { id: 'StripeEvents', provider: 'stripe', sourcePrefix: STRIPE_SOURCE_PREFIX, function: 'storefront-events' },
];

/** The queue policy of each event-driven function (one queue per function, whatever rules feed it). */
export const QUEUE_POLICIES: Partial<Record<FunctionName, Partial<QueuePolicy>>> = {
  // Receipts are tiny and must not lag behind a burst of payments: they decide whether a crashed publisher republishes.
  'dispatch-receipts': { maxConcurrency: 10 },
};

export const queuePolicyOf = (name: FunctionName): QueuePolicy => ({ ...DEFAULT_QUEUE_POLICY, ...QUEUE_POLICIES[name] });

/** Consumers of table streams (asynchronous work that flows from a write). */
export interface StreamConsumer {
  table: 'links' | 'invoices' | 'licenses' | 'productUpdates' | 'linkLog';
  function: FunctionName;
}

/**
 * Stream consumers start at the stream's oldest record (TRIM_HORIZON), so a
 * re-created consumer loses nothing written while it was away; that replays up
 * to 24 hours of changes, which is safe because every effect downstream is
 * idempotent (link log entries by key, outgoing events and emails by their
 * dispatch).
 */
export const STREAM_CONSUMERS: readonly StreamConsumer[] = [
  { table: 'links', function: 'link-log' },
  { table: 'invoices', function: 'invoice-outbox' },
  { table: 'licenses', function: 'license-log' },
  // Stamped copies: made when a stamped link is issued or repointed, removed when it is revoked.
  { table: 'links', function: 'pdf-stamper' },
  // Each step of an update writes the update's progress; that write's record starts the next step.
  { table: 'productUpdates', function: 'product-updates' },
  // The operator dashboard's day counters: served downloads and flags from the links, refusals from the link log.
  { table: 'links', function: 'dashboard-aggregates' },
  { table: 'linkLog', function: 'dashboard-aggregates' },
];

/** Each stream consumer once, with the tables whose streams it reads (dashboard-aggregates reads two): its queues, alarms and widgets are per function. */
export const streamTablesByFunction = (consumers: readonly StreamConsumer[]): Map<FunctionName, StreamConsumer['table'][]> => {
  const byFunction = new Map<FunctionName, StreamConsumer['table'][]>();
  for (const { function: fn, table } of consumers) byFunction.set(fn, [...(byFunction.get(fn) ?? []), table]);
  return byFunction;
};

/** A function run on a schedule: an EventBridge rule in AWS; locally at start and every `everyMinutes` (local/schedules.ts). */
export interface ScheduledRun {
  id: string;
  function: FunctionName;
  everyMinutes: number;
}

export const SCHEDULES: readonly ScheduledRun[] = [
  // Stamped copies of links that expired more than a day ago are removed (docs/updates-and-stamping.md).
  { id: 'CopySweep', function: 'copy-sweeper', everyMinutes: 60 },
];

/** Where each function's handler lives (`export const handler`). */
export const handlerEntry = (name: FunctionName): string => `functions/${name}/handler.ts`;
