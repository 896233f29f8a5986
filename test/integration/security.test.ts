import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

// A small limit for this file only: the handlers read it at cold start.
process.env.DOWNLOAD_RATE_LIMIT_PER_MINUTE = '6';
process.env.DOWNLOAD_RATE_LIMIT_BURST = '3';

let system: TestSystem;
const written: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);
const originalErrWrite = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  // Capture every log line the functions write, to scan it for secrets (kept out of the test output: DEBUG is verbose).
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  system = await startTestRuntime();
});
afterAll(async () => {
  process.stdout.write = originalWrite;
  process.stderr.write = originalErrWrite;
  await system?.stop();
});

const buy = async (invoiceId: string, customerId: string) => {
  await system.sendPayment('PaymentSucceeded', purchase(invoiceId, customerId, [system.runtime.demo.productId]));
  const [link] = (await system.request('GET', `/downloads/invoice/${invoiceId}`, { as: customerId })).json.items;
  return link as { id: string; downloadUrl: string };
};

describe('signing-key rotation', () => {
  it('links issued before a rotation keep working, and links listed after it carry the new key', async () => {
    // Prepare
    const before = await buy('inv-rotate', 'cust-rotate');

    // Act
    const rotation = await system.request('POST', '/_local/rotate-signing-key');
    const oldTokenAttempt = await system.request('GET', new URL(before.downloadUrl).pathname, { as: 'cust-rotate' });
    const [after] = (await system.request('GET', '/downloads/invoice/inv-rotate', { as: 'cust-rotate' })).json.items;
    const newTokenAttempt = await system.request('GET', new URL(after.downloadUrl).pathname, { as: 'cust-rotate' });

    // Assess
    expect(rotation.json.currentKid).toBe('k2');
    expect(before.downloadUrl).toContain('/downloads/k1.');
    expect(after.downloadUrl).toContain('/downloads/k2.');
    expect(after.id).toBe(before.id);
    expect(oldTokenAttempt.status).toBe(302);
    expect(newTokenAttempt.status).toBe(302);
  });
});

describe('per-customer rate limiting', () => {
  it('a customer over the limit gets 429 RATE_LIMITED with Retry-After, and other customers are not affected', async () => {
    const link = await buy('inv-rate', 'cust-rate');
    const path = new URL(link.downloadUrl).pathname;
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<TestSystem['request']>> | undefined;
    for (let i = 0; i < 5; i++) {
      const r = await system.request('GET', path, { as: 'cust-rate' });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    const other = await buy('inv-rate-2', 'cust-rate-2');
    const otherAttempt = await system.request('GET', new URL(other.downloadUrl).pathname, { as: 'cust-rate-2' });
    expect(statuses.slice(0, 3)).toEqual([302, 302, 302]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(limited?.json.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(otherAttempt.status).toBe(302);
  });
});

describe('secrets stay secret', () => {
  it('no log line ever holds a token, a presigned URL or a signing key', async () => {
    // Prepare: exercise served, refused, forged and admin paths
    const link = await buy('inv-logs', 'cust-logs');
    const path = new URL(link.downloadUrl).pathname;
    const token = path.split('/').pop() as string;
    const grant = await system.request('GET', path, { as: 'cust-logs', headers: { accept: 'application/json' } });
    await system.request('GET', path, { as: 'cust-intruder' });
    await system.request('GET', `${path}x`, { as: 'cust-logs' });
    await system.sendPayment('PaymentSucceeded', { invoiceId: 'inv-logs-bad', occurredAt: 'never', lines: [] });
    await system.settled();
    const secrets = JSON.parse((await import('node:fs')).readFileSync(`${system.dataDir}/secrets.json`, 'utf8')) as Record<string, string>;
    const keys = Object.values(JSON.parse(Object.values(secrets)[0] as string) as Record<string, string>).filter((v) => v.length >= 32);

    // Assess
    const logs = written.join('');
    expect(logs).toContain('event parked'); // the capture works
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.split('.')[2]);
    expect(logs).not.toContain('X-Amz-Signature');
    expect(logs).not.toContain(new URL(grant.json.url).searchParams.get('X-Amz-Signature'));
    for (const key of keys) expect(logs).not.toContain(key);
  });

  it('error bodies never echo a token or a presigned URL', async () => {
    const link = await buy('inv-bodies', 'cust-bodies');
    const path = new URL(link.downloadUrl).pathname;
    const refused = await system.request('GET', path, { as: 'cust-other' });
    const forged = await system.request('GET', `${path.slice(0, -2)}zz`, { as: 'cust-bodies' });
    for (const r of [refused, forged]) {
      expect(r.text).not.toContain(path.split('/').pop());
      expect(r.text).not.toContain('X-Amz');
    }
  });
});
