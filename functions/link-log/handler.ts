import { downloadServedEntry, type LinkLogEntry } from '../../core/link-log';
import { toLink } from '../../adapters/dynamo/link-store';
import { linkLog } from '../shared/deps';
import { countMetric } from '../shared/metrics';
import { streamBatchHandler } from '../shared/streams';

const log = linkLog();

/**
 * Served downloads reach the link's log from the links table's stream: the
 * download itself made one write and nothing more. Each count increase is
 * one served download, with the requester the same write recorded. A whole
 * batch is written at once (entries are keyed by count, so a retry rewrites
 * the same lines).
 */
export const handler = streamBatchHandler<Record<string, unknown>>('link-log', async (changes) => {
  const entries: LinkLogEntry[] = [];
  for (const change of changes) {
    if (change.eventName !== 'MODIFY') continue;
    const oldItem = toLink(change.oldItem);
    const newItem = toLink(change.newItem);
    if (!oldItem || !newItem) continue;
    if (newItem.downloadCount <= oldItem.downloadCount || !newItem.lastDownloadAt) continue;
    entries.push(
      downloadServedEntry({
        linkId: newItem.id,
        at: newItem.lastDownloadAt,
        downloadCount: newItem.downloadCount,
        ip: newItem.lastIp,
        userAgent: newItem.lastUserAgent,
      }),
    );
  }
  if (entries.length > 0) await log.record(entries);
  // One per served download (the download itself counts nothing: it is the hot path). A replayed batch counts again.
  countMetric('DownloadsServed', undefined, entries.length);
});
