import { DomainError } from '../../core/errors';
import { isWooPing, translateWooCommerce, verifyWooSignature } from '../../core/connectors/woocommerce';
import { applyStorefrontEvent } from '../../core/use-cases/apply-storefront-event';
import { connectorOptions, wooWebhookSecret } from '../shared/connector-deps';
import { catalogStore, deadLetters, invoiceStore, linkStore } from '../shared/deps';
import { json, publicRoute } from '../shared/http';
import { logger } from '../shared/logger';
import { countMetric } from '../shared/metrics';
// Traces the SDK clients this handler builds (X-Ray subsegments).
import '../shared/observability';

const deps = {
  invoices: invoiceStore(),
  links: linkStore(),
  catalog: catalogStore(),
  log: { warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, extra ?? {}) },
};

const headerOf = (headers: Record<string, string | undefined>, name: string) => {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
};

/**
 * `POST /webhooks/woocommerce`: WooCommerce's order webhooks. No JWT: the
 * `X-WC-Webhook-Signature` (base64 HMAC-SHA256 of the raw body with the
 * webhook's secret, compared in constant time) is the credential, and a bad
 * one is a 401 before anything is read or written. The creation ping is a
 * 200. A signed order is translated and applied like every payment event;
 * one that can never be mapped is parked with its reason and answered 200,
 * so WooCommerce does not retry it forever.
 */
/** A WooCommerce order renders about 1 KB per line (taxes, meta data): a large order is hundreds of KB. */
const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

export const handler = publicRoute({ maxBodyBytes: MAX_WEBHOOK_BYTES }, async ({ rawBody, headers, now }) => {
  if (isWooPing(rawBody)) return json(200, { status: 'ping' });
  const signature = headerOf(headers, 'x-wc-webhook-signature');
  if (!verifyWooSignature(rawBody, signature, await wooWebhookSecret()())) {
    countMetric('WebhookSignatureRejected', { provider: 'woocommerce' });
    throw new DomainError('unauthorized', 'INVALID_SIGNATURE', 'The X-WC-Webhook-Signature does not match the body: check the webhook secret.');
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new DomainError('invalid', 'INVALID_JSON', 'The webhook body is not valid JSON.');
  }
  const topic = headerOf(headers, 'x-wc-webhook-topic');
  const deliveryId = headerOf(headers, 'x-wc-webhook-delivery-id');
  const translation = translateWooCommerce({ topic, deliveryId, body }, connectorOptions().woocommerce);
  const outcome = await applyStorefrontEvent(deps, translation, new Date(now));
  if (outcome.outcome === 'park') {
    logger.warn('webhook parked', { provider: 'woocommerce', topic, deliveryId, reason: outcome.reason });
    await deadLetters().park({ source: 'woocommerce-webhook', reason: outcome.reason, payload: { topic, deliveryId, body } });
    countMetric('EventsParked', { consumer: 'woocommerce-webhook' });
    return json(200, { status: 'parked', reason: outcome.reason });
  }
  if (outcome.outcome === 'ignored') return json(200, { status: 'ignored', reason: outcome.reason });
  logger.info('webhook applied', { provider: 'woocommerce', topic, deliveryId, results: outcome.results });
  return json(200, { status: 'applied', invoiceIds: [...new Set(outcome.results.map((r) => r.invoiceId))] });
});
