import { inBatches } from '../concurrency';
import type { LinkStore, ObjectStore } from '../ports';
import { removeLinkCopies } from './stamp-link-copy';

export interface SweepDeps {
  links: Pick<LinkStore, 'listExpiredCopies' | 'markCopiesRemoved'>;
  objects: Pick<ObjectStore, 'remove'>;
}

/** How long after its expiry a link keeps its copy: a download granted just before the expiry may still be fetching it. */
export const COPY_SWEEP_GRACE_MS = 86_400_000;
/** Links read per page of the index, and pages per run: one run is bounded; what is left waits for the next run. */
export const COPY_SWEEP_PAGE_SIZE = 100;
export const COPY_SWEEP_MAX_PAGES = 50;

export interface SweepOptions {
  now: string;
  graceMs?: number | undefined;
  pageSize?: number | undefined;
  maxPages?: number | undefined;
}

export interface SweepResult {
  /** Links whose copies were removed and recorded so. */
  swept: number;
  /** Copy objects deleted (absent ones included: deletes are idempotent). */
  objectsRemoved: number;
  /** Links an update moved on between the read and the write: left in the index for a later run. */
  movedOn: number;
  /** False when the run stopped at its page bound with more to sweep. */
  complete: boolean;
}

/**
 * Removes the stamped copies of links that expired more than the grace ago
 * (read from the sparse index of links with a copy, never a scan), then
 * records each link as having none — in that order, so a run that dies
 * halfway leaves the link in the index and the next run deletes again
 * (harmlessly) and records it. A link whose expiry an operator extends
 * meanwhile loses its copy too, and gets it back: the recorded removal (or
 * the new expiry itself) makes the stamper write it again.
 */
export const sweepExpiredCopies = async (deps: SweepDeps, options: SweepOptions): Promise<SweepResult> => {
  const before = new Date(Date.parse(options.now) - (options.graceMs ?? COPY_SWEEP_GRACE_MS)).toISOString();
  const result = { swept: 0, objectsRemoved: 0, movedOn: 0 };
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await deps.links.listExpiredCopies(before, { limit: options.pageSize ?? COPY_SWEEP_PAGE_SIZE, cursor });
    await inBatches(page.items, 8, async (copy) => {
      const removed = await removeLinkCopies(deps, copy);
      result.objectsRemoved += removed;
      if (await deps.links.markCopiesRemoved(copy.id, { copyKey: copy.copyKey, fileVersion: copy.fileVersion, at: options.now })) result.swept++;
      else result.movedOn++;
    });
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < (options.maxPages ?? COPY_SWEEP_MAX_PAGES));
  return { ...result, complete: cursor === undefined };
};
