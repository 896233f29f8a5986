import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeProcess } from './harness';

/**
 * An engine that dies alone (DynamoDB Local's JVM, the S3 engine's process):
 * the API answers 503 with Retry-After meanwhile, never 500; the runtime
 * restarts it; events accepted during the outage are delivered after it.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'dd-engines-'));
let runtime: RuntimeProcess;
let customer: string;
let token: string;

/** The pid of the engine process itself (not its watchdog) for this DATA_DIR. */
const engineProcess = (marker: 'DynamoDBLocal' | 's3-engine'): number | undefined =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .find((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return !argv[0]?.endsWith('sh') && argv.some((a) => a.includes(dataDir)) && argv.some((a) => a.includes(marker));
      } catch {
        return false;
      }
    });

/** Requests `path` over and over from a few callers until `stop()`; collects every status and whether 503s said when to retry. */
const load = (path: string, init: () => RequestInit) => {
  const statuses: number[] = [];
  let retryAfterMissing = 0;
  let running = true;
  const loops = Array.from({ length: 4 }, async () => {
    while (running) {
      const response = await fetch(`${runtime.url}${path}`, init()).catch(() => undefined);
      if (!response) continue;
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.status === 503 && !response.headers.get('retry-after')) retryAfterMissing++;
    }
  });
  return {
    statuses,
    get retryAfterMissing() {
      return retryAfterMissing;
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
};

const until = async (condition: () => Promise<boolean> | boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

beforeAll(async () => {
  runtime = await RuntimeProcess.create(dataDir);
  await runtime.start();
  customer = 'cust-engines';
  token = await runtime.token(customer);
  const client = runtime.events();
  await client.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'storefront.payments',
          DetailType: 'PaymentSucceeded',
          Detail: JSON.stringify({
            invoiceId: 'inv-e0',
            customerId: customer,
            customerEmail: 'e@example.com',
            occurredAt: new Date().toISOString(),
            lines: [{ productId: 'demo-ebook' }],
          }),
        },
      ],
    }),
  );
  client.destroy();
  await runtime.settled();
}, 120_000);

afterAll(async () => {
  await runtime?.terminate().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('an engine that dies alone', () => {
  it('DynamoDB Local killed under load: only 200s and 503s with Retry-After, then it is back; an event sent meanwhile is delivered', async () => {
    // Prepare
    const before = engineProcess('DynamoDBLocal');
    expect(before).toBeDefined();
    const traffic = load('/downloads/customer', () => ({ headers: { authorization: `Bearer ${token}` } }));
    await until(() => traffic.statuses.length > 20, 10_000);

    // Act
    process.kill(before as number, 'SIGKILL');
    await until(() => traffic.statuses.includes(503), 10_000);
    const client = runtime.events();
    const put = await client
      .send(
        new PutEventsCommand({
          Entries: [
            {
              Source: 'storefront.payments',
              DetailType: 'PaymentSucceeded',
              Detail: JSON.stringify({
                invoiceId: 'inv-e1',
                customerId: customer,
                customerEmail: 'e@example.com',
                occurredAt: new Date().toISOString(),
                lines: [{ productId: 'demo-ebook' }],
              }),
            },
          ],
        }),
      )
      .finally(() => client.destroy());
    const recovered = await until(() => traffic.statuses.slice(-10).length === 10 && traffic.statuses.slice(-10).every((s) => s === 200), 60_000);
    await traffic.stop();

    // Assess
    expect(recovered).toBe(true);
    expect(new Set(traffic.statuses)).toEqual(new Set([200, 503]));
    expect(traffic.retryAfterMissing).toBe(0);
    expect(engineProcess('DynamoDBLocal')).not.toBe(before);
    expect(put.Entries?.[0]?.EventId).toBeDefined();
    await runtime.settled();
    const listed = (await runtime.json('/downloads/customer', { headers: { authorization: `Bearer ${token}` } })).body.items as { invoiceId: string }[];
    expect(listed.map((l) => l.invoiceId).sort()).toEqual(['inv-e0', 'inv-e1']);
  }, 120_000);

  it('the S3 engine killed: an upload that needs it is a 503, then works again once it is back', async () => {
    // Prepare
    const admin = await runtime.token('operator-1', 'downloads/admin');
    const startUpload = () =>
      runtime.json('/admin/files', {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ fileName: 'big.zip', size: 40 * 1024 * 1024 }),
      });
    const before = engineProcess('s3-engine');
    expect(before).toBeDefined();

    // Act: ask at once (a restart takes a pause and a process start), then until it works
    process.kill(before as number, 'SIGKILL');
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    const recovered = await until(async () => {
      const answer = await startUpload();
      statuses.push(answer.status);
      if (answer.status === 503) retryAfter.push(answer.headers.get('retry-after'));
      return answer.status === 201;
    }, 60_000);

    // Assess
    expect(recovered).toBe(true);
    expect(statuses[0]).toBe(503);
    expect(new Set(statuses)).toEqual(new Set([503, 201]));
    expect(retryAfter.every((value) => value !== null && Number(value) > 0)).toBe(true);
  }, 120_000);

  it('the S3 engine refuses unsigned requests, as S3 with Block Public Access does', async () => {
    // Prepare: where the engine listens, from the runtime's banner
    const s3 = /^\s+S3\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(runtime.output)?.[1];
    expect(s3).toBeDefined();

    // Act
    const list = await fetch(`${s3}/digital-downloads-files/`);
    const get = await fetch(`${s3}/digital-downloads-files/library/press-kit.zip`);
    const put = await fetch(`${s3}/digital-downloads-files/library/press-kit.zip`, { method: 'PUT', body: 'overwritten' });

    // Assess
    expect([list.status, get.status, put.status]).toEqual([403, 403, 403]);
    expect(await get.text()).toContain('AccessDenied');
  });
});
