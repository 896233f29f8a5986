/**
 * The operator dashboard: what each change the streams carry adds to the
 * day's counters, and the view built from those counters. Pure: the counters
 * are kept by the `DashboardCounters` port, exactly once per change id.
 */

/** What the dashboard counts, per UTC day. */
export type DashboardMetric = 'downloads' | 'refusals' | 'products' | 'flagged' | 'bounces';

/** One increment: a metric, and for refusals the error code, for products the product id. */
export interface Tally {
  metric: DashboardMetric;
  key?: string | undefined;
}

/**
 * What one change contributes, counted once by its id however often the
 * change is delivered (a retried batch, a bisected one, a replay from the
 * stream's start). The id derives from the change itself, not from its
 * delivery, so even a re-created consumer counts it once.
 */
export interface CountedChange {
  id: string;
  /** The UTC day (`YYYY-MM-DD`) it counts on. */
  day: string;
  tallies: Tally[];
}

/** A day's counters as stored: one number per counter name (`counterName`). */
export interface DayCounters {
  day: string;
  counters: Record<string, number>;
}

/** A tally's counter name in a day's counters: `downloads`, `refusals:LINK_EXPIRED`, `products:demo-ebook`. */
export const counterName = (tally: Tally): string => (tally.key === undefined ? tally.metric : `${tally.metric}:${tally.key}`);

const METRICS = new Set<string>(['downloads', 'refusals', 'products', 'flagged', 'bounces']);

/** The tally a counter name stands for (the inverse of `counterName`); undefined for anything else an item holds. */
export const tallyOf = (name: string): Tally | undefined => {
  const at = name.indexOf(':');
  const metric = at < 0 ? name : name.slice(0, at);
  if (!METRICS.has(metric)) return undefined;
  return at < 0 ? { metric: metric as DashboardMetric } : { metric: metric as DashboardMetric, key: name.slice(at + 1) };
};

const DAY = /^\d{4}-\d{2}-\d{2}T/;

/** The UTC day of an ISO timestamp, or undefined if it is not one. */
export const dayOf = (at: unknown): string | undefined =>
  typeof at === 'string' && DAY.test(at) && !Number.isNaN(Date.parse(at)) ? at.slice(0, 10) : undefined;

// Every caller refuses an empty string as it refuses a missing one, so only the type is checked here.
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
// A stored count as a number; 0 for a missing or malformed one (NaN).
const count = (value: unknown): number => Number(value) || 0;

/**
 * What a change of a link (the links table's stream) contributes: a served
 * download (its count grew: one download that day, one for its product) and
 * a link flagged by the sharing signals (`flaggedAt` set, once per link).
 */
export const linkChangeCounts = (oldItem: Record<string, unknown> | undefined, newItem: Record<string, unknown> | undefined): CountedChange[] => {
  if (!oldItem || !newItem) return [];
  const linkId = text(newItem.id);
  if (!linkId) return [];
  const changes: CountedChange[] = [];
  const servedDay = dayOf(newItem.lastDownloadAt);
  const served = count(newItem.downloadCount);
  if (servedDay && served > count(oldItem.downloadCount)) {
    const productId = text(newItem.productId);
    changes.push({
      // The link log's own key for the download: a reset link counting from 1 again is a new download.
      id: `served#${linkId}#${String(newItem.lastDownloadAt)}#${served}`,
      day: servedDay,
      tallies: [{ metric: 'downloads' }, ...(productId ? [{ metric: 'products' as const, key: productId }] : [])],
    });
  }
  const flaggedDay = dayOf(newItem.flaggedAt);
  if (flaggedDay && oldItem.flaggedAt === undefined) {
    changes.push({ id: `flagged#${linkId}#${String(newItem.flaggedAt)}`, day: flaggedDay, tallies: [{ metric: 'flagged' }] });
  }
  return changes;
};

/** What a new line of a link's log (the linkLog table's stream) contributes: a refused download, by its error code. */
export const linkLogChangeCounts = (eventName: string, newItem: Record<string, unknown> | undefined): CountedChange[] => {
  if (eventName !== 'INSERT' || newItem?.kind !== 'download') return [];
  const linkId = text(newItem.linkId);
  const entryKey = text(newItem.entryKey);
  const code = text(newItem.outcome);
  const day = dayOf(newItem.at);
  if (!linkId || !entryKey || !code || code === 'ok' || !day) return [];
  return [{ id: `refused#${linkId}#${entryKey}`, day, tallies: [{ metric: 'refusals', key: code }] }];
};

/** What SES's report of a bounce contributes, once per report (its feedback id, or the email's message id). */
export const bounceCounts = (input: { feedbackId: string | undefined; at: string }): CountedChange[] => {
  const day = dayOf(input.at);
  return input.feedbackId && day ? [{ id: `bounce#${input.feedbackId}`, day, tallies: [{ metric: 'bounces' }] }] : [];
};

/** The days a dashboard covers, oldest first, ending with `today`'s UTC day. */
export const lastDays = (now: string, days: number): string[] => {
  const end = Date.parse(`${now.slice(0, 10)}T00:00:00.000Z`);
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
};

export const DEFAULT_DASHBOARD_DAYS = 30;
export const MAX_DASHBOARD_DAYS = 90;
/** Products shown, most downloaded first. */
export const TOP_PRODUCTS = 10;

export interface DashboardView {
  from: string;
  to: string;
  /** Every day of the window, oldest first, days without downloads as 0. */
  downloadsPerDay: { day: string; downloads: number }[];
  totals: { downloads: number; refusals: number; flaggedLinks: number; bouncedEmails: number };
  /** Most first, then by code. */
  refusalsByReason: { reason: string; count: number }[];
  /** Most downloaded first, then by id; at most TOP_PRODUCTS. */
  topProducts: { productId: string; downloads: number }[];
}

// The keys of a Map are distinct: a tie on the sum is broken by the key, never left at 0.
const ranked = (sums: Map<string, number>) => [...sums.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));

/** The dashboard over `days` (oldest first) from whichever days have counters. */
export const dashboardView = (days: string[], stored: DayCounters[]): DashboardView => {
  const byDay = new Map(stored.map((d) => [d.day, d.counters]));
  const reasons = new Map<string, number>();
  const products = new Map<string, number>();
  const totals = { downloads: 0, refusals: 0, flaggedLinks: 0, bouncedEmails: 0 };
  const downloadsPerDay = days.map((day) => {
    let downloads = 0;
    for (const [name, value] of Object.entries(byDay.get(day) ?? {})) {
      const tally = tallyOf(name);
      if (!tally || !(value > 0)) continue;
      if (tally.metric === 'downloads') downloads += value;
      else if (tally.metric === 'flagged') totals.flaggedLinks += value;
      else if (tally.metric === 'bounces') totals.bouncedEmails += value;
      else if (tally.metric === 'refusals' && tally.key) {
        totals.refusals += value;
        reasons.set(tally.key, (reasons.get(tally.key) ?? 0) + value);
      } else if (tally.metric === 'products' && tally.key) products.set(tally.key, (products.get(tally.key) ?? 0) + value);
    }
    totals.downloads += downloads;
    return { day, downloads };
  });
  return {
    from: days[0] ?? '',
    to: days[days.length - 1] ?? '',
    downloadsPerDay,
    totals,
    refusalsByReason: ranked(reasons).map(([reason, n]) => ({ reason, count: n })),
    topProducts: ranked(products)
      .slice(0, TOP_PRODUCTS)
      .map(([productId, downloads]) => ({ productId, downloads })),
  };
};

/** A change of either stream the dashboard reads (links, linkLog), as a stream consumer sees it. */
export interface StreamChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldItem: Record<string, unknown> | undefined;
  newItem: Record<string, unknown> | undefined;
}

/** What a change of the links or the linkLog stream contributes (a log line is the item with `linkId` and `entryKey`). */
export const streamChangeCounts = (change: StreamChange): CountedChange[] =>
  change.newItem && 'entryKey' in change.newItem && 'linkId' in change.newItem
    ? linkLogChangeCounts(change.eventName, change.newItem)
    : change.eventName === 'MODIFY'
      ? linkChangeCounts(change.oldItem, change.newItem)
      : [];
