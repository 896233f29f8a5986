/**
 * The browser path of a download link (contract: "A downloadUrl works when a
 * person clicks it"), as one table of cases. The local runtime's rule
 * (functions/shared/browser-path.ts) and the CloudFront Function that plays it
 * in AWS are both tested against it, so the two cannot drift apart.
 *
 * A browser navigation to `/downloads/<token>` without a bearer token is sent
 * to the customer page with the token in the URL fragment (never sent to a
 * server); everything else goes on to the API unchanged (`null`).
 */
export interface BrowserPathCase {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  expected: string | null;
}

const TOKEN = 'k1.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const NAVIGATE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'sec-fetch-mode': 'navigate' };

export const BROWSER_PATH_CASES: BrowserPathCase[] = [
  {
    name: 'a clicked email link goes to the customer page',
    method: 'GET',
    path: `/downloads/${TOKEN}`,
    headers: NAVIGATE,
    expected: `/account/downloads#download=${TOKEN}`,
  },
  {
    name: 'an HTML Accept alone is a browser',
    method: 'GET',
    path: `/downloads/${TOKEN}`,
    headers: { accept: 'text/html' },
    expected: `/account/downloads#download=${TOKEN}`,
  },
  {
    name: 'a navigation without Accept is a browser',
    method: 'GET',
    path: `/downloads/${TOKEN}`,
    headers: { 'sec-fetch-mode': 'navigate' },
    expected: `/account/downloads#download=${TOKEN}`,
  },
  {
    name: 'HEAD (a link checker) is redirected too',
    method: 'HEAD',
    path: `/downloads/${TOKEN}`,
    headers: NAVIGATE,
    expected: `/account/downloads#download=${TOKEN}`,
  },
  {
    name: 'a bearer token goes to the API',
    method: 'GET',
    path: `/downloads/${TOKEN}`,
    headers: { ...NAVIGATE, authorization: 'Bearer x.y.z' },
    expected: null,
  },
  { name: 'curl (Accept */*) goes to the API, which answers 401 JSON', method: 'GET', path: `/downloads/${TOKEN}`, headers: { accept: '*/*' }, expected: null },
  { name: 'a JSON client goes to the API', method: 'GET', path: `/downloads/${TOKEN}`, headers: { accept: 'application/json' }, expected: null },
  { name: 'the customer listing is not a token', method: 'GET', path: '/downloads/customer', headers: NAVIGATE, expected: null },
  { name: 'an invoice listing is not a token', method: 'GET', path: '/downloads/invoice/inv-1', headers: NAVIGATE, expected: null },
  { name: 'POST is not a navigation to a link', method: 'POST', path: `/downloads/${TOKEN}`, headers: NAVIGATE, expected: null },
  { name: 'other paths are untouched', method: 'GET', path: '/account/downloads', headers: NAVIGATE, expected: null },
  { name: 'an empty token is untouched', method: 'GET', path: '/downloads/', headers: NAVIGATE, expected: null },
  {
    name: 'a token with characters to escape is encoded in the fragment',
    method: 'GET',
    path: '/downloads/a%20b<c>',
    headers: NAVIGATE,
    expected: '/account/downloads#download=a%2520b%3Cc%3E',
  },
];
