import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'dd-restart-'));
let child: ChildProcess | undefined;

/** `npm start` as a user runs it: a separate process on a fixed PORT and DATA_DIR. */
const start = async (port: number) => {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 90_000);
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (d: Buffer) => (output += d));
    proc.on('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
  });
  return output;
};

const stop = () =>
  new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start keeps its data across restarts', () => {
  it('products, files, links, counts and the link log survive a stop and a start on the same DATA_DIR', async () => {
    // Prepare: first run — buy, download once, reset by an operator
    // PORT=0 the first time (the system picks a free one), then the same port again, as a user's fixed PORT
    const printed = await start(0);
    const port = Number(/API\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1]);
    const url = `http://127.0.0.1:${port}`;
    const token = async (query: string) => ((await (await fetch(`${url}/_local/token?${query}`)).json()) as { token: string }).token;
    const customer = { authorization: `Bearer ${await token('sub=cust-restart')}` };
    const events = new EventBridgeClient({ endpoint: `${url}/_aws/events`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'storefront.payments',
            DetailType: 'PaymentSucceeded',
            Detail: JSON.stringify({
              invoiceId: 'inv-restart',
              customerId: 'cust-restart',
              customerEmail: 'r@example.com',
              occurredAt: new Date().toISOString(),
              lines: [{ productId: 'demo-ebook' }],
            }),
          },
        ],
      }),
    );
    await fetch(`${url}/_local/idle`);
    const [link] = ((await (await fetch(`${url}/downloads/customer`, { headers: customer })).json()) as { items: { id: string; downloadUrl: string }[] }).items;
    expect((await fetch(link!.downloadUrl, { headers: customer, redirect: 'manual' })).status).toBe(302);
    await fetch(`${url}/_local/idle`);
    await stop();

    // Act: second run on the same DATA_DIR
    await start(port);
    const admin = { authorization: `Bearer ${await token('sub=op&scope=downloads/admin')}` };
    const products = (await (await fetch(`${url}/admin/products`, { headers: admin })).json()) as { items: { productId: string }[] };
    const [after] = (
      (await (await fetch(`${url}/downloads/customer`, { headers: customer })).json()) as {
        items: { id: string; downloadCount: number; downloadUrl: string }[];
      }
    ).items;
    const log = (await (await fetch(`${url}/admin/links/${link!.id}/events`, { headers: admin })).json()) as { items: { outcome: string }[] };
    const again = await fetch(link!.downloadUrl, { headers: customer, redirect: 'manual' });

    // Assess
    expect(printed).toContain('/downloads/customer');
    expect(products.items.map((p) => p.productId)).toContain('demo-ebook');
    expect(after).toMatchObject({ id: link!.id, downloadCount: 1, downloadUrl: link!.downloadUrl });
    expect(log.items.map((e) => e.outcome)).toEqual(['ok']);
    expect(again.status).toBe(302);
    events.destroy();
  }, 240_000);
});
