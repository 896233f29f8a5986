import { useEffect, useId, useRef, useState } from 'react';
import { call, type ApiClient, type CustomerMatch, type DownloadLink, type InvoiceSummary, type LinkLogEntry, type OperatorLicense } from '../api/client';
import { countOf, formatDateTime, logOutcome, PAYMENT_STATES, productLabel, statusWord } from '../format';
import { Alert, ConfirmDialog, Field, messageOf, Status, TableScroll } from '../ui/components';
import type { ConsoleContext } from './App';

type FindBy = 'customer' | 'email' | 'invoice';
type Query = { by: 'customer' | 'invoice'; id: string };
type Action =
  | { kind: 'reset'; link: DownloadLink }
  | { kind: 'reset-customer'; customerId: string }
  | { kind: 'revoke'; link: DownloadLink }
  | { kind: 'regenerate'; invoiceId: string };
/** Whose log is open: a listed link, or one reached from another's log (a link replaced by a regenerate). */
type LogTarget = { linkId: string; subject: string; relation?: 'replaced' | 'replacement' };

const logTitle = (target: LogTarget) =>
  target.relation === 'replaced'
    ? `the earlier link of ${target.subject}`
    : target.relation === 'replacement'
      ? `the later link of ${target.subject}`
      : target.subject;

const FIELD_LABEL: Record<FindBy, string> = { customer: 'Customer id', email: 'Email address', invoice: 'Invoice id' };

/** What an operator may do to a link in its state: nothing is offered that the API would refuse. */
const canChange = (link: DownloadLink) => link.status !== 'revoked';

type Sharing = NonNullable<DownloadLink['sharing']>;

/** A flagged link's badge and its evidence, in words (the badge's colour is never the only signal). */
const SharingFlag = ({ sharing }: { sharing: Sharing | undefined }) => {
  if (!sharing?.flagged) return null;
  return (
    <div className="sharing">
      <span className="badge badge--flagged">Flagged: shared</span>
      <details>
        <summary>
          {sharing.networks} {sharing.networks === 1 ? 'network' : 'networks'}, {sharing.userAgents} {sharing.userAgents === 1 ? 'browser' : 'browsers'}
          {sharing.flaggedUtc && <> · flagged {formatDateTime(sharing.flaggedUtc)}</>}
        </summary>
        <SharingEvidence sharing={sharing} />
      </details>
    </div>
  );
};

const SharingEvidence = ({ sharing }: { sharing: Sharing }) =>
  sharing.evidence.length === 0 ? (
    <p className="hint">No downloads within the window.</p>
  ) : (
    <ul className="evidence" aria-label="Networks downloaded from, last seen">
      {sharing.evidence.map((e) => (
        <li key={e.network}>
          <code>{e.network}</code> — last seen {formatDateTime(e.lastSeenUtc)}
        </li>
      ))}
    </ul>
  );

const linkTitle = (link: DownloadLink) => `${link.fileName} (${productLabel(link)}, invoice ${link.invoiceId})`;

/** The Download Manager: find a customer's or an invoice's links (by customer id, email or invoice id); reset, revoke, regenerate; read a link's log. */
export const Manager = ({ api }: ConsoleContext) => {
  const [by, setBy] = useState<FindBy>('customer');
  const [id, setId] = useState('');
  const [query, setQuery] = useState<Query>();
  const [links, setLinks] = useState<DownloadLink[]>();
  const [invoice, setInvoice] = useState<InvoiceSummary>();
  /** How often an operator reset the customer's links (customer searches only). */
  const [resets, setResets] = useState<number>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [matches, setMatches] = useState<{ email: string; items: CustomerMatch[] }>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [action, setAction] = useState<Action>();
  const [logOf, setLogOf] = useState<LogTarget>();
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  const fetchPage = async (q: Query, from?: string) => {
    const page = { limit: 50, ...(from ? { cursor: from } : {}) };
    if (q.by === 'customer')
      return {
        ...(await call(api.GET('/admin/customers/{customerId}/downloads', { params: { path: { customerId: q.id }, query: page } }))),
        invoice: undefined,
      };
    return call(api.GET('/admin/invoices/{invoiceId}/downloads', { params: { path: { invoiceId: q.id }, query: page } }));
  };

  const search = async (q: Query, options: { focus?: boolean } = {}) => {
    setError(undefined);
    setQuery(q);
    try {
      const page = await fetchPage(q);
      setLinks(page.items);
      setInvoice(page.invoice);
      setResets('customer' in page ? page.customer.resets : undefined);
      setCursor(page.nextCursor);
      if (options.focus) requestAnimationFrame(() => resultsHeading.current?.focus());
    } catch (e) {
      setLinks(undefined);
      setInvoice(undefined);
      setResets(undefined);
      setError(messageOf(e));
    }
  };

  const findByEmail = async (email: string) => {
    setError(undefined);
    setQuery(undefined);
    try {
      const found = await call(api.GET('/admin/customers', { params: { query: { email } } }));
      const [only] = found.items;
      if (found.items.length === 1 && only) {
        setMatches(found);
        await search({ by: 'customer', id: only.customerId }, { focus: true });
      } else setMatches(found);
    } catch (e) {
      setMatches(undefined);
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
    // The list first, then the message: what the message announces (new links, a reset) is on screen when it is read.
    if (query) await search(query);
    setStatus(message);
  };

  const changeable = (links ?? []).filter(canChange);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="find-title">
        <h2 id="find-title">Find download links</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setStatus(undefined);
            setLogOf(undefined);
            setMatches(undefined);
            const value = id.trim();
            if (!value) return;
            if (by === 'email') void findByEmail(value);
            else void search({ by, id: value }, { focus: true });
          }}
        >
          <fieldset className="choices-inline">
            <legend>Find by</legend>
            {(['customer', 'email', 'invoice'] as const).map((choice) => (
              <label key={choice} className="choice">
                <input type="radio" name="find-by" checked={by === choice} onChange={() => setBy(choice)} />{' '}
                {choice === 'customer' ? 'Customer' : choice === 'email' ? 'Email' : 'Invoice'}
              </label>
            ))}
          </fieldset>
          <div className="inline-form">
            <Field label={FIELD_LABEL[by]}>
              {(aria) => <input {...aria} type={by === 'email' ? 'email' : 'text'} value={id} onChange={(e) => setId(e.target.value)} required />}
            </Field>
            <button type="submit" className="primary">
              Find links
            </button>
          </div>
        </form>
        {!query && <Alert>{error}</Alert>}
        {matches && (
          <div className="matches">
            {matches.items.length === 0 ? (
              <p>No purchases with the email address {matches.email}.</p>
            ) : (
              <>
                <p>
                  {matches.items.length === 1 ? 'One customer' : `${matches.items.length} customers`} bought with {matches.email}:
                </p>
                <ul className="plain">
                  {matches.items.map((m) => (
                    <li key={m.customerId}>
                      <button type="button" onClick={() => void search({ by: 'customer', id: m.customerId }, { focus: true })}>
                        Links of {m.customerId}
                      </button>{' '}
                      <span className="hint">
                        {m.invoices.length} {m.invoices.length === 1 ? 'order' : 'orders'}, latest {formatDateTime(m.invoices[0]?.createdAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </section>

      {query && (
        <section className="card" aria-labelledby="links-title">
          <h2 id="links-title" ref={resultsHeading} tabIndex={-1}>
            Links of {query.by} {query.id}
          </h2>
          {invoice && (
            <p>
              Payment: <strong>{invoice.state ? PAYMENT_STATES[invoice.state] : 'No payment yet'}</strong>
              {invoice.customerId && <> · customer {invoice.customerId}</>}
              {invoice.customerEmail && <> ({invoice.customerEmail})</>}
            </p>
          )}
          {query.by === 'customer' && resets !== undefined && (
            <p className="hint">
              Resets by operators: <strong>{resets}</strong>
            </p>
          )}
          <Alert>{error}</Alert>
          <Status>{status}</Status>
          {links && (
            <>
              <div className="actions start">
                {query.by === 'customer' && changeable.length > 0 && (
                  <button type="button" onClick={() => setAction({ kind: 'reset-customer', customerId: query.id })}>
                    Reset all of this customer's links…
                  </button>
                )}
                {query.by === 'invoice' && invoice?.state === 'paid' && links.length > 0 && (
                  <button type="button" onClick={() => setAction({ kind: 'regenerate', invoiceId: query.id })}>
                    Regenerate this invoice's links…
                  </button>
                )}
                {query.by === 'invoice' && invoice?.state === 'on_hold' && <p className="hint">On hold: links can be regenerated once the payment clears.</p>}
                {query.by === 'invoice' && invoice?.state === 'refunded' && <p className="hint">Refunded: its links stay revoked.</p>}
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
                          <span className="sub">{productLabel(link)}</span>
                        </th>
                        <td>
                          {query.by === 'customer' ? (
                            <button
                              type="button"
                              className="link-button"
                              onClick={() => void search({ by: 'invoice', id: link.invoiceId }, { focus: true })}
                              aria-label={`Open invoice ${link.invoiceId}`}
                            >
                              {link.invoiceId}
                            </button>
                          ) : (
                            link.invoiceId
                          )}
                        </td>
                        <td>
                          <span className={`badge badge--${statusWord(link).toLowerCase().replace(/\s+/g, '-')}`}>{statusWord(link)}</span>
                          <SharingFlag sharing={link.sharing} />
                        </td>
                        <td>{countOf(link)}</td>
                        <td>{link.expiresUtc ? formatDateTime(link.expiresUtc) : 'Never'}</td>
                        <td>{formatDateTime(link.lastDownloadUtc, 'Never')}</td>
                        <td className="row-actions">
                          <button
                            type="button"
                            onClick={() => setLogOf({ linkId: link.id, subject: linkTitle(link) })}
                            aria-label={`Log of ${link.fileName} (${link.invoiceId})`}
                          >
                            Log
                          </button>
                          {canChange(link) && (
                            <>
                              <button
                                type="button"
                                onClick={() => setAction({ kind: 'reset', link })}
                                aria-label={`Reset ${link.fileName} (${link.invoiceId})`}
                              >
                                Reset…
                              </button>
                              <button
                                type="button"
                                onClick={() => setAction({ kind: 'revoke', link })}
                                aria-label={`Revoke ${link.fileName} (${link.invoiceId})`}
                              >
                                Revoke…
                              </button>
                            </>
                          )}
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

      {logOf && <LinkLog key={logOf.linkId} api={api} target={logOf} onOpen={setLogOf} onClose={() => setLogOf(undefined)} />}
      <Actions api={api} action={action} onCancel={() => setAction(undefined)} onDone={done} />
      <LicenseFinder api={api} />
    </div>
  );
};

/** License keys in the Download Manager: one key by its value, or a customer's keys; reset activations, revoke (confirmed). */
const LicenseFinder = ({ api }: { api: ApiClient }) => {
  const [by, setBy] = useState<'key' | 'customer'>('key');
  const [value, setValue] = useState('');
  const [found, setFound] = useState<OperatorLicense[]>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [confirm, setConfirm] = useState<{ kind: 'reset' | 'revoke'; license: OperatorLicense }>();
  const [busy, setBusy] = useState(false);

  const search = async () => {
    setError(undefined);
    setStatus(undefined);
    try {
      const v = value.trim();
      setFound(
        by === 'key'
          ? [await call(api.GET('/admin/licenses/{key}', { params: { path: { key: v } } }))]
          : (await call(api.GET('/admin/customers/{customerId}/licenses', { params: { path: { customerId: v }, query: { limit: 100 } } }))).items,
      );
    } catch (e) {
      setFound(undefined);
      setError(messageOf(e));
    }
  };
  const act = async () => {
    if (!confirm) return;
    setBusy(true);
    try {
      const path = { params: { path: { key: confirm.license.key } } };
      const after = await call(
        confirm.kind === 'reset' ? api.POST('/admin/licenses/{key}/reset-activations', path) : api.POST('/admin/licenses/{key}/revoke', path),
      );
      setFound((list) => list?.map((l) => (l.key === after.key ? after : l)));
      setStatus(confirm.kind === 'reset' ? `Freed every seat of ${after.key}.` : `Revoked ${after.key}.`);
      setConfirm(undefined);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="license-find-title">
      <h2 id="license-find-title">Find license keys</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <div className="row">
          <Field label="Find by">
            {(aria) => (
              <select {...aria} value={by} onChange={(e) => setBy(e.target.value as 'key' | 'customer')}>
                <option value="key">License key</option>
                <option value="customer">Customer id</option>
              </select>
            )}
          </Field>
          <Field label={by === 'key' ? 'License key' : 'Customer id'}>
            {(aria) => <input {...aria} value={value} onChange={(e) => setValue(e.target.value)} />}
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={!value.trim()}>
            Find
          </button>
        </div>
      </form>
      <Alert>{error}</Alert>
      <Status>{status}</Status>
      {found && found.length === 0 && <p>No license keys.</p>}
      {found && found.length > 0 && (
        <TableScroll label="License keys">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Product</th>
                <th scope="col">Customer, order</th>
                <th scope="col">Status</th>
                <th scope="col">Activations</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {found.map((license) => (
                <tr key={license.key}>
                  <td>
                    <code>{license.key}</code>
                  </td>
                  <td>{license.productName ?? license.productId}</td>
                  <td>
                    {license.customerId ?? '—'}
                    {license.invoiceId ? `, ${license.invoiceId}` : ''}
                  </td>
                  <td>{license.status}</td>
                  <td>
                    {license.activations} of {license.activationLimit ?? 'unlimited'}
                    {license.instances.length > 0 && <div className="sub">{license.instances.map((i) => i.instanceId).join(', ')}</div>}
                  </td>
                  <td>
                    {license.status !== 'revoked' && license.status !== 'available' && (
                      <>
                        <button type="button" disabled={license.activations === 0} onClick={() => setConfirm({ kind: 'reset', license })}>
                          Reset activations
                        </button>
                        <button type="button" className="danger" onClick={() => setConfirm({ kind: 'revoke', license })}>
                          Revoke
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <ConfirmDialog
        open={confirm !== undefined}
        title={confirm?.kind === 'revoke' ? 'Revoke this license key?' : 'Free every seat of this key?'}
        confirmLabel={confirm?.kind === 'revoke' ? 'Revoke' : 'Reset activations'}
        danger={confirm?.kind === 'revoke'}
        busy={busy}
        onConfirm={() => void act()}
        onCancel={() => setConfirm(undefined)}
      >
        <p>
          {confirm?.kind === 'revoke'
            ? `${confirm.license.key} stops activating and validates as revoked, for good.`
            : `Every instance using ${confirm?.license.key ?? 'the key'} must activate again.`}
        </p>
      </ConfirmDialog>
    </section>
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
          await onDone(
            `Issued ${result.items.length} new links for invoice ${result.invoiceId}; the old ones no longer work (each new link's log leads to the one it replaced).`,
          );
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

/** The other link a regenerate log line names: the one replaced, or the replacement. */
const relatedLink = (entry: LinkLogEntry): { linkId: string; relation: 'replaced' | 'replacement'; label: string } | undefined => {
  const details = entry.details ?? {};
  if (entry.outcome === 'issued-by-regeneration' && typeof details.replaces === 'string') {
    return { linkId: details.replaces, relation: 'replaced', label: 'Open the log of the link it replaced' };
  }
  if (entry.outcome === 'regenerate' && typeof details.replacedBy === 'string') {
    return { linkId: details.replacedBy, relation: 'replacement', label: 'Open the log of its replacement' };
  }
  return undefined;
};

const LinkLog = ({ api, target, onOpen, onClose }: { api: ApiClient; target: LogTarget; onOpen: (t: LogTarget) => void; onClose: () => void }) => {
  const [events, setEvents] = useState<LinkLogEntry[]>();
  const [sharing, setSharing] = useState<Sharing>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();

  const load = async (from?: string) => {
    try {
      const page = await call(
        api.GET('/admin/links/{linkId}/events', { params: { path: { linkId: target.linkId }, query: { limit: 50, ...(from ? { cursor: from } : {}) } } }),
      );
      setEvents((known) => (from && known ? [...known, ...page.items] : page.items));
      setSharing(page.sharing);
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
        Log of {logTitle(target)}
      </h2>
      <Alert>{error}</Alert>
      {sharing && (
        <div className="sharing-summary">
          <p>
            {sharing.flagged ? <span className="badge badge--flagged">Flagged: shared</span> : 'Not flagged.'} Downloaded from{' '}
            <strong>
              {sharing.networks} {sharing.networks === 1 ? 'network' : 'networks'}
            </strong>{' '}
            and {sharing.userAgents} {sharing.userAgents === 1 ? 'browser' : 'browsers'} within the window
            {sharing.flaggedNetworks !== null && <> (flagged at {sharing.flaggedNetworks} networks)</>}
            {sharing.suspended && <>; suspended until an operator resets it</>}.
          </p>
          <SharingEvidence sharing={sharing} />
        </div>
      )}
      {events && (
        <TableScroll label={`Log of ${logTitle(target)}`}>
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
              {events.map((e, i) => {
                const related = relatedLink(e);
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id of their own; time and place on the page are stable
                  <tr key={`${e.at}-${i}`} data-outcome={e.outcome}>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{e.kind === 'download' ? 'Download' : 'Operator'}</td>
                    <td>
                      {logOutcome(e)}
                      {related && (
                        <>
                          {' '}
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => onOpen({ linkId: related.linkId, subject: target.subject, relation: related.relation })}
                          >
                            {related.label}
                          </button>
                        </>
                      )}
                    </td>
                    <td>{e.ip ?? '—'}</td>
                    <td className="ua">{e.userAgent ?? '—'}</td>
                    <td>{e.actor ?? '—'}</td>
                  </tr>
                );
              })}
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
