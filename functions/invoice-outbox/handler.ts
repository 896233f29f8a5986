import { toInvoice } from '../../adapters/dynamo/invoice-store';
import { announceInvoiceChange } from '../../core/use-cases/announce-invoice';
import { config } from '../shared/config';
import { dispatchDeps, eventPublisher, linkSigner, linkStore } from '../shared/deps';
import { logger } from '../shared/logger';
import { countMetric } from '../shared/metrics';
import { streamHandler } from '../shared/streams';

const deps = { links: linkStore(), signer: linkSigner(), events: eventPublisher(), dispatch: dispatchDeps(), publicBaseUrl: config().PUBLIC_BASE_URL };

/**
 * Publishes DigitalProductDelivered, InvoiceCompleted and DeliveryRejected
 * from the invoices table's stream, each exactly once however often the
 * stream hands a change over.
 */
export const handler = streamHandler<Record<string, unknown>>('invoice-outbox', async ({ oldItem, newItem }) => {
  const result = await announceInvoiceChange(deps, oldItem && toInvoice(oldItem), newItem && toInvoice(newItem));
  if (result.published.length > 0 || result.alreadyPublished > 0) logger.info('invoice events', { invoiceId: newItem?.invoiceId, ...result });
  // Only what this call published (the dispatch ledger makes that once per event), so a replayed stream counts nothing twice.
  for (const detailType of result.published) countMetric('EventsPublished', { detailType });
  if (newItem && result.published.includes('DigitalProductDelivered')) countMetric('LinksIssued', undefined, toInvoice(newItem).linkIds?.length ?? 0);
  // A dry license pool refused a line: the alarm LicensePoolEmpty watches this (once per invoice, as its DeliveryRejected).
  const poolEmpty = newItem && result.published.includes('DeliveryRejected') ? (toInvoice(newItem).undeliverable?.LICENSE_POOL_EMPTY ?? []) : [];
  if (poolEmpty.length > 0) {
    logger.warn('a license pool ran dry', { invoiceId: newItem?.invoiceId, productIds: poolEmpty });
    countMetric('LicensePoolsEmpty', undefined, poolEmpty.length);
  }
});
