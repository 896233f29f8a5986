import { useCallback, useEffect, useRef, useState } from 'react';
import { completeOidcRedirect, oidcManager, type Session } from './auth';
import { loadConfig, type WebConfig } from './config';
import { messageOf } from './ui/components';

/** Which OIDC client and scopes a page signs in with. */
export type OidcClient = (config: WebConfig) => Parameters<typeof oidcManager>[1];

/**
 * What both pages start with: the runtime config, the signed-in session (kept
 * in memory only) and sign-out. In OIDC mode, a page coming back from the
 * identity provider completes the sign-in here.
 */
export const useSession = (client: OidcClient) => {
  const [config, setConfig] = useState<WebConfig>();
  const [fatal, setFatal] = useState<string>();
  const [session, setSession] = useState<Session>();
  const [notice, setNotice] = useState<string>();
  const token = useRef<string | undefined>(undefined);
  token.current = session?.token;

  const signOut = useCallback((why?: string) => {
    setSession(undefined);
    setNotice(why);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, at start: the client choice is fixed for a page
  useEffect(() => {
    loadConfig()
      .then(async (loaded) => {
        setConfig(loaded);
        if (loaded.mode === 'oidc') {
          const done = await completeOidcRedirect(() => oidcManager(loaded, client(loaded)));
          if (done) setSession(done);
        }
      })
      .catch((error) => setFatal(messageOf(error)));
  }, []);

  return { config, fatal, session, setSession, notice, signOut, token };
};
