import type { LinkLogEntry } from '../../core/link-log';
import { chunk } from '../../core/concurrency';

const DAY_SECONDS = 86_400;

/** What BatchWriteItem did not take, for another try. */
export type WriteBatch = (requests: Record<string, unknown>[]) => Promise<Record<string, unknown>[]>;

/**
 * The link log's write, whichever client sends it (the SDK's document client,
 * or the download function's wire client): items with their TTL, 25 to a
 * batch, unprocessed items tried again with backoff.
 */
export const recordLogEntries = async (entries: LinkLogEntry[], retentionDays: number, write: WriteBatch): Promise<void> => {
  // BatchWriteItem takes 25 items; a batch may not name one key twice, so duplicates (a retried record) collapse first.
  const unique = [...new Map(entries.map((e) => [`${e.linkId}|${e.entryKey}`, e])).values()];
  for (const batch of chunk(unique, 25)) {
    let requests: Record<string, unknown>[] = batch.map((entry) => ({
      PutRequest: { Item: { ...entry, expiresAtEpoch: Math.floor(Date.parse(entry.at) / 1000) + retentionDays * DAY_SECONDS } },
    }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchWriteItem kept returning unprocessed items');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      requests = await write(requests);
    }
  }
};
