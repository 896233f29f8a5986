import { bounceCounts, type CountedChange, type StreamChange, streamChangeCounts } from '../dashboard';
import type { DashboardCounters } from '../ports';

const counting = async (counters: Pick<DashboardCounters, 'count'>, changes: CountedChange[]) => {
  // One id once per call: a batch may carry the same change twice (a retried write, a bisected batch). Every
  // change core/dashboard.ts makes has a tally, so none is filtered out here.
  const unique = [...new Map(changes.map((c) => [c.id, c])).values()];
  return unique.length > 0 ? counters.count(unique) : { counted: 0, alreadyCounted: 0 };
};

/**
 * Adds what a batch of the links and linkLog streams' changes contributes to
 * the dashboard's day counters (served downloads and their products, refusals
 * by code, flagged links), each change exactly once however often the batch
 * is delivered.
 */
export const countDashboardChanges = (counters: Pick<DashboardCounters, 'count'>, changes: StreamChange[]) =>
  counting(counters, changes.flatMap(streamChangeCounts));

/** Counts a bounce SES reported, once per report (`feedbackId`), on the day SES reported it. */
export const countBounce = (counters: Pick<DashboardCounters, 'count'>, report: { feedbackId: string | undefined; at: string }) =>
  counting(counters, bounceCounts(report));
