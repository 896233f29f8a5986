import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { TABLE_ENV, type TableName } from '../adapters/dynamo/tables';
import { parseKeySet, serializeKeySet } from '../adapters/aws/signing-keys';
import { handlerEntry, type FunctionName } from '../functions/manifest';
import { newSigningSecret } from '../core/token';
import { answerAws, LocalDeadLetters, LocalSecrets } from './aws-endpoints';
import { startDynamoDbLocal, startS3rver, type Engine } from './engines';
import { LocalEventBus } from './event-bus';
import { authorize, matchRoute, MAX_PAYLOAD_BYTES, toLambdaEvent } from './http-gateway';
import { LocalIdentity } from './jwt';
import { ensureBucket, ensureSigningKeys, ensureTables, SIGNING_SECRET_NAME } from './provision';
import { WorkTracker } from './work-tracker';
import { LocalStreams } from './streams';
import { LocalOutbox } from './outbox';
import { seedDemo, type DemoInfo } from './demo';
import { serveStatic } from './static';

export interface RuntimeOptions {
  port: number;
  dataDir: string;
  host?: string;
  publicBaseUrl?: string | undefined;
  dynamodbEndpoint?: string | undefined;
  s3Endpoint?: string | undefined;
  log?: (message: string) => void;
}

export interface Runtime {
  url: string;
  publicBaseUrl: string;
  dataDir: string;
  bucket: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  demo: DemoInfo;
  deadLetters: LocalDeadLetters;
  bus: LocalEventBus;
  outbox: LocalOutbox;
  idle(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export const LOCAL_BUCKET = 'digital-downloads-files';

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> =>
  new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(size > limit ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
};

const apiError = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
  send(res, status, { error: { code, message } }, headers);

const lambdaContext = (name: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

/**
 * The whole system on one machine: the same function handlers behind a local
 * API Gateway (routing, JWT authorizer), embedded DynamoDB and S3 engines (or
 * the ones `dynamodbEndpoint` / `s3Endpoint` name), a local EventBridge, and
 * the few other AWS APIs the functions call.
 */
export const startRuntime = async (options: RuntimeOptions): Promise<Runtime> => {
  const log = options.log ?? ((m: string) => console.log(m));
  const dataDir = resolve(options.dataDir);
  mkdirSync(join(dataDir, 'outbox'), { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host}:${options.port}`;
  const publicBaseUrl = (options.publicBaseUrl ?? url).replace(/\/+$/, '');

  const engines: Engine[] = [];
  const stopEngines = () => Promise.all(engines.map((e) => e.stop().catch(() => undefined)));
  try {
    const [dynamo, s3] = await Promise.all([
      options.dynamodbEndpoint ? { endpoint: options.dynamodbEndpoint, stop: async () => undefined } : startDynamoDbLocal(join(dataDir, 'dynamodb')),
      options.s3Endpoint ? { endpoint: options.s3Endpoint, stop: async () => undefined } : startS3rver(join(dataDir, 's3'), LOCAL_BUCKET),
    ]);
    engines.push(dynamo, s3);

    // s3rver accepts its own fixed credentials; engines that run elsewhere take the caller's.
    process.env.AWS_REGION ??= 'us-east-1';
    if (!options.s3Endpoint || !process.env.AWS_ACCESS_KEY_ID) {
      process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
      process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
      delete process.env.AWS_SESSION_TOKEN;
    }
    const region = process.env.AWS_REGION;

    const db = new DynamoDBClient({ region, endpoint: dynamo.endpoint });
    const s3Client = new S3Client({
      region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const tables = await ensureTables(db);
    await ensureBucket(s3Client, LOCAL_BUCKET);
    const secrets = new LocalSecrets(join(dataDir, 'secrets.json'));
    ensureSigningKeys(secrets);

    Object.assign(process.env, {
      ...Object.fromEntries((Object.keys(TABLE_ENV) as TableName[]).map((t) => [TABLE_ENV[t], tables[t]])),
      FILES_BUCKET: LOCAL_BUCKET,
      PUBLIC_BASE_URL: publicBaseUrl,
      SIGNING_KEY_SECRET_ID: SIGNING_SECRET_NAME,
      DEAD_LETTER_QUEUE_URL: `${url}/_aws/sqs/000000000000/digital-downloads-dlq`,
      EVENT_BUS_NAME: 'default',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      EVENTBRIDGE_ENDPOINT: `${url}/_aws/events`,
      SQS_ENDPOINT: `${url}/_aws/sqs`,
      SECRETS_MANAGER_ENDPOINT: `${url}/_aws/secretsmanager`,
      SES_ENDPOINT: `${url}/_aws/ses`,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });

    const identity = await LocalIdentity.load(join(dataDir, 'jwt-key.json'), `${url}/`);
    const work = new WorkTracker();
    const deadLetters = new LocalDeadLetters(join(dataDir, 'dead-letters.jsonl'));
    const handlers = new Map<FunctionName, Promise<(event: unknown, context: Context) => Promise<unknown>>>();
    const handlerOf = (name: FunctionName) => {
      let loaded = handlers.get(name);
      if (!loaded) {
        loaded = import(pathToFileURL(resolve(handlerEntry(name))).href).then((m: { handler: (e: unknown, c: Context) => Promise<unknown> }) => m.handler);
        handlers.set(name, loaded);
      }
      return loaded;
    };
    const invoke = async (name: FunctionName, event: unknown) => (await handlerOf(name))(event, lambdaContext(name));
    const bus = new LocalEventBus(join(dataDir, 'events.jsonl'), invoke, (e) => deadLetters.park(e), work, log);
    const streams = new LocalStreams(dynamo.endpoint, tables, invoke, join(dataDir, 'stream-checkpoints.json'), (e) => deadLetters.park(e), log);
    const outbox = new LocalOutbox(join(dataDir, 'outbox'));
    /** Settled: the bus has delivered everything and a pass over the streams found nothing new, twice in a row. */
    const idle = async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let quietPasses = 0;
      while (Date.now() < deadline) {
        if (!(await work.idle(Math.max(1, deadline - Date.now())))) return false;
        const handled = await streams.flushOnce();
        quietPasses = handled === 0 && !work.busy ? quietPasses + 1 : 0;
        if (quietPasses >= 2) return true;
      }
      return false;
    };

    const local = async (req: IncomingMessage, res: ServerResponse, requestUrl: URL, body: Buffer) => {
      const path = requestUrl.pathname;
      if (path === '/.well-known/jwks.json') return send(res, 200, identity.jwks);
      if (path === '/_local/token' && req.method === 'GET') {
        const sub = requestUrl.searchParams.get('sub');
        if (!sub || sub.length > 256) return apiError(res, 400, 'INVALID_INPUT', 'Pass ?sub=<customerId> (and optionally &scope=downloads/admin).');
        const token = await identity.mint({
          sub,
          scope: requestUrl.searchParams.get('scope') ?? undefined,
          email: requestUrl.searchParams.get('email') ?? undefined,
        });
        return send(res, 200, { token, tokenType: 'Bearer', expiresIn: 3600 });
      }
      if (path === '/_local/rotate-signing-key' && req.method === 'POST') {
        const current = parseKeySet(secrets.get(SIGNING_SECRET_NAME) ?? '{}');
        const next = `k${Math.max(0, ...Object.keys(current.keys).map((k) => Number(k.slice(1)) || 0)) + 1}`;
        // Keep the current key and one before it: links issued before a rotation keep working.
        const kept = Object.keys(current.keys)
          .sort((a, b) => Number(b.slice(1)) - Number(a.slice(1)))
          .slice(0, 2);
        const keys = Object.fromEntries([...kept.map((k) => [k, current.keys[k] as string]), [next, newSigningSecret()]]);
        secrets.put(SIGNING_SECRET_NAME, serializeKeySet({ currentKid: next, keys }));
        const { linkSigner } = await import('../functions/shared/deps');
        await linkSigner().refresh();
        return send(res, 200, { currentKid: next, acceptedKids: Object.keys(keys) });
      }
      if (path === '/_local/events')
        return send(res, 200, {
          items: bus.history({
            detailType: requestUrl.searchParams.get('detailType') ?? undefined,
            source: requestUrl.searchParams.get('source') ?? undefined,
          }),
        });
      if (path === '/_local/outbox') return send(res, 200, { items: outbox.list().map((m) => ({ file: m.file, size: m.raw.length })) });
      if (path === '/_local/dead-letters') return send(res, 200, { items: deadLetters.list() });
      if (path === '/_local/idle') return send(res, 200, { idle: await idle(20_000) });
      if (await serveStatic(req, res, requestUrl, { publicBaseUrl, s3Endpoint: s3.endpoint })) return;
      if (path.startsWith('/_aws/ses') && req.method === 'POST') {
        const reply = outbox.sendEmail(path, body);
        return send(res, reply.status, reply.body);
      }
      const aws = /^\/_aws\/(events|sqs|secretsmanager)(\/.*)?$/.exec(path);
      if (aws && req.method === 'POST') {
        let parsed: unknown;
        try {
          parsed = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch {
          return send(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
        }
        const reply = answerAws(aws[1] as string, String(req.headers['x-amz-target'] ?? ''), parsed, { bus, secrets, deadLetters });
        const protocol = aws[1] === 'sqs' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
        return send(res, reply.status, reply.body, { 'content-type': protocol });
      }
      return false;
    };

    const server: Server = createServer(async (req, res) => {
      try {
        const requestUrl = new URL(req.url ?? '/', url);
        const body = await readBody(req, MAX_PAYLOAD_BYTES);
        if (body === 'too-large') return apiError(res, 413, 'PAYLOAD_TOO_LARGE', 'Request bodies are limited to 10 MB.');
        if ((await local(req, res, requestUrl, body)) !== false) return;
        const match = matchRoute(req.method ?? 'GET', requestUrl.pathname);
        if (!match) return apiError(res, 404, 'NOT_FOUND', 'No such route.');
        if ('methodNotAllowed' in match) return apiError(res, 404, 'NOT_FOUND', `No route ${req.method} ${requestUrl.pathname}.`);
        const auth = await authorize(identity, req.headers.authorization, match.route);
        if ('status' in auth) return apiError(res, auth.status, auth.code, auth.message, auth.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
        const event = toLambdaEvent(req, requestUrl, body, match, auth.claims);
        const result = (await invoke(match.route.function, event)) as
          | { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean }
          | undefined;
        const payload = result?.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
        res.writeHead(result?.statusCode ?? 200, result?.headers ?? {});
        res.end(payload);
      } catch (error) {
        log(`local gateway: ${(error as Error).stack ?? error}`);
        if (!res.headersSent) apiError(res, 500, 'INTERNAL_ERROR', 'The local runtime failed to handle this request.');
        else res.end();
      }
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolveListen());
    });

    const demo = await seedDemo({ db, s3: s3Client, tables, bucket: LOCAL_BUCKET });
    db.destroy();
    streams.start();

    return {
      url,
      publicBaseUrl,
      dataDir,
      bucket: LOCAL_BUCKET,
      dynamodbEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      demo,
      deadLetters,
      bus,
      outbox,
      idle,
      stop: async () => {
        // Best effort: finish what is in flight, but a stop must always release the engines.
        await idle(5_000).catch(() => false);
        await streams.stop().catch(() => undefined);
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        await closed;
        s3Client.destroy();
        await stopEngines();
      },
    };
  } catch (error) {
    await stopEngines();
    throw error;
  }
};
