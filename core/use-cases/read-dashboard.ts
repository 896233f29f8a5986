import { dashboardView, lastDays } from '../dashboard';
import type { DashboardCounters } from '../ports';

/**
 * The operator dashboard over the last `days` UTC days up to today: one read
 * of that many day counters (no table scan), every day of the window present.
 */
export const readDashboard = async (counters: Pick<DashboardCounters, 'read'>, request: { days: number; now: string }) => {
  const days = lastDays(request.now, request.days);
  return dashboardView(days, await counters.read(days));
};
