import { toLicense } from '../../adapters/dynamo/license-store';
import { type LicenseEvent, type LicenseLogEntry, licenseLogEntryOf } from '../../core/license';
import { licenseLog } from '../shared/deps';
import { streamBatchHandler } from '../shared/streams';

const log = licenseLog();

/**
 * A key's log comes from the licenses table's stream: the activation API made
 * one write (with `lastEvent` and a new `rev`) and nothing more. Entries are
 * keyed by the revision, so a replayed batch rewrites the same lines.
 */
export const handler = streamBatchHandler<Record<string, unknown>>('license-log', async (changes) => {
  const entries: LicenseLogEntry[] = [];
  for (const { oldItem, newItem } of changes) {
    // Slots (which key a unit bought got) and removals have no log.
    if (!newItem || !toLicense(newItem)) continue;
    const rev = Number(newItem.rev ?? 0);
    if (!(rev > Number(oldItem?.rev ?? 0))) continue;
    const event = newItem.lastEvent as LicenseEvent | undefined;
    if (!event || typeof event.kind !== 'string' || typeof event.at !== 'string') continue;
    entries.push(licenseLogEntryOf(String(newItem.key), rev, event));
  }
  if (entries.length > 0) await log.record(entries);
});
