import { downloadServedEntry, type LinkLogEntry } from '../../core/link-log';
import type { Link } from '../../core/link';
import { announceLinkFlagged } from '../../core/use-cases/announce-link-flagged';
import { type ServedDownload, trackSharing } from '../../core/use-cases/track-sharing';
import { toLink } from '../../adapters/dynamo/link-store';
import { catalogStore, dispatchDeps, eventPublisher, linkLog, linkStore, sharingPolicy, sharingStore } from '../shared/deps';
import { countMetric } from '../shared/metrics';
import { streamBatchHandler } from '../shared/streams';

const log = linkLog();
const sharing = { sharing: sharingStore(), links: linkStore(), catalog: catalogStore(), policy: sharingPolicy() };
const announce = { events: eventPublisher(), dispatch: dispatchDeps() };

/**
 * Served downloads reach the link's log from the links table's stream: the
 * download itself made one write and nothing more. Each count increase is
 * one served download, with the requester the same write recorded. A whole
 * batch is written at once (entries are keyed by count, so a retry rewrites
 * the same lines). The same downloads feed each link's sharing signals
 * (core/sharing.ts), and a flag appearing on a link (absent → present) is
 * announced once as `LinkFlagged`.
 */
export const handler = streamBatchHandler<Record<string, unknown>>('link-log', async (changes) => {
  const entries: LinkLogEntry[] = [];
  const served: ServedDownload[] = [];
  const flagged: Link[] = [];
  for (const change of changes) {
    if (change.eventName !== 'MODIFY') continue;
    const oldItem = toLink(change.oldItem);
    const newItem = toLink(change.newItem);
    if (!oldItem || !newItem) continue;
    if (newItem.flaggedAt && !oldItem.flaggedAt) flagged.push(newItem);
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
    served.push({ link: newItem, at: newItem.lastDownloadAt, ip: newItem.lastIp, userAgent: newItem.lastUserAgent });
  }
  if (entries.length > 0) await log.record(entries);
  // One per served download (the download itself counts nothing: it is the hot path). A replayed batch counts again.
  countMetric('DownloadsServed', undefined, entries.length);
  // A flag written here comes back through the stream as its own change, and is announced from there.
  await trackSharing(sharing, served);
  for (const link of flagged) await announceLinkFlagged(announce, link);
});
