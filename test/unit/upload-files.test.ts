import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredFile } from '../../core/file';
import type { FileStorage } from '../../core/ports';
import { completeUpload, getFile, importObject, listFiles, MAX_FILE_SIZE, partSizeFor, startUpload } from '../../core/use-cases/upload-files';
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

describe('starting an upload', () => {
  const NOW = '2026-06-01T12:00:00.000Z';
  const deps = () => {
    const catalog = new FakeCatalogStore();
    const storage = new FakeFileStorage();
    return { catalog, storage, uploads: { catalog, storage, uploadUrlTtlSeconds: 900, multipartThresholdBytes: 16 * MIB } };
  };

  it('refuses a file over 5 TiB with 400 FILE_TOO_LARGE and records nothing, but accepts exactly 5 TiB', async () => {
    // Prepare
    const d = deps();

    // Act / Assess
    await expect(startUpload(d.uploads, { fileName: 'huge.bin', size: MAX_FILE_SIZE + 1 }, { now: NOW, by: 'op' })).rejects.toMatchObject({
      kind: 'invalid',
      code: 'FILE_TOO_LARGE',
      message: 'Files are limited to 5 TiB.',
    });
    expect(d.catalog.files.size).toBe(0);
    const started = await startUpload(d.uploads, { fileName: 'huge.bin', size: MAX_FILE_SIZE }, { now: NOW, by: 'op' });
    expect(started.upload.method).toBe('MULTIPART');
  });

  it('gives a file of exactly the threshold one presigned PUT for its own key, content type and lifetime', async () => {
    // Prepare
    const d = deps();

    // Act
    const started = await startUpload(d.uploads, { fileName: 'book.pdf', size: 16 * MIB }, { now: NOW, by: 'op' });

    // Assess
    const stored = d.catalog.files.get(started.file.fileId);
    expect(stored).toMatchObject({ state: 'pending', size: 16 * MIB, contentType: 'application/pdf', upload: { kind: 'single' } });
    expect(started.upload).toEqual({
      method: 'PUT',
      url: `https://files.example/${encodeURIComponent(stored?.objectKey ?? '?')}?put&expires=900`,
      headers: { 'content-type': 'application/pdf' },
      expiresInSeconds: 900,
    });
    expect(started.file).toMatchObject({ fileId: stored?.fileId, fileName: 'book.pdf', state: 'pending', key: null });
  });

  it('gives a file above the threshold a multipart upload with one presigned URL per part, numbered from 1', async () => {
    // Prepare
    const d = deps();

    // Act
    const started = await startUpload(d.uploads, { fileName: 'big.zip', size: 20 * MIB }, { now: NOW, by: 'op' });

    // Assess
    const stored = d.catalog.files.get(started.file.fileId);
    if (stored?.upload?.kind !== 'multipart') throw new Error('expected a multipart upload');
    const { uploadId } = stored.upload;
    expect(stored.upload).toEqual({ kind: 'multipart', uploadId, partSize: 8 * MIB, partCount: 3 });
    const key = encodeURIComponent(stored.objectKey);
    expect(started.upload).toEqual({
      method: 'MULTIPART',
      partSize: 8 * MIB,
      parts: [1, 2, 3].map((n) => ({ partNumber: n, url: `https://files.example/${key}?uploadId=${uploadId}&partNumber=${n}` })),
      expiresInSeconds: 900,
    });
    expect(started.file).toMatchObject({ fileId: stored.fileId, state: 'pending', size: 20 * MIB });
  });
});

describe('completing an upload: refusals and retries', () => {
  const NOW = '2026-06-01T12:00:00.000Z';
  const LATER = '2026-06-01T13:00:00.000Z';
  const multipart = async (size = 40 * MIB) => {
    const catalog = new FakeCatalogStore();
    const storage = new FakeFileStorage();
    const uploads = { catalog, storage, uploadUrlTtlSeconds: 3600, multipartThresholdBytes: 16 * MIB };
    const started = await startUpload(uploads, { fileName: 'big.zip', size }, { now: NOW, by: 'op' });
    const file = await catalog.getFile(started.file.fileId);
    if (file?.upload?.kind !== 'multipart') throw new Error('expected a multipart upload');
    const { uploadId, partSize, partCount } = file.upload;
    const all = () => Array.from({ length: partCount }, (_, i) => ({ partNumber: i + 1, etag: storage.putPart(uploadId, i + 1, partSize) }));
    return { catalog, storage, uploads, fileId: started.file.fileId, objectKey: file.objectKey, all };
  };
  /** The storage, with its completion replaced by a failure. */
  const failingCompletion = (storage: FakeFileStorage, failure: unknown): FileStorage =>
    Object.assign(Object.create(storage) as FakeFileStorage, {
      completeMultipartUpload: async () => {
        throw failure;
      },
    });

  it('answers an unknown file with 404 FILE_NOT_FOUND', async () => {
    // Prepare
    const u = await multipart();

    // Act / Assess
    await expect(completeUpload(u.uploads, 'no-such-file', {}, NOW)).rejects.toMatchObject({
      kind: 'not_found',
      code: 'FILE_NOT_FOUND',
      message: 'No file with this id.',
    });
    await expect(getFile(u.catalog, 'no-such-file')).rejects.toMatchObject({ kind: 'not_found', code: 'FILE_NOT_FOUND', message: 'No file with this id.' });
  });

  it('answers a retried completion of a ready file as it was, without needing the parts again', async () => {
    // Prepare
    const u = await multipart();
    await completeUpload(u.uploads, u.fileId, { parts: u.all() }, NOW);

    // Act
    const again = await completeUpload(u.uploads, u.fileId, {}, LATER);

    // Assess
    expect(again).toMatchObject({ state: 'ready', completedAt: NOW, size: 40 * MIB });
  });

  it('refuses to complete a multipart upload without its parts: 400 PARTS_REQUIRED', async () => {
    // Prepare
    const u = await multipart();
    u.all();

    // Act / Assess
    for (const input of [{}, { parts: [] }]) {
      await expect(completeUpload(u.uploads, u.fileId, input, NOW)).rejects.toMatchObject({
        kind: 'invalid',
        code: 'PARTS_REQUIRED',
        message: 'A multipart upload completes with its parts: [{ partNumber, etag }].',
      });
    }
    expect(u.catalog.files.get(u.fileId)?.state).toBe('pending');
  });

  it('accepts the parts in any order: S3 is given them ascending', async () => {
    // Prepare
    const u = await multipart();
    const parts = u.all();

    // Act
    const view = await completeUpload(u.uploads, u.fileId, { parts: [parts[2], parts[0], parts[4], parts[1], parts[3]].flatMap((p) => (p ? [p] : [])) }, NOW);

    // Assess
    expect(view).toMatchObject({ state: 'ready', size: 40 * MIB });
  });

  it('refuses a part number named twice with 400 INVALID_PARTS before asking S3', async () => {
    // Prepare
    const u = await multipart();
    const parts = u.all();

    // Act / Assess
    await expect(
      completeUpload(u.uploads, u.fileId, { parts: [...parts, { ...(parts[0] as { partNumber: number; etag: string }) }] }, NOW),
    ).rejects.toMatchObject({
      kind: 'invalid',
      code: 'INVALID_PARTS',
      message: 'Each part number may appear once.',
    });
    expect(u.storage.uploads.size).toBe(1);
  });

  it('names the parts the upload does not have, in the message and the details', async () => {
    // Prepare
    const u = await multipart();
    const parts = u.all();

    // Act / Assess
    await expect(
      completeUpload(u.uploads, u.fileId, { parts: [...parts, { partNumber: 7, etag: 'x' }, { partNumber: 6, etag: 'y' }] }, NOW),
    ).rejects.toMatchObject({
      kind: 'invalid',
      code: 'INVALID_PARTS',
      message: 'This upload has 5 parts; there is no part 6, 7.',
      details: { unknownParts: [6, 7] },
    });
  });

  it('says which parts are missing, in singular or plural, with their numbers in the details', async () => {
    // Prepare
    const u = await multipart();
    const parts = u.all();

    // Act / Assess
    await expect(completeUpload(u.uploads, u.fileId, { parts: parts.slice(0, 4) }, NOW)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'UPLOAD_INCOMPLETE',
      message: 'This upload has 5 parts; part 5 is missing.',
      details: { missingParts: [5] },
    });
    await expect(completeUpload(u.uploads, u.fileId, { parts: parts.slice(0, 3) }, NOW)).rejects.toMatchObject({
      message: 'This upload has 5 parts; part 4, 5 are missing.',
      details: { missingParts: [4, 5] },
    });
  });

  it("reports S3's refusal with its code when nothing was assembled, and leaves the file pending", async () => {
    // Prepare
    const u = await multipart();
    const parts = u.all().map((p, i) => (i === 1 ? { ...p, etag: '"wrong"' } : p));

    // Act / Assess
    await expect(completeUpload(u.uploads, u.fileId, { parts }, NOW)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'UPLOAD_INCOMPLETE',
      message: 'S3 refused to complete the upload (InvalidPart): check that every part was uploaded and its ETag.',
      details: { s3Code: 'InvalidPart' },
    });
    expect(u.catalog.files.get(u.fileId)?.state).toBe('pending');
  });

  it('calls a refusal without a name S3Error', async () => {
    // Prepare
    const u = await multipart();
    const storage = failingCompletion(u.storage, { $metadata: { httpStatusCode: 400 } });

    // Act / Assess
    await expect(completeUpload({ ...u.uploads, storage }, u.fileId, { parts: u.all() }, NOW)).rejects.toMatchObject({
      code: 'UPLOAD_INCOMPLETE',
      details: { s3Code: 'S3Error' },
    });
  });

  it('treats a refusal as a retry that already succeeded when the whole object is there', async () => {
    // Prepare: the first completion assembled the object; the retry finds the upload consumed (404 NoSuchUpload)
    const u = await multipart();
    const parts = u.all();
    await u.storage.completeMultipartUpload({ objectKey: u.objectKey, uploadId: [...u.storage.uploads.keys()][0] ?? '', parts });

    // Act
    const view = await completeUpload(u.uploads, u.fileId, { parts }, NOW);

    // Assess
    expect(view).toMatchObject({ state: 'ready', size: 40 * MIB });
  });

  it('passes on an S3 failure that is not a refusal (no 4xx status) untouched, leaving the file pending', async () => {
    // Prepare
    const u = await multipart();
    const parts = u.all();
    const outages: unknown[] = [
      Object.assign(new Error('internal'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }),
      Object.assign(new Error('moved'), { name: 'Redirect', $metadata: { httpStatusCode: 399 } }),
      Object.assign(new Error('odd'), { name: 'Odd', $metadata: { httpStatusCode: '404' } }),
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
      Object.assign(new Error('no metadata'), { name: 'NoMetadata', $metadata: undefined }),
    ];

    // Act / Assess
    for (const outage of outages) {
      await expect(completeUpload({ ...u.uploads, storage: failingCompletion(u.storage, outage) }, u.fileId, { parts }, NOW)).rejects.toBe(outage);
    }
    await expect(completeUpload({ ...u.uploads, storage: failingCompletion(u.storage, null) }, u.fileId, { parts }, NOW)).rejects.toBeNull();
    expect(u.catalog.files.get(u.fileId)?.state).toBe('pending');
  });

  it('refuses to complete a single PUT whose bytes never arrived', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    const storage = new FakeFileStorage();
    const uploads = { catalog, storage, uploadUrlTtlSeconds: 3600, multipartThresholdBytes: 16 * MIB };
    const started = await startUpload(uploads, { fileName: 'book.pdf', size: 1000 }, { now: NOW, by: 'op' });

    // Act / Assess
    await expect(completeUpload(uploads, started.file.fileId, {}, NOW)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'UPLOAD_INCOMPLETE',
      message: 'The file has not been uploaded yet: PUT its bytes to the upload URL first.',
    });
  });

  it('reports the stored and declared sizes of a truncated object in the details', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    const storage = new FakeFileStorage();
    const uploads = { catalog, storage, uploadUrlTtlSeconds: 3600, multipartThresholdBytes: 16 * MIB };
    const started = await startUpload(uploads, { fileName: 'book.pdf', size: 1000 }, { now: NOW, by: 'op' });
    storage.putObject(catalog.files.get(started.file.fileId)?.objectKey ?? '', 600);

    // Act / Assess
    await expect(completeUpload(uploads, started.file.fileId, {}, NOW)).rejects.toMatchObject({ details: { storedSize: 600, declaredSize: 1000 } });
  });

  it('records the completed file with its size, content type and completion time', async () => {
    // Prepare
    const u = await multipart();

    // Act
    await completeUpload(u.uploads, u.fileId, { parts: u.all() }, LATER);

    // Assess
    expect(u.catalog.files.get(u.fileId)).toMatchObject({ state: 'ready', size: 40 * MIB, contentType: 'application/zip', completedAt: LATER });
  });

  it('completes a pending file recorded without upload details as a single PUT', async () => {
    // Prepare
    const catalog = new FakeCatalogStore();
    const storage = new FakeFileStorage();
    const uploads = { catalog, storage, uploadUrlTtlSeconds: 3600, multipartThresholdBytes: 16 * MIB };
    const started = await startUpload(uploads, { fileName: 'book.pdf', size: 1000 }, { now: NOW, by: 'op' });
    const file = catalog.files.get(started.file.fileId) as StoredFile;
    file.upload = null;
    storage.putObject(file.objectKey, 1000);

    // Act
    const view = await completeUpload(uploads, file.fileId, {}, NOW);

    // Assess
    expect(view).toMatchObject({ state: 'ready', size: 1000 });
  });
});

describe('importing an object and reading the library', () => {
  const NOW = '2026-06-01T12:00:00.000Z';
  const deps = () => {
    const catalog = new FakeCatalogStore();
    const storage = new FakeFileStorage();
    return { catalog, storage, uploads: { catalog, storage, uploadUrlTtlSeconds: 3600, multipartThresholdBytes: 16 * MIB } };
  };

  it('registers an object in the bucket as a ready import under its own key, named after the key', async () => {
    // Prepare
    const d = deps();
    d.storage.putObject('catalog/2026/Guide.pdf', 1234);

    // Act
    const view = await importObject(d.uploads, { key: 'catalog/2026/Guide.pdf' }, { now: NOW, by: 'op' });

    // Assess
    const expected = {
      fileName: 'Guide.pdf',
      contentType: 'application/pdf',
      size: 1234,
      state: 'ready',
      source: 'import',
      key: 'catalog/2026/Guide.pdf',
      createdAt: NOW,
      completedAt: NOW,
    };
    expect(view).toMatchObject(expected);
    expect(d.catalog.files.get(view.fileId)).toMatchObject({
      objectKey: 'catalog/2026/Guide.pdf',
      upload: null,
      createdBy: 'op',
      state: 'ready',
      source: 'import',
    });
    expect(await getFile(d.catalog, view.fileId)).toEqual(view);
  });

  it("prefers the caller's name and content type, then the object's content type", async () => {
    // Prepare
    const d = deps();
    d.storage.putObject('raw/a', 10, 'audio/mpeg');
    d.storage.putObject('raw/b', 20, 'audio/mpeg');

    // Act
    const named = await importObject(d.uploads, { key: 'raw/a', fileName: 'Song.mp3', contentType: 'audio/ogg' }, { now: NOW, by: null });
    const typed = await importObject(d.uploads, { key: 'raw/b' }, { now: NOW, by: null });

    // Assess
    expect(named).toMatchObject({ fileName: 'Song.mp3', contentType: 'audio/ogg', size: 10 });
    expect(typed).toMatchObject({ fileName: 'b', contentType: 'audio/mpeg', size: 20 });
  });

  it('answers a key with no object with 404 OBJECT_NOT_FOUND and records nothing', async () => {
    // Prepare
    const d = deps();

    // Act / Assess
    await expect(importObject(d.uploads, { key: 'catalog/missing.pdf' }, { now: NOW, by: 'op' })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'OBJECT_NOT_FOUND',
      message: 'No object with this key in the files bucket.',
    });
    expect(d.catalog.files.size).toBe(0);
  });

  it('lists the library as file views, page by page', async () => {
    // Prepare
    const d = deps();
    for (const name of ['a', 'b', 'c']) d.storage.putObject(`lib/${name}.pdf`, 1);
    const views = [];
    for (const [i, name] of ['a', 'b', 'c'].entries())
      views.push(await importObject(d.uploads, { key: `lib/${name}.pdf` }, { now: `2026-06-0${i + 1}T00:00:00.000Z`, by: 'op' }));

    // Act
    const first = await listFiles(d.catalog, { limit: 2 });
    const rest = await listFiles(d.catalog, { limit: 2, cursor: first.nextCursor ?? undefined });

    // Assess
    expect(first.items).toEqual([views[2], views[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(rest).toEqual({ items: [views[0]], nextCursor: null });
  });
});
