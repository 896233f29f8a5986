import type { Invoice } from '../invoice';
import { downloadUrlFor } from '../link';
import { type DispatchDeps, dispatchOnce } from '../dispatch';
import { assertOutgoing, dispatchKeyOf, type OutgoingEvent, type RejectionReason } from '../events';
import type { EventPublisher, LinkStore } from '../ports';
import { toPublicTime } from '../time';
import type { LinkSigner } from '../link-signer';

export interface AnnounceDeps {
  links: LinkStore;
  signer: LinkSigner;
  events: EventPublisher;
  publicBaseUrl: string;
}

type InvoiceImage = Partial<Invoice> & { invoiceId: string };

const MAX_LINKS_BYTES_PER_EVENT = 200_000;

/** Consecutive groups whose JSON stays under `maxBytes` each (at least one item a group). */
export const splitBySize = <T>(items: T[], maxBytes: number): T[][] => {
  const groups: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + itemSize > maxBytes) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += itemSize;
  }
  // The last group is never empty, unless there were no items at all (then it is the one, empty, group).
  groups.push(current);
  return groups;
};

/**
 * The shop's events, derived from changes of the invoice item (its stream is
 * the outbox): a crash between writing links and publishing loses nothing,
 * and only the one write that issued a generation's links announces them.
 * A generation with no links (every product without a ready file) announces
 * no delivery; an invoice completes only when every line was delivered.
 */
export const eventsForInvoiceChange = async (
  deps: AnnounceDeps,
  before: InvoiceImage | undefined,
  after: InvoiceImage | undefined,
): Promise<OutgoingEvent[]> => {
  if (!after) return [];
  const events: OutgoingEvent[] = [];
  if (after.rejectedReason && !before?.rejectedReason) {
    events.push({ detailType: 'DeliveryRejected', detail: { invoiceId: after.invoiceId, reason: after.rejectedReason as RejectionReason } });
  }
  const generation = after.generation ?? 0;
  const issuedNow = after.linksIssuedAt && (!before?.linksIssuedAt || before.generation !== after.generation);
  const customerId = after.customerId;
  if (!issuedNow || !customerId) return events;

  for (const [reason, productIds] of Object.entries(after.undeliverable ?? {}) as [RejectionReason, string[]][]) {
    if (generation === 0 && productIds.length > 0) events.push({ detailType: 'DeliveryRejected', detail: { invoiceId: after.invoiceId, reason, productIds } });
  }
  const links = await deps.links.getMany(after.linkIds ?? []);
  const licenses = after.licenses ?? [];
  if (links.length === 0 && licenses.length === 0) return events;
  const order = new Map((after.linkIds ?? []).map((id, i) => [id, i]));
  links.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const linkDetails = await Promise.all(
    links.map(async (link) => ({
      id: link.id,
      productId: link.productId,
      fileName: link.fileName,
      deliveryMethod: link.deliveryMethod,
      // Always set, EmailDelivered included: the delivery email is built from it.
      downloadUrl: downloadUrlFor(deps.publicBaseUrl, await deps.signer.sign(link.id)),
      expiresUtc: toPublicTime(link.expiresAt),
      maxDownloads: link.maxDownloads === 0 ? null : link.maxDownloads,
    })),
  );
  // EventBridge takes at most 256 KB an event: a very large invoice is announced in parts.
  const parts = splitBySize(linkDetails, MAX_LINKS_BYTES_PER_EVENT);
  parts.forEach((part, index) => {
    events.push({
      detailType: 'DigitalProductDelivered',
      detail: {
        invoiceId: after.invoiceId,
        customerId,
        customerEmail: after.customerEmail ?? null,
        generation,
        ...(parts.length > 1 ? { part: index + 1, partCount: parts.length } : {}),
        links: part,
        licenses: index === 0 ? licenses.map((l) => ({ key: l.key, productId: l.productId })) : [],
      },
    });
  });
  const everythingDelivered = Object.values(after.undeliverable ?? {}).every((ids) => ids.length === 0);
  if (after.allLinesDigital && generation === 0 && everythingDelivered) {
    events.push({ detailType: 'InvoiceCompleted', detail: { invoiceId: after.invoiceId, customerId, completedAt: toPublicTime(after.linksIssuedAt) ?? '' } });
  }
  return events;
};

/**
 * Publishes what an invoice change announces, each event exactly once
 * (core/dispatch.ts): the stream may hand the same change over again after
 * a crash, a retry or a re-created stack reading it from its start.
 */
export const announceInvoiceChange = async (
  deps: AnnounceDeps & { dispatch: DispatchDeps },
  before: InvoiceImage | undefined,
  after: InvoiceImage | undefined,
): Promise<{ published: OutgoingEvent['detailType'][]; alreadyPublished: number }> => {
  const events = await eventsForInvoiceChange(deps, before, after);
  const published: OutgoingEvent['detailType'][] = [];
  let alreadyPublished = 0;
  for (const event of events) {
    // A malformed event must fail here, in our logs, not in the consumers of the shop.
    assertOutgoing(event);
    const outcome = await dispatchOnce(deps.dispatch, dispatchKeyOf(event), async () => {
      await deps.events.publish([event]);
      return undefined;
    });
    if (outcome === 'sent') published.push(event.detailType);
    else alreadyPublished++;
  }
  return { published, alreadyPublished };
};
