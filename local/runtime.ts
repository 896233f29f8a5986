import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { TABLE_ENV, type TableName } from '../adapters/dynamo/tables';
import { LocalDeadLetters } from './aws/dead-letters';
import { LocalSecrets } from './aws/secrets';
import { LocalSes } from './aws/ses';
import { seedDemo, type DemoInfo } from './demo';
import { type Engines, type SupervisedEngine, startEngines } from './engines/supervisor';
import { LocalEventBus } from './event-bus';
import type { FunctionName } from '../functions/manifest';
import { localFunctions } from './functions';
import { LocalIdentity } from './jwt';
import { lockDataDir } from './lock';
import {
  ensureBucket,
  ensureLicenseKeys,
  ensureSigningKeys,
  ensureTables,
  ensureWooCommerceSecret,
  LICENSE_KEY_SECRET_NAME,
  SIGNING_SECRET_NAME,
  WOOCOMMERCE_SECRET_NAME,
} from './provision';
import { LocalSchedules } from './schedules';
import { localRequestListener } from './server';
import { LocalStreams } from './streams';

export interface RuntimeOptions {
  port: number;
  dataDir: string;
  host?: string;
  publicBaseUrl?: string | undefined;
  dynamodbEndpoint?: string | undefined;
  s3Endpoint?: string | undefined;
  /** The files bucket (default LOCAL_BUCKET), created with its CORS if it is not there: test runtimes sharing an S3 engine each have one. */
  bucket?: string | undefined;
  log?: (message: string) => void;
  /** How the functions are invoked (default: each handler module loaded once, as Lambda does); tests observe through it. */
  invoke?: (name: FunctionName, event: unknown) => Promise<unknown>;
}

export interface Runtime {
  url: string;
  publicBaseUrl: string;
  dataDir: string;
  bucket: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  demo: DemoInfo;
  /** What signs WooCommerce webhooks to `POST /webhooks/woocommerce` (WOOCOMMERCE_WEBHOOK_SECRET, or generated and kept in DATA_DIR). */
  woocommerceWebhookSecret: string;
  deadLetters: LocalDeadLetters;
  bus: LocalEventBus;
  ses: LocalSes;
  /** The embedded engines (undefined for engines given by endpoint). */
  engines: Engines | undefined;
  /** Settled: nothing queued on the bus and the streams caught up. Resolves false if that takes longer than `timeoutMs`. */
  idle(timeoutMs?: number): Promise<boolean>;
  /** Requests the stream poller has sent to DynamoDB Local, by operation. */
  streamRequests(): Record<string, number>;
  /** Runs a scheduled function of the manifest now (they also run at start and on their schedule); its answer. */
  runScheduled(name: FunctionName): Promise<unknown>;
  /** Finishes in-flight work (bounded) and stops; what is left is picked up at the next start. */
  stop(): Promise<void>;
}

export const LOCAL_BUCKET = 'digital-downloads-files';

/** How long a stop waits for in-flight deliveries before it leaves them to the next start. */
const STOP_GRACE_MS = 10_000;

/**
 * The whole system on one machine: the same function handlers behind a local
 * API Gateway (routing, JWT authorizer), embedded DynamoDB and S3 engines it
 * owns and supervises (or the ones `dynamodbEndpoint` / `s3Endpoint` name), a
 * local EventBridge with SQS queues in front of the functions, the streams
 * poller playing Lambda's event source mappings, and the few other AWS APIs
 * the functions call.
 */
export const startRuntime = async (options: RuntimeOptions): Promise<Runtime> => {
  const log = options.log ?? ((m: string) => console.log(m));
  const dataDir = resolve(options.dataDir);
  mkdirSync(join(dataDir, 'outbox'), { recursive: true });
  const lock = lockDataDir(dataDir);
  const host = options.host ?? '127.0.0.1';
  const bucket = options.bucket ?? LOCAL_BUCKET;

  let engines: Engines | undefined;
  const cleanups: (() => Promise<void> | void)[] = [() => lock.release()];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  // The port is bound first (0 asks the system for one): nothing else can take it while the engines start,
  // and until the gateway is ready every request gets a 503 with Retry-After.
  let listener: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    if (listener) return void listener(req, res);
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The local runtime is starting.' } }));
  });
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolveListen());
    });
  } catch (error) {
    lock.release();
    throw error;
  }
  cleanups.push(async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await closed;
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const publicBaseUrl = (options.publicBaseUrl ?? url).replace(/\/+$/, '');
  try {
    if (!options.dynamodbEndpoint || !options.s3Endpoint) {
      // Only the engines it was not given: a DynamoDB given by endpoint leaves just S3 to start, and the other way round.
      engines = await startEngines(dataDir, log, { dynamodb: !options.dynamodbEndpoint, s3: !options.s3Endpoint });
      cleanups.push(() => engines?.stop());
    }
    // Each endpoint is given, or its engine was started just above.
    const dynamodbEndpoint = options.dynamodbEndpoint ?? (engines as Engines & { dynamodb: SupervisedEngine }).dynamodb.endpoint;
    const s3Endpoint = options.s3Endpoint ?? (engines as Engines & { s3: SupervisedEngine }).s3.endpoint;
    const enginesUp = () => engines?.up ?? true;
    const waitForEngines = async () => {
      if (engines && !engines.up) await engines.waitUntilUp(2000);
    };

    // s3rver accepts its own fixed credentials; engines that run elsewhere take the caller's.
    process.env.AWS_REGION ??= 'us-east-1';
    if (!options.s3Endpoint || !process.env.AWS_ACCESS_KEY_ID) {
      process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
      process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
      delete process.env.AWS_SESSION_TOKEN;
    }
    const region = process.env.AWS_REGION;
    const db = new DynamoDBClient({ region, endpoint: dynamodbEndpoint });
    const s3Client = new S3Client({
      region,
      endpoint: s3Endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    cleanups.push(() => s3Client.destroy());
    const tables = await ensureTables(db);
    await ensureBucket(s3Client, bucket);
    const secrets = new LocalSecrets(join(dataDir, 'secrets.json'));
    ensureSigningKeys(secrets);
    const woocommerceWebhookSecret = ensureWooCommerceSecret(secrets);
    delete process.env.WOOCOMMERCE_WEBHOOK_SECRET;
    ensureLicenseKeys(secrets);

    Object.assign(process.env, {
      ...Object.fromEntries((Object.keys(TABLE_ENV) as TableName[]).map((t) => [TABLE_ENV[t], tables[t]])),
      FILES_BUCKET: bucket,
      PUBLIC_BASE_URL: publicBaseUrl,
      SIGNING_KEY_SECRET_ID: SIGNING_SECRET_NAME,
      LICENSE_KEY_SECRET_ID: LICENSE_KEY_SECRET_NAME,
      DEAD_LETTER_QUEUE_URL: `${url}/_aws/sqs/000000000000/digital-downloads-dlq`,
      EVENT_BUS_NAME: 'default',
      DYNAMODB_ENDPOINT: dynamodbEndpoint,
      S3_ENDPOINT: s3Endpoint,
      EVENTBRIDGE_ENDPOINT: `${url}/_aws/events`,
      SQS_ENDPOINT: `${url}/_aws/sqs`,
      SECRETS_MANAGER_ENDPOINT: `${url}/_aws/secretsmanager`,
      SES_ENDPOINT: `${url}/_aws/ses`,
      SES_CONFIGURATION_SET: 'digital-downloads-local',
      // The function reads it from (local) Secrets Manager by name, as in AWS.
      WOOCOMMERCE_WEBHOOK_SECRET_ID: WOOCOMMERCE_SECRET_NAME,
      // One machine restarts in seconds: a claim left by a crash is taken over soon after (see core/dispatch.ts).
      DISPATCH_LEASE_SECONDS: process.env.DISPATCH_LEASE_SECONDS ?? '5',
      DISPATCH_GRACE_SECONDS: process.env.DISPATCH_GRACE_SECONDS ?? '3',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });

    const identity = await LocalIdentity.load(join(dataDir, 'jwt-key.json'), `${url}/`);
    const deadLetters = new LocalDeadLetters(join(dataDir, 'dead-letters.jsonl'));
    const invoke = options.invoke ?? localFunctions().invoke;
    const bus = new LocalEventBus(join(dataDir, 'bus'), { invoke, deadLetters, enginesUp, waitForEngines, log });
    const ses = new LocalSes(join(dataDir, 'outbox'), bus);
    const streams = new LocalStreams(dynamodbEndpoint, tables, invoke, join(dataDir, 'stream-checkpoints.json'), (entry) => deadLetters.park(entry), log, {
      up: enginesUp,
      wait: waitForEngines,
    });

    /** Settled: the bus has nothing left to deliver and a pass over the streams found nothing new, twice in a row. */
    const idle = async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let quietPasses = 0;
      while (Date.now() < deadline) {
        if (!(await bus.idle(Math.max(1, deadline - Date.now())))) return false;
        const handled = await streams.flushOnce().catch(() => -1);
        quietPasses = handled === 0 && !bus.busy ? quietPasses + 1 : 0;
        if (quietPasses >= 2) return true;
        if (handled < 0) await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };

    const { pending } = bus.start();
    const recovered = ses.recover();
    if (pending > 0 || recovered > 0) log(`picked up ${pending} event deliveries and ${recovered} email reports left by the last run`);

    listener = localRequestListener({
      url,
      publicBaseUrl,
      s3Endpoint,
      identity,
      bus,
      ses,
      secrets,
      deadLetters,
      invoke,
      enginesUp,
      idle,
      keysRotated: async () => {
        const { linkSigner } = await import('../functions/shared/deps');
        // The download function builds its own signer (functions/download/deps.ts, no SDK client): both pick the rotation up.
        const download = await import('../functions/download/deps');
        await Promise.all([linkSigner().refresh(), download.linkSigner.refresh()]);
      },
      licenseKeysRotated: async () => {
        const { licenseCertifier } = await import('../functions/shared/deps');
        await licenseCertifier().refresh();
      },
      log,
    });
    // Stopping runs these backwards: the bus and the streams finish what they have in hand (the server still
    // answers the functions' SES and SQS calls meanwhile), then the engines, then the server.
    const schedules = new LocalSchedules(invoke, log);
    cleanups.push(async () => {
      await Promise.all([bus.stop(STOP_GRACE_MS), streams.stop(), schedules.stop()]);
    });

    const demo = await seedDemo({ db, s3: s3Client, tables, bucket });
    db.destroy();
    streams.start();
    schedules.start();

    return {
      url,
      publicBaseUrl,
      dataDir,
      bucket,
      dynamodbEndpoint,
      s3Endpoint,
      demo,
      woocommerceWebhookSecret,
      deadLetters,
      bus,
      ses,
      engines,
      idle,
      streamRequests: () => ({ ...streams.requests }),
      runScheduled: (name) => schedules.run(name),
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
};
