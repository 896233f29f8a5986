import { describe, expect, it } from 'vitest';
import { LinkSigner } from '../../core/link-signer';
import { renderStampText, stampedObjectKey } from '../../core/stamp';
import { downloadFile } from '../../core/use-cases/download-file';
import { copyWanted, needsCopy, removeLinkCopies, stampLinkCopy } from '../../core/use-cases/stamp-link-copy';
import { FakeFileStorage, FakeInvoiceStore, FakeKeySource, FakeLinkLog, FakeLinkStore, FakeObjectStore } from '../support/fakes';
import { aLink } from '../support/links';
import { metadataOf, pageTexts, samplePdf } from '../support/pdf';

const NOW = '2026-03-30T00:00:00.000Z';
const LINE = 'Licensed to ada@example.com — order inv-1';

const setup = async (options: { original?: Uint8Array; maxBytes?: number } = {}) => {
  const links = new FakeLinkStore();
  const invoices = new FakeInvoiceStore();
  const objects = new FakeObjectStore();
  await invoices.recordPurchase({
    invoiceId: 'inv-1',
    customerId: 'cust-1',
    customerEmail: 'ada@example.com',
    productIds: ['ebook'],
    allLinesDigital: true,
    now: NOW,
  });
  const original = options.original ?? (await samplePdf(3, 'The E-book'));
  await objects.write('uploads/xyz', original, 'application/pdf');
  const link = aLink({ stampText: 'Licensed to {customerEmail} — order {invoiceId}', copyKey: 'stamped/COPYCOPYCOPYCOPYCOPY01', copyVersion: null });
  await links.createMissing([link]);
  const warnings: [string, Record<string, unknown>][] = [];
  const deps = {
    links,
    invoices,
    objects,
    maxBytes: options.maxBytes,
    log: { warn: (message: string, details: Record<string, unknown>) => void warnings.push([message, details]) },
  };
  return { links, invoices, objects, original: original.slice(), link, deps, warnings };
};

describe("a buyer's stamped copy", () => {
  it('carries the buyer line on every page and in the metadata, under the link key; the original stays byte for byte', async () => {
    // Prepare
    const s = await setup();

    // Act
    const outcome = await stampLinkCopy(s.deps, s.link, NOW);

    // Assess
    expect(outcome).toBe('stamped');
    const copy = s.objects.objects.get('stamped/COPYCOPYCOPYCOPYCOPY01/v1.pdf');
    expect(copy?.contentType).toBe('application/pdf');
    const texts = await pageTexts(copy?.bytes ?? new Uint8Array());
    expect(texts).toHaveLength(3);
    for (const text of texts) expect(text).toContain(`${LINE.replace('—', '\x97')} Tj`);
    expect(await metadataOf(copy?.bytes ?? new Uint8Array())).toMatchObject({ subject: LINE, keywords: LINE, title: 'The E-book' });
    expect(Buffer.from((await s.objects.read('uploads/xyz')) as Uint8Array).equals(Buffer.from(s.original))).toBe(true);
    expect((await pageTexts(s.original)).some((t) => t.includes('Licensed'))).toBe(false);
    expect((await s.links.get(s.link.id))?.copyVersion).toBe(1);
  });

  it('is what a download serves, once it is ready; before, the download answers 503 COPY_NOT_READY and counts nothing', async () => {
    // Prepare
    const s = await setup();
    const signer = new LinkSigner(new FakeKeySource());
    const download = { signer, links: s.links, storage: new FakeFileStorage(), presignedUrlTtlSeconds: 120, linkLog: new FakeLinkLog() };
    const token = await signer.sign(s.link.id);
    const request = { token, customerId: 'cust-1', now: NOW, requester: { ip: null, userAgent: null } };

    // Act
    const early = await downloadFile(download, request).catch((error) => error);
    await stampLinkCopy(s.deps, s.link, NOW);
    const served = await downloadFile(download, request);

    // Assess
    expect(early).toMatchObject({
      kind: 'unavailable',
      code: 'COPY_NOT_READY',
      message: 'Your personal copy of this file is being prepared; try again in a few seconds.',
      details: { retryAfterSeconds: 3 },
    });
    expect(served.url).toContain(encodeURIComponent('stamped/COPYCOPYCOPYCOPYCOPY01/v1.pdf'));
    expect((await s.links.get(s.link.id))?.downloadCount).toBe(3);
  });

  it('is made again for an update (version 2), and the copy of version 1 is removed', async () => {
    // Prepare
    const s = await setup();
    await stampLinkCopy(s.deps, s.link, NOW);
    await s.objects.write('uploads/v2', await samplePdf(2, 'Second edition'), 'application/pdf');
    const v2 = { ...s.link, objectKey: 'uploads/v2', fileVersion: 2, copyVersion: 1 };
    s.links.items.set(s.link.id, v2);

    // Act
    const outcome = await stampLinkCopy(s.deps, v2, NOW);

    // Assess
    expect(outcome).toBe('stamped');
    expect([...s.objects.objects.keys()].filter((k) => k.startsWith('stamped/'))).toEqual(['stamped/COPYCOPYCOPYCOPYCOPY01/v2.pdf']);
    const texts = await pageTexts(s.objects.objects.get('stamped/COPYCOPYCOPYCOPYCOPY01/v2.pdf')?.bytes ?? new Uint8Array());
    expect(texts.map((t) => t.includes('Second edition') && t.includes('ada@example.com'))).toEqual([true, true]);
  });

  it('is not made for a file that is no readable PDF or is over the size limit: the link serves the file as it is, and the log says why', async () => {
    // Prepare
    const broken = await setup({ original: new TextEncoder().encode('%PDF-1.4 not really') });
    const big = await setup({ maxBytes: 100 });

    // Act
    const outcomes = [await stampLinkCopy(broken.deps, broken.link, NOW), await stampLinkCopy(big.deps, big.link, NOW)];

    // Assess
    expect(outcomes).toEqual(['served-as-is', 'served-as-is']);
    expect((await broken.links.get(broken.link.id))?.stampText).toBeNull();
    const asIs = (reason: RegExp) => [
      ['a stamped link serves its file as it is', { linkId: broken.link.id, fileId: broken.link.fileId, reason: expect.stringMatching(reason) }],
    ];
    expect(broken.warnings).toEqual(asIs(/not a PDF/));
    expect(big.warnings).toEqual(asIs(/larger than the 100 bytes/));
    expect([...broken.objects.objects.keys(), ...big.objects.objects.keys()].some((k) => k.startsWith('stamped/'))).toBe(false);
  });

  it('is made for a file of exactly the size limit', async () => {
    // Prepare
    const original = await samplePdf(1, 'Short');
    const s = await setup({ original, maxBytes: original.length });

    // Act
    const outcome = await stampLinkCopy(s.deps, s.link, NOW);

    // Assess
    expect(outcome).toBe('stamped');
    expect(s.warnings).toEqual([]);
    expect((await s.links.get(s.link.id))?.copyVersion).toBe(1);
  });

  it('of a file that cannot be stamped is given up on without a log too: the link serves the file as it is', async () => {
    // Prepare
    const s = await setup({ original: new TextEncoder().encode('%PDF-1.4 not really') });

    // Act
    const outcome = await stampLinkCopy({ ...s.deps, log: undefined }, s.link, NOW);

    // Assess
    expect(outcome).toBe('served-as-is');
    expect(await s.links.get(s.link.id)).toMatchObject({ stampText: null, copyVersion: null });
  });

  it('is not made while the original is missing from the bucket: the stamping fails, naming the file and the link, and the link still waits', async () => {
    // Prepare
    const s = await setup();
    await s.objects.remove(['uploads/xyz']);

    // Act
    const failure = await stampLinkCopy(s.deps, s.link, NOW).catch((error: Error) => error);

    // Assess
    expect(failure).toEqual(new Error('the file FFFFFFFFFFFFFFFFFFFFFF of link AAAAAAAAAAAAAAAAAAAAAA is missing from the bucket'));
    expect(await s.links.get(s.link.id)).toMatchObject({ stampText: s.link.stampText, copyVersion: null });
    expect([...s.objects.objects.keys()]).toEqual([]);
  });

  it('is not given up on when reading the original fails for another reason: the error goes back for a retry, and the link still waits', async () => {
    // Prepare
    const s = await setup();
    s.objects.read = async () => {
      throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
    };

    // Act
    const failure = await stampLinkCopy(s.deps, s.link, NOW).catch((error: Error) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'SlowDown' });
    expect(s.warnings).toEqual([]);
    expect(await s.links.get(s.link.id)).toMatchObject({ stampText: s.link.stampText, copyVersion: null });
  });

  it('made for a version an update has moved the link past answers moved-on, and the link records no copy', async () => {
    // Prepare: the record being handled is of version 1; the link is at version 2 by now, its own record to come.
    const s = await setup();
    s.links.items.set(s.link.id, { ...s.link, objectKey: 'uploads/v2', fileVersion: 2 });

    // Act
    const outcome = await stampLinkCopy(s.deps, s.link, NOW);

    // Assess
    expect(outcome).toBe('moved-on');
    expect(await s.links.get(s.link.id)).toMatchObject({ fileVersion: 2, copyVersion: null });
  });

  it('is wanted by no link without a stamp: neither one of a product that does not stamp nor one whose file turned out unstampable', async () => {
    // Prepare
    const plain = aLink({ copyVersion: null });
    const s = await setup({ original: new TextEncoder().encode('%PDF-1.4 not really') });
    await stampLinkCopy(s.deps, s.link, NOW);
    const servedAsIs = (await s.links.get(s.link.id)) as NonNullable<Awaited<ReturnType<typeof s.links.get>>>;

    // Act
    const wanted = [needsCopy(plain, NOW), needsCopy(servedAsIs, NOW), copyWanted(s.link, servedAsIs, NOW)];

    // Assess
    expect(servedAsIs).toMatchObject({ stampText: null, copyKey: s.link.copyKey, copyVersion: null });
    expect(wanted).toEqual([false, false, undefined]);
  });

  it('stamped twice (a replayed record) writes the same copy once more and changes nothing else', async () => {
    // Prepare
    const s = await setup();

    // Act
    const outcomes = [await stampLinkCopy(s.deps, s.link, NOW), await stampLinkCopy(s.deps, s.link, NOW)];

    // Assess
    expect(outcomes).toEqual(['stamped', 'stamped']);
    expect([...s.objects.objects.keys()].filter((k) => k.startsWith('stamped/'))).toHaveLength(1);
  });

  it('and every earlier copy of the link are removed when the link goes', async () => {
    // Prepare
    const s = await setup();
    await s.objects.write(stampedObjectKey({ copyKey: 'stamped/COPYCOPYCOPYCOPYCOPY01', fileVersion: 1 }), new Uint8Array([1]), 'application/pdf');
    await s.objects.write(stampedObjectKey({ copyKey: 'stamped/COPYCOPYCOPYCOPYCOPY01', fileVersion: 2 }), new Uint8Array([2]), 'application/pdf');

    // Act
    const removed = await removeLinkCopies(s.deps, { copyKey: 'stamped/COPYCOPYCOPYCOPYCOPY01', fileVersion: 2 });

    // Assess
    expect(removed).toBe(2);
    expect([...s.objects.objects.keys()]).toEqual(['uploads/xyz']);
  });

  it('are none to remove for a link that never had a copy', async () => {
    // Prepare
    const s = await setup();

    // Act
    const removed = await removeLinkCopies(s.deps, { copyKey: null, fileVersion: 2 });

    // Assess
    expect(removed).toBe(0);
    expect([...s.objects.objects.keys()]).toEqual(['uploads/xyz']);
  });

  it("fills the operator's template with the buyer and the order, on one line", () => {
    expect(renderStampText('For {customerEmail} ({customerId}), order {invoiceId}\n!', { customerEmail: 'a@b.c', invoiceId: 'i-1', customerId: 'c-1' })).toBe(
      'For a@b.c (c-1), order i-1 !',
    );
    expect(renderStampText('Licensed to {customerEmail}', { customerEmail: null, invoiceId: 'i-1', customerId: 'c-1' })).toBe('Licensed to c-1');
  });
});
