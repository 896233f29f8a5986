import { DomainError, invalidInput, notFound } from '../errors';
import { contentTypeFor } from '../content-type';
import { assertImportableKey, fileNameFromKey, fileView, newUploadFile, type StoredFile } from '../file';
import type { CatalogStore, FileStorage, PageRequest } from '../ports';
import { safeDisplayName } from '../content-disposition';

export interface UploadDeps {
  catalog: CatalogStore;
  storage: FileStorage;
  uploadUrlTtlSeconds: number;
  /** Above this size an upload is multipart. */
  multipartThresholdBytes: number;
}

const MIB = 1024 * 1024;
/** S3 allows at most 10,000 parts of 5 MiB to 5 GiB; objects up to 5 TiB. */
const MAX_PARTS = 10_000;
const MIN_PART = 8 * MIB;
export const MAX_FILE_SIZE = 5 * 1024 * 1024 * MIB;

/** The smallest part size (a whole number of MiB, ≥ 8 MiB) that fits `size` in 10,000 parts. */
export const partSizeFor = (size: number): number => Math.max(MIN_PART, Math.ceil(size / MAX_PARTS / MIB) * MIB);

export type UploadInstructions =
  | { method: 'PUT'; url: string; headers: Record<string, string>; expiresInSeconds: number }
  | { method: 'MULTIPART'; partSize: number; parts: { partNumber: number; url: string }[]; expiresInSeconds: number };

/** Starts an upload: one presigned PUT, or for large files a multipart upload with a presigned URL per part. */
export const startUpload = async (
  deps: UploadDeps,
  input: { fileName: string; contentType?: string | undefined; size: number },
  meta: { now: string; by: string | null },
): Promise<{ file: ReturnType<typeof fileView>; upload: UploadInstructions }> => {
  if (input.size > MAX_FILE_SIZE) throw invalidInput('Files are limited to 5 TiB.', undefined, 'FILE_TOO_LARGE');
  const file = newUploadFile(input, meta);
  const expiresInSeconds = deps.uploadUrlTtlSeconds;
  if (input.size <= deps.multipartThresholdBytes) {
    const url = await deps.storage.presignUpload({ objectKey: file.objectKey, contentType: file.contentType, expiresInSeconds });
    await deps.catalog.putFile(file);
    return { file: fileView(file), upload: { method: 'PUT', url, headers: { 'content-type': file.contentType }, expiresInSeconds } };
  }
  const partSize = partSizeFor(input.size);
  const partCount = Math.max(1, Math.ceil(input.size / partSize));
  const uploadId = await deps.storage.startMultipartUpload({ objectKey: file.objectKey, contentType: file.contentType });
  const multipart: StoredFile = { ...file, upload: { kind: 'multipart', uploadId, partSize, partCount } };
  await deps.catalog.putFile(multipart);
  const parts = await Promise.all(
    Array.from({ length: partCount }, async (_, i) => ({
      partNumber: i + 1,
      url: await deps.storage.presignUploadPart({ objectKey: file.objectKey, uploadId, partNumber: i + 1, expiresInSeconds }),
    })),
  );
  return { file: fileView(multipart), upload: { method: 'MULTIPART', partSize, parts, expiresInSeconds } };
};

const incomplete = (message: string, details?: unknown) => new DomainError('conflict', 'UPLOAD_INCOMPLETE', message, details);

/** S3's refusal of a completion (a part missing, an ETag that does not match, an upload that is gone), as its code. */
const refusalCode = (error: unknown): string | undefined => {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? ((error as Error).name ?? 'S3Error') : undefined;
};

/**
 * Finishes an upload; the file becomes usable only when the stored object is
 * whole: a multipart upload names every one of its parts, and the object S3
 * assembled has exactly the size declared when the upload started. A
 * truncated or mismatched upload is 409 UPLOAD_INCOMPLETE and stays pending.
 */
export const completeUpload = async (deps: UploadDeps, fileId: string, input: { parts?: { partNumber: number; etag: string }[] | undefined }, now: string) => {
  const file = await deps.catalog.getFile(fileId);
  if (!file) throw notFound('FILE_NOT_FOUND', 'No file with this id.');
  if (file.state === 'ready') return fileView(file);
  if (file.upload?.kind === 'multipart') {
    const parts = input.parts ?? [];
    if (parts.length === 0) throw invalidInput('A multipart upload completes with its parts: [{ partNumber, etag }].', undefined, 'PARTS_REQUIRED');
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    if (new Set(sorted.map((p) => p.partNumber)).size !== sorted.length) throw invalidInput('Each part number may appear once.', undefined, 'INVALID_PARTS');
    const { partCount } = file.upload;
    const named = new Set(sorted.map((p) => p.partNumber));
    const missing = Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !named.has(n));
    const unknown = sorted.map((p) => p.partNumber).filter((n) => n > partCount);
    if (unknown.length > 0)
      throw invalidInput(`This upload has ${partCount} parts; there is no part ${unknown.join(', ')}.`, { unknownParts: unknown }, 'INVALID_PARTS');
    // S3 would assemble whatever subset it is given: a truncated file must not become sellable.
    if (missing.length > 0)
      throw incomplete(`This upload has ${partCount} parts; part ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing.`, {
        missingParts: missing,
      });
    try {
      await deps.storage.completeMultipartUpload({ objectKey: file.objectKey, uploadId: file.upload.uploadId, parts: sorted });
    } catch (error) {
      const code = refusalCode(error);
      if (!code) throw error; // an outage: the HTTP layer answers 503
      // The object may already be complete (a retried request): the size check below decides.
      if (!(await deps.storage.describe(file.objectKey))) {
        throw incomplete(`S3 refused to complete the upload (${code}): check that every part was uploaded and its ETag.`, { s3Code: code });
      }
    }
  }
  const object = await deps.storage.describe(file.objectKey);
  if (!object) throw incomplete('The file has not been uploaded yet: PUT its bytes to the upload URL first.');
  if (object.size !== file.size) {
    throw incomplete(`The stored object has ${object.size} bytes; the upload declared ${file.size}. Upload the whole file again.`, {
      storedSize: object.size,
      declaredSize: file.size,
    });
  }
  const contentType = contentTypeFor(file.fileName, file.contentType);
  await deps.catalog.completeFile(fileId, { size: object.size, contentType, completedAt: now });
  return fileView({ ...file, size: object.size, contentType, state: 'ready', completedAt: now });
};

/** Registers an object already in the bucket as a file, under its own key. */
export const importObject = async (
  deps: UploadDeps,
  input: { key: string; fileName?: string | undefined; contentType?: string | undefined },
  meta: { now: string; by: string | null },
) => {
  assertImportableKey(input.key);
  const object = await deps.storage.describe(input.key);
  if (!object) throw notFound('OBJECT_NOT_FOUND', 'No object with this key in the files bucket.');
  const fileName = input.fileName ? safeDisplayName(input.fileName) : fileNameFromKey(input.key);
  const file: StoredFile = {
    ...newUploadFile({ fileName, contentType: input.contentType ?? object.contentType ?? undefined, size: object.size }, meta),
    objectKey: input.key,
    source: 'import',
    upload: null,
    state: 'ready',
    completedAt: meta.now,
  };
  await deps.catalog.putFile(file);
  return fileView(file);
};

export const getFile = async (catalog: CatalogStore, fileId: string) => {
  const file = await catalog.getFile(fileId);
  if (!file) throw notFound('FILE_NOT_FOUND', 'No file with this id.');
  return fileView(file);
};

/** The file library: every upload and import, newest first; `q` matches the display name in any case. */
export const listFiles = async (catalog: CatalogStore, page: PageRequest & { q?: string | undefined }) => {
  const result = await catalog.listFiles(page);
  return { items: result.items.map(fileView), nextCursor: result.nextCursor };
};
