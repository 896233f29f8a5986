import { OUTGOING_SOURCE, PAYMENT_DETAIL_TYPES, PAYMENT_SOURCE } from '../core/events';

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
  | 'delivery-email';

/** The scope an admin token carries: API Gateway checks it on every admin route, the handlers check it again. */
export const ADMIN_SCOPE = 'downloads/admin';

export type Access = 'customer' | 'admin';

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
] as const satisfies readonly HttpRoute[];

/** The route keys a function serves: its handler must answer exactly these (checked at compile time). */
export type RouteKeyOf<F extends FunctionName> = Extract<(typeof HTTP_ROUTES)[number], { function: F }>['routeKey'];

/** An EventBridge event pattern, as much of the syntax as the rules below use. */
export type EventPattern = { source: string[]; 'detail-type': string[] };

export interface EventRule {
  id: string;
  pattern: EventPattern;
  function: FunctionName;
}

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
];

/** Consumers of table streams (asynchronous work that flows from a write). */
export interface StreamConsumer {
  table: 'links' | 'invoices';
  function: FunctionName;
}

export const STREAM_CONSUMERS: readonly StreamConsumer[] = [
  { table: 'links', function: 'link-log' },
  { table: 'invoices', function: 'invoice-outbox' },
];

/** Where each function's handler lives (`export const handler`). */
export const handlerEntry = (name: FunctionName): string => `functions/${name}/handler.ts`;
