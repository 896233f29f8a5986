import { describe, expect, it } from 'vitest';
import type { Link } from '../../core/link';
import { stampedObjectKey } from '../../core/stamp';
import { copyWanted, needsCopy, stampLinkCopy } from '../../core/use-cases/stamp-link-copy';
import { sweepExpiredCopies } from '../../core/use-cases/sweep-expired-copies';
import { FakeInvoiceStore, FakeLinkStore, FakeObjectStore } from '../support/fakes';
import { aLink } from '../support/links';
import { samplePdf } from '../support/pdf';

const NOW = '2026-05-10T12:00:00.000Z';
const DAYS_AGO = (days: number) => new Date(Date.parse(NOW) - days * 86_400_000).toISOString();

const stamped = (n: number, overrides: Partial<Link> = {}): Link =>
  aLink({
    id: `LINK${String(n).padStart(18, '0')}`,
    stampText: 'Licensed to {customerEmail}',
    copyKey: `stamped/COPY${String(n).padStart(18, '0')}`,
    copyVersion: null,
    expiresAt: DAYS_AGO(3),
    ...overrides,
  });

/** Links whose copies were made (recorded as the stamper records them), with the copy objects in the bucket. */
const setup = async (links: Link[]) => {
  const store = new FakeLinkStore();
  const objects = new FakeObjectStore();
  await store.createMissing(links);
  for (const link of links) {
    if (!link.copyKey) continue;
    for (let v = 1; v <= link.fileVersion; v++)
      await objects.write(stampedObjectKey({ copyKey: link.copyKey, fileVersion: v }), new Uint8Array([v]), 'application/pdf');
    await store.settleCopy(link.id, { copyKey: link.copyKey, fileVersion: link.fileVersion, outcome: 'stamped' });
  }
  await objects.write('uploads/xyz', new Uint8Array([9]), 'application/pdf');
  return { links: store, objects, deps: { links: store, objects } };
};

const copiesOf = (objects: FakeObjectStore, link: Link) => [...objects.objects.keys()].filter((k) => k.startsWith(`${link.copyKey}/`));

describe('the sweep of expired stamped copies', () => {
  it('removes every copy of a link that expired more than a day ago and records that it has none; the original stays', async () => {
    // Prepare
    const link = stamped(1, { fileVersion: 2 });
    const s = await setup([link]);

    // Act
    const result = await sweepExpiredCopies(s.deps, { now: NOW });

    // Assess
    expect(result).toEqual({ swept: 1, objectsRemoved: 2, movedOn: 0, complete: true });
    expect(copiesOf(s.objects, link)).toEqual([]);
    expect(s.objects.objects.has('uploads/xyz')).toBe(true);
    expect((await s.links.get(link.id))?.copyVersion).toBeNull();
    expect((await s.links.listExpiredCopies(NOW, { limit: 10 })).items).toEqual([]);
  });

  it('leaves links that expired within the grace, links that never expire and links still valid', async () => {
    // Prepare
    const recent = stamped(1, { expiresAt: DAYS_AGO(0.5) });
    const never = stamped(2, { expiresAt: null });
    const valid = stamped(3, { expiresAt: DAYS_AGO(-7) });
    const s = await setup([recent, never, valid]);

    // Act
    const result = await sweepExpiredCopies(s.deps, { now: NOW });

    // Assess
    expect(result.swept).toBe(0);
    for (const link of [recent, never, valid]) {
      expect(copiesOf(s.objects, link)).toHaveLength(1);
      expect((await s.links.get(link.id))?.copyVersion).toBe(1);
    }
  });

  it('reads the index page by page, stops at its page bound, and the next run sweeps the rest', async () => {
    // Prepare
    const links = Array.from({ length: 5 }, (_, i) => stamped(i + 1, { expiresAt: DAYS_AGO(10 - i) }));
    const s = await setup(links);

    // Act
    const first = await sweepExpiredCopies(s.deps, { now: NOW, pageSize: 2, maxPages: 2 });
    const left = links.map((l) => copiesOf(s.objects, l).length);
    const second = await sweepExpiredCopies(s.deps, { now: NOW, pageSize: 2, maxPages: 2 });

    // Assess: the earliest expiries first
    expect(first).toMatchObject({ swept: 4, complete: false });
    expect(left).toEqual([0, 0, 0, 0, 1]);
    expect(second).toMatchObject({ swept: 1, complete: true });
    expect(links.flatMap((l) => copiesOf(s.objects, l))).toEqual([]);
  });

  it('that dies after deleting a copy leaves the link in the index; the rerun deletes again harmlessly and records it', async () => {
    // Prepare
    const links = [stamped(1), stamped(2)];
    const s = await setup(links);
    let calls = 0;
    const crashing = {
      links: {
        listExpiredCopies: s.links.listExpiredCopies.bind(s.links),
        markCopiesRemoved: async (...args: Parameters<FakeLinkStore['markCopiesRemoved']>) => {
          if (++calls === 2) throw new Error('the function timed out');
          return s.links.markCopiesRemoved(...args);
        },
      },
      objects: s.objects,
    };

    // Act
    const crashed = await sweepExpiredCopies(crashing, { now: NOW }).catch((error: Error) => error);
    const rerun = await sweepExpiredCopies(s.deps, { now: NOW });

    // Assess
    expect(crashed).toBeInstanceOf(Error);
    expect(rerun).toMatchObject({ swept: 1, complete: true });
    expect(links.flatMap((l) => copiesOf(s.objects, l))).toEqual([]);
    for (const link of links) expect((await s.links.get(link.id))?.copyVersion).toBeNull();
    expect((await sweepExpiredCopies(s.deps, { now: NOW })).swept).toBe(0);
  });

  it('counts a link an update moved on meanwhile as moved on, and leaves it for a later run', async () => {
    // Prepare
    const link = stamped(1);
    const s = await setup([link]);
    const racing = {
      links: {
        listExpiredCopies: async (before: string, page: { limit: number; cursor?: string | undefined }) => {
          const read = await s.links.listExpiredCopies(before, page);
          const stored = s.links.items.get(link.id);
          if (stored) stored.fileVersion = 2; // an update repoints it between the read and the write
          return read;
        },
        markCopiesRemoved: s.links.markCopiesRemoved.bind(s.links),
      },
      objects: s.objects,
    };

    // Act
    const raced = await sweepExpiredCopies(racing, { now: NOW });
    const later = await sweepExpiredCopies(s.deps, { now: NOW });

    // Assess
    expect(raced).toMatchObject({ swept: 0, movedOn: 1 });
    expect(later).toMatchObject({ swept: 1, objectsRemoved: 2 });
  });
});

describe('whether a change of a stamped link asks for its copy', () => {
  const ready = stamped(1, { copyVersion: 1, expiresAt: DAYS_AGO(-3) });

  it('a live link without its copy needs one; an expired one never (so the sweep’s own change makes none)', () => {
    // Prepare
    const waiting = { ...ready, copyVersion: null };
    const expired = { ...waiting, expiresAt: DAYS_AGO(2) };

    // Act
    const wanted = [copyWanted(ready, waiting, NOW), copyWanted({ ...expired, copyVersion: 1 }, expired, NOW), needsCopy(expired, NOW)];

    // Assess
    expect(wanted).toEqual(['make', undefined, false]);
  });

  it('an expired link given a new expiry has its copy made again, even where it says the copy is ready', () => {
    // Prepare
    const expired = { ...ready, expiresAt: DAYS_AGO(2) };
    const revoked = { ...ready, status: 'revoked' as const };

    // Act
    const wanted = [copyWanted(expired, ready, NOW), copyWanted(expired, revoked, NOW), copyWanted(ready, ready, NOW)];

    // Assess
    expect(wanted).toEqual(['remake', undefined, undefined]);
  });

  it('a remake writes the copy again and records it ready; an expired link gets none', async () => {
    // Prepare
    const links = new FakeLinkStore();
    const objects = new FakeObjectStore();
    const invoices = new FakeInvoiceStore();
    await objects.write('uploads/xyz', await samplePdf(1, 'Book'), 'application/pdf');
    const expired = { ...ready, id: 'EXPIREDEXPIREDEXPIRED0', expiresAt: DAYS_AGO(2), copyVersion: null };
    await links.createMissing([ready, expired]);
    const deps = { links, invoices, objects };

    // Act
    const outcomes = [await stampLinkCopy(deps, ready, NOW, { remake: true }), await stampLinkCopy(deps, expired, NOW)];

    // Assess
    expect(outcomes).toEqual(['stamped', 'nothing-to-do']);
    expect(objects.objects.has(stampedObjectKey({ copyKey: ready.copyKey ?? '', fileVersion: 1 }))).toBe(true);
    expect((await links.listExpiredCopies(DAYS_AGO(-10), { limit: 10 })).items.map((c) => c.id)).toEqual([ready.id]);
  });
});
