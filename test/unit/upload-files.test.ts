import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeUpload, MAX_FILE_SIZE, partSizeFor, startUpload } from '../../core/use-cases/upload-files';
import { FakeCatalogStore, FakeFileStorage } from '../support/fakes';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const TIB = 1024 * GIB;
const anySize = fc.bigInt({ min: 1n, max: BigInt(MAX_FILE_SIZE) }).map(Number);

describe('partSizeFor', () => {
  it('uses 8 MiB parts for files that fit in 10,000 of them', () => {
    // Act / Assess
    expect(partSizeFor(1)).toBe(8 * MIB);
    expect(partSizeFor(100 * MIB)).toBe(8 * MIB);
    expect(partSizeFor(80_000 * MIB)).toBe(8 * MIB);
  });

  it('grows the part size just past 10,000 parts of 8 MiB', () => {
    // Act
    const size = partSizeFor(80_000 * MIB + 1);

    // Assess
    expect(size).toBe(9 * MIB);
  });

  it('fits a 5 TiB file into at most 10,000 parts of at most 5 GiB', () => {
    // Act
    const size = partSizeFor(5 * TIB);

    // Assess
    expect(Math.ceil((5 * TIB) / size)).toBeLessThanOrEqual(10_000);
    expect(size).toBeLessThanOrEqual(5 * GIB);
    expect(size).toBe(525 * MIB);
  });

  it('for any size up to 5 TiB: at least 8 MiB, a whole number of MiB, at most 10,000 parts, and the smallest such size', () => {
    fc.assert(
      fc.property(anySize, (bytes) => {
        // Act
        const size = partSizeFor(bytes);

        // Assess
        expect(size).toBeGreaterThanOrEqual(8 * MIB);
        expect(size % MIB).toBe(0);
        expect(Math.ceil(bytes / size)).toBeLessThanOrEqual(10_000);
        expect(size).toBeLessThanOrEqual(5 * GIB);
        if (size > 8 * MIB) expect(Math.ceil(bytes / (size - MIB))).toBeGreaterThan(10_000);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds exactly at the multiples of 10,000 MiB where the part size steps up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 524 }), fc.integer({ min: -1, max: 1 }), (mib, delta) => {
        // Prepare
        const bytes = mib * 10_000 * MIB + delta;

        // Act
        const size = partSizeFor(bytes);

        // Assess
        expect(Math.ceil(bytes / size)).toBeLessThanOrEqual(10_000);
        expect(size).toBe(delta > 0 ? (mib + 1) * MIB : mib * MIB);
      }),
    );
  });
});

describe('completing an upload', () => {
  const NOW = '2026-06-01T12:00:00.000Z';
  const deps = () => {
    const catalog = new FakeCatalogStore();
    const storage = new FakeFileStorage();
    return { catalog, storage, uploads: { catalog, storage, uploadUrlTtlSeconds: 3600, multipartThresholdBytes: 16 * MIB } };
  };
  const multipart = async (size: number) => {
    const d = deps();
    const started = await startUpload(d.uploads, { fileName: 'big.zip', size }, { now: NOW, by: 'op' });
    const file = await d.catalog.getFile(started.file.fileId);
    if (file?.upload?.kind !== 'multipart') throw new Error('expected a multipart upload');
    return { ...d, fileId: started.file.fileId, uploadId: file.upload.uploadId, partSize: file.upload.partSize, partCount: file.upload.partCount };
  };

  it('refuses a multipart upload that names only some of its parts: 409 UPLOAD_INCOMPLETE, file still pending', async () => {
    // Prepare: 40 MiB in 5 parts of 8 MiB, only 2 of them uploaded and named
    const u = await multipart(40 * MIB);
    expect(u.partCount).toBe(5);
    const parts = [1, 2].map((n) => ({ partNumber: n, etag: u.storage.putPart(u.uploadId, n, u.partSize) }));

    // Act / Assess
    await expect(completeUpload(u.uploads, u.fileId, { parts }, NOW)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'UPLOAD_INCOMPLETE',
      message: expect.stringContaining('3, 4, 5'),
    });
    expect((await u.catalog.getFile(u.fileId))?.state).toBe('pending');
  });

  it('refuses a part that does not exist with a 4xx, and an ETag that does not match with 409', async () => {
    const u = await multipart(40 * MIB);
    const parts = [1, 2, 3, 4, 5].map((n) => ({ partNumber: n, etag: u.storage.putPart(u.uploadId, n, u.partSize) }));
    await expect(completeUpload(u.uploads, u.fileId, { parts: [...parts, { partNumber: 6, etag: 'x' }] }, NOW)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'INVALID_PARTS',
    });
    const wrong = parts.map((p, i) => (i === 2 ? { ...p, etag: '"not-the-etag"' } : p));
    await expect(completeUpload(u.uploads, u.fileId, { parts: wrong }, NOW)).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
    expect((await u.catalog.getFile(u.fileId))?.state).toBe('pending');
  });

  it('makes a whole multipart upload ready, with the size S3 assembled', async () => {
    const u = await multipart(40 * MIB);
    const parts = [1, 2, 3, 4, 5].map((n) => ({ partNumber: n, etag: u.storage.putPart(u.uploadId, n, u.partSize) }));
    const view = await completeUpload(u.uploads, u.fileId, { parts }, NOW);
    expect(view).toMatchObject({ state: 'ready', size: 40 * MIB });
  });

  it('refuses an object whose size is not the declared one (a truncated single PUT)', async () => {
    // Prepare
    const d = deps();
    const started = await startUpload(d.uploads, { fileName: 'book.pdf', size: 1000 }, { now: NOW, by: 'op' });
    const file = await d.catalog.getFile(started.file.fileId);
    d.storage.putObject(file?.objectKey ?? '', 600);

    // Act / Assess
    await expect(completeUpload(d.uploads, started.file.fileId, {}, NOW)).rejects.toMatchObject({
      code: 'UPLOAD_INCOMPLETE',
      message: expect.stringContaining('600'),
    });
    d.storage.putObject(file?.objectKey ?? '', 1000);
    expect(await completeUpload(d.uploads, started.file.fileId, {}, NOW)).toMatchObject({ state: 'ready', size: 1000 });
  });

  it('answers a retried completion of a finished upload with the ready file', async () => {
    const u = await multipart(40 * MIB);
    const parts = [1, 2, 3, 4, 5].map((n) => ({ partNumber: n, etag: u.storage.putPart(u.uploadId, n, u.partSize) }));
    await completeUpload(u.uploads, u.fileId, { parts }, NOW);
    expect(await completeUpload(u.uploads, u.fileId, { parts }, NOW)).toMatchObject({ state: 'ready' });
  });
});
