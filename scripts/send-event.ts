/**
 * Sends one storefront payment event through the AWS SDK's EventBridgeClient:
 *
 *   npx tsx scripts/send-event.ts --api "$API" PaymentSucceeded '{"invoiceId":…}'
 *
 * `--api` (or `API` in the environment, as `npm start` prints it) names the
 * local runtime; the event goes to its bus at `$API/_aws/events`. The caller's
 * `PORT` is never consulted: it may be another server's. `--aws` sends to
 * EventBridge in the account and region of your AWS credentials instead.
 * `--source` sends another source than `storefront.payments`: a storefront's
 * partner source, `aws.partner/shopify.com/…` or `aws.partner/stripe.com/…`.
 */
import '../local/node-support';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

const USAGE = `usage: npx tsx scripts/send-event.ts (--api <API URL> | --aws) [--source <source>] <PaymentSucceeded|PaymentOnHold|PaymentRefunded|detail-type> '<detail JSON>'
  --api defaults to $API (npm start prints: export API=http://127.0.0.1:<port>)`;

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const [value] = args.splice(at, 2).slice(1);
  return value ?? '';
};
const toAws = args.includes('--aws');
if (toAws) args.splice(args.indexOf('--aws'), 1);
const api = flag('--api') ?? process.env.API;
const source = flag('--source') ?? 'storefront.payments';
const [detailType, detail] = args;
if (!detailType || !detail || (!toAws && !api)) {
  console.error(!toAws && !api ? `Where to? Pass --api or set API (npm start prints it).\n${USAGE}` : USAGE);
  process.exit(2);
}
let endpoint: string | undefined;
if (!toAws) {
  try {
    endpoint = `${new URL(api as string).origin}/_aws/events`;
  } catch {
    console.error(`--api ${JSON.stringify(api)} is not a URL such as http://127.0.0.1:3000.\n${USAGE}`);
    process.exit(2);
  }
}
const client = new EventBridgeClient({
  ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  region: process.env.AWS_REGION ?? 'us-east-1',
});
try {
  const out = await client.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: detailType, Detail: detail }] }));
  console.log(JSON.stringify(out.Entries));
  process.exit(out.FailedEntryCount ? 1 : 0);
} catch (error) {
  console.error(`Could not send the event to ${endpoint ?? 'EventBridge'}: ${(error as Error).message}`);
  process.exit(1);
}
