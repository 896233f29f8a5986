import { inBatches } from '../concurrency';
import type { Link } from '../link';
import type { CatalogStore, LinkStore, SharingStore } from '../ports';
import { emptyAggregate, evidenceAt, isOverThreshold, mergeObservations, type SharingAggregate, type SharingObservation, type SharingPolicy } from '../sharing';

export interface TrackSharingDeps {
  sharing: Pick<SharingStore, 'getMany' | 'save'>;
  links: Pick<LinkStore, 'flagShared'>;
  catalog: Pick<CatalogStore, 'getProducts'>;
  policy: SharingPolicy;
}

/** One served download as the links stream shows it: the link as the download left it, and who asked. */
export interface ServedDownload extends SharingObservation {
  link: Link;
}

/** Writes of one link's aggregate that may lose to a concurrent one before the batch gives up (and is retried). */
const SAVE_ATTEMPTS = 5;

// Key order is no part of a map's value (DynamoDB returns a map's keys in any order).
const sameEntries = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, seen]) => b[key] === seen);

const sameAggregate = (a: SharingAggregate, b: SharingAggregate) =>
  a.since === b.since && a.lastSeenAt === b.lastSeenAt && sameEntries(a.networks, b.networks) && sameEntries(a.userAgents, b.userAgents);

/**
 * Counts served downloads into each link's sharing aggregate (networks and
 * user agents, last seen) and flags a link that crosses the threshold: once
 * (the flag's write is conditional on there being none), and, where its
 * product says `suspendOnSharing`, suspended with it. Runs off the download's
 * path (the links stream); a replayed batch merges the same sightings again
 * and changes nothing. Returns the links whose flag is this batch's crossing
 * (flagged by this call, or by an earlier run of the same batch).
 */
export const trackSharing = async (deps: TrackSharingDeps, served: ServedDownload[]): Promise<Link[]> => {
  const byLink = new Map<string, ServedDownload[]>();
  for (const download of served) byLink.set(download.link.id, [...(byLink.get(download.link.id) ?? []), download]);
  const stored = await deps.sharing.getMany([...byLink.keys()]);
  const crossing: { link: Link; at: string; networks: number }[] = [];
  await inBatches([...byLink.values()], 8, async (downloads) => {
    // The latest image of the link in the batch knows its flag and its last reset best.
    const link = downloads.reduce((a, b) => (b.link.downloadCount > a.link.downloadCount ? b : a)).link;
    let aggregate = stored.get(link.id) ?? emptyAggregate(link.id);
    let merged = mergeObservations(aggregate, downloads, { since: link.sharingResetAt, policy: deps.policy });
    for (let attempt = 1; !sameAggregate(aggregate, merged); attempt++) {
      if (await deps.sharing.save(merged)) break;
      if (attempt >= SAVE_ATTEMPTS) throw new Error(`the sharing aggregate of link ${link.id} kept changing under this write`);
      aggregate = (await deps.sharing.getMany([link.id])).get(link.id) ?? emptyAggregate(link.id);
      merged = mergeObservations(aggregate, downloads, { since: link.sharingResetAt, policy: deps.policy });
    }
    if (link.flaggedAt || !merged.lastSeenAt) return;
    const evidence = evidenceAt(merged, merged.lastSeenAt, deps.policy);
    if (isOverThreshold(evidence, deps.policy)) crossing.push({ link, at: merged.lastSeenAt, networks: evidence.networks.length });
  });
  // The product's current setting decides: suspension is the shop's policy now, not a term the link was sold with.
  const products = await deps.catalog.getProducts([...new Set(crossing.map((c) => c.link.productId))]);
  const suspends = new Set(products.filter((p) => p.suspendOnSharing).map((p) => p.productId));
  const flagged: Link[] = [];
  await inBatches(crossing, 8, async ({ link, at, networks }) => {
    const after = await deps.links.flagShared(link.id, { at, networks, suspend: suspends.has(link.productId) });
    if (after?.flaggedAt === at) flagged.push(after);
  });
  return flagged;
};
