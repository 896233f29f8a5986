import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');
const RESULTS = join(ROOT, 'test-results', 'browser');
const README_SHOTS = join(ROOT, 'docs', 'screenshots');

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    if (entry.name === 'dist' || entry.name === 'node_modules') return latest;
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);

/** Builds web/ when web/dist is missing or older than its sources (a fresh clone has none). */
export const ensureWebBuild = () => {
  const built = join(DIST, 'console', 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(WEB)) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
};

/**
 * Headless Chromium from the `@sparticuz/chromium` npm package (so `npm ci`
 * is all a machine needs), else a system Chromium. Flags that would make the
 * browser laxer than a real one (no web security, one process) are left out,
 * and so is its GL emulated on the CPU (SwiftShader, for WebGL in Lambda):
 * no page here draws with WebGL, and without a GPU Chromium's own software
 * compositor draws the same pages for about a quarter less CPU.
 */
export const launchBrowser = async (): Promise<Browser> => {
  const lax = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);
  const softwareGl = new Set(['--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--in-process-gpu', '--ignore-gpu-blocklist']);
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    const executablePath = await packaged.executablePath();
    return await chromium.launch({
      executablePath,
      headless: true,
      args: [...packaged.args.filter((arg) => !lax.has(arg) && !softwareGl.has(arg)), '--disable-gpu'],
    });
  } catch (error) {
    const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
    if (!system) throw error;
    return chromium.launch({ executablePath: system, headless: true, args: ['--no-sandbox'] });
  }
};

/**
 * With SCREENSHOTS=1, a screenshot in test-results/browser/; with UPDATE_SCREENSHOTS=1, that and the README's copy
 * in docs/screenshots/. Otherwise nothing: the PNGs cost a fifth of the browser files' time and nobody reads them.
 */
export const screenshot = async (page: Page, name: string, options: { readme?: boolean; fullPage?: boolean } = {}) => {
  const readme = options.readme && process.env.UPDATE_SCREENSHOTS === '1';
  if (!readme && process.env.SCREENSHOTS !== '1' && process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  if (readme) {
    mkdirSync(README_SHOTS, { recursive: true });
    copyFileSync(path, join(README_SHOTS, `${name}.png`));
  }
};

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core in the page (evaluated through the DevTools protocol: the page's CSP stays on) and returns serious and critical violations. */
export const seriousA11yViolations = async (page: Page): Promise<AxeViolation[]> => {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe.run;
    return run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
};

/** The text parts of a MIME message, decoded (base64, quoted-printable or as they are). */
const textParts = (raw: string): string[] => {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`) : [raw];
  return parts
    .filter((part) => /content-type:\s*text\//i.test(part) || !boundary)
    .map((part) => {
      const split = part.search(/\r?\n\r?\n/);
      const headers = split < 0 ? part : part.slice(0, split);
      const body = split < 0 ? '' : part.slice(split).trim();
      if (/content-transfer-encoding:\s*base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
        return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      }
      return body;
    });
};

/**
 * The download links of the delivery email about `invoiceId`, read from
 * DATA_DIR/outbox/*.eml as a customer's mail client would show them.
 */
export const downloadLinksInOutbox = (dataDir: string, invoiceId: string): string[] => {
  const dir = join(dataDir, 'outbox');
  const texts = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => textParts(readFileSync(join(dir, f), 'utf8')).join('\n'))
    .filter((text) => text.includes(invoiceId));
  const urls = texts.flatMap((text) => text.match(/https?:\/\/[^\s"'<>]+\/downloads\/[A-Za-z0-9._~%-]+/g) ?? []);
  return [...new Set(urls.filter((url) => !url.endsWith('/downloads/customer')))];
};
