import { inBatches } from '../concurrency';
import { type DispatchDeps, dispatchIdOf, dispatchOnce } from '../dispatch';
import { isDeliverableAddress } from '../email';
import { assertOutgoing, dispatchKeyOf, type OutgoingEvent } from '../events';
import { downloadUrlFor, type Link } from '../link';
import type { LinkSigner } from '../link-signer';
import type { CatalogStore, EventPublisher, InvoiceStore, LinkStore, Mailer, ProductUpdateStore } from '../ports';
import type { ProductUpdate } from '../product-update';
import { buildUpdateEmail } from '../update-email';

export interface AdvanceUpdateDeps {
  updates: ProductUpdateStore;
  links: LinkStore;
  invoices: InvoiceStore;
  catalog: Pick<CatalogStore, 'getProduct'>;
  signer: LinkSigner;
  events: EventPublisher;
  mailer: Mailer;
  dispatch: DispatchDeps;
  publicBaseUrl: string;
  accountUrl: string;
  from: string;
  shopName?: string | undefined;
  /** Links read (and written) per step: bounded, so a step fits well within one invocation. */
  batchSize: number;
  /** Conditional writes in flight at once within a step. */
  writeConcurrency?: number | undefined;
  clock: () => string;
}

export type StepOutcome = 'advanced' | 'finished' | 'stale' | 'lost-race';

/** The key of an update's email to one customer: one email per update and customer. */
export const updateEmailKey = (productId: string, updateId: string, customerId: string) => `email:update#${productId}#${updateId}#${customerId}`;

/** Links per customer an event and an email carry at most (a customer has a handful of a product's links). */
const MAX_LINKS_PER_NOTICE = 100;

/**
 * Does one bounded step of an update, the one after `step`, and records it
 * with a write conditional on `step`: a step that runs twice (a retry, a
 * crash after its effects and before its record, a replayed stream record)
 * repeats only idempotent work and advances the job once. Repointing is one
 * conditional write per link (`fileId` still the old one), so a re-run
 * neither skips a link nor counts one twice; each customer's notice is a
 * dispatch (core/dispatch.ts), so it goes out exactly once.
 */
export const advanceProductUpdate = async (deps: AdvanceUpdateDeps, ref: { productId: string; updateId: string; step: number }): Promise<StepOutcome> => {
  const job = await deps.updates.get(ref.productId, ref.updateId);
  // Only the latest state drives the job: an older record (a replay) or a finished job does nothing.
  if (!job || job.phase === 'done' || job.step !== ref.step) return 'stale';
  const next = job.phase === 'repoint' ? await repointStep(deps, job) : await notifyStep(deps, job);
  if (!(await deps.updates.advance(next, job.step))) return 'lost-race';
  return next.phase === 'done' ? 'finished' : 'advanced';
};

const afterPage = (job: ProductUpdate, nextCursor: string | null, now: string): Pick<ProductUpdate, 'phase' | 'cursor' | 'finishedAt'> => {
  if (nextCursor) return { phase: job.phase, cursor: nextCursor, finishedAt: null };
  if (job.phase === 'repoint' && job.notify) return { phase: 'notify', cursor: null, finishedAt: null };
  return { phase: 'done', cursor: null, finishedAt: now };
};

const repointStep = async (deps: AdvanceUpdateDeps, job: ProductUpdate): Promise<ProductUpdate> => {
  const page = await deps.links.listByProduct(job.productId, { limit: deps.batchSize, cursor: job.cursor ?? undefined });
  const now = deps.clock();
  let repointed = 0;
  let skipped = 0;
  await inBatches(page.items, deps.writeConcurrency ?? 16, async (link) => {
    const to = job.replace[link.fileId];
    // Already ours (the index may still show the old file id, or a crashed run got here first): counted as repointed.
    if (link.updateId === job.updateId) {
      repointed++;
      return;
    }
    if (!to || link.status === 'revoked') {
      skipped++;
      return;
    }
    const outcome = await deps.links.repoint(link.id, { from: link.fileId, to, updateId: job.updateId, at: now });
    if (outcome === 'skipped') skipped++;
    else repointed++;
  });
  return {
    ...job,
    ...afterPage(job, page.nextCursor, now),
    step: job.step + 1,
    counts: {
      ...job.counts,
      scanned: job.counts.scanned + page.items.length,
      repointed: job.counts.repointed + repointed,
      skipped: job.counts.skipped + skipped,
    },
    updatedAt: now,
  };
};

/** Customers told per step at most: each costs a few reads, two dispatches and two sends. */
const NOTIFY_BATCH_SIZE = 50;

const notifyStep = async (deps: AdvanceUpdateDeps, job: ProductUpdate): Promise<ProductUpdate> => {
  const page = await deps.links.listByProduct(job.productId, { limit: Math.min(deps.batchSize, NOTIFY_BATCH_SIZE), cursor: job.cursor ?? undefined });
  // The listing is grouped by customer: a customer whose links continue from the last page was told there.
  const customers = [...new Set(page.items.map((l) => l.customerId))].filter((c) => c !== job.lastCustomerId);
  const product = await deps.catalog.getProduct(job.productId);
  let notified = 0;
  await inBatches(customers, 4, async (customerId) => {
    if (await notifyCustomer(deps, job, customerId, product?.name ?? job.productId)) notified++;
  });
  const now = deps.clock();
  return {
    ...job,
    ...afterPage(job, page.nextCursor, now),
    step: job.step + 1,
    lastCustomerId: page.items.at(-1)?.customerId ?? job.lastCustomerId,
    counts: { ...job.counts, customersNotified: job.counts.customersNotified + notified },
    updatedAt: now,
  };
};

/** One `ProductUpdated` event and one email for a customer whose links this update repointed; false when it repointed none of theirs. */
const notifyCustomer = async (deps: AdvanceUpdateDeps, job: ProductUpdate, customerId: string, productName: string): Promise<boolean> => {
  const mine: Link[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.links.listByProduct(job.productId, { customerId, limit: 100, cursor });
    mine.push(...page.items.filter((l) => l.updateId === job.updateId && l.status !== 'revoked'));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && mine.length < MAX_LINKS_PER_NOTICE);
  if (mine.length === 0) return false;
  const links = mine.slice(0, MAX_LINKS_PER_NOTICE).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  // The address is the invoice's (the links carry none); the newest purchase has the freshest one.
  const invoice = await deps.invoices.get((links.at(-1) as Link).invoiceId);
  const email = invoice?.customerEmail ?? null;
  const detailLinks = await Promise.all(
    links.map(async (link) => ({
      id: link.id,
      invoiceId: link.invoiceId,
      fileName: link.fileName,
      fileVersion: link.fileVersion,
      deliveryMethod: link.deliveryMethod,
      downloadUrl: downloadUrlFor(deps.publicBaseUrl, await deps.signer.sign(link.id)),
    })),
  );
  const event: OutgoingEvent = {
    detailType: 'ProductUpdated',
    detail: { productId: job.productId, updateId: job.updateId, customerId, customerEmail: email, links: detailLinks },
  };
  assertOutgoing(event);
  await dispatchOnce(deps.dispatch, dispatchKeyOf(event), async () => {
    await deps.events.publish([event]);
    return undefined;
  });
  if (isDeliverableAddress(email)) {
    const message = buildUpdateEmail(
      { to: email, productName, links: detailLinks, accountUrl: deps.accountUrl },
      { from: deps.from, shopName: deps.shopName, now: new Date(deps.clock()) },
    );
    const key = updateEmailKey(job.productId, job.updateId, customerId);
    await dispatchOnce(deps.dispatch, key, () =>
      deps.mailer.send({ to: email, raw: message.raw, dispatchId: dispatchIdOf(key), kind: 'update', reference: job.productId }),
    );
  }
  return true;
};
