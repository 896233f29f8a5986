import { copyWanted, removeLinkCopies, stampLinkCopy } from '../../core/use-cases/stamp-link-copy';
import { toLink } from '../../adapters/dynamo/link-store';
import { S3ObjectStore } from '../../adapters/s3/object-store';
import { config } from '../shared/config';
import { invoiceStore, linkStore, s3Client } from '../shared/deps';
import { logger } from '../shared/logger';
import { streamHandler } from '../shared/streams';

const deps = {
  links: linkStore(),
  invoices: invoiceStore(),
  objects: new S3ObjectStore(s3Client(), config().FILES_BUCKET),
  log: logger,
};

/**
 * Stamped copies from the links table's stream, off the hot path: a link of a
 * stamping product is issued (or repointed by an update) → its buyer's copy
 * is made; a link revoked or deleted → its copies are removed; an expired
 * link given a new expiry → its copy is made again (the sweep may have
 * removed it). Expired links get no copy (the sweep's own change included).
 * Every other change (a download counted) is passed over at once.
 */
export const handler = streamHandler<Record<string, unknown>>('pdf-stamper', async (change) => {
  const before = toLink(change.oldItem);
  const after = toLink(change.newItem);
  const gone = change.eventName === 'REMOVE' ? before : after?.status === 'revoked' && before?.status !== 'revoked' ? after : undefined;
  if (gone?.copyKey) {
    const removed = await removeLinkCopies(deps, gone);
    logger.info('stamped copies removed', { linkId: gone.id, removed });
    return;
  }
  if (!after) return;
  const now = new Date().toISOString();
  const wanted = copyWanted(before, after, now);
  if (!wanted) return;
  const outcome = await stampLinkCopy(deps, after, now, { remake: wanted === 'remake' });
  logger.info('stamped copy', { linkId: after.id, fileVersion: after.fileVersion, outcome });
});
