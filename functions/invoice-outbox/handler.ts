import type { Invoice } from '../../core/invoice';
import { eventsForInvoiceChange } from '../../core/use-cases/announce-invoice';
import { config } from '../shared/config';
import { eventPublisher, linkStore, linkSigner } from '../shared/deps';
import { logger } from '../shared/logger';
import { streamHandler } from '../shared/streams';

const deps = { links: linkStore(), signer: linkSigner(), events: eventPublisher(), publicBaseUrl: config().PUBLIC_BASE_URL };

/** Publishes DigitalProductDelivered, InvoiceCompleted and DeliveryRejected from the invoices table's stream. */
export const handler = streamHandler<Invoice>(async ({ oldItem, newItem }) => {
  const events = await eventsForInvoiceChange(deps, oldItem, newItem);
  if (events.length === 0) return;
  await deps.events.publish(events);
  logger.info('invoice events published', { invoiceId: newItem?.invoiceId, detailTypes: events.map((e) => e.detailType) });
});
