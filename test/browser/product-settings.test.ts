import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestSystem } from '../support/runtime';
import { ensureWebBuild, launchBrowser, screenshot, seriousA11yViolations } from './support';

let system: TestSystem;
let browser: Browser;
let operatorContext: BrowserContext;
let customerContext: BrowserContext;

beforeAll(async () => {
  ensureWebBuild();
  [system, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  operatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  customerContext = await browser.newContext({ viewport: { width: 1024, height: 800 }, acceptDownloads: true });
  await customerContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.url });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const POOL = ['DESK-7Q2M-0001', 'DESK-7Q2M-0002', 'DESK-7Q2M-0003'];

describe('product settings an operator sets in the console, as the customer gets them', () => {
  it('an operator sets up a pool product and imports 3 keys in the console; a purchase of 2 shows both keys on My downloads, each copied by its button', async () => {
    // Prepare: the operator creates the product in the console, with keys from a pool and 2 activations a key.
    const operator = await operatorContext.newPage();
    await operator.goto(`${system.url}/console/`);
    await operator.getByLabel('Operator id').fill('operator-keys');
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await operator.getByText('Signed in as').waitFor();
    await operator.getByRole('link', { name: 'Products' }).click();
    await operator.getByLabel('New product id').fill('desk-app');
    await operator.getByRole('button', { name: 'Set up a digital product' }).click();
    await operator.getByLabel('Display name').fill('Desk App');
    await operator.getByLabel('License keys').selectOption('pool');
    await operator.getByLabel('Activations per key').fill('2');
    await operator.getByRole('button', { name: 'Create product' }).click();
    await operator.getByRole('status').filter({ hasText: 'Saved Desk App.' }).waitFor();

    // Act: import the pool through its form (one key a line), then the shop sells 2 units.
    const pool = operator.getByRole('region', { name: 'License key pool' });
    await expect.poll(() => pool.textContent()).toContain('0 available, 0 assigned');
    await pool.getByLabel('Keys to import').fill(POOL.join('\n'));
    await pool.getByRole('button', { name: 'Import 3 keys' }).click();
    await pool.getByRole('status').filter({ hasText: 'Imported 3 keys.' }).waitFor();
    const afterImport = await pool.textContent();
    await screenshot(operator, 'console-license-pool');
    await system.sendPayment('PaymentSucceeded', {
      invoiceId: 'inv-keys-web',
      customerId: 'cust-keys',
      customerEmail: 'cust-keys@example.com',
      occurredAt: new Date().toISOString(),
      lines: [{ productId: 'desk-app', quantity: 2 }],
    });
    const customer = await customerContext.newPage();
    await customer.goto(`${system.url}/account/downloads`);
    await customer.getByLabel('Customer id').fill('cust-keys');
    await customer.getByRole('button', { name: 'Sign in' }).click();
    const keys = customer.getByRole('list', { name: 'Your license keys' }).getByRole('listitem');
    await expect.poll(() => keys.count()).toBe(2);
    const shown = await customer.locator('code.license-key').allTextContents();
    const second = (await keys.nth(1).locator('code').textContent()) ?? '';
    // Two keys of one product: each button's name says which key it copies (and keeps its visible text).
    await customer.getByRole('button', { name: `Copy the license key ${second} for Desk App` }).click();
    await customer.getByRole('status').filter({ hasText: 'Copied the key for Desk App.' }).waitFor();
    const copied = await customer.evaluate(() => navigator.clipboard.readText());
    await screenshot(customer, 'account-license-keys', { readme: true });

    // Assess: 3 keys went in, 2 came out in pool order, to this customer only, and the button copied the key beside it.
    expect(afterImport).toContain('3 available, 0 assigned');
    expect(shown.sort()).toEqual(POOL.slice(0, 2));
    expect(copied).toBe(second);
    expect(await keys.nth(1).getByRole('button').textContent()).toBe('Copied');
    expect(await keys.nth(0).textContent()).toContain('Active on 0 of 2 devices');
    const counts = await system.request('GET', '/admin/products/desk-app/license-keys?status=available', { admin: true });
    expect(counts.json.counts).toEqual({ available: 1, assigned: 2 });
    expect(await seriousA11yViolations(customer)).toEqual([]);
  });

  it('an operator switches on stamping with their own line; the customer downloads from My downloads a PDF that names them in the operator’s words', async () => {
    // Prepare: a product with the demo PDF, stamped with the operator's line.
    const { fileName } = system.runtime.demo;
    const operator = await operatorContext.newPage();
    await operator.goto(`${system.url}/console/#products`);
    await operator.getByLabel('Operator id').fill('operator-stamps');
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await operator.getByText('Signed in as').waitFor();
    await operator.getByLabel('New product id').fill('stamped-handbook');
    await operator.getByRole('button', { name: 'Set up a digital product' }).click();
    await operator.getByLabel('Display name').fill('Stamped Handbook');
    await operator.getByRole('button', { name: `Add ${fileName}` }).click();
    await operator.getByLabel("Each buyer's copy of a PDF names them on every page").check();
    await operator.getByLabel('Line on every page').fill('For {customerEmail} only ({invoiceId})');
    await operator.getByRole('button', { name: 'Create product' }).click();
    await operator.getByRole('status').filter({ hasText: 'Saved Stamped Handbook.' }).waitFor();

    // Act: the shop sells it; the customer downloads it from their page.
    await system.sendPayment('PaymentSucceeded', {
      invoiceId: 'inv-stamp-web',
      customerId: 'cust-stamp',
      customerEmail: 'cust-stamp@example.com',
      occurredAt: new Date().toISOString(),
      lines: [{ productId: 'stamped-handbook' }],
    });
    const customer = await customerContext.newPage();
    await customer.goto(`${system.url}/account/downloads`);
    await customer.getByLabel('Customer id').fill('cust-stamp');
    await customer.getByRole('button', { name: 'Sign in' }).click();
    const button = customer.getByRole('button', { name: `Download ${fileName}` });
    const [download] = await Promise.all([customer.waitForEvent('download', { timeout: 30_000 }), button.click()]);
    const bytes = readFileSync((await download.path()) as string);
    const original = await system.request('GET', `/admin/files/${system.runtime.demo.fileId}`, { admin: true });

    // Assess: the copy carries the operator's line, filled in (the integration test reads every page; the original's bytes too).
    const stamped = await PDFDocument.load(bytes);
    expect(download.suggestedFilename()).toBe(fileName);
    expect(stamped.getSubject()).toBe('For cust-stamp@example.com only (inv-stamp-web)');
    expect(bytes.length).not.toBe(original.json.size);
    expect(original.json.state).toBe('ready');
  });
});
