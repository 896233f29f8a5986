import { useEffect, useMemo, useRef, useState } from 'react';
import { createApiClient, type ApiClient } from '../api/client';
import { signInLocally, type Session } from '../auth';
import type { WebConfig } from '../config';
import { useSession } from '../session';
import { Alert, Field, messageOf } from '../ui/components';
import { Dashboard } from './Dashboard';
import { Files } from './Files';
import { Manager } from './Manager';
import { Products } from './Products';
import { ADMIN_SCOPE } from '../../../functions/manifest';

const SECTIONS = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'products', label: 'Products' },
  { id: 'files', label: 'Files' },
  { id: 'manager', label: 'Download Manager' },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

const sectionFromHash = (): SectionId => {
  const id = window.location.hash.slice(1);
  return SECTIONS.some((s) => s.id === id) ? (id as SectionId) : 'dashboard';
};

/** What the console's sections share: the typed API client. */
export interface ConsoleContext {
  api: ApiClient;
}

export const ConsoleApp = () => {
  const { config, fatal, session, restoring, signIn, signOut, signInWithProvider, notice, token, ended } = useSession('console', () => ({
    scope: `openid ${ADMIN_SCOPE}`,
  }));
  const [section, setSection] = useState<SectionId>(sectionFromHash);

  useEffect(() => {
    const onHash = () => setSection(sectionFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: token is a ref, read at call time
  const api = useMemo(
    () =>
      config
        ? createApiClient(
            config.apiUrl,
            () => token.current,
            () => signOut(ended),
          )
        : undefined,
    [config, signOut],
  );

  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves when the section changes, too
  useEffect(() => {
    if (session) heading.current?.focus();
  }, [section, session]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <p className="brand">Digital downloads · Operator console</p>
        {session && (
          <div className="who">
            <span>
              Signed in as <strong>{session.sub}</strong>
            </span>
            <button type="button" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        )}
      </header>
      {session && (
        <nav className="sections" aria-label="Console sections">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <a href={`#${s.id}`} aria-current={section === s.id ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main">
        <Alert>{fatal}</Alert>
        {restoring && !fatal && <p>Loading…</p>}
        {config && api && !restoring && !session && (
          <SignIn config={config} notice={notice} onSignedIn={signIn} onProvider={config.mode === 'oidc' ? () => signInWithProvider() : undefined} />
        )}
        {config && api && session && (
          <>
            <h1 ref={heading} tabIndex={-1}>
              {SECTIONS.find((s) => s.id === section)?.label}
            </h1>
            {section === 'dashboard' && <Dashboard api={api} />}
            {section === 'products' && <Products api={api} />}
            {section === 'files' && <Files api={api} />}
            {section === 'manager' && <Manager api={api} />}
          </>
        )}
      </main>
    </>
  );
};

const SignIn = ({
  config,
  notice,
  onSignedIn,
  onProvider,
}: {
  config: WebConfig;
  notice?: string | undefined;
  onSignedIn: (session: Session) => void;
  onProvider?: (() => Promise<void>) | undefined;
}) => {
  const [sub, setSub] = useState('operator-1');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (onProvider) await onProvider();
      else onSignedIn(await signInLocally(config, sub.trim(), ADMIN_SCOPE));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {notice && <p className="notice">{notice}</p>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {config.mode === 'local' ? (
          <>
            <p className="hint">Local runtime: you get a token with the {ADMIN_SCOPE} scope for any operator id.</p>
            <Field label="Operator id">
              {(aria) => <input {...aria} value={sub} onChange={(e) => setSub(e.target.value)} required autoComplete="username" />}
            </Field>
          </>
        ) : (
          <p>You will sign in with your organisation's identity provider.</p>
        )}
        <Alert>{error}</Alert>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
};
