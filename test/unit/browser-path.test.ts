import { describe, expect, it } from 'vitest';
import { BROWSER_REDIRECT_HEADERS, browserDownloadRedirect, CUSTOMER_PAGE_PATH } from '../../functions/shared/browser-path';
import { BROWSER_PATH_CASES } from '../support/browser-path-cases';

describe('the browser path of a download link', () => {
  it.each(BROWSER_PATH_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Act
    const location = browserDownloadRedirect(c.method, c.path, c.headers);

    // Assess
    expect(location).toBe(c.expected);
  });

  it('sends browsers to the customer page, with the token only in the fragment (never sent to a server)', () => {
    // Act
    const location = browserDownloadRedirect('GET', '/downloads/k1.abc.def', { 'sec-fetch-mode': 'navigate' }) ?? '';

    // Assess
    expect(CUSTOMER_PAGE_PATH).toBe('/account/downloads');
    expect(location.split('#')[0]).toBe(CUSTOMER_PAGE_PATH);
    expect(location.split('#')[0]).not.toContain('k1.abc.def');
    expect(new URLSearchParams(location.split('#')[1]).get('download')).toBe('k1.abc.def');
    expect(BROWSER_REDIRECT_HEADERS).toEqual({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  });

  it('reads sec-fetch-mode whatever its case and surrounding spaces', () => {
    expect(browserDownloadRedirect('GET', '/downloads/k1.abc.def', { 'Sec-Fetch-Mode': ' Navigate ' })).toBe(`${CUSTOMER_PAGE_PATH}#download=k1.abc.def`);
  });

  it('takes an Authorization header of only spaces for no bearer at all', () => {
    expect(browserDownloadRedirect('GET', '/downloads/k1.abc.def', { 'sec-fetch-mode': 'navigate', authorization: '  ' })).toBe(
      `${CUSTOMER_PAGE_PATH}#download=k1.abc.def`,
    );
  });
});
