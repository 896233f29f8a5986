/**
 * Sends one storefront payment event through the AWS SDK, to the local bus by
 * default: `npx tsx scripts/send-event.ts PaymentSucceeded '{"invoiceId":…}'`.
 * EVENTBRIDGE_ENDPOINT overrides where it goes (unset it to use real AWS).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

const [detailType, detail] = process.argv.slice(2);
if (!detailType || !detail) {
  console.error("usage: npx tsx scripts/send-event.ts <PaymentSucceeded|PaymentOnHold|PaymentRefunded> '<detail JSON>'");
  process.exit(2);
}
const endpoint = process.env.EVENTBRIDGE_ENDPOINT ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/_aws/events`;
const client = new EventBridgeClient({
  endpoint,
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: process.env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId: 'local', secretAccessKey: 'local' },
});
const out = await client.send(new PutEventsCommand({ Entries: [{ Source: 'storefront.payments', DetailType: detailType, Detail: detail }] }));
console.log(JSON.stringify(out.Entries));
process.exit(out.FailedEntryCount ? 1 : 0);
