import { useEffect, useId, useRef, useState } from 'react';
import { call, type ApiClient, type DownloadLink, type LinkLogEntry } from '../api/client';
import { countOf, formatDateTime, statusWord } from '../format';
import { Alert, ConfirmDialog, Field, messageOf, Status, TableScroll } from '../ui/components';
import type { ConsoleContext } from './App';

type Query = { by: 'customer' | 'invoice'; id: string };
type Action =
  | { kind: 'reset'; link: DownloadLink }
  | { kind: 'reset-customer'; customerId: string }
  | { kind: 'revoke'; link: DownloadLink }
  | { kind: 'regenerate'; invoiceId: string };

/** The Download Manager: find a customer's or an invoice's links; reset, revoke, regenerate; read a link's log. */
export const Manager = ({ api }: ConsoleContext) => {
  const [by, setBy] = useState<Query['by']>('customer');
  const [id, setId] = useState('');
  const [query, setQuery] = useState<Query>();
  const [links, setLinks] = useState<DownloadLink[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [action, setAction] = useState<Action>();
  const [logOf, setLogOf] = useState<DownloadLink>();
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  const fetchPage = (q: Query, from?: string) => {
    const query = { limit: 50, ...(from ? { cursor: from } : {}) };
    return q.by === 'customer'
      ? call(api.GET('/admin/customers/{customerId}/downloads', { params: { path: { customerId: q.id }, query } }))
      : call(api.GET('/admin/invoices/{invoiceId}/downloads', { params: { path: { invoiceId: q.id }, query } }));
  };

  const search = async (q: Query, options: { focus?: boolean } = {}) => {
    setError(undefined);
    try {
      const page = await fetchPage(q);
      setQuery(q);
      setLinks(page.items);
      setCursor(page.nextCursor);
      if (options.focus) requestAnimationFrame(() => resultsHeading.current?.focus());
    } catch (e) {
      setLinks(undefined);
      setQuery(q);
      setError(messageOf(e));
    }
  };

  const more = async () => {
    if (!query || !cursor) return;
    try {
      const page = await fetchPage(query, cursor);
      setLinks((known) => [...(known ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const done = async (message: string) => {
    setAction(undefined);
    setStatus(message);
    if (query) await search(query);
  };

  return (
    <div className="stack">
      <section className="card" aria-labelledby="find-title">
        <h2 id="find-title">Find download links</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setStatus(undefined);
            setLogOf(undefined);
            if (id.trim()) void search({ by, id: id.trim() }, { focus: true });
          }}
        >
          <fieldset className="choices-inline">
            <legend>Find by</legend>
            <label className="choice">
              <input type="radio" name="find-by" checked={by === 'customer'} onChange={() => setBy('customer')} /> Customer
            </label>
            <label className="choice">
              <input type="radio" name="find-by" checked={by === 'invoice'} onChange={() => setBy('invoice')} /> Invoice
            </label>
          </fieldset>
          <div className="inline-form">
            <Field label={by === 'customer' ? 'Customer id' : 'Invoice id'}>
              {(aria) => <input {...aria} value={id} onChange={(e) => setId(e.target.value)} required />}
            </Field>
            <button type="submit" className="primary">
              Find links
            </button>
          </div>
        </form>
      </section>

      {query && (
        <section className="card" aria-labelledby="links-title">
          <h2 id="links-title" ref={resultsHeading} tabIndex={-1}>
            Links of {query.by} {query.id}
          </h2>
          <Alert>{error}</Alert>
          <Status>{status}</Status>
          {links && (
            <>
              <div className="actions start">
                {query.by === 'customer' && links.length > 0 && (
                  <button type="button" onClick={() => setAction({ kind: 'reset-customer', customerId: query.id })}>
                    Reset all of this customer's links…
                  </button>
                )}
                {query.by === 'invoice' && links.length > 0 && (
                  <button type="button" onClick={() => setAction({ kind: 'regenerate', invoiceId: query.id })}>
                    Regenerate this invoice's links…
                  </button>
                )}
              </div>
              <TableScroll label={`Links of ${query.by} ${query.id}`}>
                <table className="links">
                  <thead>
                    <tr>
                      <th scope="col">File</th>
                      <th scope="col">Invoice</th>
                      <th scope="col">Status</th>
                      <th scope="col">Downloads</th>
                      <th scope="col">Expires</th>
                      <th scope="col">Last download</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {links.map((link) => (
                      <tr key={link.id} data-link-id={link.id}>
                        <th scope="row">
                          {link.fileName}
                          <span className="sub">{link.productId}</span>
                        </th>
                        <td>{link.invoiceId}</td>
                        <td>
                          <span className={`badge badge--${statusWord(link).toLowerCase().replace(/\s+/g, '-')}`}>{statusWord(link)}</span>
                        </td>
                        <td>{countOf(link)}</td>
                        <td>{link.expiresUtc ? formatDateTime(link.expiresUtc) : 'Never'}</td>
                        <td>{formatDateTime(link.lastDownloadUtc, 'Never')}</td>
                        <td className="row-actions">
                          <button type="button" onClick={() => setLogOf(link)} aria-label={`Log of ${link.fileName} (${link.invoiceId})`}>
                            Log
                          </button>
                          <button type="button" onClick={() => setAction({ kind: 'reset', link })} aria-label={`Reset ${link.fileName} (${link.invoiceId})`}>
                            Reset…
                          </button>
                          <button
                            type="button"
                            onClick={() => setAction({ kind: 'revoke', link })}
                            disabled={link.status === 'revoked'}
                            aria-label={`Revoke ${link.fileName} (${link.invoiceId})`}
                          >
                            Revoke…
                          </button>
                        </td>
                      </tr>
                    ))}
                    {links.length === 0 && (
                      <tr>
                        <td colSpan={7}>No download links.</td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </TableScroll>
              {cursor && (
                <button type="button" onClick={() => void more()}>
                  Load more links
                </button>
              )}
            </>
          )}
        </section>
      )}

      {logOf && <LinkLog key={logOf.id} api={api} link={logOf} onClose={() => setLogOf(undefined)} />}
      <Actions api={api} action={action} onCancel={() => setAction(undefined)} onDone={done} />
    </div>
  );
};

const Actions = ({
  api,
  action,
  onCancel,
  onDone,
}: {
  api: ApiClient;
  action?: Action | undefined;
  onCancel: () => void;
  onDone: (message: string) => Promise<void>;
}) => {
  const [resetCount, setResetCount] = useState(true);
  const [changeExpiry, setChangeExpiry] = useState(false);
  const [days, setDays] = useState('30');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const expiryId = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form resets when the action changes
  useEffect(() => {
    setResetCount(true);
    setChangeExpiry(false);
    setDays('30');
    setError(undefined);
  }, [action]);

  const run = async () => {
    if (!action) return;
    setBusy(true);
    setError(undefined);
    const body = { ...(resetCount ? { resetCount: true } : { resetCount: false }), ...(changeExpiry ? { expiresInDays: Number(days) } : {}) };
    try {
      switch (action.kind) {
        case 'reset': {
          const link = await call(api.POST('/admin/links/{linkId}/reset', { params: { path: { linkId: action.link.id } }, body }));
          await onDone(
            `Reset ${link.fileName}: ${countOf(link)} downloads, ${link.expiresUtc ? `expires ${formatDateTime(link.expiresUtc)}` : 'never expires'}.`,
          );
          break;
        }
        case 'reset-customer': {
          const result = await call(api.POST('/admin/customers/{customerId}/downloads/reset', { params: { path: { customerId: action.customerId } }, body }));
          await onDone(`Reset ${result.updated} links of customer ${result.customerId}.`);
          break;
        }
        case 'revoke': {
          const link = await call(api.POST('/admin/links/{linkId}/revoke', { params: { path: { linkId: action.link.id } } }));
          await onDone(`Revoked ${link.fileName} of invoice ${link.invoiceId}.`);
          break;
        }
        case 'regenerate': {
          const result = await call(api.POST('/admin/invoices/{invoiceId}/downloads/regenerate', { params: { path: { invoiceId: action.invoiceId } } }));
          await onDone(`Issued ${result.items.length} new links for invoice ${result.invoiceId}; the old ones no longer work.`);
          break;
        }
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => {
    setError(undefined);
    onCancel();
  };
  const resetForm = (
    <>
      <label className="choice">
        <input type="checkbox" checked={resetCount} onChange={(e) => setResetCount(e.target.checked)} /> Reset the download count to 0
      </label>
      <label className="choice">
        <input type="checkbox" checked={changeExpiry} onChange={(e) => setChangeExpiry(e.target.checked)} /> Set a new expiry
      </label>
      {changeExpiry && (
        <div className="field">
          <label htmlFor={expiryId}>Expires in (days from now)</label>
          <input
            id={expiryId}
            type="number"
            min={0}
            inputMode="numeric"
            value={days}
            onChange={(e) => setDays(e.target.value)}
            aria-describedby={`${expiryId}-hint`}
          />
          <p className="hint" id={`${expiryId}-hint`}>
            0 = never expires
          </p>
        </div>
      )}
    </>
  );
  const props = { open: Boolean(action), busy, error, onConfirm: () => void run(), onCancel: cancel };
  if (!action) return <ConfirmDialog {...props} title="" confirmLabel="" />;
  switch (action.kind) {
    case 'reset':
      return (
        <ConfirmDialog {...props} title={`Reset ${action.link.fileName}?`} confirmLabel="Reset link">
          <p>
            Invoice {action.link.invoiceId}: {countOf(action.link)} downloads used.
          </p>
          {resetForm}
        </ConfirmDialog>
      );
    case 'reset-customer':
      return (
        <ConfirmDialog {...props} title={`Reset all links of ${action.customerId}?`} confirmLabel="Reset all links">
          {resetForm}
        </ConfirmDialog>
      );
    case 'revoke':
      return (
        <ConfirmDialog {...props} danger title={`Revoke ${action.link.fileName}?`} confirmLabel="Revoke link">
          <p>The customer will no longer be able to download this file with this link. This cannot be undone; regenerating the invoice issues new links.</p>
        </ConfirmDialog>
      );
    case 'regenerate':
      return (
        <ConfirmDialog {...props} danger title={`Regenerate the links of invoice ${action.invoiceId}?`} confirmLabel="Regenerate links">
          <p>Every link of this invoice gets a new address and a fresh count. The old links stop working at once, including those already emailed.</p>
        </ConfirmDialog>
      );
  }
};

const LinkLog = ({ api, link, onClose }: { api: ApiClient; link: DownloadLink; onClose: () => void }) => {
  const [events, setEvents] = useState<LinkLogEntry[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();

  const load = async (from?: string) => {
    try {
      const page = await call(
        api.GET('/admin/links/{linkId}/events', { params: { path: { linkId: link.id }, query: { limit: 50, ...(from ? { cursor: from } : {}) } } }),
      );
      setEvents((known) => (from && known ? [...known, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per link (the component is keyed by it)
  useEffect(() => {
    void load().then(() => heading.current?.focus());
  }, []);

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        Log of {link.fileName} (invoice {link.invoiceId})
      </h2>
      <Alert>{error}</Alert>
      {events && (
        <TableScroll label={`Log of ${link.fileName}`}>
          <table className="log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">What</th>
                <th scope="col">Outcome</th>
                <th scope="col">IP</th>
                <th scope="col">User agent</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id of their own; time and place on the page are stable
                <tr key={`${e.at}-${i}`}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.kind === 'download' ? 'Download' : 'Operator'}</td>
                  <td>
                    <code>{e.outcome}</code>
                  </td>
                  <td>{e.ip ?? '—'}</td>
                  <td className="ua">{e.userAgent ?? '—'}</td>
                  <td>{e.actor ?? '—'}</td>
                </tr>
              ))}
              {events.length === 0 && (
                <tr>
                  <td colSpan={6}>Nothing logged yet.</td>
                </tr>
              )}
            </tbody>
          </table>
        </TableScroll>
      )}
      <div className="actions start">
        {cursor && (
          <button type="button" onClick={() => void load(cursor)}>
            Load more
          </button>
        )}
        <button type="button" onClick={() => void load()}>
          Refresh log
        </button>
        <button type="button" onClick={onClose}>
          Close log
        </button>
      </div>
    </section>
  );
};
