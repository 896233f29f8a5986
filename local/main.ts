import './node-support';
import { z } from 'zod';
import { startRuntime } from './runtime';
import { connectorsBanner } from './connectors-banner';
import { walkthroughBanner } from './walkthrough';

const env = z
  .object({
    // 0 lets the system choose a free port (the banner prints it).
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATA_DIR: z.string().min(1).default('.data'),
    PUBLIC_BASE_URL: z.url().optional(),
    DYNAMODB_ENDPOINT: z.url().optional(),
    S3_ENDPOINT: z.url().optional(),
    // What DynamoDB allows in a table name, leaving room for the longest suffix.
    LOCAL_TABLE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,200}$/, 'letters, digits, `_`, `.` and `-` only')
      .optional(),
  })
  .safeParse(process.env);
if (!env.success) {
  console.error(`Invalid environment: ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const { PORT, DATA_DIR, PUBLIC_BASE_URL, DYNAMODB_ENDPOINT, S3_ENDPOINT } = env.data;

const runtime = await startRuntime({
  port: PORT,
  dataDir: DATA_DIR,
  publicBaseUrl: PUBLIC_BASE_URL,
  dynamodbEndpoint: DYNAMODB_ENDPOINT,
  s3Endpoint: S3_ENDPOINT,
}).catch((error: Error) => {
  console.error(`Could not start: ${error.message}`);
  process.exit(1);
});

const u = runtime.url;
console.log(`
Digital downloads, running locally (data in ${runtime.dataDir})

  API                 ${u}            (downloadUrls point at ${runtime.publicBaseUrl})
  OpenAPI             ${u}/openapi.json
  Operator console    ${u}/console/
  My downloads        ${u}/account/downloads
  Event bus           ${u}/_aws/events     (EventBridge PutEvents; new EventBridgeClient({ endpoint }))
  Tokens              ${u}/_local/token?sub=<customerId>[&scope=downloads/admin]
  JWKS                ${u}/.well-known/jwks.json
  Key rotation        POST ${u}/_local/rotate-signing-key
  Events seen         ${u}/_local/events        Dead letters  ${u}/_local/dead-letters
  Settled?            ${u}/_local/idle          ({"idle":true} once every event and stream record is processed)
  Outbox (emails)     ${runtime.dataDir}/outbox/
  DynamoDB            ${runtime.dynamodbEndpoint}
  S3                  ${runtime.s3Endpoint}  (bucket ${runtime.bucket}; "${runtime.demo.importableKey}" is ready to import)

${walkthroughBanner({ api: u, dataDir: runtime.dataDir, productId: runtime.demo.productId, fileName: runtime.demo.fileName })}

${connectorsBanner({ productId: runtime.demo.productId, wooSecret: runtime.woocommerceWebhookSecret })}

Press Ctrl+C to stop.`);

let stopping = false;
/** Ctrl+C or SIGTERM: finish what is in flight (bounded), stop the engines, exit. A second signal exits at once. */
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) {
    console.log(`\n${signal} again: exiting now; unfinished work is picked up at the next start.`);
    process.exit(130);
  }
  stopping = true;
  console.log('\nStopping… (in-flight work finishes; anything left is picked up at the next start)');
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
