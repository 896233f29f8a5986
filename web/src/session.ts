import type { UserManager } from 'oidc-client-ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  completeOidcRedirect,
  forgetSession,
  oidcManager,
  restoreOidcSession,
  restoreSession,
  saveSession,
  sessionOfUser,
  type PageName,
  type Session,
} from './auth';
import { loadConfig, type WebConfig } from './config';
import { messageOf } from './ui/components';

/** Which OIDC client and scopes a page signs in with. */
export type OidcClient = (config: WebConfig) => Parameters<typeof oidcManager>[1];

const ENDED = 'Your session has ended: sign in again.';

/**
 * What both pages start with: the runtime config, the signed-in session and
 * sign-in/out. The session survives a reload (sessionStorage, see auth.ts): a
 * locally minted token as it is, an OIDC user through oidc-client-ts, renewed
 * by its refresh token. A page coming back from the identity provider
 * completes the sign-in here, with the `state` it sent along.
 */
export const useSession = (page: PageName, client: OidcClient) => {
  const [config, setConfig] = useState<WebConfig>();
  const [fatal, setFatal] = useState<string>();
  const [session, setSession] = useState<Session>();
  const [restoring, setRestoring] = useState(true);
  const [notice, setNotice] = useState<string>();
  const [redirectState, setRedirectState] = useState<unknown>();
  const manager = useRef<Promise<UserManager> | undefined>(undefined);
  const token = useRef<string | undefined>(undefined);
  token.current = session?.token;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the client choice is fixed for a page
  const oidc = useCallback((loaded: WebConfig) => {
    manager.current ??= oidcManager(loaded, client(loaded));
    return manager.current;
  }, []);

  /** `remember: false` for a token the page must not keep (one an embedding shop handed over). */
  const signIn = useCallback(
    (next: Session, options: { remember?: boolean } = {}) => {
      if (options.remember !== false && config?.mode === 'local') saveSession(page, next);
      setNotice(undefined);
      setSession(next);
    },
    [config, page],
  );

  const signOut = useCallback(
    (why?: string) => {
      forgetSession(page);
      if (config?.mode === 'oidc') void oidc(config).then((m) => m.removeUser());
      setSession(undefined);
      setNotice(why);
    },
    [config, page, oidc],
  );

  /** OIDC: off to the identity provider; `state` comes back with the user. */
  const signInWithProvider = useCallback(
    async (state?: unknown) => {
      if (config) await (await oidc(config)).signinRedirect(state === undefined ? {} : { state });
    },
    [config, oidc],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, at start
  useEffect(() => {
    loadConfig()
      .then(async (loaded) => {
        setConfig(loaded);
        if (loaded.mode === 'local') {
          setSession(restoreSession(page));
          return;
        }
        const m = await oidc(loaded);
        m.events.addUserLoaded((user) => setSession(sessionOfUser(user))); // each silent renewal
        m.events.addSilentRenewError(() => {
          setSession(undefined);
          setNotice(ENDED);
        });
        const done = await completeOidcRedirect(m);
        if (done) {
          setSession(done.session);
          setRedirectState(done.state);
        } else setSession(await restoreOidcSession(m));
      })
      .catch((error) => setFatal(messageOf(error)))
      .finally(() => setRestoring(false));
  }, []);

  return { config, fatal, session, restoring, signIn, signOut, signInWithProvider, notice, redirectState, token, ended: ENDED };
};
