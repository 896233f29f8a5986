import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Sharing signals: how many client networks and user agents a link is
 * downloaded from. A link bought once and downloaded from many networks is
 * being shared. Counted from the link's log, asynchronously (the links
 * stream), never on the download's path.
 *
 * A network is the address's IPv4 /24 or IPv6 /48 (an IPv4-mapped IPv6
 * address is its IPv4): one household, office or mobile carrier's pool moves
 * within it, a friend elsewhere does not. A user agent is kept only as a short
 * hash: enough to count distinct ones, nothing to read back.
 */

export interface SharingPolicy {
  /** Downloads within this many days (before the latest one) count. */
  windowDays: number;
  /** A link is flagged when downloaded from more than this many networks within the window. */
  networkThreshold: number;
}

export const DEFAULT_SHARING_POLICY: SharingPolicy = { windowDays: 30, networkThreshold: 5 };

/** Networks and user agents kept per link at most (the most recently seen): the evidence, bounded. */
export const MAX_TRACKED_PER_LINK = 50;

const DAY_MS = 86_400_000;

/** The /24 of an IPv4 address, as `203.0.113.0/24`; null when it is not one. */
const ipv4Network = (address: string): string | null => {
  if (!isIPv4(address)) return null;
  const [a, b, c] = address.split('.').map(Number);
  return `${a}.${b}.${c}.0/24`;
};

/**
 * The eight 16-bit groups of an IPv6 address (zone id dropped, a dotted IPv4 tail converted). `isIPv6` has
 * checked the form: each group is one to four hex digits (either case, as `parseInt` reads them), a dotted tail
 * four bytes, and the groups with the ones `::` stands for are eight.
 */
const ipv6Groups = (address: string): number[] | null => {
  let text = address.split('%')[0] ?? '';
  if (!isIPv6(text)) return null;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
};

/**
 * The network an address belongs to: IPv4 /24 (`203.0.113.0/24`), IPv6 /48
 * (`2001:db8:1::/48`), an IPv4-mapped IPv6 address as its IPv4; null for
 * anything that is not an address.
 */
export const networkOf = (address: string | null | undefined): string | null => {
  const value = address?.trim();
  if (!value) return null;
  const v4 = ipv4Network(value);
  if (v4) return v4;
  const groups = ipv6Groups(value);
  if (!groups) return null;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.0/24`;
  return `${g0.toString(16)}:${g1.toString(16)}:${g2.toString(16)}::/48`;
};

/** A user agent as a short hash (12 base64url characters): distinct agents stay distinct, the string itself is not kept. */
export const userAgentFingerprint = (userAgent: string | null | undefined): string | null => {
  const value = userAgent?.trim();
  if (!value) return null;
  return createHash('sha256').update(value).digest('base64url').slice(0, 12);
};

/** One served download, as the sharing signals see it. */
export interface SharingObservation {
  at: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * A link's sharing aggregate: each network and user agent fingerprint with
 * when it was last seen. Merging the same downloads again changes nothing
 * (replays of the stream are harmless).
 */
export interface SharingAggregate {
  linkId: string;
  networks: Record<string, string>;
  userAgents: Record<string, string>;
  /** Downloads before this time no longer count (an operator reset the link's flag); null: none. */
  since: string | null;
  /** The latest download merged in. */
  lastSeenAt: string | null;
  /** The stored version (0: not stored yet); the store writes only over the version it read. */
  version: number;
}

export const emptyAggregate = (linkId: string): SharingAggregate => ({ linkId, networks: {}, userAgents: {}, since: null, lastSeenAt: null, version: 0 });

const later = (a: string | null | undefined, b: string | null | undefined): string | null => {
  if (!a) return b ?? null;
  if (!b) return a;
  return a >= b ? a : b;
};

/** Keeps entries seen at or after `from`, at most `max` of them, the most recent first (ties by key, so the result is deterministic). */
const prune = (entries: Record<string, string>, from: string | null, max: number): Record<string, string> =>
  Object.fromEntries(
    Object.entries(entries)
      .filter(([, seen]) => !from || seen >= from)
      .sort(([ka, a], [kb, b]) => (a === b ? (ka < kb ? -1 : 1) : a > b ? -1 : 1))
      .slice(0, max),
  );

const windowStart = (at: string, policy: SharingPolicy): string => new Date(Date.parse(at) - policy.windowDays * DAY_MS).toISOString();

/**
 * The aggregate with these downloads merged in: each network and user agent's
 * last sighting is the latest of the two, entries before `since` (the link's
 * last sharing reset) or outside the window before the latest download are
 * dropped, and at most `MAX_TRACKED_PER_LINK` of each are kept.
 */
export const mergeObservations = (
  aggregate: SharingAggregate,
  observations: SharingObservation[],
  options: { since: string | null; policy: SharingPolicy },
): SharingAggregate => {
  const since = later(aggregate.since, options.since);
  const networks = { ...aggregate.networks };
  const userAgents = { ...aggregate.userAgents };
  let lastSeenAt = aggregate.lastSeenAt;
  for (const seen of observations) {
    if (since && seen.at < since) continue;
    lastSeenAt = later(lastSeenAt, seen.at);
    const network = networkOf(seen.ip);
    if (network) networks[network] = later(networks[network], seen.at) as string;
    const agent = userAgentFingerprint(seen.userAgent);
    if (agent) userAgents[agent] = later(userAgents[agent], seen.at) as string;
  }
  const from = later(since, lastSeenAt ? windowStart(lastSeenAt, options.policy) : null);
  return {
    linkId: aggregate.linkId,
    networks: prune(networks, from, MAX_TRACKED_PER_LINK),
    userAgents: prune(userAgents, from, MAX_TRACKED_PER_LINK),
    since,
    lastSeenAt,
    version: aggregate.version,
  };
};

/** The evidence: each network seen within the window before `at`, most recent first. */
export interface SharingEvidence {
  networks: { network: string; lastSeenAt: string }[];
  userAgents: number;
}

export const evidenceAt = (aggregate: SharingAggregate | undefined, at: string, policy: SharingPolicy): SharingEvidence => {
  if (!aggregate) return { networks: [], userAgents: 0 };
  const from = later(aggregate.since, windowStart(at, policy)) as string;
  const within = (entries: Record<string, string>) => Object.entries(prune(entries, from, MAX_TRACKED_PER_LINK)).filter(([, seen]) => seen <= at);
  return {
    networks: within(aggregate.networks).map(([network, lastSeenAt]) => ({ network, lastSeenAt })),
    userAgents: within(aggregate.userAgents).length,
  };
};

/** The threshold rule: more distinct networks within the window than the policy allows. */
export const isOverThreshold = (evidence: Pick<SharingEvidence, 'networks'>, policy: SharingPolicy): boolean =>
  evidence.networks.length > policy.networkThreshold;

/** What an operator sees of a link's sharing (contract: `sharing: { networks, userAgents, flagged }`), with the evidence. */
export interface SharingView {
  /** Distinct networks within the window, up to now. */
  networks: number;
  userAgents: number;
  flagged: boolean;
  flaggedUtc: string | null;
  /** Networks counted when it was flagged. */
  flaggedNetworks: number | null;
  /** Refused until an operator resets it (the product's `suspendOnSharing`). */
  suspended: boolean;
  /** Each network within the window and when it was last seen, most recent first. */
  evidence: { network: string; lastSeenUtc: string }[];
}

const publicTime = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

export const sharingViewOf = (
  link: { flaggedAt: string | null; flaggedNetworks: number | null; sharingSuspendedAt: string | null; sharingResetAt: string | null },
  aggregate: SharingAggregate | undefined,
  now: string,
  policy: SharingPolicy,
): SharingView => {
  // Downloads before the last reset no longer count, even if the aggregate has not seen a download since.
  const since = later(aggregate?.since, link.sharingResetAt);
  const evidence = evidenceAt(aggregate && { ...aggregate, since }, now, policy);
  return {
    networks: evidence.networks.length,
    userAgents: evidence.userAgents,
    flagged: link.flaggedAt !== null,
    flaggedUtc: link.flaggedAt && publicTime(link.flaggedAt),
    flaggedNetworks: link.flaggedNetworks,
    suspended: link.sharingSuspendedAt !== null,
    evidence: evidence.networks.map((n) => ({ network: n.network, lastSeenUtc: publicTime(n.lastSeenAt) })),
  };
};
