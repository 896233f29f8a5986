import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';
import { ensureWebBuild, launchBrowser, screenshot, seriousA11yViolations } from './support';

const MiB = 1024 * 1024;
let system: TestSystem;
let browser: Browser;
let operatorContext: BrowserContext;
let customerContext: BrowserContext;
let operator: Page;
let customer: Page;

beforeAll(async () => {
  // The smallest threshold the config allows, so a 9 MiB file goes up as a real two-part multipart upload.
  process.env.MULTIPART_THRESHOLD_BYTES = String(5 * MiB);
  ensureWebBuild();
  [system, browser] = await Promise.all([startTestRuntime(), launchBrowser()]);
  operatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  customerContext = await browser.newContext({ viewport: { width: 1024, height: 800 }, acceptDownloads: true });
  operator = await operatorContext.newPage();
  customer = await customerContext.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** Nine MiB whose bytes say where they are, so a download can be checked byte for byte. */
const content = (() => {
  const bytes = Buffer.alloc(9 * MiB);
  for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32BE(i, i);
  return bytes;
})();

const card = (page: Page, fileName: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: fileName }) });

/** A new console page, signed in as the local operator. */
const signedInConsole = async () => {
  const page = await operatorContext.newPage();
  await page.goto(`${system.url}/console/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').waitFor();
  return page;
};

const downloadOnce = async (fileName: string) => {
  const [download] = await Promise.all([
    customer.waitForEvent('download'),
    card(customer, fileName)
      .getByRole('button', { name: `Download ${fileName}` })
      .click(),
  ]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path()) as string) };
};

describe('the operator console and the customer page, in a browser', () => {
  it('an operator uploads a file in parts, sells it with a limit of 2, a customer downloads twice and hits the limit, the operator resets it and reads the log', async () => {
    // --- The operator signs in (locally: a token with the admin scope, kept in memory) and uploads.
    await operator.goto(`${system.url}/console/`);
    await operator.getByLabel('Operator id').fill('operator-1');
    await operator.getByRole('button', { name: 'Sign in' }).click();
    // The console opens at its dashboard.
    await expect.poll(() => operator.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    expect(operator.url()).not.toContain('token');

    await operator.getByRole('link', { name: 'Files' }).click();
    await operator.getByLabel('File', { exact: true }).setInputFiles({ name: 'field-guide.zip', mimeType: 'application/zip', buffer: content });
    await operator.getByRole('button', { name: 'Upload', exact: true }).click();
    const uploaded = operator.getByRole('status').filter({ hasText: 'Uploaded field-guide.zip' });
    await uploaded.waitFor({ timeout: 60_000 });
    const progressText = await operator.locator('.progress .hint').textContent();
    const fileId = (await uploaded.locator('code').textContent()) ?? '';
    await screenshot(operator, 'console-upload', { readme: true });

    // --- A new digital product: first an invalid limit (the API's error shows at the field), then 2.
    await operator.getByRole('link', { name: 'Products' }).click();
    await operator.getByLabel('New product id').fill('field-guide');
    await operator.getByRole('button', { name: 'Set up a digital product' }).click();
    await operator.getByLabel('Display name').fill('Field Guide');
    await operator.getByLabel('Downloads per link').fill('-1');
    await operator.getByRole('button', { name: 'Add field-guide.zip' }).click();
    await operator.getByRole('button', { name: 'Create product' }).click();
    const limitField = operator.getByLabel('Downloads per link');
    await expect.poll(() => limitField.getAttribute('aria-invalid')).toBe('true');
    const fieldError = await operator.locator('.field--invalid .field-error').first().textContent();
    await screenshot(operator, 'console-product-validation');
    await limitField.fill('2');
    await operator.getByRole('button', { name: 'Create product' }).click();
    await operator.getByRole('status').filter({ hasText: 'Saved Field Guide.' }).waitFor();
    await screenshot(operator, 'console-product-saved');

    // --- The shop sells it.
    await system.sendPayment('PaymentSucceeded', purchase('inv-web-1', 'cust-web', ['field-guide']));

    // --- The customer signs in and downloads twice, by keyboard the first time.
    await customer.goto(`${system.url}/account/downloads`);
    await customer.getByLabel('Customer id').fill('cust-web');
    await customer.keyboard.press('Enter');
    await card(customer, 'field-guide.zip').waitFor();
    const before = await card(customer, 'field-guide.zip').textContent();
    await card(customer, 'field-guide.zip').getByRole('button', { name: 'Download field-guide.zip' }).focus();
    const [firstDownload] = await Promise.all([customer.waitForEvent('download'), customer.keyboard.press('Enter')]);
    const firstBytes = readFileSync((await firstDownload.path()) as string);
    await expect.poll(() => card(customer, 'field-guide.zip').textContent()).toContain('1 of 2');
    const second = await downloadOnce('field-guide.zip');
    await expect.poll(() => card(customer, 'field-guide.zip').textContent()).toContain('Download limit reached');
    await screenshot(customer, 'account-limit-reached', { readme: true });

    // --- The operator finds the customer's links, sees the limit, and resets it (with a confirmation).
    await operator.getByRole('link', { name: 'Download Manager' }).click();
    await operator.getByLabel('Customer id').fill('cust-web');
    await operator.getByRole('button', { name: 'Find links' }).click();
    const row = operator.getByRole('row').filter({ hasText: 'inv-web-1' });
    await expect.poll(() => row.textContent()).toContain('Limit reached');
    await expect.poll(() => row.textContent()).toContain('2 of 2');
    await row.getByRole('button', { name: /^Reset/ }).click();
    const dialog = operator.getByRole('dialog');
    await dialog.waitFor();
    await screenshot(operator, 'console-reset-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Reset link' }).click();
    await operator.getByRole('status').filter({ hasText: 'Reset field-guide.zip: 0 of 2 downloads' }).waitFor();
    await expect.poll(() => row.textContent()).toContain('Active');

    // --- The customer can download again.
    await customer.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => card(customer, 'field-guide.zip').textContent()).toContain('2 of 2');
    const third = await downloadOnce('field-guide.zip');
    await expect.poll(() => card(customer, 'field-guide.zip').textContent()).toContain('1 of 2');

    // --- The operator reads the link's log: three downloads served and the reset, newest first.
    await system.settled();
    await operator.getByRole('button', { name: /^Log of field-guide\.zip/ }).click();
    const log = operator.getByRole('table').filter({ has: operator.getByRole('columnheader', { name: 'User agent' }) });
    await expect
      .poll(async () => (await log.locator('tbody tr td:nth-child(3)').allTextContents()).join(','))
      .toBe('Downloaded,Reset: count back to 0,Downloaded,Downloaded');
    const logText = await log.textContent();
    await screenshot(operator, 'console-manager', { readme: true });

    // Assess
    expect(progressText).toContain('part 2 of 2 done');
    expect(fileId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fieldError).toBe('must be 0 or more');
    expect(before).toContain('2 of 2');
    expect(firstDownload.suggestedFilename()).toBe('field-guide.zip');
    expect(firstBytes.equals(content)).toBe(true);
    expect(second.name).toBe('field-guide.zip');
    expect(third.name).toBe('field-guide.zip');
    expect(logText).toContain('operator-1');
    expect(logText).toContain('127.0.0.1');
  }, 240_000);

  it('regenerating an invoice and revoking a link both ask first, and the customer sees why a download is gone', async () => {
    // Prepare: a purchase of the demo file, made through the API.
    await system.request('PUT', '/admin/products/regen-book', { admin: true, body: { fileIds: [system.runtime.demo.fileId], name: 'Regen Book' } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-web-2', 'cust-web-2', ['regen-book']));
    const [original] = (await system.request('GET', '/admin/invoices/inv-web-2/downloads', { admin: true })).json.items;

    const operator = await signedInConsole();

    // Act: regenerate from the invoice view, then revoke the new link.
    await operator.getByRole('link', { name: 'Download Manager' }).click();
    await operator.getByRole('radio', { name: 'Invoice' }).check();
    await operator.getByLabel('Invoice id').fill('inv-web-2');
    await operator.getByRole('button', { name: 'Find links' }).click();
    await operator.getByRole('button', { name: "Regenerate this invoice's links…" }).click();
    const regenerateDialog = operator.getByRole('dialog', { name: /Regenerate the links of invoice inv-web-2/ });
    const warning = await regenerateDialog.textContent();
    await screenshot(operator, 'console-regenerate-dialog', { fullPage: false, readme: true });
    await regenerateDialog.getByRole('button', { name: 'Regenerate links' }).click();
    await operator.getByRole('status').filter({ hasText: 'Issued 1 new links for invoice inv-web-2' }).waitFor();
    const [fresh] = (await system.request('GET', '/admin/invoices/inv-web-2/downloads', { admin: true })).json.items;
    const oldAttempt = await system.request('GET', new URL(original.downloadUrl).pathname, { as: 'cust-web-2' });

    await operator.getByRole('button', { name: /^Revoke/ }).click();
    const revokeDialog = operator.getByRole('dialog', { name: /Revoke/ });
    await revokeDialog.getByRole('button', { name: 'Cancel' }).click();
    const stillActive = (await system.request('GET', '/admin/invoices/inv-web-2/downloads', { admin: true })).json.items[0].status;
    await operator.getByRole('button', { name: /^Revoke/ }).click();
    await revokeDialog.getByRole('button', { name: 'Revoke link' }).click();
    await operator.getByRole('status').filter({ hasText: 'Revoked' }).waitFor();

    const page = await customerContext.newPage();
    await page.goto(`${system.url}/account/downloads`);
    await page.getByLabel('Customer id').fill('cust-web-2');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await card(page, 'Digital Downloads Handbook.pdf').waitFor();
    const customerView = await card(page, 'Digital Downloads Handbook.pdf').textContent();
    await page.close();
    await operator.close();

    // Assess
    expect(warning).toContain('stop working at once');
    expect(fresh.id).not.toBe(original.id);
    expect(oldAttempt.status).toBe(403);
    expect(stillActive).toBe('active');
    expect(customerView).toContain('no longer available');
    expect(customerView).not.toContain('Download Digital');
  }, 120_000);

  it('the pages have no serious or critical accessibility violations (axe), signed out and signed in', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/a11y-book', { admin: true, body: { fileIds: [system.runtime.demo.fileId], maxDownloadsPerLink: 3 } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-a11y', 'cust-a11y', ['a11y-book']));
    const context = await browser.newContext();
    const page = await context.newPage();
    const scans: Record<string, Awaited<ReturnType<typeof seriousA11yViolations>>> = {};

    // Act
    await page.goto(`${system.url}/account/downloads`);
    await page.getByLabel('Customer id').waitFor();
    scans['customer sign-in'] = await seriousA11yViolations(page);
    await page.getByLabel('Customer id').fill('cust-a11y');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await card(page, 'Digital Downloads Handbook.pdf').waitFor();
    scans['customer downloads'] = await seriousA11yViolations(page);

    await page.goto(`${system.url}/console/#products`);
    await page.getByLabel('Operator id').waitFor();
    scans['console sign-in'] = await seriousA11yViolations(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^Edit/ }).first().click();
    await page.getByRole('button', { name: 'Save changes' }).waitFor();
    await page.getByRole('button', { name: /^Add / }).first().waitFor();
    scans['console products'] = await seriousA11yViolations(page);
    await page.getByRole('link', { name: 'Files' }).click();
    await page.getByLabel('Key prefix').fill('library/');
    await page.getByRole('button', { name: 'Browse' }).click();
    await page
      .getByRole('button', { name: /^Import/ })
      .first()
      .waitFor();
    scans['console files'] = await seriousA11yViolations(page);
    await page.getByRole('link', { name: 'Download Manager' }).click();
    await page.getByLabel('Customer id').fill('cust-a11y');
    await page.getByRole('button', { name: 'Find links' }).click();
    await page.getByRole('button', { name: /^Log of/ }).click();
    await page.getByRole('columnheader', { name: 'User agent' }).waitFor();
    scans['console manager'] = await seriousA11yViolations(page);
    await page
      .getByRole('button', { name: /^Reset/ })
      .first()
      .click();
    await page.getByRole('dialog').waitFor();
    scans['console dialog'] = await seriousA11yViolations(page);
    const focusedInDialog = await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')));
    await page.keyboard.press('Escape');
    const dialogOpenAfterEscape = await page.getByRole('dialog').isVisible();
    // A control: the scan does report what it should.
    await page.evaluate(() => document.querySelector('main')?.append(document.createElement('input')));
    const control = await seriousA11yViolations(page);
    await context.close();

    // Assess
    expect(scans).toEqual(Object.fromEntries(Object.keys(scans).map((k) => [k, []])));
    expect(Object.keys(scans)).toHaveLength(7);
    expect(focusedInDialog).toBe(true);
    expect(dialogOpenAfterEscape).toBe(false);
    expect(control.map((v) => v.id)).toContain('label');
  }, 120_000);

  it('both pages work at phone width without sideways scrolling of the page', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/phone-book', { admin: true, body: { fileIds: [system.runtime.demo.fileId], maxDownloadsPerLink: 3 } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-phone', 'cust-phone', ['phone-book']));
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    // Against the phone's width, not innerWidth: a mobile browser widens its layout viewport to fit content that overflows.
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - 390);

    // Act
    await page.goto(`${system.url}/account/downloads`);
    await page.getByLabel('Customer id').fill('cust-phone');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await card(page, 'Digital Downloads Handbook.pdf').waitFor();
    const customerOverflow = await overflow();
    const downloadButton = await card(page, 'Digital Downloads Handbook.pdf')
      .getByRole('button', { name: 'Download Digital Downloads Handbook.pdf' })
      .boundingBox();
    await screenshot(page, 'account-phone', { readme: true });

    await page.goto(`${system.url}/console/#manager`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Customer id').fill('cust-phone');
    await page.getByRole('button', { name: 'Find links' }).click();
    await page.getByRole('row').filter({ hasText: 'inv-phone' }).waitFor();
    const consoleOverflow = await overflow();
    await screenshot(page, 'console-phone');
    await context.close();

    // Assess
    expect(customerOverflow).toBeLessThanOrEqual(0);
    expect(consoleOverflow).toBeLessThanOrEqual(0);
    expect(downloadButton?.width).toBeGreaterThan(300);
    expect(downloadButton?.height).toBeGreaterThanOrEqual(40);
  }, 120_000);

  it('with an OIDC config the console signs in by the authorization code flow with PKCE, keeps the token out of the address bar and localStorage, and a reload keeps the session', async () => {
    // Prepare: a stand-in identity provider, answered by the browser's request interception.
    const issuer = `${system.url}/idp`;
    const token = await system.token('operator-oidc', 'downloads/admin');
    const context = await browser.newContext();
    const page = await context.newPage();
    let authorize: URL | undefined;
    let tokenRequest: URLSearchParams | undefined;
    await page.route(`${system.url}/console/config.json`, (route) => route.fulfill({ json: { mode: 'oidc', issuer, clientId: 'console-client', apiUrl: '' } }));
    await page.route(`${issuer}/.well-known/openid-configuration`, (route) =>
      route.fulfill({
        json: { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${system.url}/.well-known/jwks.json` },
      }),
    );
    let authorizations = 0;
    await page.route(`${issuer}/authorize?*`, (route) => {
      authorizations += 1;
      authorize = new URL(route.request().url());
      return route.fulfill({ status: 302, headers: { location: `${system.url}/console/?code=the-code&state=${authorize.searchParams.get('state')}` } });
    });
    await page.route(`${issuer}/token`, (route) => {
      tokenRequest = new URLSearchParams(route.request().postData() ?? '');
      return route.fulfill({ json: { access_token: token, id_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'openid downloads/admin' } });
    });

    // Act
    await page.goto(`${system.url}/console/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();
    await page.getByRole('table', { name: /Downloads per day/ }).waitFor();
    const finalUrl = page.url();
    const local = await page.evaluate(() => JSON.stringify({ ...window.localStorage }));
    await page.reload();
    await page.getByText('Signed in as').waitFor();
    await page.getByRole('table', { name: /Downloads per day/ }).waitFor();
    await context.close();

    // Assess
    expect(authorize?.searchParams.get('response_type')).toBe('code');
    expect(authorize?.searchParams.get('client_id')).toBe('console-client');
    expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize?.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize?.searchParams.get('scope')).toBe('openid downloads/admin');
    expect(tokenRequest?.get('code')).toBe('the-code');
    expect(tokenRequest?.get('code_verifier')).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(finalUrl).toBe(`${system.url}/console/`);
    expect(local).not.toContain(token);
    expect(authorizations).toBe(1);
  }, 120_000);

  it("a storefront embeds the customer page in an iframe and hands it the signed-in customer's token", async () => {
    // Prepare: a storefront on another origin, with the snippet the README gives.
    await system.request('PUT', '/admin/products/embed-book', { admin: true, body: { fileIds: [system.runtime.demo.fileId] } });
    await system.sendPayment('PaymentSucceeded', purchase('inv-embed', 'cust-embed', ['embed-book']));
    const token = await system.token('cust-embed');
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    // A real server on another origin: Chrome's local-network checks refuse a page of unknown address space framing a loopback one.
    const storefront = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(storefrontPage(system.url, token)));
    await new Promise<void>((resolve) => storefront.listen(0, '127.0.0.1', resolve));
    const shop = `http://127.0.0.1:${(storefront.address() as AddressInfo).port}`;

    // Act
    await page.goto(`${shop}/account`);
    const frame = page.frameLocator('iframe[title="My downloads"]');
    await frame.getByRole('heading', { name: 'Digital Downloads Handbook.pdf' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      frame.getByRole('button', { name: 'Download Digital Downloads Handbook.pdf' }).click(),
    ]);
    const height = await page.locator('iframe').evaluate((iframe) => (iframe as HTMLIFrameElement).getBoundingClientRect().height);
    await screenshot(page, 'storefront-embed');
    await context.close();
    storefront.close();

    // Assess
    expect(download.suggestedFilename()).toBe('Digital Downloads Handbook.pdf');
    expect(height).toBeGreaterThan(200);
  }, 120_000);
});

/** The README's embedding snippet, on a storefront page. */
const storefrontPage = (downloadsOrigin: string, token: string) => `<!doctype html>
<html lang="en"><head><title>Shop · My account</title></head>
<body>
  <h1>My account</h1>
  <iframe id="downloads" title="My downloads" src="${downloadsOrigin}/account/downloads" style="width: 100%; border: 0; height: 120px"></iframe>
  <script>
    const DOWNLOADS = '${downloadsOrigin}';
    const frame = document.getElementById('downloads');
    window.addEventListener('message', (event) => {
      if (event.origin !== DOWNLOADS) return;
      if (event.data?.type === 'digital-downloads:ready') {
        frame.contentWindow.postMessage({ type: 'digital-downloads:token', token: ${JSON.stringify(token)} }, DOWNLOADS);
      }
      if (event.data?.type === 'digital-downloads:height') frame.style.height = event.data.height + 'px';
    });
  </script>
</body></html>`;
