import { describe, expect, it } from 'vitest';
import { dispatchIdOf } from '../../core/dispatch';
import type { Link } from '../../core/link';
import { applyProductSettings } from '../../core/product';
import {
  DEFAULT_SHARING_POLICY,
  emptyAggregate,
  evidenceAt,
  isOverThreshold,
  MAX_TRACKED_PER_LINK,
  mergeObservations,
  networkOf,
  sharingViewOf,
  userAgentFingerprint,
} from '../../core/sharing';
import { announceLinkFlagged } from '../../core/use-cases/announce-link-flagged';
import { type ServedDownload, trackSharing } from '../../core/use-cases/track-sharing';
import { downloadFile } from '../../core/use-cases/download-file';
import { listCustomerDownloads, listCustomerDownloadsForOperator } from '../../core/use-cases/list-downloads';
import { readLinkLog, resetCustomerLinks, resetLink } from '../../core/use-cases/manage-links';
import { LinkSigner } from '../../core/link-signer';
import {
  FakeCatalogStore,
  FakeDispatchLedger,
  FakeFileStorage,
  FakeInvoiceStore,
  FakeKeySource,
  FakeLinkLog,
  FakeLinkStore,
  FakePublisher,
  FakeSharingStore,
  fakeTime,
} from '../support/fakes';
import { aLink } from '../support/links';

const DAY = 86_400_000;
const T0 = '2026-06-01T12:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const policy = DEFAULT_SHARING_POLICY;

describe('the network of an address', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['10.0.0.1', '10.0.0.0/24'],
    [' 192.168.1.255 ', '192.168.1.0/24'],
    ['2001:db8:1234:5678::1', '2001:db8:1234::/48'],
    ['2001:0DB8:0001:ffff:0:0:0:1', '2001:db8:1::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
    ['::ffff:198.51.100.7', '198.51.100.0/24'],
    ['::ffff:198.51.100.77', '198.51.100.0/24'],
    ['::ffff:c633:6407', '198.51.100.0/24'],
    ['64:ff9b::198.51.100.7', '64:ff9b:0::/48'],
    // An IPv4 address only when all five groups before ffff are 0.
    ['1::ffff:c633:6407', '1:0:0::/48'],
    ['0:1::ffff:c633:6407', '0:1:0::/48'],
    ['0:0:1::ffff:c633:6407', '0:0:1::/48'],
    ['0:0:0:1:0:ffff:c633:6407', '0:0:0::/48'],
    ['0:0:0:0:1:ffff:c633:6407', '0:0:0::/48'],
    ['::ffff:0:c633:6407', '0:0:0::/48'],
    ['0::ffff:c633:6407', '198.51.100.0/24'],
    ['1:2:3:4:5:6:7::', '1:2:3::/48'],
  ])('%s is in %s', (address, network) => {
    expect(networkOf(address)).toBe(network);
  });

  it.each([null, undefined, '', 'unknown', '256.1.1.1', '1.2.3', '01.2.3.4', '2001:db8::g', '1::2::3', '203.0.113.7, 10.0.0.1'])(
    '%s is no network',
    (address) => {
      expect(networkOf(address)).toBeNull();
    },
  );

  it('puts addresses of one /24 (or /48) together and their neighbours apart', () => {
    expect(networkOf('203.0.113.1')).toBe(networkOf('203.0.113.254'));
    expect(networkOf('203.0.113.1')).not.toBe(networkOf('203.0.114.1'));
    expect(networkOf('2001:db8:1:1::1')).toBe(networkOf('2001:db8:1:ffff::2'));
    expect(networkOf('2001:db8:1::1')).not.toBe(networkOf('2001:db8:2::1'));
  });
});

describe('the user agent fingerprint', () => {
  it('is a short hash: the same agent alike, another agent different, the string itself not kept', () => {
    const firefox = userAgentFingerprint('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
    expect(firefox).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(userAgentFingerprint(' Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 ')).toBe(firefox);
    expect(userAgentFingerprint('curl/8.5.0')).not.toBe(firefox);
    expect(firefox).not.toContain('Mozilla');
    expect(userAgentFingerprint(null)).toBeNull();
    expect(userAgentFingerprint('   ')).toBeNull();
  });
});

describe('a link’s sharing aggregate', () => {
  const seen = (minutes: number, ip: string | null, userAgent: string | null = 'ua-1') => ({ at: at(minutes), ip, userAgent });

  it('counts distinct networks and agents, and is flagged only above the threshold', () => {
    // Prepare
    const five = [1, 2, 3, 4, 5].map((n) => seen(n, `198.51.${n}.9`));
    const sixth = seen(6, '198.51.6.9', 'ua-2');

    // Act
    const atFive = mergeObservations(emptyAggregate('L'), five, { since: null, policy });
    const atSix = mergeObservations(atFive, [sixth], { since: null, policy });

    // Assess
    expect(isOverThreshold(evidenceAt(atFive, at(5), policy), policy)).toBe(false);
    const evidence = evidenceAt(atSix, at(6), policy);
    expect(evidence.networks).toHaveLength(6);
    expect(evidence.networks[0]).toEqual({ network: '198.51.6.0/24', lastSeenAt: at(6) });
    expect(evidence.userAgents).toBe(2);
    expect(isOverThreshold(evidence, policy)).toBe(true);
  });

  it('counts many downloads from one network once', () => {
    const aggregate = mergeObservations(
      emptyAggregate('L'),
      Array.from({ length: 20 }, (_, n) => seen(n, `203.0.113.${n + 1}`)),
      { since: null, policy },
    );
    expect(evidenceAt(aggregate, at(30), policy).networks).toEqual([{ network: '203.0.113.0/24', lastSeenAt: at(19) }]);
  });

  it('changes nothing when the same downloads are merged again, in any order', () => {
    const downloads = [seen(1, '198.51.1.1'), seen(2, '198.51.2.1'), seen(3, '198.51.1.7', 'ua-2')];
    const once = mergeObservations(emptyAggregate('L'), downloads, { since: null, policy });
    expect(mergeObservations(once, downloads, { since: null, policy })).toEqual(once);
    expect(mergeObservations(once, [...downloads].reverse(), { since: null, policy })).toEqual(once);
    expect(once.networks['198.51.1.0/24']).toBe(at(3));
  });

  it('forgets networks seen longer ago than the window before the latest download', () => {
    // Prepare
    const old = mergeObservations(
      emptyAggregate('L'),
      [1, 2, 3, 4, 5].map((n) => seen(n, `198.51.${n}.1`)),
      { since: null, policy },
    );
    const monthLater = (31 * DAY) / 60_000;

    // Act
    const later = mergeObservations(old, [seen(monthLater, '198.51.9.1')], { since: null, policy });

    // Assess
    expect(Object.keys(later.networks)).toEqual(['198.51.9.0/24']);
    expect(evidenceAt(old, at(monthLater), policy).networks).toEqual([]);
  });

  it('ignores downloads before a reset and drops what was seen before it', () => {
    const before = mergeObservations(emptyAggregate('L'), [seen(1, '198.51.1.1'), seen(2, '198.51.2.1')], { since: null, policy });
    const after = mergeObservations(before, [seen(1, '198.51.3.1'), seen(10, '198.51.4.1')], { since: at(5), policy });
    expect(Object.keys(after.networks)).toEqual(['198.51.4.0/24']);
    expect(after.since).toBe(at(5));
  });

  it('keeps the reset it already knows when the link names none, and ignores the downloads before it', () => {
    // Act
    const merged = mergeObservations({ ...emptyAggregate('L'), since: at(5) }, [seen(1, '198.51.1.1'), seen(6, '198.51.6.1')], { since: null, policy });

    // Assess
    expect(merged).toMatchObject({ since: at(5), lastSeenAt: at(6) });
    expect(merged.networks).toEqual({ '198.51.6.0/24': at(6) });
  });

  it('downloads older than the reset change nothing, not even the time of the latest download', () => {
    // Prepare
    const reset = { ...emptyAggregate('L'), since: at(5) };

    // Act
    const merged = mergeObservations(reset, [seen(1, '198.51.1.1'), seen(2, '198.51.2.1')], { since: null, policy });

    // Assess
    expect(merged).toEqual(reset);
  });

  it('counts a download made at the very time of the reset', () => {
    // Act
    const after = mergeObservations(emptyAggregate('L'), [seen(5, '198.51.5.1'), seen(4, '198.51.4.1')], { since: at(5), policy });

    // Assess
    expect(after.networks).toEqual({ '198.51.5.0/24': at(5) });
    expect(evidenceAt(after, at(5), policy).networks).toEqual([{ network: '198.51.5.0/24', lastSeenAt: at(5) }]);
  });

  it('keeps a network last seen exactly one window before the latest download', () => {
    // Prepare
    const windowMinutes = (policy.windowDays * DAY) / 60_000;

    // Act
    const aggregate = mergeObservations(emptyAggregate('L'), [seen(0, '198.51.1.1'), seen(windowMinutes, '198.51.2.1')], { since: null, policy });

    // Assess
    expect(Object.keys(aggregate.networks)).toEqual(['198.51.2.0/24', '198.51.1.0/24']);
  });

  it('lists networks seen at the same time by their name, and leaves out downloads after the time asked about', () => {
    // Prepare
    const aggregate = mergeObservations(
      emptyAggregate('L'),
      [seen(1, '198.51.3.1'), seen(1, '198.51.1.1'), seen(1, '198.51.2.1'), seen(9, '198.51.9.1', 'ua-9')],
      { since: null, policy },
    );

    // Act
    const evidence = evidenceAt(aggregate, at(2), policy);

    // Assess
    expect(evidence.networks.map((n) => n.network)).toEqual(['198.51.1.0/24', '198.51.2.0/24', '198.51.3.0/24']);
    expect(evidence.userAgents).toBe(1);
  });

  it('merging no downloads changes nothing, and the stored version is kept', () => {
    // Prepare
    const stored = { ...mergeObservations(emptyAggregate('L'), [seen(1, '198.51.1.1')], { since: null, policy }), version: 3 };

    // Assess
    expect(mergeObservations(emptyAggregate('L'), [], { since: null, policy })).toEqual(emptyAggregate('L'));
    expect(mergeObservations(stored, [], { since: null, policy })).toEqual(stored);
  });

  it('keeps at most MAX_TRACKED_PER_LINK networks and agents, the most recent', () => {
    const many = Array.from({ length: MAX_TRACKED_PER_LINK + 10 }, (_, n) => seen(n, `10.${Math.floor(n / 200)}.${n % 200}.1`, `agent-${n}`));
    const aggregate = mergeObservations(emptyAggregate('L'), many, { since: null, policy });
    expect(Object.keys(aggregate.networks)).toHaveLength(MAX_TRACKED_PER_LINK);
    expect(Object.keys(aggregate.userAgents)).toHaveLength(MAX_TRACKED_PER_LINK);
    expect(aggregate.networks['10.0.0.0/24']).toBeUndefined();
    expect(aggregate.networks[`10.0.${MAX_TRACKED_PER_LINK + 9}.0/24`]).toBe(at(MAX_TRACKED_PER_LINK + 9));
  });

  it('skips addresses that are no address and missing agents, but still counts the download', () => {
    const aggregate = mergeObservations(emptyAggregate('L'), [seen(1, 'garbage', null), seen(2, null, '')], { since: null, policy });
    expect(aggregate).toEqual({ ...emptyAggregate('L'), lastSeenAt: at(2) });
  });

  it('shows an operator the counts, the flag and the evidence in public times; a reset newer than the aggregate hides what came before', () => {
    const aggregate = mergeObservations(emptyAggregate('L'), [seen(1, '198.51.1.1'), seen(2, '198.51.2.1')], { since: null, policy });
    const flagged = { flaggedAt: at(2), flaggedNetworks: 6, sharingSuspendedAt: at(2), sharingResetAt: null };
    expect(sharingViewOf(flagged, aggregate, at(3), policy)).toEqual({
      networks: 2,
      userAgents: 1,
      flagged: true,
      flaggedUtc: at(2).replace('.000Z', 'Z'),
      flaggedNetworks: 6,
      suspended: true,
      evidence: [
        { network: '198.51.2.0/24', lastSeenUtc: at(2).replace('.000Z', 'Z') },
        { network: '198.51.1.0/24', lastSeenUtc: at(1).replace('.000Z', 'Z') },
      ],
    });
    const reset = { flaggedAt: null, flaggedNetworks: null, sharingSuspendedAt: null, sharingResetAt: at(3) };
    expect(sharingViewOf(reset, aggregate, at(4), policy)).toMatchObject({ networks: 0, flagged: false, suspended: false, evidence: [] });
    expect(sharingViewOf(reset, undefined, at(4), policy)).toMatchObject({ networks: 0, userAgents: 0 });
  });
});

const setup = async (options: { suspendOnSharing?: boolean; link?: Partial<Link> } = {}) => {
  const links = new FakeLinkStore();
  const link = aLink({ productId: 'ebook', downloadCount: 0, expiresAt: null, maxDownloads: 0, ...options.link });
  await links.createMissing([link]);
  const catalog = new FakeCatalogStore();
  const product = applyProductSettings('ebook', { suspendOnSharing: options.suspendOnSharing ?? false }, undefined, { now: T0, by: 'op' });
  await catalog.saveProduct(product, 'absent');
  const sharing = new FakeSharingStore();
  const deps = { sharing, links, catalog, policy };
  /** Downloads as the links stream shows them: each with the link as that download left it. */
  const served = (networks: number[], from = 0): ServedDownload[] =>
    networks.map((n, i) => ({
      link: { ...link, downloadCount: from + i + 1 },
      at: at(from + i + 1),
      ip: `198.51.${n}.10`,
      userAgent: `Reader/${n}`,
    }));
  return { links, catalog, sharing, deps, link, served };
};

describe('tracking sharing from served downloads', () => {
  it('flags a link once it is downloaded from more than 5 networks, once, and suspends nothing by default', async () => {
    // Prepare
    const s = await setup();

    // Act
    const atFive = await trackSharing(s.deps, s.served([1, 2, 3, 4, 5]));
    const atSix = await trackSharing(s.deps, s.served([6], 5));
    const atSeven = await trackSharing(s.deps, s.served([7], 6));

    // Assess
    expect(atFive).toEqual([]);
    expect(atSix.map((l) => l.id)).toEqual([s.link.id]);
    expect(atSeven).toEqual([]);
    const stored = await s.links.get(s.link.id);
    expect(stored).toMatchObject({ flaggedAt: at(6), flaggedNetworks: 6, sharingSuspendedAt: null });
    expect(Object.keys(s.sharing.aggregates.get(s.link.id)?.networks ?? {})).toHaveLength(7);
  });

  it('keeps a download that arrives after a later one: a new network, and a known network seen again more recently', async () => {
    // Prepare: networks 1 (minute 1) and 2 (minute 10), then downloads of minutes 5 and 7 come late.
    const s = await setup();
    const download = (minute: number, n: number): ServedDownload => ({
      link: { ...s.link, downloadCount: minute },
      at: at(minute),
      ip: `198.51.${n}.10`,
      userAgent: `Reader/${n}`,
    });
    await trackSharing(s.deps, [download(1, 1), download(10, 2)]);
    const seenTimes = () => ({
      networks: Object.values(s.sharing.aggregates.get(s.link.id)?.networks ?? {}).sort(),
      userAgents: Object.values(s.sharing.aggregates.get(s.link.id)?.userAgents ?? {}).sort(),
      lastSeenAt: s.sharing.aggregates.get(s.link.id)?.lastSeenAt,
    });

    // Act
    await trackSharing(s.deps, [download(5, 3)]);
    const withNewNetwork = seenTimes();
    await trackSharing(s.deps, [download(7, 1)]);
    const withKnownNetwork = seenTimes();

    // Assess: the latest download stays minute 10 throughout, and each late sighting is saved all the same.
    expect(withNewNetwork).toEqual({ networks: [at(1), at(5), at(10)], userAgents: [at(1), at(5), at(10)], lastSeenAt: at(10) });
    expect(withKnownNetwork).toEqual({ networks: [at(5), at(7), at(10)], userAgents: [at(5), at(7), at(10)], lastSeenAt: at(10) });
  });

  it('saves the time of a download with neither address nor agent: the window is measured from it', async () => {
    // Prepare
    const s = await setup();
    await trackSharing(s.deps, [{ link: { ...s.link, downloadCount: 1 }, at: at(1), ip: '198.51.1.10', userAgent: 'Reader/1' }]);

    // Act
    await trackSharing(s.deps, [{ link: { ...s.link, downloadCount: 2 }, at: at(9), ip: null, userAgent: null }]);

    // Assess
    expect(s.sharing.aggregates.get(s.link.id)).toMatchObject({ lastSeenAt: at(9), networks: { [networkOf('198.51.1.10') as string]: at(1) } });
  });

  it('suspends the flagged link when its product says suspendOnSharing', async () => {
    const s = await setup({ suspendOnSharing: true });
    await trackSharing(s.deps, s.served([1, 2, 3, 4, 5, 6]));
    expect(await s.links.get(s.link.id)).toMatchObject({ flaggedAt: at(6), sharingSuspendedAt: at(6) });
  });

  it('changes nothing when a batch is replayed: no second write, no second flag', async () => {
    // Prepare
    const s = await setup();
    const batch = s.served([1, 2, 3, 4, 5, 6]);
    await trackSharing(s.deps, batch);
    const saves = s.sharing.saves;
    const flaggedAt = (await s.links.get(s.link.id))?.flaggedAt;

    // Act
    await trackSharing(s.deps, batch);

    // Assess
    expect(s.sharing.saves).toBe(saves);
    expect((await s.links.get(s.link.id))?.flaggedAt).toBe(flaggedAt);
  });

  it('writes nothing for a replay when the store hands the maps back in another key order', async () => {
    // Prepare
    const s = await setup();
    const batch = s.served([1, 2, 3]);
    await trackSharing(s.deps, batch);
    const stored = s.sharing.aggregates.get(s.link.id);
    if (!stored) throw new Error('no aggregate stored');
    const reversed = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).reverse());
    s.sharing.aggregates.set(s.link.id, { ...stored, networks: reversed(stored.networks), userAgents: reversed(stored.userAgents) });
    const saves = s.sharing.saves;

    // Act
    await trackSharing(s.deps, batch);

    // Assess
    expect(s.sharing.saves).toBe(saves);
  });

  it('reads the aggregate again and merges when a concurrent write came first', async () => {
    const s = await setup();
    s.sharing.loseNext = 2;
    await trackSharing(s.deps, s.served([1, 2]));
    expect(Object.keys(s.sharing.aggregates.get(s.link.id)?.networks ?? {})).toHaveLength(2);
  });

  it('does not flag again a link reset after the crossing (a replay of downloads older than the reset)', async () => {
    // Prepare
    const s = await setup();
    const batch = s.served([1, 2, 3, 4, 5, 6]);
    await trackSharing(s.deps, batch);
    await s.links.clearSharingFlag(s.link.id, { flaggedAt: at(6), at: at(10) });

    // Act
    await trackSharing(s.deps, batch);

    // Assess
    expect(await s.links.get(s.link.id)).toMatchObject({ flaggedAt: null, sharingResetAt: at(10) });
  });

  it('counts only downloads after a reset towards the next flag', async () => {
    const s = await setup({ link: { sharingResetAt: at(0.5) } });
    await s.sharing.save({ ...emptyAggregate(s.link.id), networks: { '10.1.1.0/24': at(0), '10.1.2.0/24': at(0) }, lastSeenAt: at(0) });
    await trackSharing(s.deps, s.served([1, 2, 3, 4]));
    expect((await s.links.get(s.link.id))?.flaggedAt).toBeNull();
    await trackSharing(s.deps, s.served([5, 6], 4));
    expect((await s.links.get(s.link.id))?.flaggedAt).toBe(at(6));
  });
});

describe('tracking sharing: the batch, concurrent writers and many links', () => {
  it('does nothing for an empty batch', async () => {
    const s = await setup();
    expect(await trackSharing(s.deps, [])).toEqual([]);
    expect(s.sharing.saves).toBe(0);
  });

  it('takes the reset from the latest image of the link in the batch, in whatever order the batch lists them', async () => {
    // Prepare: an operator reset the link between its third and fourth download; downloads 1-3 no longer count.
    const s = await setup();
    const downloads = s.served([1, 2, 3, 4, 5, 6]).map((d, i) => (i >= 3 ? { ...d, link: { ...d.link, sharingResetAt: at(3.5) } } : d));
    const shuffled = [0, 5, 1, 3, 4, 2].map((i) => downloads[i] as ServedDownload);

    // Act
    const flagged = await trackSharing(s.deps, shuffled);

    // Assess
    expect(flagged).toEqual([]);
    expect(s.sharing.aggregates.get(s.link.id)).toMatchObject({ since: at(3.5), lastSeenAt: at(6) });
    expect(Object.keys(s.sharing.aggregates.get(s.link.id)?.networks ?? {}).sort()).toEqual(['198.51.4.0/24', '198.51.5.0/24', '198.51.6.0/24']);
  });

  it('does not flag a link whose latest image in the batch is flagged already', async () => {
    // Prepare
    const s = await setup();
    const batch = s.served([1, 2, 3, 4, 5, 6]);
    const last = batch.at(-1) as ServedDownload;
    batch[batch.length - 1] = { ...last, link: { ...last.link, flaggedAt: at(0.5), flaggedNetworks: 6 } };

    // Act
    const flagged = await trackSharing(s.deps, batch);

    // Assess
    expect(flagged).toEqual([]);
    expect((await s.links.get(s.link.id))?.flaggedAt).toBeNull();
    expect(Object.keys(s.sharing.aggregates.get(s.link.id)?.networks ?? {})).toHaveLength(6);
  });

  it('counts nothing and flags nothing for a batch wholly before the link’s reset, and records the reset', async () => {
    const s = await setup({ link: { sharingResetAt: at(100) } });
    const flagged = await trackSharing(s.deps, s.served([1, 2, 3, 4, 5, 6]));
    expect(flagged).toEqual([]);
    expect(s.sharing.aggregates.get(s.link.id)).toMatchObject({ networks: {}, userAgents: {}, since: at(100), lastSeenAt: null });
    expect((await s.links.get(s.link.id))?.flaggedAt).toBeNull();
  });

  it('merges a concurrent batch’s sightings: together they cross the threshold', async () => {
    // Prepare: another batch of the same link writes networks 1-3 between this batch's read and its write.
    const s = await setup();
    const other = s.served([1, 2, 3]);
    const save = s.sharing.save.bind(s.sharing);
    let raced = false;
    s.sharing.save = async (aggregate) => {
      if (!raced) {
        raced = true;
        await save(mergeObservations(emptyAggregate(s.link.id), other, { since: null, policy }));
      }
      return save(aggregate);
    };

    // Act
    const flagged = await trackSharing(s.deps, s.served([4, 5, 6], 3));

    // Assess
    expect(flagged.map((l) => l.id)).toEqual([s.link.id]);
    expect(Object.keys(s.sharing.aggregates.get(s.link.id)?.networks ?? {})).toHaveLength(6);
    expect(await s.links.get(s.link.id)).toMatchObject({ flaggedAt: at(6), flaggedNetworks: 6 });
  });

  it('tries its write five times against concurrent writers, then fails the batch (to be retried)', async () => {
    // Prepare
    const fourLost = await setup();
    fourLost.sharing.loseNext = 4;
    const fiveLost = await setup();
    fiveLost.sharing.loseNext = 5;

    // Act
    const saved = await trackSharing(fourLost.deps, fourLost.served([1, 2]));
    const failed = trackSharing(fiveLost.deps, fiveLost.served([1, 2]));

    // Assess
    expect(saved).toEqual([]);
    expect(Object.keys(fourLost.sharing.aggregates.get(fourLost.link.id)?.networks ?? {})).toHaveLength(2);
    await expect(failed).rejects.toThrow(`the sharing aggregate of link ${fiveLost.link.id} kept changing under this write`);
    expect(fiveLost.sharing.aggregates.size).toBe(0);
  });

  it('tracks each link of a batch apart, suspending only the links of products that say so, and returns the links it flagged', async () => {
    // Prepare: twelve links (more than are worked at once), half of a product that suspends on sharing.
    const s = await setup();
    await s.catalog.saveProduct(applyProductSettings('course', { suspendOnSharing: true }, undefined, { now: T0, by: 'op' }), 'absent');
    const links = Array.from({ length: 12 }, (_, i) =>
      aLink({ id: `L${String(i).padStart(21, '0')}`, productId: i % 2 ? 'course' : 'ebook', downloadCount: 0, expiresAt: null, maxDownloads: 0 }),
    );
    await s.links.createMissing(links);
    const served = links.flatMap((link, i) =>
      [1, 2, 3, 4, 5, 6].slice(0, i < 10 ? 6 : 5).map((n) => ({ link: { ...link, downloadCount: n }, at: at(n), ip: `198.51.${n}.${i}`, userAgent: 'Reader' })),
    );

    // Act
    const flagged = await trackSharing(s.deps, served);

    // Assess
    expect(flagged.map((l) => l.id).sort()).toEqual(links.slice(0, 10).map((l) => l.id));
    for (const [i, link] of links.entries()) {
      const stored = await s.links.get(link.id);
      expect(stored?.flaggedAt).toBe(i < 10 ? at(6) : null);
      expect(stored?.sharingSuspendedAt).toBe(i < 10 && i % 2 ? at(6) : null);
    }
    expect(s.sharing.aggregates.size).toBe(12);
  });

  it('returns a link flagged by an earlier run of the same batch, not one flagged by another crossing', async () => {
    // Prepare: the first run flagged the link and died before it returned; another link was flagged earlier by another batch.
    const s = await setup();
    const batch = s.served([1, 2, 3, 4, 5, 6]);
    await s.links.flagShared(s.link.id, { at: at(6), networks: 6, suspend: false });
    const other = aLink({ id: 'OOOOOOOOOOOOOOOOOOOOOO', productId: 'ebook', downloadCount: 0, expiresAt: null, maxDownloads: 0 });
    await s.links.createMissing([other]);
    await s.links.flagShared(other.id, { at: at(1), networks: 6, suspend: false });
    const otherBatch = [1, 2, 3, 4, 5, 6].map((n) => ({ link: { ...other, downloadCount: n }, at: at(n), ip: `203.0.${n}.1`, userAgent: null }));

    // Act
    const flagged = await trackSharing(s.deps, [...batch, ...otherBatch]);

    // Assess
    expect(flagged.map((l) => l.id)).toEqual([s.link.id]);
    expect((await s.links.get(other.id))?.flaggedAt).toBe(at(1));
  });
});

describe('announcing a flag', () => {
  it('publishes one LinkFlagged per flag, however often it is announced', async () => {
    // Prepare
    const events = new FakePublisher();
    const ledger = new FakeDispatchLedger();
    const deps = { events, dispatch: { ledger, ...fakeTime() } };
    const flagged = aLink({ flaggedAt: at(6), flaggedNetworks: 6, sharingSuspendedAt: at(6) });

    // Act
    const first = await announceLinkFlagged(deps, flagged);
    const second = await announceLinkFlagged(deps, flagged);
    const unflagged = await announceLinkFlagged(deps, aLink());
    const again = await announceLinkFlagged(deps, { ...flagged, flaggedAt: at(60) });

    // Assess
    expect([first, second, unflagged, again]).toEqual(['sent', 'already-sent', 'not-flagged', 'sent']);
    expect(events.published.map((e) => e.detailType)).toEqual(['LinkFlagged', 'LinkFlagged']);
    expect(events.published[0]?.detail).toEqual({
      linkId: flagged.id,
      customerId: flagged.customerId,
      networks: 6,
      invoiceId: flagged.invoiceId,
      productId: flagged.productId,
      flaggedAt: at(6),
      suspended: true,
    });
    expect(ledger.items.has(dispatchIdOf(`LinkFlagged#${flagged.id}#${at(6)}`))).toBe(true);
  });

  it('says a flagged link whose product does not suspend is not suspended', async () => {
    // Prepare
    const events = new FakePublisher();
    const deps = { events, dispatch: { ledger: new FakeDispatchLedger(), ...fakeTime() } };

    // Act
    await announceLinkFlagged(deps, aLink({ flaggedAt: at(6), flaggedNetworks: 6, sharingSuspendedAt: null }));

    // Assess
    expect(events.published[0]?.detail).toMatchObject({ networks: 6, suspended: false });
  });
});

describe('a download of a link suspended for sharing', () => {
  it('is refused with LINK_SUSPENDED_SHARING, counts nothing, and is logged', async () => {
    // Prepare
    const links = new FakeLinkStore();
    await links.createMissing([aLink({ sharingSuspendedAt: at(1), flaggedAt: at(1), expiresAt: null, downloadCount: 0 })]);
    const signer = new LinkSigner(new FakeKeySource());
    const linkLog = new FakeLinkLog();
    const deps = { signer, links, storage: new FakeFileStorage(), presignedUrlTtlSeconds: 120, linkLog };
    const token = await signer.sign(aLink().id);

    // Act
    const refused = downloadFile(deps, { token, customerId: 'cust-1', now: at(2), requester: { ip: '203.0.113.9', userAgent: 'ua' } });

    // Assess
    await expect(refused).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'LINK_SUSPENDED_SHARING',
      message: 'This download link was suspended because it was downloaded from many networks; the shop can restore it.',
    });
    expect((await links.get(aLink().id))?.downloadCount).toBe(0);
    expect([...linkLog.entries.values()].map((e) => e.outcome)).toEqual(['LINK_SUSPENDED_SHARING']);
  });
});

describe('the Download Manager and sharing', () => {
  const manager = async (link: Partial<Link>) => {
    const links = new FakeLinkStore();
    await links.createMissing([aLink({ expiresAt: null, ...link })]);
    const sharing = new FakeSharingStore();
    await sharing.save({
      ...emptyAggregate(aLink().id),
      networks: { '198.51.1.0/24': at(1), '198.51.2.0/24': at(2) },
      userAgents: { x: at(2) },
      lastSeenAt: at(2),
    });
    const linkLog = new FakeLinkLog();
    const deps = {
      links,
      invoices: new FakeInvoiceStore(),
      linkLog,
      signer: new LinkSigner(new FakeKeySource()),
      publicBaseUrl: 'https://shop.example.com',
      sharing: { store: sharing, policy },
    };
    return { links, sharing, linkLog, deps };
  };
  const operator = { sub: 'op-7', now: at(5) };

  it("shows each link's sharing signals and the customer's resets in the operator's view, never in the customer's", async () => {
    const s = await manager({ flaggedAt: at(2), flaggedNetworks: 6 });
    const view = await listCustomerDownloadsForOperator(s.deps, 'cust-1', { limit: 10 }, at(3));
    expect(view.customer).toEqual({ customerId: 'cust-1', resets: 0 });
    expect(view.items[0]?.sharing).toMatchObject({ networks: 2, userAgents: 1, flagged: true, flaggedNetworks: 6 });
    const mine = await listCustomerDownloads(s.deps, 'cust-1', { limit: 10 }, at(3));
    expect(mine.items[0]).not.toHaveProperty('sharing');
  });

  it('a reset lifts the flag and the suspension, logs it with the operator, counts it for the customer, and forgets the networks before it', async () => {
    // Prepare
    const s = await manager({ flaggedAt: at(2), flaggedNetworks: 6, sharingSuspendedAt: at(2), status: 'active' });

    // Act
    const view = await resetLink(s.deps, aLink().id, {}, operator);
    const listed = await listCustomerDownloadsForOperator(s.deps, 'cust-1', { limit: 10 }, at(6));

    // Assess
    expect(view?.status).toBe('active');
    expect(view?.sharing).toMatchObject({ flagged: false, suspended: false, networks: 0 });
    expect(await s.links.get(aLink().id)).toMatchObject({ flaggedAt: null, sharingSuspendedAt: null, sharingResetAt: at(5) });
    expect(listed.customer.resets).toBe(1);
    const [entry] = [...s.linkLog.entries.values()];
    expect(entry).toMatchObject({ outcome: 'reset', actor: 'op-7', details: { resetCount: true, sharingFlagCleared: true, flaggedNetworks: 6 } });
  });

  it("a reset of all of a customer's links lifts their flags and counts as one reset", async () => {
    const s = await manager({ flaggedAt: at(2), flaggedNetworks: 6 });
    await s.links.createMissing([aLink({ id: 'BBBBBBBBBBBBBBBBBBBBBB', expiresAt: null })]);
    const result = await resetCustomerLinks(s.deps, 'cust-1', {}, operator);
    expect(result.updated).toBe(2);
    expect((await s.links.get(aLink().id))?.flaggedAt).toBeNull();
    expect(await s.sharing.resetsOf('cust-1')).toBe(1);
    const details = [...s.linkLog.entries.values()].map((e) => e.details?.sharingFlagCleared ?? false).sort();
    expect(details).toEqual([false, true]);
  });

  it('a reset of a link that is not flagged leaves its sharing history alone', async () => {
    const s = await manager({});
    const view = await resetLink(s.deps, aLink().id, {}, operator);
    expect(view?.sharing).toMatchObject({ flagged: false, networks: 2 });
    expect((await s.links.get(aLink().id))?.sharingResetAt).toBeNull();
  });

  it("the link's log carries its sharing signals", async () => {
    const s = await manager({ flaggedAt: at(2), flaggedNetworks: 6 });
    const log = await readLinkLog(s.deps, aLink().id, { limit: 10 }, at(3));
    expect(log.sharing).toMatchObject({ flagged: true, networks: 2, evidence: [{ network: '198.51.2.0/24' }, { network: '198.51.1.0/24' }] });
  });
});
