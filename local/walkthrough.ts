/**
 * The customer walkthrough `npm start` prints, word for word the one in the
 * README (test/unit/walkthrough.test.ts checks it; an integration test runs
 * the README's copy). Its commands read `API` and `DATA_DIR` from the shell,
 * set by the one line printed above them, so they run as printed on any port.
 */

/** A value for a POSIX shell, in single quotes. */
const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** The line that gives the walkthroughs their two variables. */
export const walkthroughVariables = (api: string, dataDir: string) => `export API=${shellQuote(api)} DATA_DIR=${shellQuote(dataDir)}`;

export const customerWalkthrough = (
  productId: string,
) => `# 1. buy the demo product: a PaymentSucceeded event through the AWS SDK, then wait until it is processed
npx tsx scripts/send-event.ts --api "$API" PaymentSucceeded \\
  '{"invoiceId":"inv-1001","customerId":"cust-42","customerEmail":"ada@example.com","occurredAt":"'$(date -u +%FT%TZ)'","lines":[{"productId":"${productId}","quantity":1}]}'
curl -s "$API/_local/idle"; echo
# 2. sign in as the customer (locally: a token from the runtime) and list the downloads
TOKEN=$(curl -s "$API/_local/token?sub=cust-42" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
curl -s -H "Authorization: Bearer $TOKEN" "$API/downloads/customer"; echo
# 3. download: 302 to a short-lived presigned S3 URL, then the PDF (scratch files go to a temp dir)
WORK=$(mktemp -d)
URL=$(curl -s -H "Authorization: Bearer $TOKEN" "$API/downloads/customer" | node -pe 'JSON.parse(require("fs").readFileSync(0)).items[0].downloadUrl')
curl -sL -H "Authorization: Bearer $TOKEN" "$URL" -o "$WORK/handbook.pdf" && head -c 8 "$WORK/handbook.pdf"; echo; rm -r "$WORK"
# 4. the delivery email, and its link: open the URL in a browser, sign in as cust-42, and the file downloads
ls "$DATA_DIR/outbox"
echo "$URL"`;

export const adminHint = () => `# admin calls take a token with the admin scope
ADMIN=$(curl -s "$API/_local/token?sub=operator-1&scope=downloads/admin" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
curl -s -H "Authorization: Bearer $ADMIN" "$API/admin/products"; echo`;

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');

/** What `npm start` prints under its endpoints. */
export const walkthroughBanner = (input: {
  api: string;
  dataDir: string;
  productId: string;
  fileName: string;
}) => `Demo product "${input.productId}" (file "${input.fileName}", 5 downloads per link) is ready to buy. In another terminal, from this directory:

${indent(walkthroughVariables(input.api, input.dataDir))}

${indent(customerWalkthrough(input.productId))}

${indent(adminHint())}

The operator's walkthrough (a multipart upload, the Download Manager) is in the README.`;
