import type { UserManager } from 'oidc-client-ts';
import type { WebConfig } from './config';

/** A signed-in user. The token lives in memory only: never in a URL or in storage. */
export interface Session {
  sub: string;
  token: string;
  expiresAt: number;
}

const subOf = (token: string): string => {
  try {
    const payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : 'unknown';
  } catch {
    return 'unknown';
  }
};

/** Local runtime only: `GET /_local/token` mints a JWT its authorizer accepts (the stand-in for the identity provider). */
export const signInLocally = async (config: WebConfig, sub: string, scope?: string): Promise<Session> => {
  const query = new URLSearchParams({ sub, ...(scope ? { scope } : {}) });
  const response = await fetch(`${config.apiUrl.replace(/\/+$/, '')}/_local/token?${query}`, { cache: 'no-store' });
  const body = (await response.json().catch(() => ({}))) as { token?: string; expiresIn?: number; error?: { message?: string } };
  if (!response.ok || !body.token) throw new Error(body.error?.message ?? `Sign-in failed (HTTP ${response.status}).`);
  return { sub, token: body.token, expiresAt: Date.now() + (body.expiresIn ?? 3600) * 1000 };
};

/**
 * OIDC: the authorization code flow with PKCE (oidc-client-ts). The user,
 * tokens included, is kept in memory; only the short-lived PKCE state goes
 * to sessionStorage, to survive the redirect.
 */
export const oidcManager = async (config: WebConfig, options: { scope: string; clientId?: string | undefined }): Promise<UserManager> => {
  // Loaded only in OIDC mode: the local pages do without it.
  const { InMemoryWebStorage, UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.issuer,
    client_id: options.clientId ?? config.clientId,
    redirect_uri: `${window.location.origin}${window.location.pathname}`,
    post_logout_redirect_uri: `${window.location.origin}${window.location.pathname}`,
    response_type: 'code',
    scope: options.scope,
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
  });
};

/** Finishes an OIDC redirect when the page was opened by one, and takes the code out of the address bar. */
export const completeOidcRedirect = async (manager: () => Promise<UserManager>): Promise<Session | undefined> => {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('code') && !params.has('error')) return undefined;
  try {
    const user = await (await manager()).signinRedirectCallback();
    return { sub: user.profile.sub, token: user.access_token, expiresAt: (user.expires_at ?? 0) * 1000 || Date.now() + 3600_000 };
  } finally {
    window.history.replaceState(null, '', window.location.pathname);
  }
};

/** A session from a bearer token handed over by an embedding storefront. */
export const sessionFromToken = (token: string): Session => ({ sub: subOf(token), token, expiresAt: Date.now() + 3600_000 });
