import { dispatchIdOf } from '../../core/dispatch';
import { dispatchKeyOf, OUTGOING_SOURCE, type OutgoingEvent, OutgoingEventSchemas } from '../../core/events';
import { dispatchLedger } from '../shared/deps';
import { queueHandler } from '../shared/queue';

const ledger = dispatchLedger();

/**
 * The system's own events come back to it from the bus: each one confirms
 * its dispatch, so that a publisher that crashed after publishing (and before
 * marking it) does not publish it again. Only a dispatch that was claimed is
 * confirmed: an event someone else puts on the bus cannot pre-empt one.
 */
export const handler = queueHandler('dispatch-receipts', async (event) => {
  const type = event['detail-type'];
  if (event.source !== OUTGOING_SOURCE || typeof type !== 'string' || !Object.hasOwn(OutgoingEventSchemas, type)) return undefined;
  const parsed = OutgoingEventSchemas[type as OutgoingEvent['detailType']].safeParse(event.detail);
  if (!parsed.success) return undefined;
  const key = dispatchKeyOf({ detailType: type, detail: parsed.data } as OutgoingEvent);
  await ledger.confirm(dispatchIdOf(key), { at: typeof event.time === 'string' ? event.time : new Date().toISOString() });
  return undefined;
});
