import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, call, createApiClient, downloadWhenReady, linkIdOf, tokenOf, type ApiClient, type DownloadLink, type License } from '../api/client';
import { sessionFromToken, signInLocally, type Session } from '../auth';
import type { WebConfig } from '../config';
import { useSession } from '../session';
import { availability, formatDateTime, productLabel, REFUSALS } from '../format';
import { Alert, Field, messageOf, Status } from '../ui/components';

/** Messages between the page and a storefront that embeds it in an iframe. */
export const EMBED = { ready: 'digital-downloads:ready', token: 'digital-downloads:token', height: 'digital-downloads:height' } as const;

const embedded = window.parent !== window;

/**
 * A download link opened in a browser arrives as `#download=<token>` (see
 * functions/shared/browser-path.ts). The token leaves the address bar at once;
 * for the local sign-in it waits in sessionStorage (a reload before signing in
 * keeps it), for OIDC it travels in the sign-in request's `state`.
 */
const PENDING_KEY = 'digital-downloads:pending-download';

const takeDownloadFromAddress = (): string | undefined => {
  const match = /^#download=([^&]*)/.exec(window.location.hash);
  if (!match) return undefined;
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  try {
    return decodeURIComponent(match[1] ?? '') || undefined;
  } catch {
    return undefined;
  }
};

const pendingFromStorage = () => window.sessionStorage.getItem(PENDING_KEY) ?? undefined;
const fromAddress = takeDownloadFromAddress();

/** What the page says about the download a link asked for: only ever the latest outcome. */
type Outcome = { kind: 'started'; linkId: string | undefined } | { kind: 'refused'; linkId: string | undefined; code: string; message: string };

/** The customer's "My downloads" page: their links grouped by order, newest first, and a download button for each. */
export const DownloadsApp = () => {
  const { config, fatal, session, restoring, signIn, signOut, signInWithProvider, notice, redirectState, token, ended } = useSession('account', (loaded) => ({
    scope: 'openid',
    clientId: loaded.customerClientId,
  }));
  const [pending, setPending] = useState<string | undefined>(() => fromAddress);
  const [outcome, setOutcome] = useState<Outcome>();

  // The local sign-in keeps the download across a reload; OIDC brings it back in `state`.
  useEffect(() => {
    if (!config) return;
    if (config.mode === 'local') {
      if (fromAddress) window.sessionStorage.setItem(PENDING_KEY, fromAddress);
      setPending((known) => known ?? pendingFromStorage());
    }
  }, [config]);
  useEffect(() => {
    const download = (redirectState as { download?: unknown } | undefined)?.download;
    if (typeof download === 'string') setPending(download);
  }, [redirectState]);

  // Embedded in a storefront: the shop, which has signed the customer in, hands over their token.
  useEffect(() => {
    if (!config || !embedded) return;
    const allowed = config.embedOrigins ?? [];
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; token?: unknown } | null;
      if (data?.type !== EMBED.token || typeof data.token !== 'string') return;
      if (!allowed.includes('*') && !allowed.includes(event.origin)) return;
      signIn(sessionFromToken(data.token), { remember: false });
    };
    window.addEventListener('message', onMessage);
    window.parent.postMessage({ type: EMBED.ready }, '*');
    const resize = new ResizeObserver(() => window.parent.postMessage({ type: EMBED.height, height: document.documentElement.scrollHeight }, '*'));
    resize.observe(document.body);
    return () => {
      window.removeEventListener('message', onMessage);
      resize.disconnect();
    };
  }, [config, signIn]);

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

  // Signed in with a download waiting: the same check and count as a click on its button.
  const started = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!api || !session || !pending || started.current === pending) return;
    started.current = pending;
    const linkId = linkIdOf(pending);
    void downloadWhenReady(() => api.GET('/downloads/{token}', { params: { path: { token: pending } }, headers: { accept: 'application/json' } }))
      .then((grant) => {
        setOutcome({ kind: 'started', linkId });
        // The presigned URL is an attachment: the browser saves the file and stays on this page.
        window.location.assign(grant.url);
      })
      .catch((error) => {
        if (error instanceof ApiError && error.status === 401) {
          started.current = undefined; // signed out by the client: the download waits for the next sign-in
          return;
        }
        const code = error instanceof ApiError ? error.code : 'UNKNOWN';
        setOutcome({ kind: 'refused', linkId, code, message: REFUSALS[code] ?? messageOf(error) });
      })
      .finally(() => {
        if (started.current !== pending) return;
        window.sessionStorage.removeItem(PENDING_KEY);
        setPending(undefined);
      });
  }, [api, session, pending]);

  const signInFor = config?.mode === 'oidc' ? () => signInWithProvider(pending ? { download: pending } : undefined) : undefined;

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
              <button
                type="button"
                onClick={() => {
                  setOutcome(undefined);
                  signOut();
                }}
              >
                Sign out
              </button>
            </div>
          )}
        </div>
        <Alert>{fatal}</Alert>
        {restoring && !fatal && <p>Loading…</p>}
        {config && !restoring && !session && <SignIn config={config} notice={notice} waiting={Boolean(pending)} onSignedIn={signIn} onProvider={signInFor} />}
        {api && session && <Downloads key={session.sub} api={api} outcome={outcome} onOutcome={setOutcome} />}
      </main>
    </>
  );
};

const SignIn = ({
  config,
  notice,
  waiting,
  onSignedIn,
  onProvider,
}: {
  config: WebConfig;
  notice?: string | undefined;
  waiting: boolean;
  onSignedIn: (s: Session) => void;
  onProvider?: (() => Promise<void>) | undefined;
}) => {
  const [sub, setSub] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (embedded && config.mode !== 'local') return <p>Signing you in…</p>;
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (onProvider) await onProvider();
      else onSignedIn(await signInLocally(config, sub.trim()));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{waiting ? 'Sign in to start your download' : 'Sign in to see your downloads'}</h2>
      {waiting && <p className="notice">Your download starts as soon as you have signed in, with the account you bought it with.</p>}
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

/** The customer's links as orders (newest first), each with its products and their files. */
interface Order {
  invoiceId: string;
  boughtAt: string | null;
  products: { productId: string; name: string; links: DownloadLink[] }[];
}

const ordersOf = (links: DownloadLink[]): Order[] => {
  const orders = new Map<string, Order>();
  for (const link of links) {
    let order = orders.get(link.invoiceId);
    if (!order) {
      order = { invoiceId: link.invoiceId, boughtAt: link.createdUtc, products: [] };
      orders.set(link.invoiceId, order);
    }
    let product = order.products.find((p) => p.productId === link.productId);
    if (!product) {
      product = { productId: link.productId, name: productLabel(link), links: [] };
      order.products.push(product);
    }
    product.links.push(link);
  }
  return [...orders.values()];
};

/** The outcome in words, against what the link shows now: a banner never contradicts the list beside it. */
const outcomeText = (outcome: Outcome, links: DownloadLink[]) => {
  const link = links.find((l) => l.id === outcome.linkId);
  const what = link ? `${link.fileName} (${productLabel(link)})` : 'your file';
  if (outcome.kind === 'refused') return `${link ? `${what}: ` : ''}${outcome.message}`;
  const last = link?.isDownloadLimitReached ? ' That was the last download this link allows.' : '';
  return `Your download of ${what} has started.${last}`;
};

const Downloads = ({ api, outcome, onOutcome }: { api: ApiClient; outcome: Outcome | undefined; onOutcome: (o: Outcome | undefined) => void }) => {
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
  // A download started from a link counts one: show the count it left.
  useEffect(() => {
    if (outcome) void load();
  }, [outcome, load]);

  if (!links) return error ? <Alert>{error}</Alert> : <p>Loading your downloads…</p>;
  const orders = ordersOf(links);
  return (
    <>
      <Alert>{error}</Alert>
      {outcome?.kind === 'refused' ? <Alert>{outcomeText(outcome, links)}</Alert> : null}
      <Status>{outcome?.kind === 'started' ? outcomeText(outcome, links) : status}</Status>
      <LicenseKeys api={api} />
      {links.length === 0 ? (
        <p>You have no downloads yet. Digital products you buy appear here.</p>
      ) : (
        <div className="orders">
          {orders.map((order) => (
            <section key={order.invoiceId} className="order" aria-labelledby={`order-${order.invoiceId}`}>
              <h2 id={`order-${order.invoiceId}`}>
                Order {order.invoiceId}
                {order.boughtAt && <span className="sub">Bought {formatDateTime(order.boughtAt)}</span>}
              </h2>
              {order.products.map((product) => (
                <div key={product.productId} className="order-product">
                  <h3>{product.name}</h3>
                  <ul className="downloads" aria-label={`Files of ${product.name}`}>
                    {product.links.map((link) => (
                      <DownloadCard
                        key={link.id}
                        api={api}
                        link={link}
                        onDownloaded={() => {
                          setStatus(undefined);
                          onOutcome({ kind: 'started', linkId: link.id });
                        }}
                      />
                    ))}
                  </ul>
                </div>
              ))}
            </section>
          ))}
        </div>
      )}
      <div className="actions start">
        {cursor && (
          <button type="button" onClick={() => void load(cursor)}>
            Show older downloads
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            onOutcome(undefined);
            void load().then(() => setStatus('Your downloads are up to date.'));
          }}
        >
          Refresh
        </button>
      </div>
    </>
  );
};

const DownloadCard = ({ api, link, onDownloaded }: { api: ApiClient; link: DownloadLink; onDownloaded: () => void }) => {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const state = availability(link);
  const reasonId = `reason-${link.id}`;
  // A refusal describes the link as it was; once the list shows it anew, the list says why.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset whenever the link's state changes
  useEffect(() => setRefusal(undefined), [link.downloadCount, link.status, link.isExpired]);

  const download = async () => {
    if (!link.downloadUrl) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      const url = link.downloadUrl;
      const grant = await downloadWhenReady(() =>
        api.GET('/downloads/{token}', { params: { path: { token: tokenOf(url) } }, headers: { accept: 'application/json' } }),
      );
      // The presigned URL is an attachment: the browser saves the file and stays on this page.
      window.location.assign(grant.url);
      onDownloaded();
    } catch (e) {
      setRefusal(e instanceof ApiError ? (REFUSALS[e.code] ?? e.message) : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li>
      <article className={`download${state.ok ? '' : ' download--unavailable'}`} aria-labelledby={`title-${link.id}`}>
        <h4 id={`title-${link.id}`} className="file-name">
          {link.fileName}
        </h4>
        <dl>
          <div>
            <dt>Downloads left</dt>
            <dd>{link.remainingDownloads === null ? 'Unlimited' : `${link.remainingDownloads} of ${link.maxDownloads}`}</dd>
          </div>
          <div>
            <dt>Available until</dt>
            <dd>{link.expiresUtc ? formatDateTime(link.expiresUtc) : 'No expiry'}</dd>
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
        {refusal && state.ok && (
          <p className="reason" id={reasonId} role="alert">
            {refusal}
          </p>
        )}
      </article>
    </li>
  );
};

const activationsText = (license: License) =>
  license.activationLimit === null
    ? `Active on ${license.activations} ${license.activations === 1 ? 'device' : 'devices'} (no limit)`
    : `Active on ${license.activations} of ${license.activationLimit} ${license.activationLimit === 1 ? 'device' : 'devices'}`;

const LICENSE_STATUS_TEXT: Record<License['status'], string | undefined> = {
  active: undefined,
  suspended: 'Suspended while the order is on hold',
  revoked: 'Revoked: this key no longer activates',
};

/** The customer's license keys (`GET /licenses/customer`), each with a button that copies it. */
const LicenseKeys = ({ api }: { api: ApiClient }) => {
  const [licenses, setLicenses] = useState<License[]>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState<string>();
  useEffect(() => {
    call(api.GET('/licenses/customer', { params: { query: { limit: 100 } } }))
      .then((page) => setLicenses(page.items))
      .catch((e: unknown) => setError(messageOf(e)));
  }, [api]);
  const copy = async (key: string) => {
    try {
      await navigator.clipboard.writeText(key);
      setCopied(key);
    } catch {
      setError('Your browser did not let the page copy: select the key and copy it by hand.');
    }
  };
  if (error) return <Alert>{error}</Alert>;
  if (!licenses || licenses.length === 0) return null;
  return (
    <section className="order licenses" aria-labelledby="license-keys-title">
      <h2 id="license-keys-title">License keys</h2>
      <Status>{copied ? `Copied the key for ${licenses.find((l) => l.key === copied)?.productName ?? 'your product'}.` : undefined}</Status>
      <ul className="downloads" aria-label="Your license keys">
        {licenses.map((license) => (
          <li key={license.key} className="download">
            <div>
              <strong>{license.productName ?? license.productId}</strong>
              {license.invoiceId && <span className="sub"> · order {license.invoiceId}</span>}
              <div>
                <code className="license-key">{license.key}</code>
              </div>
              <small>{LICENSE_STATUS_TEXT[license.status] ?? activationsText(license)}</small>
            </div>
            <button
              type="button"
              onClick={() => void copy(license.key)}
              aria-label={`${copied === license.key ? 'Copied' : 'Copy'} the license key ${license.key} for ${license.productName ?? license.productId}`}
            >
              {copied === license.key ? 'Copied' : 'Copy'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
};
