import type { User, UserManager } from 'oidc-client-ts';
import type { WebConfig } from './config';

/** A signed-in user. */
export interface Session {
  sub: string;
  token: string;
  expiresAt: number;
}

/** Which page a session belongs to: the console and the customer page never share one. */
export type PageName = 'console' | 'account';

/**
 * Where a session survives a reload: `sessionStorage`. It is per tab and per
 * origin (another site, or another tab, never sees it), gone when the tab
 * closes, and the pages' strict CSP allows no script but their own. Never
 * `localStorage` (it outlives the tab and is shared by every tab), never a URL.
 */
const sessionKey = (page: PageName) => `digital-downloads:session:${page}`;

/** Time left under which a stored token is not worth restoring: the first call would be a 401. */
const MIN_LIFE_MS = 30_000;

const subOf = (token: string): string => {
  try {
    const payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : 'unknown';
  } catch {
    return 'unknown';
  }
};

export const saveSession = (page: PageName, session: Session) => window.sessionStorage.setItem(sessionKey(page), JSON.stringify(session));
export const forgetSession = (page: PageName) => window.sessionStorage.removeItem(sessionKey(page));

/** The page's stored session, while it has life left. */
export const restoreSession = (page: PageName): Session | undefined => {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(sessionKey(page)) ?? 'null') as Partial<Session> | null;
    if (typeof stored?.sub !== 'string' || typeof stored.token !== 'string' || typeof stored.expiresAt !== 'number') return undefined;
    return stored.expiresAt - Date.now() > MIN_LIFE_MS ? (stored as Session) : undefined;
  } catch {
    return undefined;
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

export const sessionOfUser = (user: User): Session => ({
  sub: user.profile.sub,
  token: user.access_token,
  expiresAt: (user.expires_at ?? 0) * 1000 || Date.now() + 3600_000,
});

/**
 * OIDC: the authorization code flow with PKCE (oidc-client-ts). The user is
 * kept in sessionStorage (see above) so a reload keeps the session, and renewed
 * before it expires with the refresh token the code flow issues (Cognito does);
 * the PKCE state lives there too, to survive the redirect.
 */
export const oidcManager = async (config: WebConfig, options: { scope: string; clientId?: string | undefined }): Promise<UserManager> => {
  // Loaded only in OIDC mode: the local pages do without it.
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.issuer,
    client_id: options.clientId ?? config.clientId,
    redirect_uri: `${window.location.origin}${window.location.pathname}`,
    post_logout_redirect_uri: `${window.location.origin}${window.location.pathname}`,
    response_type: 'code',
    scope: options.scope,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
  });
};

/**
 * Finishes an OIDC redirect when the page was opened by one, and takes the
 * code out of the address bar; `state` is what the page passed to
 * `signinRedirect` (e.g. the download to start).
 */
export const completeOidcRedirect = async (manager: UserManager): Promise<{ session: Session; state: unknown } | undefined> => {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('code') && !params.has('error')) return undefined;
  try {
    const user = await manager.signinRedirectCallback();
    return { session: sessionOfUser(user), state: user.state };
  } finally {
    window.history.replaceState(null, '', window.location.pathname);
  }
};

/** The OIDC user kept from before a reload, renewed by its refresh token if it has expired. */
export const restoreOidcSession = async (manager: UserManager): Promise<Session | undefined> => {
  const user = await manager.getUser();
  if (!user) return undefined;
  if (!user.expired) return sessionOfUser(user);
  if (!user.refresh_token) return undefined;
  const renewed = await manager.signinSilent().catch(() => null);
  return renewed ? sessionOfUser(renewed) : undefined;
};

/** A session from a bearer token handed over by an embedding storefront (kept in memory: the shop hands it again). */
export const sessionFromToken = (token: string): Session => ({ sub: subOf(token), token, expiresAt: Date.now() + 3600_000 });
