import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebConfig } from '../web/src/config';
import { buildOpenApiDocument } from '../openapi/document';
import { BROWSER_REDIRECT_HEADERS, browserDownloadRedirect } from '../functions/shared/browser-path';

/** Where `npm run build:web` puts the console and the customer page. */
export const WEB_DIST = resolve(fileURLToPath(new URL('../web/dist', import.meta.url)));

/** Vite's `build.assetsDir`: hashed bundles both pages share. */
export const ASSETS_PREFIX = '/dd-assets/';

export interface StaticOptions {
  /** The address `downloadUrl`s point at: the OpenAPI document's server. */
  publicBaseUrl: string;
  /** The S3 endpoint browsers upload to (presigned PUTs): allowed by the pages' CSP. */
  s3Endpoint?: string | undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const originOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
};

const pageHeaders = (options: StaticOptions, page: 'console' | 'account'): Record<string, string> => ({
  'content-security-policy': [
    "default-src 'self'",
    `connect-src 'self' ${originOf(options.s3Endpoint) ?? ''}`.trim(),
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // The console is never framed; the customer page may sit in a storefront's iframe.
    `frame-ancestors ${page === 'console' ? "'none'" : '*'}`,
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
});

const sendFile = (req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>) => {
  const stat = statSync(file);
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': String(stat.size), ...headers });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
};

const sendText = (res: ServerResponse, status: number, type: string, text: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
};

/** A file under `WEB_DIST`, or undefined: never a path outside it. */
const distFile = (relative: string): string | undefined => {
  const file = resolve(WEB_DIST, `.${relative}`);
  if (!file.startsWith(WEB_DIST + sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
};

let openApiCache: { serverUrl: string; text: string } | undefined;

const flatHeaders = (req: IncomingMessage): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]));

/**
 * The local runtime's static side: a download link opened in a browser goes
 * to the customer page (the same rule as the CloudFront Function in AWS,
 * functions/shared/browser-path.ts), `GET /openapi.json` (made from the same
 * schemas as the handlers, with this runtime as its server), the operator
 * console under `/console/`, the customer page at `/account/downloads`, and
 * their shared bundles. In AWS, CloudFront serves these. Answers true when it
 * handled the request.
 */
export const serveStatic = async (req: IncomingMessage, res: ServerResponse, requestUrl: URL, options: StaticOptions): Promise<boolean> => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = requestUrl.pathname;

  const browserPath = browserDownloadRedirect(req.method, path, flatHeaders(req));
  if (browserPath) {
    res.writeHead(302, { location: browserPath, ...BROWSER_REDIRECT_HEADERS });
    res.end();
    return true;
  }

  if (path === '/openapi.json') {
    if (openApiCache?.serverUrl !== options.publicBaseUrl) {
      openApiCache = { serverUrl: options.publicBaseUrl, text: JSON.stringify(buildOpenApiDocument({ serverUrl: options.publicBaseUrl }), null, 2) };
    }
    sendText(res, 200, 'application/json; charset=utf-8', openApiCache.text, { 'access-control-allow-origin': '*' });
    return true;
  }

  const page =
    path === '/console' || path.startsWith('/console/')
      ? 'console'
      : path === '/account/downloads' || path.startsWith('/account/downloads/')
        ? 'account'
        : undefined;
  const asset = path.startsWith(ASSETS_PREFIX);
  if (!page && !asset) return false;

  if (path === '/console') {
    res.writeHead(308, { location: `/console/${requestUrl.search}` });
    res.end();
    return true;
  }
  if (path === '/console/config.json') {
    const config: WebConfig = { mode: 'local', issuer: `${requestUrl.origin}/`, clientId: 'local', apiUrl: '', embedOrigins: ['*'] };
    sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify(config));
    return true;
  }

  if (!existsSync(WEB_DIST)) {
    sendText(res, 503, 'text/plain; charset=utf-8', 'The web build is missing: run `npm run build:web` (npm start does it first).\n');
    return true;
  }

  let relative: string;
  try {
    relative = decodeURIComponent(path);
  } catch {
    sendText(res, 400, 'text/plain; charset=utf-8', 'Bad path.\n');
    return true;
  }

  if (asset) {
    const file = relative.includes('\0') ? undefined : distFile(relative);
    if (!file) {
      sendText(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');
      return true;
    }
    sendFile(req, res, file, { 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    return true;
  }

  // Both pages are single-page apps: any path under them is the page (deep links, the OIDC callback).
  const index = page === 'console' ? distFile('/console/index.html') : distFile('/account/downloads/index.html');
  if (!index) {
    sendText(res, 503, 'text/plain; charset=utf-8', `The web build has no ${page} page: run \`npm run build:web\`.\n`);
    return true;
  }
  sendFile(req, res, index, pageHeaders(options, page as 'console' | 'account'));
  return true;
};
