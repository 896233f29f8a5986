import { downloadServedEntry } from '../../core/link-log';
import type { Link } from '../../core/link';
import { linkLog } from '../shared/deps';
import { streamHandler } from '../shared/streams';

const log = linkLog();

/**
 * Served downloads reach the link's log from the links table's stream: the
 * download itself made one write and nothing more. Each count increase is
 * one served download, with the requester the same write recorded.
 */
export const handler = streamHandler<Link>(async ({ eventName, oldItem, newItem }) => {
  if (eventName !== 'MODIFY' || !oldItem || !newItem) return;
  if (newItem.downloadCount <= oldItem.downloadCount || !newItem.lastDownloadAt) return;
  await log.record([
    downloadServedEntry({ linkId: newItem.id, at: newItem.lastDownloadAt, downloadCount: newItem.downloadCount, ip: newItem.lastIp, userAgent: newItem.lastUserAgent }),
  ]);
});
