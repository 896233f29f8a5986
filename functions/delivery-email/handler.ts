import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EventBridgeEvent } from 'aws-lambda';
import { buildDeliveryEmail, DeliveredDetailSchema } from '../../core/delivery-email';
import { config } from '../shared/config';
import { deadLetters } from '../shared/deps';
import { logger } from '../shared/logger';

const ses = new SESv2Client({ region: config().AWS_REGION, endpoint: config().SES_ENDPOINT });
const from = config().SENDER_EMAIL;

/**
 * Emails the customer their links when an invoice is delivered. A detail that
 * cannot make an email (no address) is parked with its reason; a failed send
 * throws, so Lambda retries and then parks the event.
 */
export const handler = async (event: EventBridgeEvent<'DigitalProductDelivered', unknown>): Promise<void> => {
  const parsed = DeliveredDetailSchema.safeParse(event?.detail);
  if (!parsed.success) {
    const reason = `cannot build the delivery email: ${parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ')}`;
    logger.warn('delivery email rejected', { reason });
    await deadLetters().park({ source: 'delivery-email', reason, payload: { invoiceId: (event?.detail as { invoiceId?: string })?.invoiceId ?? null } });
    return;
  }
  const email = buildDeliveryEmail(parsed.data, { from });
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [email.to] },
      Content: { Raw: { Data: email.raw } },
      EmailTags: [{ Name: 'invoice', Value: parsed.data.invoiceId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) }],
    }),
  );
  logger.info('delivery email sent', { invoiceId: parsed.data.invoiceId, links: parsed.data.links.length });
};
