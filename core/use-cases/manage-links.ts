import { conflict, notFound } from '../errors';
import { adminActionEntry, linkLogView } from '../link-log';
import { type Link, UNFLAGGED } from '../link';
import type { InvoiceStore, LinkLog, LinkStore, PageRequest } from '../ports';
import { newCopyKey } from '../stamp';
import { addDays } from '../time';
import { deriveLinkId, newLinkSeed } from '../token';
import { inBatches } from '../concurrency';
import { viewLinks, type ListDeps, type SharingDeps } from './list-downloads';
import { sharingViewOf } from '../sharing';

/**
 * The Download Manager: what an operator may do to issued links. Every change
 * is written to the link's log with the operator's `sub`.
 */
export interface ManagerDeps extends ListDeps {
  links: LinkStore;
  invoices: InvoiceStore;
  linkLog: LinkLog;
  sharing: SharingDeps;
}

export interface Operator {
  sub: string;
  now: string;
}

export interface ResetRequest {
  resetCount?: boolean | undefined;
  expiresInDays?: number | undefined;
}

/** An empty request resets the count; `expiresInDays` alone only moves the expiry (0 = never). */
const resetChange = (request: ResetRequest, now: string) => {
  const resetCount = request.resetCount ?? request.expiresInDays === undefined;
  const expiresAt = request.expiresInDays === undefined ? undefined : addDays(now, request.expiresInDays);
  return { resetCount, expiresAt };
};

const audit = (deps: ManagerDeps, links: Link[], action: string, operator: Operator, details?: Record<string, unknown>) =>
  deps.linkLog.record(links.map((link) => adminActionEntry({ linkId: link.id, at: operator.now, action, actor: operator.sub, details })));

/**
 * A reset also lifts a sharing flag (and the suspension that came with it):
 * the operator has looked at the link. Downloads before the reset no longer
 * count towards the next flag.
 */
const clearSharing = async (deps: ManagerDeps, link: Link, operator: Operator): Promise<{ link: Link; cleared: boolean }> => {
  if (!link.flaggedAt) return { link, cleared: false };
  const after = await deps.links.clearSharingFlag(link.id, { flaggedAt: link.flaggedAt, at: operator.now });
  return { link: after ?? link, cleared: Boolean(after && !after.flaggedAt) };
};

export const resetLink = async (deps: ManagerDeps, linkId: string, request: ResetRequest, operator: Operator) => {
  const change = resetChange(request, operator.now);
  const reset = await deps.links.reset(linkId, change);
  if (!reset) throw notFound('LINK_NOT_FOUND', 'No link with this id.');
  const flaggedNetworks = reset.flaggedNetworks;
  const { link, cleared } = await clearSharing(deps, reset, operator);
  await audit(deps, [link], 'reset', operator, {
    resetCount: change.resetCount,
    ...(change.expiresAt !== undefined ? { expiresAt: change.expiresAt } : {}),
    ...(cleared ? { sharingFlagCleared: true, flaggedNetworks } : {}),
  });
  await deps.sharing.store.countResets(link.customerId, 1, operator.now);
  const [view] = await viewLinks(deps, [link], 'operator', operator.now);
  return view;
};

/** Resets every link the customer has (all pages), 16 writes at a time. */
export const resetCustomerLinks = async (deps: ManagerDeps, customerId: string, request: ResetRequest, operator: Operator) => {
  const change = resetChange(request, operator.now);
  const all: Link[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.links.listByCustomer(customerId, { limit: 100, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const updated: Link[] = [];
  const cleared = new Set<string>();
  await inBatches(all, 16, async (link) => {
    const after = await deps.links.reset(link.id, change);
    if (!after) return;
    const outcome = await clearSharing(deps, after, operator);
    if (outcome.cleared) cleared.add(link.id);
    updated.push(outcome.link);
  });
  const details = { resetCount: change.resetCount, bulk: true, ...(change.expiresAt !== undefined ? { expiresAt: change.expiresAt } : {}) };
  await deps.linkLog.record(
    updated.map((link) =>
      adminActionEntry({
        linkId: link.id,
        at: operator.now,
        action: 'reset',
        actor: operator.sub,
        details: cleared.has(link.id) ? { ...details, sharingFlagCleared: true } : details,
      }),
    ),
  );
  // One reset asked for, however many links it touched.
  if (updated.length > 0) await deps.sharing.store.countResets(customerId, 1, operator.now);
  return { customerId, updated: updated.length };
};

export const revokeLink = async (deps: ManagerDeps, linkId: string, operator: Operator) => {
  const link = await deps.links.revoke(linkId, { at: operator.now, reason: 'REVOKED_BY_OPERATOR', hide: false });
  if (!link) throw notFound('LINK_NOT_FOUND', 'No link with this id.');
  await audit(deps, [link], 'revoke', operator);
  const [view] = await viewLinks(deps, [link], 'operator', operator.now);
  return view;
};

/**
 * New links for a paid invoice: new ids and tokens, the same files, expiry
 * and limits, counts from zero. The old links are revoked and leave the
 * listings before this returns, so every old token stops working at once.
 */
export const regenerateInvoiceLinks = async (deps: ManagerDeps, invoiceId: string, operator: Operator) => {
  const invoice = await deps.invoices.get(invoiceId);
  if (!invoice?.linkIds) throw notFound('INVOICE_NOT_FOUND', 'No invoice with download links under this id.');
  if (invoice.state === 'refunded') throw conflict('INVOICE_REFUNDED', 'The invoice was refunded: its links cannot be regenerated.');
  if (invoice.state !== 'paid') throw conflict('ORDER_ON_HOLD', 'The order is on hold: regenerate once the payment clears.');
  // Links of partially refunded products stay revoked: a regeneration issues nothing for them.
  const refunded = new Set(invoice.refundedProductIds ?? []);
  const old = (await deps.links.getMany(invoice.linkIds)).filter((link) => !refunded.has(link.productId));
  const linkSeed = newLinkSeed();
  const fresh: Link[] = old.map((link) => ({
    ...link,
    id: deriveLinkId(linkSeed, link.productId, link.fileId),
    downloadCount: 0,
    status: 'active',
    statusAt: invoice.stateKey ?? link.statusAt,
    createdAt: operator.now,
    lastDownloadAt: null,
    lastIp: null,
    lastUserAgent: null,
    // The old link's copies go with it (revoked): the new one makes its own, under its own key.
    copyKey: link.stampText ? newCopyKey() : null,
    copyVersion: null,
    // A regenerated link starts with no sharing history: its networks are counted afresh.
    ...UNFLAGGED,
  }));
  const started = await deps.invoices.startGeneration(invoiceId, invoice.generation, { linkSeed, linkIds: fresh.map((l) => l.id) });
  if (!started) throw conflict('CONCURRENT_CHANGE', 'The invoice changed meanwhile; try again.');
  await deps.links.createMissing(fresh);
  await deps.invoices.markLinksIssued(invoiceId, invoice.generation + 1, operator.now);
  await inBatches(old, 16, (link) => deps.links.revoke(link.id, { at: operator.now, reason: 'REGENERATED', hide: true }));
  // Each entry names the link on the other side, so an old link's log stays reachable from its replacement's, and back.
  const generation = invoice.generation + 1;
  await deps.linkLog.record(
    old.flatMap((link, i) => {
      const replacement = fresh[i] as Link;
      return [
        adminActionEntry({ linkId: link.id, at: operator.now, action: 'regenerate', actor: operator.sub, details: { generation, replacedBy: replacement.id } }),
        adminActionEntry({
          linkId: replacement.id,
          at: operator.now,
          action: 'issued-by-regeneration',
          actor: operator.sub,
          details: { generation, replaces: link.id },
        }),
      ];
    }),
  );
  return { invoiceId, items: await viewLinks(deps, fresh, 'operator', operator.now), nextCursor: null };
};

/** The link's log, newest first, with its sharing signals and their evidence. */
export const readLinkLog = async (deps: ManagerDeps, linkId: string, page: PageRequest, now: string) => {
  const link = await deps.links.get(linkId);
  if (!link) throw notFound('LINK_NOT_FOUND', 'No link with this id.');
  const [result, aggregates] = await Promise.all([deps.linkLog.list(linkId, page), deps.sharing.store.getMany([linkId])]);
  return {
    linkId,
    sharing: sharingViewOf(link, aggregates.get(linkId), now, deps.sharing.policy),
    items: result.items.map(linkLogView),
    nextCursor: result.nextCursor,
  };
};
