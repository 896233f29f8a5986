import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';
import { downloadLinksInOutbox, ensureWebBuild, launchBrowser, screenshot, seriousA11yViolations } from './support';

let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  ensureWebBuild();
  [system, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** A file uploaded through the admin API, with bytes the test can compare a download with. */
const uploadFile = async (fileName: string, bytes: Buffer) => {
  const started = await system.request('POST', '/admin/files', { admin: true, body: { fileName, size: bytes.length } });
  await fetch(started.json.upload.url, { method: 'PUT', body: new Uint8Array(bytes), headers: started.json.upload.headers });
  const completed = await system.request('POST', `/admin/files/${started.json.file.fileId}/complete`, { admin: true, body: {} });
  return completed.json.fileId as string;
};

const bytesOf = (seed: number, length = 50_000) => Buffer.from(Array.from({ length }, (_, i) => (i * seed) % 251));

const card = (page: Page, fileName: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: fileName }) });

/** A new console tab of `context`, signed in as the local operator. */
const signedInConsole = async (context: BrowserContext, hash = '') => {
  const page = await context.newPage();
  await page.goto(`${system.url}/console/${hash}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').waitFor();
  return page;
};

const editorFor = (page: Page, title: RegExp) => page.locator('section.card').filter({ has: page.getByRole('heading', { name: title }) });

describe('a download link clicked in the delivery email', () => {
  it('opened while signed out, leads through sign-in back to the download, whose bytes are the file; counted once', async () => {
    // Prepare: an email-only product, bought; its delivery email is in DATA_DIR/outbox.
    const content = bytesOf(7919);
    const fileId = await uploadFile('Field Notes.pdf', content);
    await system.request('PUT', '/admin/products/notes-by-email', {
      admin: true,
      body: { name: 'Field Notes', fileIds: [fileId], deliveryMethod: 'EmailDelivered', maxDownloadsPerLink: 3 },
    });
    await system.sendPayment('PaymentSucceeded', purchase('inv-email-1', 'cust-email', ['notes-by-email']));
    await system.settled();
    const [link] = downloadLinksInOutbox(system.dataDir, 'inv-email-1');
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));

    // Act: the customer clicks the link (a top-level navigation, no bearer), signs in, and the download starts.
    await page.goto(link as string);
    await page.getByRole('heading', { name: 'Sign in to start your download' }).waitFor();
    const landedAt = page.url();
    const signInScan = await seriousA11yViolations(page);
    await page.getByLabel('Customer id').fill('cust-email');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Sign in' }).click()]);
    const bytes = readFileSync((await download.path()) as string);
    const banner = page.getByRole('status').filter({ hasText: 'Your download of Field Notes.pdf (Field Notes) has started.' });
    await banner.waitFor();
    await expect.poll(() => card(page, 'Field Notes.pdf').textContent()).toContain('2 of 3');
    await screenshot(page, 'account-email-link', { readme: true });
    const afterScan = await seriousA11yViolations(page);
    const [listed] = (await system.request('GET', '/admin/invoices/inv-email-1/downloads', { admin: true })).json.items;
    const finalUrl = page.url();
    await context.close();

    // Assess
    expect(link).toMatch(new RegExp(`^${system.runtime.publicBaseUrl}/downloads/[^/]+$`));
    expect(landedAt).toBe(`${system.url}/account/downloads`);
    expect(finalUrl).toBe(`${system.url}/account/downloads`);
    expect(download.suggestedFilename()).toBe('Field Notes.pdf');
    expect(bytes.equals(content)).toBe(true);
    expect(listed.downloadCount).toBe(1);
    // The token reached the server in the link's path only (then the API's path, with the bearer): never in a query.
    const token = new URL(link as string).pathname.split('/').at(-1) as string;
    expect(requested.filter((url) => url.includes(token) && new URL(url).search.includes(token))).toEqual([]);
    expect(signInScan).toEqual([]);
    expect(afterScan).toEqual([]);
  }, 120_000);

  it("opened while signed in as someone else, says it belongs to another account and downloads nothing; another customer's refused link leaves no stale banner", async () => {
    // Prepare
    await system.request('PUT', '/admin/products/mine-only', { admin: true, body: { name: 'Mine Only', fileIds: [system.runtime.demo.fileId] } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-email-2', 'cust-owner', ['mine-only']));
    await system.settled();
    const [link] = downloadLinksInOutbox(system.dataDir, 'inv-email-2');
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    let downloads = 0;
    page.on('download', () => {
      downloads += 1;
    });
    await page.goto(`${system.url}/account/downloads`);
    await page.getByLabel('Customer id').fill('cust-someone-else');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('You have no downloads yet').waitFor();

    // Act
    await page.goto(link as string);
    const refusal = page.getByRole('alert').filter({ hasText: 'belongs to another account' });
    await refusal.waitFor();
    const text = await refusal.textContent();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('status').filter({ hasText: 'Your downloads are up to date.' }).waitFor();
    const alertsAfterRefresh = await page.getByRole('alert').count();
    await context.close();

    // Assess
    expect(text).toContain('Sign out and sign in with the account you bought it with');
    expect(downloads).toBe(0);
    expect(alertsAfterRefresh).toBe(0);
  }, 120_000);
});

describe('sessions', () => {
  it('a reload keeps the customer signed in; signing out forgets the session; nothing is kept in localStorage or the URL', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/reload-book', { admin: true, body: { name: 'Reload Book', fileIds: [system.runtime.demo.fileId] } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-reload', 'cust-reload', ['reload-book']));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${system.url}/account/downloads`);
    await page.getByLabel('Customer id').fill('cust-reload');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await card(page, 'Digital Downloads Handbook.pdf').waitFor();

    // Act
    await page.reload();
    await card(page, 'Digital Downloads Handbook.pdf').waitFor();
    const afterReload = await page.getByText('Signed in as').textContent();
    const local = await page.evaluate(() => JSON.stringify({ ...window.localStorage }));
    const url = page.url();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.reload();
    await page.getByLabel('Customer id').waitFor();
    const signedOutAfterReload = await page.getByText('Signed in as').count();
    await context.close();

    // Assess
    expect(afterReload).toContain('cust-reload');
    expect(local).toBe('{}');
    expect(url).toBe(`${system.url}/account/downloads`);
    expect(signedOutAfterReload).toBe(0);
  }, 120_000);
});

describe('a console that cannot lose work', () => {
  it('refuses to set up a product over an existing id, and a create that loses a race saves nothing: both products stay as they were', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/existing-book', {
      admin: true,
      body: { name: 'Existing Book', fileIds: [system.runtime.demo.fileId], maxDownloadsPerLink: 3 },
    });
    const before = (await system.request('GET', '/admin/products/existing-book', { admin: true })).json;
    const context = await browser.newContext();
    const page = await signedInConsole(context, '#products');

    // Act: the id is taken: no blank form opens.
    await page.getByLabel('New product id').fill('existing-book');
    await page.getByRole('button', { name: 'Set up a digital product' }).click();
    await page.getByText('A product with the id existing-book already exists.').waitFor();
    const blankForms = await page.getByRole('heading', { name: /New digital product/ }).count();
    await page.getByRole('button', { name: 'Edit Existing Book instead' }).click();
    const editTitle = await page.getByRole('heading', { name: 'Edit Existing Book' }).textContent();

    // Act: a free id, taken by someone else while the form is open.
    await page.getByLabel('New product id').fill('race-book');
    await page.getByRole('button', { name: 'Set up a digital product' }).click();
    const editor = editorFor(page, /New digital product race-book/);
    await editor.waitFor();
    await system.request('PUT', '/admin/products/race-book', { admin: true, body: { name: 'Theirs', maxDownloadsPerLink: 7 } });
    await editor.getByLabel('Display name').fill('Mine');
    await editor.getByRole('button', { name: 'Create product' }).click();
    const conflict = editor.getByRole('alert').filter({ hasText: 'was created meanwhile, so nothing was saved' });
    await conflict.waitFor();
    const scan = await seriousA11yViolations(page);
    const race = (await system.request('GET', '/admin/products/race-book', { admin: true })).json;
    const after = (await system.request('GET', '/admin/products/existing-book', { admin: true })).json;
    await context.close();

    // Assess
    expect(blankForms).toBe(0);
    expect(editTitle).toBe('Edit Existing Book');
    expect(race).toMatchObject({ name: 'Theirs', maxDownloadsPerLink: 7, version: 1 });
    expect(after).toEqual(before);
    expect(scan).toEqual([]);
  }, 120_000);

  it('two tabs edit one product: the first save wins, the second gets the 412 message, saves nothing, and reloads their version', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/two-tabs', { admin: true, body: { name: 'Two Tabs', maxDownloadsPerLink: 1 } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [first, second] = [await signedInConsole(context, '#products'), await signedInConsole(context, '#products')];
    for (const tab of [first, second]) {
      await tab.getByLabel('Name or id contains').fill('two-tabs');
      await tab.getByRole('button', { name: 'Search products' }).click();
      await tab.getByRole('button', { name: 'Edit Two Tabs' }).click();
      await tab.getByRole('heading', { name: 'Edit Two Tabs' }).waitFor();
    }

    // Act
    await first.getByLabel('Downloads per link').fill('4');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await first.getByRole('status').filter({ hasText: 'Saved Two Tabs.' }).waitFor();
    await second.getByLabel('Downloads per link').fill('9');
    await second.getByRole('button', { name: 'Save changes' }).click();
    const message = second.getByRole('alert').filter({ hasText: 'Someone else changed this product since you opened it' });
    await message.waitFor();
    await screenshot(second, 'console-conflict', { readme: true });
    const stored = (await system.request('GET', '/admin/products/two-tabs', { admin: true })).json;
    await second.getByRole('button', { name: 'Reload the product' }).click();
    await expect.poll(() => second.getByLabel('Downloads per link').inputValue()).toBe('4');
    const messagesAfterReload = await message.count();
    await context.close();

    // Assess
    expect(messagesAfterReload).toBe(0);
    expect(stored).toMatchObject({ maxDownloadsPerLink: 4, version: 2 });
  }, 120_000);

  it('an upload is found again in the file library after a reload and picked into a product; an unknown file id is refused at the field', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signedInConsole(context, '#files');
    const content = bytesOf(104_729, 300_000);
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'library-pick.pdf', mimeType: 'application/pdf', buffer: content });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const uploaded = page.getByRole('status').filter({ hasText: 'Uploaded library-pick.pdf' });
    await uploaded.waitFor();
    const fileId = (await uploaded.locator('code').textContent()) ?? '';

    // Act: reload; still signed in; the upload is in the library.
    await page.reload();
    await page.getByText('Signed in as').waitFor();
    const library = page.getByRole('region', { name: 'File library', exact: true });
    await page.getByLabel('File name contains').fill('LIBRARY-PICK');
    await page.getByRole('button', { name: 'Search files' }).click();
    const row = library.getByRole('row').filter({ hasText: 'library-pick.pdf' });
    await row.waitFor();
    const rowText = await row.textContent();
    await screenshot(page, 'console-library', { readme: true });

    // Act: a new product picks it from the library; a made-up id is refused inline.
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByLabel('New product id').fill('picked-book');
    await page.getByRole('button', { name: 'Set up a digital product' }).click();
    const editor = editorFor(page, /New digital product picked-book/);
    await editor.getByLabel('Display name').fill('Picked Book');
    await editor.getByLabel('Add by file id').fill('AAAAAAAAAAAAAAAAAAAAAA');
    await editor.getByRole('button', { name: 'Add file id' }).click();
    await editor.getByText('No file has this id.').waitFor();
    await editor.getByLabel('Add by file id').fill('not a file id');
    await editor.getByRole('button', { name: 'Add file id' }).click();
    await editor.getByText('must be a file id (22 letters, digits, - or _)').waitFor();
    await editor.getByLabel('File name contains').fill('library-pick');
    await editor.getByRole('button', { name: 'Search files' }).click();
    await editor.getByRole('button', { name: 'Add library-pick.pdf' }).click();
    await editor.getByRole('list', { name: 'Files of this product' }).getByText('library-pick.pdf').waitFor();
    const scan = await seriousA11yViolations(page);
    await editor.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved Picked Book.' }).waitFor();
    await screenshot(page, 'console-product', { readme: true });
    const product = (await system.request('GET', '/admin/products/picked-book', { admin: true })).json;
    await context.close();

    // Assess
    expect(rowText).toContain('Ready');
    expect(rowText).toContain('293 KiB');
    expect(rowText).toContain(fileId);
    expect(product.fileIds).toEqual([fileId]);
    expect(scan).toEqual([]);
  }, 180_000);

  it("finds a customer's links by email, labels the log in words, and reaches an old link's history after a regenerate", async () => {
    // Prepare: bought, downloaded once, then regenerated by the operator in the console.
    await system.request('PUT', '/admin/products/history-book', { admin: true, body: { name: 'History Book', fileIds: [system.runtime.demo.fileId] } });
    await system.sendPayment('PaymentSucceeded', { ...purchase('inv-history', 'cust-history', ['history-book']), customerEmail: 'Ada.History@example.com' });
    const [original] = (await system.request('GET', '/admin/invoices/inv-history/downloads', { admin: true })).json.items;
    await system.request('GET', new URL(original.downloadUrl).pathname, { as: 'cust-history', headers: { accept: 'application/json' } });
    await system.settled();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signedInConsole(context, '#manager');

    // Act
    await page.getByRole('radio', { name: 'Email' }).check();
    // As the storefront sent it (the address is also tried in lower case: see GET /admin/customers).
    await page.getByLabel('Email address').fill('Ada.History@example.com');
    await page.getByRole('button', { name: 'Find links' }).click();
    await page.getByRole('heading', { name: 'Links of customer cust-history' }).waitFor();
    await page.getByRole('button', { name: 'Open invoice inv-history' }).click();
    await page.getByText('Payment: Paid').waitFor();
    await page.getByRole('button', { name: "Regenerate this invoice's links…" }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Regenerate links' }).click();
    await page.getByRole('status').filter({ hasText: 'Issued 1 new links for invoice inv-history' }).waitFor();
    await page.getByRole('button', { name: /^Log of Digital Downloads Handbook\.pdf/ }).click();
    await page.getByRole('button', { name: 'Open the log of the link it replaced' }).click();
    await page.getByRole('heading', { name: /^Log of the earlier link of Digital Downloads Handbook\.pdf/ }).waitFor();
    const oldLog = page.locator('table.log');
    await expect.poll(async () => (await oldLog.locator('tbody tr td:nth-child(3)').allTextContents()).join(' | ')).toMatch(/^Replaced by a regenerated link/);
    const outcomes = await oldLog.locator('tbody tr td:nth-child(3)').allTextContents();
    const times = await oldLog.locator('tbody tr td:nth-child(1)').allTextContents();
    const scan = await seriousA11yViolations(page);
    await context.close();

    // Assess
    expect(outcomes.map((o) => o.replace(/ Open the log.*$/, ''))).toEqual(['Replaced by a regenerated link', 'Downloaded']);
    expect(outcomes.join(' ')).not.toMatch(/issued-by-regeneration|\bok\b/);
    for (const time of times) expect(time).toMatch(/(UTC|GMT|[A-Z]{2,5}|[+-]\d)/);
    expect(scan).toEqual([]);
  }, 120_000);
});
