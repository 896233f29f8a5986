import { type DispatchDeps, dispatchOnce } from '../dispatch';
import { assertOutgoing, dispatchKeyOf, type OutgoingEvent } from '../events';
import type { Link } from '../link';
import type { EventPublisher } from '../ports';

export interface AnnounceFlagDeps {
  events: EventPublisher;
  dispatch: DispatchDeps;
}

/**
 * Tells the shop that a link was flagged for sharing: one `LinkFlagged` per
 * flag, whatever runs twice on the way (the event's dispatch is keyed by the
 * link and its `flaggedAt`). Called for each change of the links stream where
 * `flaggedAt` appears, so a flag written is announced even when its writer
 * crashed right after.
 */
export const announceLinkFlagged = async (deps: AnnounceFlagDeps, link: Link): Promise<'sent' | 'already-sent' | 'not-flagged'> => {
  if (!link.flaggedAt) return 'not-flagged';
  const event: OutgoingEvent = {
    detailType: 'LinkFlagged',
    detail: {
      linkId: link.id,
      customerId: link.customerId,
      networks: link.flaggedNetworks ?? 1,
      invoiceId: link.invoiceId,
      productId: link.productId,
      flaggedAt: link.flaggedAt,
      suspended: link.sharingSuspendedAt !== null,
    },
  };
  assertOutgoing(event);
  return dispatchOnce(deps.dispatch, dispatchKeyOf(event), async () => {
    await deps.events.publish([event]);
    return undefined;
  });
};
