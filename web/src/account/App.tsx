import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, call, createApiClient, tokenOf, type ApiClient, type DownloadLink } from '../api/client';
import { oidcManager, sessionFromToken, signInLocally, type Session } from '../auth';
import type { WebConfig } from '../config';
import { useSession } from '../session';
import { availability, formatDate, formatDateTime, REFUSALS } from '../format';
import { Alert, Field, messageOf, Status } from '../ui/components';

/** Messages between the page and a storefront that embeds it in an iframe. */
export const EMBED = { ready: 'digital-downloads:ready', token: 'digital-downloads:token', height: 'digital-downloads:height' } as const;

const embedded = window.parent !== window;

/** The customer's "My downloads" page: their own links, newest first, and a download button for each. */
export const DownloadsApp = () => {
  const { config, fatal, session, setSession, notice, signOut, token } = useSession((loaded) => ({ scope: 'openid', clientId: loaded.customerClientId }));

  // Embedded in a storefront: the shop, which has signed the customer in, hands over their token.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the listener is set up once the config is known; setSession is stable
  useEffect(() => {
    if (!config || !embedded) return;
    const allowed = config.embedOrigins ?? [];
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; token?: unknown } | null;
      if (data?.type !== EMBED.token || typeof data.token !== 'string') return;
      if (!allowed.includes('*') && !allowed.includes(event.origin)) return;
      setSession(sessionFromToken(data.token));
    };
    window.addEventListener('message', onMessage);
    window.parent.postMessage({ type: EMBED.ready }, '*');
    const resize = new ResizeObserver(() => window.parent.postMessage({ type: EMBED.height, height: document.documentElement.scrollHeight }, '*'));
    resize.observe(document.body);
    return () => {
      window.removeEventListener('message', onMessage);
      resize.disconnect();
    };
  }, [config]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: token is a ref, read at call time
  const api = useMemo(
    () =>
      config
        ? createApiClient(
            config.apiUrl,
            () => token.current,
            () => signOut(REFUSALS.UNAUTHORIZED),
          )
        : undefined,
    [config, signOut],
  );

  return (
    <>
      {!embedded && (
        <a className="skip-link" href="#main">
          Skip to content
        </a>
      )}
      <main id="main" className="account">
        <div className="account-head">
          <h1>My downloads</h1>
          {session && !embedded && (
            <div className="who">
              <span>
                Signed in as <strong>{session.sub}</strong>
              </span>
              <button type="button" onClick={() => signOut()}>
                Sign out
              </button>
            </div>
          )}
        </div>
        <Alert>{fatal}</Alert>
        {config && !session && <SignIn config={config} notice={notice} onSignedIn={setSession} />}
        {api && session && <Downloads key={session.sub} api={api} />}
      </main>
    </>
  );
};

const SignIn = ({ config, notice, onSignedIn }: { config: WebConfig; notice?: string | undefined; onSignedIn: (s: Session) => void }) => {
  const [sub, setSub] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (embedded && config.mode !== 'local') return <p>Signing you in…</p>;
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (config.mode === 'local') onSignedIn(await signInLocally(config, sub.trim()));
      else await (await oidcManager(config, { scope: 'openid', clientId: config.customerClientId })).signinRedirect();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in to see your downloads</h2>
      {notice && <p className="notice">{notice}</p>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {config.mode === 'local' && (
          <>
            <p className="hint">Local runtime: sign in as any customer id (the `customerId` of the purchase).</p>
            <Field label="Customer id">
              {(aria) => <input {...aria} value={sub} onChange={(e) => setSub(e.target.value)} required autoComplete="username" />}
            </Field>
          </>
        )}
        <Alert>{error}</Alert>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
};

const Downloads = ({ api }: { api: ApiClient }) => {
  const [links, setLinks] = useState<DownloadLink[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();

  const load = useCallback(
    async (from?: string) => {
      try {
        const page = await call(api.GET('/downloads/customer', { params: { query: { limit: 25, ...(from ? { cursor: from } : {}) } } }));
        setLinks((known) => (from && known ? [...known, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [api],
  );
  useEffect(() => void load(), [load]);

  if (!links) return error ? <Alert>{error}</Alert> : <p>Loading your downloads…</p>;
  return (
    <>
      <Alert>{error}</Alert>
      <Status>{status}</Status>
      {links.length === 0 ? (
        <p>You have no downloads yet. Digital products you buy appear here.</p>
      ) : (
        <ul className="downloads" aria-label="Your downloads, newest first">
          {links.map((link) => (
            <DownloadCard
              key={link.id}
              api={api}
              link={link}
              onDownloaded={(name) => {
                setStatus(`Your download of ${name} has started.`);
                void load();
              }}
            />
          ))}
        </ul>
      )}
      <div className="actions start">
        {cursor && (
          <button type="button" onClick={() => void load(cursor)}>
            Show older downloads
          </button>
        )}
        <button type="button" onClick={() => void load().then(() => setStatus('Your downloads are up to date.'))}>
          Refresh
        </button>
      </div>
    </>
  );
};

const DownloadCard = ({ api, link, onDownloaded }: { api: ApiClient; link: DownloadLink; onDownloaded: (fileName: string) => void }) => {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const state = availability(link);
  const reasonId = `reason-${link.id}`;

  const download = async () => {
    if (!link.downloadUrl) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      const grant = await call(
        api.GET('/downloads/{token}', { params: { path: { token: tokenOf(link.downloadUrl) } }, headers: { accept: 'application/json' } }),
      );
      // The presigned URL is an attachment: the browser saves the file and stays on this page.
      window.location.assign(grant.url);
      onDownloaded(link.fileName);
    } catch (e) {
      setRefusal(e instanceof ApiError ? (REFUSALS[e.code] ?? e.message) : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li>
      <article className={`download${state.ok ? '' : ' download--unavailable'}`} aria-labelledby={`title-${link.id}`}>
        <h2 id={`title-${link.id}`} className="file-name">
          {link.fileName}
        </h2>
        <dl>
          <div>
            <dt>Order</dt>
            <dd>{link.invoiceId}</dd>
          </div>
          <div>
            <dt>Downloads left</dt>
            <dd>{link.remainingDownloads === null ? 'Unlimited' : `${link.remainingDownloads} of ${link.maxDownloads}`}</dd>
          </div>
          <div>
            <dt>Available until</dt>
            <dd>{link.expiresUtc ? formatDate(link.expiresUtc) : 'No expiry'}</dd>
          </div>
          {link.lastDownloadUtc && (
            <div>
              <dt>Last downloaded</dt>
              <dd>{formatDateTime(link.lastDownloadUtc)}</dd>
            </div>
          )}
        </dl>
        {state.ok ? (
          <button type="button" className="primary" onClick={() => void download()} disabled={busy} aria-describedby={refusal ? reasonId : undefined}>
            {busy ? 'Preparing…' : `Download ${link.fileName}`}
          </button>
        ) : (
          <p className="reason" id={reasonId} data-code={state.code}>
            {state.reason}
          </p>
        )}
        {refusal && (
          <p className="reason" id={reasonId} role="alert">
            {refusal}
          </p>
        )}
      </article>
    </li>
  );
};
