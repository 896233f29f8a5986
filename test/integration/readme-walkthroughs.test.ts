import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestSystem } from '../support/runtime';
import { readmeWalkthrough } from '../support/readme';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let system: TestSystem;

beforeAll(async () => {
  system = await startTestRuntime();
});
afterAll(() => system?.stop());

/** Runs a README block in bash, from the repository, with only the variables the banner's export line sets (and no PORT). */
const run = (script: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const { PORT: _port, ...env } = process.env;
    execFile(
      'bash',
      // --norc: bash reads the rc files when its stdin is a socket (node's pipes are) and SHLVL is unset, as here.
      ['--norc', '-euo', 'pipefail', '-c', script],
      { cwd: ROOT, env: { ...env, API: system.url, DATA_DIR: system.dataDir }, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe("the README's walkthroughs, run as they are written", () => {
  it('the customer buys the demo product, lists it and downloads the PDF; the delivery email is in $DATA_DIR/outbox', async () => {
    // Act
    const result = await run(readmeWalkthrough('customer'));

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('{"idle":true}');
    expect(result.stdout).toContain('"invoiceId":"inv-1001"');
    expect(result.stdout).toContain('%PDF-1.4');
    expect(result.stdout).toMatch(/inv-1001[^\n]*\.eml/);
    expect(result.stdout).toContain(`${system.runtime.publicBaseUrl}/downloads/`);
  }, 120_000);

  it('an admin lists the products', async () => {
    // Act
    const result = await run(readmeWalkthrough('admin'));

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).items.map((p: { productId: string }) => p.productId)).toContain(system.runtime.demo.productId);
  }, 60_000);

  it('the operator uploads 20 MB in parts, creates and edits a product safely, sells it, and works the Download Manager', async () => {
    // Act
    const result = await run(readmeWalkthrough('operator'));
    const lines = result.stdout.split('\n');

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"state":"ready"');
    expect(result.stdout).toContain('"size":20000000');
    expect(result.stdout).toContain('"productId":"big-archive"');
    expect(lines).toContain('200 412 ');
    expect(result.stdout).toContain('"customerId":"cust-7"');
    expect(lines).toContain('302 302 410 ');
    expect(lines).toContain('0 of 2');
    expect(lines).toContain('revoked');
    expect(result.stdout).toMatch(/regenerate {4}operator-1 {2}\{"generation":1,"replacedBy":"[A-Za-z0-9_-]{22}"\}/);
    expect(result.stdout).toMatch(/inv-2001[^\n]*\.eml/);
  }, 240_000);

  it('the operator publishes version 2 of the demo e-book to its buyer, who gets it through the old link with one email; a link downloaded from 10 networks is flagged; the dashboard counts the day', async () => {
    // Act
    const result = await run(readmeWalkthrough('updates-and-sharing'));
    const lines = result.stdout.split('\n');

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines).toContain('200');
    expect(lines).toContain('repointing');
    expect(lines).toContain('% Handbook, second edition');
    expect(lines).toContain('1');
    // The ten from step 4 and the loopback network this machine's first download came from, newest first.
    expect(result.stdout).toMatch(/flagged true, 11 networks: 127\.0\.10\.0\/24 .*127\.0\.1\.0\/24 127\.0\.0\.0\/24/);
    const today = new Date().toISOString().slice(0, 10);
    expect(result.stdout).toMatch(new RegExp(`\\[\\{"day":"${today}","downloads":(1[1-9]|[2-9]\\d)\\}\\]`));
  }, 240_000);
});
