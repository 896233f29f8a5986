import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';
import { ensureWebBuild, launchBrowser, screenshot, seriousA11yViolations } from './support';

let system: TestSystem;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  ensureWebBuild();
  [system, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** A new console tab, signed in as the local operator, with what the page's Content Security Policy refused. */
const signedInConsole = async (hash = '') => {
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.goto(`${system.url}/console/${hash}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').waitFor();
  return { page, refused };
};

const download = (customerId: string, link: { downloadUrl: string }) =>
  system.request('GET', new URL(link.downloadUrl).pathname, { as: customerId, headers: { accept: 'application/json' } });

const linksOf = async (invoiceId: string) => (await system.request('GET', `/admin/invoices/${invoiceId}/downloads`, { admin: true })).json.items;

const cardOf = (page: Page, heading: string | RegExp) => page.locator('section.card').filter({ has: page.getByRole('heading', { name: heading }) });

describe('the operator dashboard, in a browser', () => {
  it('the console opens at the dashboard, which shows today’s downloads in its chart and its table, refusals by reason and top products', async () => {
    // Prepare: three downloads served today and one refused.
    await system.request('PUT', '/admin/products/dash-book', {
      admin: true,
      body: { name: 'Dash Book', fileIds: [system.runtime.demo.fileId], maxDownloadsPerLink: 3 },
    });
    await system.sendPayment('PaymentSucceeded', purchase('inv-dash-web', 'cust-dash', ['dash-book']));
    const [link] = await linksOf('inv-dash-web');
    for (let i = 0; i < 3; i++) expect((await download('cust-dash', link)).status).toBe(200);
    expect((await download('cust-dash', link)).status).toBe(410);
    await system.settled();
    const today = new Date().toISOString().slice(0, 10);

    // Act
    const { page, refused } = await signedInConsole();
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    const table = page.getByRole('table', { name: /Downloads per day/ });
    await table.waitFor();
    const todayCell = await table.locator(`tr:has(time[datetime="${today}"]) td`).textContent();
    const rows = await table.locator('tbody tr').count();
    // The chart is a chunk of its own, loaded after the numbers.
    await page.locator('.chart .recharts-bar-rectangle path').first().waitFor();
    const bars = await page.locator('.chart .recharts-bar-rectangle path').count();
    const chartHidden = await page.locator('.chart').getAttribute('aria-hidden');
    const refusals = await page.getByRole('table', { name: /refused, by reason/ }).textContent();
    const products = await page.getByRole('table', { name: /Most downloaded products/ }).textContent();
    const summary = await cardOf(page, 'Downloads per day').locator('.hint').textContent();
    const scan = await seriousA11yViolations(page);
    // The pointer off the chart, so that no tooltip covers it in the picture.
    await page.mouse.move(0, 0);
    await screenshot(page, 'console-dashboard', { readme: true });
    await page.close();

    // Assess
    expect(heading).toBe('Dashboard');
    expect(rows).toBe(30);
    expect(todayCell).toBe('3');
    // Only days with downloads have a bar: today's.
    expect(bars).toBe(1);
    expect(chartHidden).toBe('true');
    expect(summary).toContain('3 today');
    expect(refusals).toContain('DOWNLOAD_LIMIT_REACHED');
    expect(refusals).toContain('Download limit reached');
    expect(products).toContain('dash-book');
    expect(scan).toEqual([]);
    expect(refused).toEqual([]);
  }, 120_000);
});

describe('publishing an update, in a browser', () => {
  it('starting an update asks first and says how many customers it reaches; cancel publishes nothing, confirm runs the update', async () => {
    // Prepare: two customers bought the product; the new version is a file of the library.
    await system.request('PUT', '/admin/products/versioned', { admin: true, body: { name: 'Versioned', fileIds: [system.runtime.demo.fileId] } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-ver-1', 'cust-ver-1', ['versioned']));
    await system.sendPayment('PaymentSucceeded', purchase('inv-ver-2', 'cust-ver-2', ['versioned']));
    const imported = await system.request('POST', '/admin/files/import', {
      admin: true,
      body: { key: system.runtime.demo.importableKey, fileName: 'Versioned v2.zip' },
    });
    expect(imported.status).toBe(201);
    const { page } = await signedInConsole('#products');
    await page.getByRole('button', { name: 'Edit Versioned' }).click();
    const versions = cardOf(page, 'Versions of Versioned');
    await versions.getByRole('button', { name: 'Add Versioned v2.zip' }).click();

    // Act: start, then cancel.
    await versions.getByRole('button', { name: 'Publish update…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const question = await dialog.getByRole('heading').textContent();
    const explanation = await dialog.textContent();
    await screenshot(page, 'console-update-dialog', { readme: true, fullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const afterCancel = (await system.request('GET', '/admin/products/versioned/updates', { admin: true })).json.items;

    // Act: start again, and confirm.
    await versions.getByRole('button', { name: 'Publish update…' }).click();
    await dialog.getByRole('button', { name: 'Publish to 2 customers' }).click();
    await page.getByRole('status').filter({ hasText: 'Publishing the new version of Versioned' }).waitFor();
    await system.settled(60_000);
    const updates = (await system.request('GET', '/admin/products/versioned/updates', { admin: true })).json.items;
    const [served] = await linksOf('inv-ver-1');
    await versions.getByRole('button', { name: 'Refresh versions' }).click();
    await versions.getByRole('cell', { name: 'Done' }).waitFor();
    await page.close();

    // Assess
    expect(question).toBe('Publish the new version to 2 customers?');
    expect(explanation).toContain('2 download links of 2 customers will serve Versioned v2.zip');
    expect(afterCancel).toEqual([]);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ status: 'done', repointed: 2, customersNotified: 2 });
    expect(served.fileName).toBe('Versioned v2.zip');
  }, 120_000);
});
