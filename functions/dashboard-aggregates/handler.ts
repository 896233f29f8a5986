import type { StreamChange } from '../../core/dashboard';
import { countDashboardChanges } from '../../core/use-cases/count-dashboard-changes';
import { dashboardCounters } from '../shared/deps';
import { streamBatchHandler } from '../shared/streams';

const counters = dashboardCounters();

/**
 * The operator dashboard's day counters, from two streams: the links table's
 * (a served download, a flagged link) and the link log's (a refused download).
 * Each change is counted exactly once by an id derived from the change itself,
 * in the same transaction as its marker, so a retried, bisected or replayed
 * batch counts nothing twice.
 */
export const handler = streamBatchHandler<Record<string, unknown>>('dashboard-aggregates', async (changes) => {
  await countDashboardChanges(counters, changes as StreamChange[]);
});
