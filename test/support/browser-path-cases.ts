/**
 * The browser path's decision table: `browserDownloadRedirect` (local runtime)
 * and the CloudFront Function (AWS) are both tested against these cases, so
 * the two implementations of one rule cannot drift apart.
 */
export interface BrowserPathCase {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  expected: string | null;
}

const TOKEN = 'k1.AAAAAAAAAAAAAAAAAAAAAA.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const CHROME_NAVIGATION = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
};
const PAGE = `/account/downloads#download=${TOKEN}`;

export const BROWSER_PATH_CASES: BrowserPathCase[] = [
  { name: 'a link clicked in an email (Chrome navigation)', method: 'GET', path: `/downloads/${TOKEN}`, headers: CHROME_NAVIGATION, expected: PAGE },
  { name: 'HEAD of the same navigation', method: 'HEAD', path: `/downloads/${TOKEN}`, headers: CHROME_NAVIGATION, expected: PAGE },
  { name: 'a navigation known only by sec-fetch-mode', method: 'GET', path: `/downloads/${TOKEN}`, headers: { 'sec-fetch-mode': 'navigate' }, expected: PAGE },
  { name: 'an older browser: Accept asks for HTML', method: 'GET', path: `/downloads/${TOKEN}`, headers: { accept: 'text/html' }, expected: PAGE },
  { name: 'header names in any case', method: 'GET', path: `/downloads/${TOKEN}`, headers: { 'Sec-Fetch-Mode': 'Navigate' }, expected: PAGE },
  {
    name: 'a navigation with a bearer token goes to the API',
    method: 'GET',
    path: `/downloads/${TOKEN}`,
    headers: { ...CHROME_NAVIGATION, authorization: 'Bearer eyJ.x.y' },
    expected: null,
  },
  {
    name: 'an empty Authorization header counts as none',
    method: 'GET',
    path: `/downloads/${TOKEN}`,
    headers: { ...CHROME_NAVIGATION, authorization: '' },
    expected: PAGE,
  },
  { name: "curl's default Accept */* gets the API's 401 JSON", method: 'GET', path: `/downloads/${TOKEN}`, headers: { accept: '*/*' }, expected: null },
  { name: 'no headers at all', method: 'GET', path: `/downloads/${TOKEN}`, headers: {}, expected: null },
  {
    name: "the page's own fetch (JSON, cors mode)",
    method: 'GET',
    path: `/downloads/${TOKEN}`,
    headers: { accept: 'application/json', 'sec-fetch-mode': 'cors' },
    expected: null,
  },
  { name: 'POST is never redirected', method: 'POST', path: `/downloads/${TOKEN}`, headers: CHROME_NAVIGATION, expected: null },
  { name: '/downloads/customer is a route, not a token', method: 'GET', path: '/downloads/customer', headers: CHROME_NAVIGATION, expected: null },
  { name: '/downloads/invoice/{id} has a further segment', method: 'GET', path: '/downloads/invoice/inv-1', headers: CHROME_NAVIGATION, expected: null },
  { name: 'a trailing slash is a further segment', method: 'GET', path: `/downloads/${TOKEN}/`, headers: CHROME_NAVIGATION, expected: null },
  { name: '/downloads/ without a token', method: 'GET', path: '/downloads/', headers: CHROME_NAVIGATION, expected: null },
  { name: '/downloads without a slash', method: 'GET', path: '/downloads', headers: CHROME_NAVIGATION, expected: null },
  { name: 'another path', method: 'GET', path: '/account/downloads', headers: CHROME_NAVIGATION, expected: null },
  { name: 'a prefix that only looks alike', method: 'GET', path: `/downloadsx/${TOKEN}`, headers: CHROME_NAVIGATION, expected: null },
  {
    name: 'a percent-encoded token is decoded, then encoded once for the fragment',
    method: 'GET',
    path: '/downloads/a%20b%2Bc',
    headers: CHROME_NAVIGATION,
    expected: '/account/downloads#download=a%20b%2Bc',
  },
  {
    name: 'characters a fragment must not carry raw are encoded',
    method: 'GET',
    path: '/downloads/a#b&c',
    headers: CHROME_NAVIGATION,
    expected: '/account/downloads#download=a%23b%26c',
  },
  { name: 'a broken percent-encoding goes to the API', method: 'GET', path: '/downloads/%E0%A4%A', headers: CHROME_NAVIGATION, expected: null },
];
