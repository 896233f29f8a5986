import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { inject } from 'vitest';
import { TABLE_ENV } from '../../adapters/dynamo/tables';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../local/runtime';

let runtimes = 0;

/** The run's shared engines, when vitest's global setup started them (the bench, outside vitest, has none). */
const sharedEngines = () => {
  try {
    return { dynamodb: inject('sharedDynamodbEndpoint'), s3: inject('sharedS3Endpoint'), s3Directory: inject('sharedS3Directory') };
  } catch {
    return undefined;
  }
};

/**
 * A fresh local runtime for one test file: its own DATA_DIR, tables and bucket. Under `npm test` they live in the
 * run's one DynamoDB Local and one S3 engine (test/support/shared-engines.ts), the tables named apart by
 * LOCAL_TABLE_PREFIX and the bucket by its name; elsewhere (one file run alone with another config) the runtime
 * starts engines of its own.
 */
export const startTestRuntime = async (options: { invoke?: RuntimeOptions['invoke'] } = {}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-test-'));
  const shared = sharedEngines();
  const id = `${process.pid}-${++runtimes}`;
  if (shared) {
    process.env.LOCAL_TABLE_PREFIX = `dd-${id}-`;
    // The shared engine is s3rver, which takes its own fixed credentials (the runtime sets them for engines it starts).
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
    delete process.env.AWS_SESSION_TOKEN;
  }
  const runtime = await startRuntime({
    port: 0,
    dataDir,
    log: () => undefined,
    invoke: options.invoke,
    ...(shared ? { dynamodbEndpoint: shared.dynamodb, s3Endpoint: shared.s3, bucket: `dd-files-${id}` } : {}),
  });
  const sharedData = shared
    ? { tables: Object.values(TABLE_ENV).map((env) => process.env[env] as string), bucketDirectory: join(shared.s3Directory, runtime.bucket) }
    : undefined;
  return new TestSystem(runtime, dataDir, sharedData);
};

export class TestSystem {
  private readonly tokens = new Map<string, string>();
  readonly events: EventBridgeClient;

  constructor(
    readonly runtime: Runtime,
    readonly dataDir: string,
    /** Its tables and bucket in the run's shared engines, dropped at stop. */
    private readonly sharedData?: { tables: string[]; bucketDirectory: string },
  ) {
    this.events = new EventBridgeClient({
      endpoint: `${runtime.url}/_aws/events`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  }

  get url() {
    return this.runtime.url;
  }

  async token(sub: string, scope?: string): Promise<string> {
    const key = `${sub} ${scope ?? ''}`;
    let token = this.tokens.get(key);
    if (!token) {
      const query = new URLSearchParams({ sub, ...(scope ? { scope } : {}) });
      token = ((await (await fetch(`${this.url}/_local/token?${query}`)).json()) as { token: string }).token;
      this.tokens.set(key, token);
    }
    return token;
  }

  adminToken() {
    return this.token('operator-1', 'downloads/admin');
  }

  /** A request as `sub` (or as the admin); redirects are not followed. */
  async request(
    method: string,
    path: string,
    options: { as?: string; admin?: boolean; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.admin) headers.authorization = `Bearer ${await this.adminToken()}`;
    else if (options.as) headers.authorization = `Bearer ${await this.token(options.as)}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const url = path.startsWith('http') ? path : `${this.url}${path}`;
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /**
   * A download with JSON as the answer, from another network: locally the source address is the TCP peer's,
   * and on Linux all of 127.0.0.0/8 is loopback, so a client bound to 127.0.N.1 downloads from 127.0.N.0/24.
   */
  async downloadFrom(network: number, customerId: string, downloadUrl: string): Promise<{ status: number; json: any }> {
    const token = await this.token(customerId);
    const target = new URL(this.url);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: new URL(downloadUrl).pathname,
          localAddress: `127.0.${network}.1`,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': `Reader/${network}.0` },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** Sends a storefront payment event through the AWS SDK, then waits until the bus has delivered it. */
  async sendPayment(detailType: 'PaymentSucceeded' | 'PaymentOnHold' | 'PaymentRefunded' | string, detail: unknown, options: { wait?: boolean } = {}) {
    const out = await this.events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'storefront.payments', DetailType: detailType, Detail: typeof detail === 'string' ? detail : JSON.stringify(detail) }],
      }),
    );
    if (options.wait !== false) await this.settled();
    return out;
  }

  /** Waits until the system is settled (the bus delivered everything, the streams caught up); fails the test if it does not. */
  async settled(timeoutMs = 30_000) {
    if (!(await this.runtime.idle(timeoutMs))) throw new Error(`the local runtime did not settle within ${timeoutMs} ms`);
  }

  async stop() {
    this.events.destroy();
    await this.runtime.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    if (!this.sharedData) return;
    // s3rver keeps a bucket as a directory of its own: removed directly rather than object by object.
    rmSync(this.sharedData.bucketDirectory, { recursive: true, force: true });
    const db = new DynamoDBClient({ region: 'us-east-1', endpoint: this.runtime.dynamodbEndpoint });
    await Promise.all(this.sharedData.tables.map((TableName) => db.send(new DeleteTableCommand({ TableName })).catch(() => undefined)));
    db.destroy();
  }
}

export const purchase = (invoiceId: string, customerId: string | null, productIds: string[], occurredAt = new Date().toISOString()) => ({
  invoiceId,
  ...(customerId ? { customerId, customerEmail: `${customerId}@example.com` } : {}),
  occurredAt,
  lines: productIds.map((productId) => ({ productId, quantity: 1 })),
});
