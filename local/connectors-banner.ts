/**
 * What `npm start` prints about the storefront connectors: copy-paste
 * examples that sell the demo product through each provider's own format
 * (docs/connectors.md). They read `API` and `ADMIN` from the shell, as the
 * walkthrough above them sets them.
 */

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');

export const connectorsExamples = (input: { productId: string; wooSecret: string }) => `# name the demo product in the storefronts (externalIds)
curl -s -X PUT -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' "$API/admin/products/${input.productId}" \\
  -d '{"externalIds":["shopify:product:1001","stripe:product:prod_Demo1","woo:product:93"]}'; echo
# Shopify: an orders/paid webhook as its partner event source delivers it, on the local bus; the customer is shopify:2001
npx tsx scripts/send-event.ts --api "$API" --source aws.partner/shopify.com/local/demo shopifyWebhook \\
  '{"metadata":{"X-Shopify-Topic":"orders/paid","X-Shopify-Webhook-Id":"demo-1"},"payload":{"id":3001,"email":"ada@example.com","updated_at":"'$(date -u +%FT%TZ)'","customer":{"id":2001},"line_items":[{"product_id":1001,"quantity":1}]}}'
# WooCommerce: an order webhook signed with this runtime's secret (WOOCOMMERCE_WEBHOOK_SECRET); the customer is woo:26
WOO_SECRET=${shellQuote(input.wooSecret)}
BODY='{"id":4001,"status":"processing","customer_id":26,"date_modified_gmt":"'$(date -u +%FT%T)'","billing":{"email":"ada@example.com"},"line_items":[{"product_id":93,"quantity":1}]}'
SIG=$(printf %s "$BODY" | openssl dgst -sha256 -hmac "$WOO_SECRET" -binary | base64)
curl -s -X POST "$API/webhooks/woocommerce" -H 'content-type: application/json' -H 'x-wc-webhook-topic: order.created' -H "x-wc-webhook-signature: $SIG" -d "$BODY"; echo
# Stripe: checkout.session.completed (its line items come from the Stripe API: start with STRIPE_API_BASE and STRIPE_SECRET_KEY)
npx tsx scripts/send-event.ts --api "$API" --source aws.partner/stripe.com/ed_local checkout.session.completed \\
  '{"id":"evt_demo1","object":"event","type":"checkout.session.completed","created":'$(date +%s)',"data":{"object":{"id":"cs_demo1","object":"checkout.session","payment_intent":"pi_demo1","payment_status":"paid","client_reference_id":"cust-42","customer_details":{"email":"ada@example.com"}}}}'`;

export const connectorsBanner = (input: { productId: string; wooSecret: string }) =>
  `Storefront connectors (docs/connectors.md): Shopify and Stripe partner sources on the bus, WooCommerce at POST /webhooks/woocommerce.

${indent(connectorsExamples(input))}`;
