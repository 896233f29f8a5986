/**
 * The browser path of a download, as one pure rule that the local runtime
 * (local/static.ts) and the CloudFront Function in AWS apply alike, tested
 * against the same table (test/support/browser-path-cases.ts).
 *
 * A `downloadUrl` opened by a person (a link in the delivery email, a
 * bookmark) is a top-level navigation without a bearer token: instead of the
 * API's 401, it is sent to the customer page with the token in the URL
 * fragment. Browsers never send a fragment to a server, so the token stays out
 * of every access log; the page signs the customer in and asks the API for the
 * download with the bearer, through the same check and count.
 *
 * No imports: CloudFront Functions run a restricted JavaScript runtime.
 */

/** Where the customer's "My downloads" page lives, on the shop's public address. */
export const CUSTOMER_PAGE_PATH = '/account/downloads';

const DOWNLOADS_PREFIX = '/downloads/';
/** Static segments of `/downloads/…` that are routes of their own, not tokens. */
const NOT_TOKENS = ['customer'];

const header = (headers: Record<string, string | undefined>, name: string): string | undefined => {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return undefined;
};

/** `sec-fetch-mode: navigate` (every current browser), or an `Accept` that asks for a page (older ones). */
const isNavigation = (headers: Record<string, string | undefined>): boolean =>
  (header(headers, 'sec-fetch-mode') ?? '').trim().toLowerCase() === 'navigate' || (header(headers, 'accept') ?? '').toLowerCase().includes('text/html');

/**
 * Where to send a browser that opened a download link without a bearer token
 * (the `Location` of a 302), or null when the request goes on to the API.
 */
export const browserDownloadRedirect = (method: string, path: string, headers: Record<string, string | undefined>): string | null => {
  if (method !== 'GET' && method !== 'HEAD') return null;
  if (!path.startsWith(DOWNLOADS_PREFIX)) return null;
  const segment = path.slice(DOWNLOADS_PREFIX.length);
  if (segment === '' || segment.includes('/') || NOT_TOKENS.includes(segment)) return null;
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined && authorization.trim() !== '') return null;
  if (!isNavigation(headers)) return null;
  let token: string;
  try {
    token = decodeURIComponent(segment);
  } catch {
    return null; // not a token the API could verify either: its 404/401 answers
  }
  return `${CUSTOMER_PAGE_PATH}#download=${encodeURIComponent(token)}`;
};

/** The headers of that 302: never cached, and no `Referer` carrying the token's path onwards. */
export const BROWSER_REDIRECT_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;
