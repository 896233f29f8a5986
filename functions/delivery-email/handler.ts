import { sendDeliveryEmail } from '../../core/use-cases/send-delivery-email';
import { config } from '../shared/config';
import { accountPageUrl, dispatchDeps, invoiceStore, licenseStore, linkSigner, linkStore, mailer } from '../shared/deps';
import { logger } from '../shared/logger';
import { countMetric } from '../shared/metrics';
import { queueHandler } from '../shared/queue';

const deps = {
  invoices: invoiceStore(),
  links: linkStore(),
  licenses: licenseStore(),
  signer: linkSigner(),
  mailer: mailer(),
  dispatch: dispatchDeps(),
  publicBaseUrl: config().PUBLIC_BASE_URL,
  accountUrl: accountPageUrl(),
  from: config().SENDER_EMAIL,
  shopName: config().SHOP_NAME,
};

/**
 * Emails the customer their links when an invoice generation is delivered,
 * once per invoice and generation (every part of a large delivery triggers
 * it; the first one sends). The event only says which invoice: the email is
 * built from the tables (see sendDeliveryEmail).
 */
export const handler = queueHandler('delivery-email', async (event) => {
  const detail = event.detail as { invoiceId?: unknown; generation?: unknown } | undefined;
  if (typeof detail?.invoiceId !== 'string' || !Number.isInteger(detail.generation)) return { park: 'the event names no invoiceId and generation' };
  const outcome = await sendDeliveryEmail(deps, { invoiceId: detail.invoiceId, generation: detail.generation as number }, new Date());
  if (outcome === 'no-address') return { park: `invoice ${detail.invoiceId} has no deliverable email address` };
  logger.info('delivery email', { invoiceId: detail.invoiceId, generation: detail.generation, outcome });
  if (outcome === 'sent') countMetric('EmailsSent');
  return undefined;
});
