import { describe, expect, it } from 'vitest';
import {
  bounceCounts,
  counterName,
  dashboardView,
  dayOf,
  lastDays,
  linkChangeCounts,
  linkLogChangeCounts,
  type StreamChange,
  streamChangeCounts,
  tallyOf,
} from '../../core/dashboard';
import { countBounce, countDashboardChanges } from '../../core/use-cases/count-dashboard-changes';
import { readDashboard } from '../../core/use-cases/read-dashboard';
import { FakeDashboardCounters } from '../support/fakes';

const link = (overrides: Record<string, unknown> = {}) => ({ id: 'lnk-1', productId: 'ebook', downloadCount: 0, ...overrides });

/** A served download as the links stream carries it: the count grew by one, with the time of the download. */
const served = (count: number, at: string, overrides: Record<string, unknown> = {}): StreamChange => ({
  eventName: 'MODIFY',
  oldItem: link({ downloadCount: count - 1, ...overrides }),
  newItem: link({ downloadCount: count, lastDownloadAt: at, ...overrides }),
});

/** A refused download as the linkLog stream carries it: a new log line with the error code as its outcome. */
const refused = (code: string, at: string, suffix: string): StreamChange => ({
  eventName: 'INSERT',
  oldItem: undefined,
  newItem: { linkId: 'lnk-1', entryKey: `${at}#refused#${suffix}`, at, kind: 'download', outcome: code, ip: null, userAgent: null },
});

describe('what a stream change contributes to the dashboard', () => {
  it('a served download counts one download and one for its product, on the UTC day it was served', () => {
    // Act
    const counts = linkChangeCounts(link({ downloadCount: 1 }), link({ downloadCount: 2, lastDownloadAt: '2026-06-01T23:59:59.000Z' }));

    // Assess
    expect(counts).toEqual([
      { id: 'served#lnk-1#2026-06-01T23:59:59.000Z#2', day: '2026-06-01', tallies: [{ metric: 'downloads' }, { metric: 'products', key: 'ebook' }] },
    ]);
  });

  it('a change that does not raise the count (a reset, a revoke, a repoint) counts nothing', () => {
    // Act
    const reset = linkChangeCounts(link({ downloadCount: 3, lastDownloadAt: '2026-06-01T10:00:00.000Z' }), link({ downloadCount: 0 }));
    const revoked = linkChangeCounts(
      link({ downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z' }),
      link({ downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z', status: 'revoked' }),
    );
    const created = streamChangeCounts({
      eventName: 'INSERT',
      oldItem: undefined,
      newItem: link({ downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z' }),
    });

    // Assess
    expect([...reset, ...revoked, ...created]).toEqual([]);
  });

  it('a download after a reset is a new download, though the count is the same as before', () => {
    // Act
    const before = linkChangeCounts(link({ downloadCount: 0 }), link({ downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z' }));
    const after = linkChangeCounts(link({ downloadCount: 0 }), link({ downloadCount: 1, lastDownloadAt: '2026-06-02T10:00:00.000Z' }));

    // Assess
    expect(before[0]?.id).not.toBe(after[0]?.id);
  });

  it('a link counts as flagged once: when flaggedAt first appears, not on later changes that keep it', () => {
    // Act
    const flagged = linkChangeCounts(link(), link({ flaggedAt: '2026-06-01T08:00:00.000Z' }));
    const later = linkChangeCounts(link({ flaggedAt: '2026-06-01T08:00:00.000Z' }), link({ flaggedAt: '2026-06-01T08:00:00.000Z', status: 'revoked' }));

    // Assess
    expect(flagged).toEqual([{ id: 'flagged#lnk-1#2026-06-01T08:00:00.000Z', day: '2026-06-01', tallies: [{ metric: 'flagged' }] }]);
    expect(later).toEqual([]);
  });

  it('a refusal in the link log counts by its error code; served lines and operators’ actions do not', () => {
    // Prepare
    const ok = { linkId: 'lnk-1', entryKey: 'k#ok', at: '2026-06-01T10:00:00.000Z', kind: 'download', outcome: 'ok' };
    const admin = { linkId: 'lnk-1', entryKey: 'k#admin', at: '2026-06-01T10:00:00.000Z', kind: 'admin', outcome: 'reset' };

    // Act
    const counts = streamChangeCounts(refused('LINK_EXPIRED', '2026-06-01T10:00:00.000Z', 'a'));

    // Assess
    expect(counts).toEqual([
      { id: 'refused#lnk-1#2026-06-01T10:00:00.000Z#refused#a', day: '2026-06-01', tallies: [{ metric: 'refusals', key: 'LINK_EXPIRED' }] },
    ]);
    expect([...linkLogChangeCounts('INSERT', ok), ...linkLogChangeCounts('INSERT', admin)]).toEqual([]);
    // The TTL's removal of an old line is not a refusal either.
    expect(linkLogChangeCounts('REMOVE', undefined)).toEqual([]);
  });

  it('a bounce counts once per SES report, and a report without an id or a time counts nothing', () => {
    // Assess
    expect(bounceCounts({ feedbackId: 'fb-1', at: '2026-06-01T10:00:00Z' })).toEqual([
      { id: 'bounce#fb-1', day: '2026-06-01', tallies: [{ metric: 'bounces' }] },
    ]);
    expect(bounceCounts({ feedbackId: undefined, at: '2026-06-01T10:00:00Z' })).toEqual([]);
    expect(bounceCounts({ feedbackId: 'fb-1', at: 'yesterday' })).toEqual([]);
  });

  it('malformed images count nothing instead of failing', () => {
    // Assess
    expect(linkChangeCounts({}, { id: 7, downloadCount: 'x' })).toEqual([]);
    expect(linkChangeCounts(link(), link({ downloadCount: 1, lastDownloadAt: 'not a time' }))).toEqual([]);
    expect(dayOf('2026-13-45T00:00:00Z')).toBeUndefined();
  });

  it('a download of a link without a product counts the download alone', () => {
    // Act
    const counts = linkChangeCounts(
      link({ productId: undefined, downloadCount: 0 }),
      link({ productId: undefined, downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z' }),
    );

    // Assess
    expect(counts).toEqual([{ id: 'served#lnk-1#2026-06-01T10:00:00.000Z#1', day: '2026-06-01', tallies: [{ metric: 'downloads' }] }]);
  });

  it('reads a count stored as text, and a missing earlier count as none', () => {
    // Act
    const fromText = linkChangeCounts(link({ downloadCount: '2' }), link({ downloadCount: '3', lastDownloadAt: '2026-06-01T10:00:00.000Z' }));
    const fromNothing = linkChangeCounts({ id: 'lnk-1' }, link({ downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z' }));
    const sameText = linkChangeCounts(link({ downloadCount: '3' }), link({ downloadCount: '3', lastDownloadAt: '2026-06-01T10:00:00.000Z' }));

    // Assess
    expect(fromText.map((c) => c.id)).toEqual(['served#lnk-1#2026-06-01T10:00:00.000Z#3']);
    expect(fromNothing.map((c) => c.id)).toEqual(['served#lnk-1#2026-06-01T10:00:00.000Z#1']);
    expect(sameText).toEqual([]);
  });

  it('a change without both images, or of an item whose id is no text, counts nothing', () => {
    // Prepare
    const servedItem = link({ downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z', flaggedAt: '2026-06-01T10:00:00.000Z' });

    // Assess
    expect(linkChangeCounts(undefined, servedItem)).toEqual([]);
    expect(linkChangeCounts(link(), undefined)).toEqual([]);
    expect(linkChangeCounts(link(), { ...servedItem, id: 7 })).toEqual([]);
    expect(linkChangeCounts(link(), { ...servedItem, id: '' })).toEqual([]);
  });

  it('a flag whose time is no time counts nothing', () => {
    // Assess
    expect(linkChangeCounts(link(), link({ flaggedAt: 'soon' }))).toEqual([]);
  });

  it('a log line counts as a refusal only when it is new and names its link, its entry, its code and a time', () => {
    // Prepare
    const line = { linkId: 'lnk-1', entryKey: 'k#1', at: '2026-06-01T10:00:00.000Z', kind: 'download', outcome: 'REVOKED' };

    // Act
    const counted = linkLogChangeCounts('INSERT', line);

    // Assess
    expect(counted.map((c) => c.id)).toEqual(['refused#lnk-1#k#1']);
    expect(linkLogChangeCounts('MODIFY', line)).toEqual([]);
    expect(linkLogChangeCounts('INSERT', undefined)).toEqual([]);
    expect(linkLogChangeCounts('INSERT', { ...line, linkId: undefined })).toEqual([]);
    expect(linkLogChangeCounts('INSERT', { ...line, entryKey: 9 })).toEqual([]);
    expect(linkLogChangeCounts('INSERT', { ...line, outcome: undefined })).toEqual([]);
    expect(linkLogChangeCounts('INSERT', { ...line, at: 'later' })).toEqual([]);
  });

  it('an item is read as a log line only when it has both a link id and an entry key', () => {
    // Prepare: a link item that happens to carry an entry key is still a link.
    const change: StreamChange = {
      eventName: 'MODIFY',
      oldItem: link({ entryKey: 'k', downloadCount: 0 }),
      newItem: link({ entryKey: 'k', downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z' }),
    };

    // Act
    const counts = streamChangeCounts(change);

    // Assess
    expect(counts.map((c) => c.id)).toEqual(['served#lnk-1#2026-06-01T10:00:00.000Z#1']);
  });

  it('the day of a time is its UTC date, and anything not in the ISO form with a time has none', () => {
    // Assess
    expect(dayOf('2026-06-01T23:59:59.999Z')).toBe('2026-06-01');
    expect(dayOf('2026-06-01')).toBeUndefined();
    expect(dayOf('2026-06-01 10:00:00Z')).toBeUndefined();
    expect(dayOf('+002026-06-01T10:00:00Z')).toBeUndefined();
    expect(dayOf(['2026-06-01T10:00:00.000Z'])).toBeUndefined();
    expect(dayOf(Date.parse('2026-06-01T10:00:00.000Z'))).toBeUndefined();
  });

  it('a removed item, a link or a line of its log, counts nothing', () => {
    // Prepare
    const line = { linkId: 'lnk-1', entryKey: 'k#1', at: '2026-06-01T10:00:00.000Z', kind: 'download', outcome: 'REVOKED' };

    // Act
    const counts = [
      ...streamChangeCounts({ eventName: 'REMOVE', oldItem: link({ downloadCount: 1, lastDownloadAt: '2026-06-01T10:00:00.000Z' }), newItem: undefined }),
      ...streamChangeCounts({ eventName: 'REMOVE', oldItem: line, newItem: undefined }),
    ];

    // Assess
    expect(counts).toEqual([]);
  });

  it('a counter name reads back as the tally it was made from, even when a product id has a colon', () => {
    // Assess
    expect(tallyOf(counterName({ metric: 'products', key: 'shop:ebook' }))).toEqual({ metric: 'products', key: 'shop:ebook' });
    expect(tallyOf(counterName({ metric: 'downloads' }))).toEqual({ metric: 'downloads' });
    expect(tallyOf('pk')).toBeUndefined();
  });
});

describe('the dashboard view', () => {
  it('covers the last N UTC days, oldest first, ending today', () => {
    // Assess
    expect(lastDays('2026-03-01T05:00:00.000Z', 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('zero-fills days without downloads and sums refusals, products, flags and bounces over the window', () => {
    // Prepare
    const days = lastDays('2026-06-03T12:00:00.000Z', 3);

    // Act
    const view = dashboardView(days, [
      { day: '2026-06-01', counters: { downloads: 2, 'products:a': 1, 'products:b': 1, 'refusals:LINK_EXPIRED': 1, bounces: 1 } },
      { day: '2026-06-03', counters: { downloads: 3, 'products:b': 3, 'refusals:REVOKED': 2, 'refusals:LINK_EXPIRED': 2, flagged: 1, pk: 9 } },
      // Outside the window: not counted.
      { day: '2026-05-01', counters: { downloads: 100 } },
    ]);

    // Assess
    expect(view).toEqual({
      from: '2026-06-01',
      to: '2026-06-03',
      downloadsPerDay: [
        { day: '2026-06-01', downloads: 2 },
        { day: '2026-06-02', downloads: 0 },
        { day: '2026-06-03', downloads: 3 },
      ],
      totals: { downloads: 5, refusals: 5, flaggedLinks: 1, bouncedEmails: 1 },
      refusalsByReason: [
        { reason: 'LINK_EXPIRED', count: 3 },
        { reason: 'REVOKED', count: 2 },
      ],
      topProducts: [
        { productId: 'b', downloads: 4 },
        { productId: 'a', downloads: 1 },
      ],
    });
  });

  it('ignores counters at zero or below and counter names without the key their metric needs', () => {
    // Act
    const view = dashboardView(
      ['2026-06-01'],
      [{ day: '2026-06-01', counters: { downloads: 0, 'products:a': 0, 'products:b': -1, products: 4, refusals: 3, 'refusals:REVOKED': 0, flagged: -2 } }],
    );

    // Assess
    expect(view).toEqual({
      from: '2026-06-01',
      to: '2026-06-01',
      downloadsPerDay: [{ day: '2026-06-01', downloads: 0 }],
      totals: { downloads: 0, refusals: 0, flaggedLinks: 0, bouncedEmails: 0 },
      refusalsByReason: [],
      topProducts: [],
    });
  });

  it('a window of no days is an empty dashboard', () => {
    // Assess
    expect(dashboardView([], [{ day: '2026-06-01', counters: { downloads: 1 } }])).toMatchObject({ from: '', to: '', downloadsPerDay: [] });
  });

  it('orders products and reasons of the same count by name, whatever order the counters come in', () => {
    // Act
    const view = dashboardView(
      ['2026-06-01'],
      [{ day: '2026-06-01', counters: { 'products:b': 2, 'products:a': 2, 'refusals:REVOKED': 1, 'refusals:LINK_EXPIRED': 1 } }],
    );

    // Assess
    expect(view.topProducts.map((p) => p.productId)).toEqual(['a', 'b']);
    expect(view.refusalsByReason.map((r) => r.reason)).toEqual(['LINK_EXPIRED', 'REVOKED']);
  });

  it('shows at most ten products, the most downloaded first and ties by id', () => {
    // Prepare
    const counters = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`products:p${String(i).padStart(2, '0')}`, i < 2 ? 5 : 1]));

    // Act
    const view = dashboardView(['2026-06-01'], [{ day: '2026-06-01', counters }]);

    // Assess
    expect(view.topProducts.map((p) => p.productId)).toEqual(['p00', 'p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p07', 'p08', 'p09']);
  });
});

describe('counting the streams into the dashboard (use cases)', () => {
  it('the same batch delivered twice counts once', async () => {
    // Prepare
    const counters = new FakeDashboardCounters();
    const batch = [served(1, '2026-06-01T10:00:00.000Z'), served(2, '2026-06-01T11:00:00.000Z'), refused('REVOKED', '2026-06-01T12:00:00.000Z', 'x')];

    // Act
    const first = await countDashboardChanges(counters, batch);
    const again = await countDashboardChanges(counters, batch);
    const view = await readDashboard(counters, { days: 1, now: '2026-06-01T18:00:00.000Z' });

    // Assess
    expect(first).toEqual({ counted: 3, alreadyCounted: 0 });
    expect(again).toEqual({ counted: 0, alreadyCounted: 3 });
    expect(view.downloadsPerDay).toEqual([{ day: '2026-06-01', downloads: 2 }]);
    expect(view.topProducts).toEqual([{ productId: 'ebook', downloads: 2 }]);
    expect(view.refusalsByReason).toEqual([{ reason: 'REVOKED', count: 1 }]);
  });

  it('a change repeated within one batch counts once', async () => {
    // Prepare
    const counters = new FakeDashboardCounters();
    const change = served(1, '2026-06-01T10:00:00.000Z');

    // Act
    await countDashboardChanges(counters, [change, change]);

    // Assess
    expect(counters.days.get('2026-06-01')).toEqual({ downloads: 1, 'products:ebook': 1 });
  });

  it('a batch with nothing to count does not touch the counters', async () => {
    // Prepare
    const counters = new FakeDashboardCounters();
    let calls = 0;
    const spy = {
      count: async (...args: Parameters<FakeDashboardCounters['count']>) => {
        calls++;
        return counters.count(...args);
      },
    };

    // Act
    const result = await countDashboardChanges(spy, [{ eventName: 'MODIFY', oldItem: link(), newItem: link({ status: 'revoked' }) }]);

    // Assess
    expect(result).toEqual({ counted: 0, alreadyCounted: 0 });
    expect(calls).toBe(0);
  });

  it('a bounce reported twice counts once', async () => {
    // Prepare
    const counters = new FakeDashboardCounters();

    // Act
    await countBounce(counters, { feedbackId: 'fb-1', at: '2026-06-01T10:00:00Z' });
    await countBounce(counters, { feedbackId: 'fb-1', at: '2026-06-01T10:00:00Z' });
    const view = await readDashboard(counters, { days: 30, now: '2026-06-01T18:00:00.000Z' });

    // Assess
    expect(view.totals.bouncedEmails).toBe(1);
    expect(view.downloadsPerDay).toHaveLength(30);
  });
});
