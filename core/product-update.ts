import { randomBytes } from 'node:crypto';
import { toPublicTime } from './time';

/**
 * An update of a product's files for its past buyers: a persisted job that
 * repoints every link serving an old file to the new one, in bounded
 * batches, then (with `notify`) tells each customer once. The job is its own
 * progress: `phase`, the listing `cursor` it stopped at and `step`, the
 * number of batches done, which each batch's write expects (so two runs of
 * the same step cannot both advance it, and a crash resumes at the cursor).
 */
export interface UpdateTarget {
  fileId: string;
  fileName: string;
  contentType: string;
  objectKey: string;
}

export type UpdatePhase = 'repoint' | 'notify' | 'done';

export interface ProductUpdate {
  productId: string;
  updateId: string;
  /** Old file id → the file that replaces it. */
  replace: Record<string, UpdateTarget>;
  notify: boolean;
  phase: UpdatePhase;
  /** Where the current phase's listing of the product's links resumes (null: at its start). */
  cursor: string | null;
  /** Batches done so far; each batch's write is conditional on it. */
  step: number;
  /** The notify phase's last customer, whose links may continue on the next page (already told). */
  lastCustomerId: string | null;
  /** Links read, repointed by this update, left alone (revoked, or serving another file); customers told. */
  counts: { scanned: number; repointed: number; skipped: number; customersNotified: number };
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

/** A new update id: time-ordered (a product's updates list newest first by it), unguessable suffix. */
export const newUpdateId = (now: string): string => `${now.replace(/[-:.]/g, '')}-${randomBytes(6).toString('base64url')}`;

export const UPDATE_ID_PATTERN = /^\d{8}T\d{9}Z-[A-Za-z0-9_-]{8}$/;

export const newProductUpdate = (input: {
  productId: string;
  replace: Record<string, UpdateTarget>;
  notify: boolean;
  now: string;
  by: string | null;
}): ProductUpdate => ({
  productId: input.productId,
  updateId: newUpdateId(input.now),
  replace: input.replace,
  notify: input.notify,
  phase: 'repoint',
  cursor: null,
  step: 0,
  lastCustomerId: null,
  counts: { scanned: 0, repointed: 0, skipped: 0, customersNotified: 0 },
  createdAt: input.now,
  createdBy: input.by,
  updatedAt: input.now,
  finishedAt: null,
});

/** The product's file ids after the update: each old one replaced in place by its new one, without duplicates. */
export const replacedFileIds = (fileIds: string[], replace: Record<string, { fileId: string }>): string[] => [
  ...new Set(fileIds.map((id) => replace[id]?.fileId ?? id)),
];

/** The admin API's view of an update (its progress). */
export const productUpdateView = (update: ProductUpdate) => ({
  productId: update.productId,
  updateId: update.updateId,
  replace: Object.fromEntries(Object.entries(update.replace).map(([from, to]) => [from, to.fileId])),
  notify: update.notify,
  status: update.phase === 'done' ? ('done' as const) : update.phase === 'repoint' ? ('repointing' as const) : ('notifying' as const),
  batches: update.step,
  scanned: update.counts.scanned,
  repointed: update.counts.repointed,
  skipped: update.counts.skipped,
  customersNotified: update.counts.customersNotified,
  createdUtc: toPublicTime(update.createdAt) ?? update.createdAt,
  createdBy: update.createdBy,
  updatedUtc: toPublicTime(update.updatedAt) ?? update.updatedAt,
  finishedUtc: toPublicTime(update.finishedAt),
});

export type ProductUpdateView = ReturnType<typeof productUpdateView>;
