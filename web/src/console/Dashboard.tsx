import { lazy, Suspense, useCallback, useEffect, useId, useState } from 'react';
import { call, type Schemas } from '../api/client';
import { Alert, TableScroll } from '../ui/components';
import type { ConsoleContext } from './App';

type DashboardView = Schemas['Dashboard'];

/** The refusal codes, in an operator's words. */
const REASONS: Record<string, string> = {
  DOWNLOAD_LIMIT_REACHED: 'Download limit reached',
  LINK_EXPIRED: 'Link expired',
  REVOKED: 'Link revoked',
  ORDER_ON_HOLD: 'Order on hold',
  NOT_LINK_OWNER: 'Another account’s link',
  LINK_NOT_FOUND: 'No such link',
  COPY_NOT_READY: 'Personal copy not ready yet',
};

const DAYS = 30;

const DownloadsChart = lazy(() => import('./DownloadsChart'));

/** `2026-04-27` → `27 Apr` (the day is UTC, as the counters are). */
const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * The console's home: downloads per day over the last 30 UTC days (a chart,
 * and the same numbers in a table for screen readers and keyboards), refusals
 * by reason, the top products, flagged links and bounced emails, from the
 * counters the streams keep (`GET /admin/dashboard`).
 */
export const Dashboard = ({ api }: ConsoleContext) => {
  const [view, setView] = useState<DashboardView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const chartTitle = useId();
  const refusalsTitle = useId();
  const productsTitle = useId();

  const load = useCallback(async () => {
    setBusy(true);
    setError(undefined);
    try {
      setView(await call(api.GET('/admin/dashboard', { params: { query: { days: DAYS } } })));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const today = view?.downloadsPerDay.at(-1);

  return (
    <div className="stack">
      <Alert>{error}</Alert>
      {!view && !error && <p>Loading…</p>}
      {view && (
        <>
          <section className="card" aria-labelledby={chartTitle}>
            <h2 id={chartTitle}>Downloads per day</h2>
            <p className="hint">
              Last {DAYS} days in UTC, {shortDay(view.from)} to {shortDay(view.to)}: <strong>{view.totals.downloads}</strong> downloads served
              {today ? (
                <>
                  , <strong>{today.downloads}</strong> today
                </>
              ) : null}
              .
            </p>
            {/* The table below carries the same numbers for assistive technology; the chart is for the eye. */}
            <div className="chart" aria-hidden="true">
              <Suspense fallback={null}>
                <DownloadsChart data={view.downloadsPerDay} dayLabel={shortDay} />
              </Suspense>
            </div>
            <TableScroll label="Downloads per day, as a table">
              <table>
                <caption>Downloads per day (UTC), oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Downloads</th>
                  </tr>
                </thead>
                <tbody>
                  {view.downloadsPerDay.map((d) => (
                    <tr key={d.day}>
                      <th scope="row">
                        <time dateTime={d.day}>{shortDay(d.day)}</time>
                      </th>
                      <td>{d.downloads}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </section>

          <section className="card" aria-label="Flagged links and bounced emails">
            <dl className="figures">
              <div>
                <dt>Flagged links</dt>
                <dd>{view.totals.flaggedLinks}</dd>
              </div>
              <div>
                <dt>Emails bounced</dt>
                <dd>{view.totals.bouncedEmails}</dd>
              </div>
              <div>
                <dt>Downloads refused</dt>
                <dd>{view.totals.refusals}</dd>
              </div>
            </dl>
          </section>

          <section className="card" aria-labelledby={refusalsTitle}>
            <h2 id={refusalsTitle}>Refusals by reason</h2>
            {view.refusalsByReason.length === 0 ? (
              <p>No download was refused in these {DAYS} days.</p>
            ) : (
              <TableScroll label="Refusals by reason">
                <table>
                  <caption>Downloads refused, by reason, most first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Reason</th>
                      <th scope="col">Refusals</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.refusalsByReason.map((r) => (
                      <tr key={r.reason}>
                        <th scope="row">
                          {REASONS[r.reason] ?? r.reason} <code>{r.reason}</code>
                        </th>
                        <td>{r.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </section>

          <section className="card" aria-labelledby={productsTitle}>
            <h2 id={productsTitle}>Top products</h2>
            {view.topProducts.length === 0 ? (
              <p>No download in these {DAYS} days.</p>
            ) : (
              <TableScroll label="Top products">
                <table>
                  <caption>Most downloaded products, most first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Product</th>
                      <th scope="col">Downloads</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.topProducts.map((p) => (
                      <tr key={p.productId}>
                        <th scope="row">{p.productId}</th>
                        <td>{p.downloads}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </section>
        </>
      )}
      <div className="actions">
        <button type="button" onClick={() => void load()} disabled={busy}>
          {busy ? 'Refreshing…' : 'Refresh dashboard'}
        </button>
      </div>
    </div>
  );
};
