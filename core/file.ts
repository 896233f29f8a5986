import { contentTypeFor } from './content-type';
import { safeDisplayName } from './content-disposition';
import { invalidInput } from './errors';
import { newId } from './token';

/** Where uploads land: generated keys only; imports may never point inside it. */
export const UPLOAD_AREA = 'uploads/';

export type FileState = 'pending' | 'ready';

/** An object in the files bucket that products deliver; customers only ever see `fileName`. */
export interface StoredFile {
  fileId: string;
  fileName: string;
  contentType: string;
  size: number;
  objectKey: string;
  state: FileState;
  source: 'upload' | 'import';
  upload: { kind: 'single' } | { kind: 'multipart'; uploadId: string; partSize: number; partCount: number } | null;
  createdAt: string;
  createdBy: string | null;
  completedAt: string | null;
}

/** A new file record and the unguessable key its bytes will live under. */
export const newUploadFile = (
  input: { fileName: string; contentType?: string | undefined; size: number },
  meta: { now: string; by: string | null },
): StoredFile => {
  const fileName = safeDisplayName(input.fileName);
  return {
    fileId: newId(),
    fileName,
    contentType: contentTypeFor(fileName, input.contentType),
    size: input.size,
    objectKey: `${UPLOAD_AREA}${newId()}`,
    state: 'pending',
    source: 'upload',
    upload: { kind: 'single' },
    createdAt: meta.now,
    createdBy: meta.by,
    completedAt: null,
  };
};

/** Rejects keys that escape or reach into the system's own upload area. */
export const assertImportableKey = (key: string): void => {
  const problems: string[] = [];
  if (key.startsWith('/')) problems.push('must not start with "/"');
  if (key.includes('..') || key.split('/').includes('.')) problems.push('must not contain ".." or a "." segment');
  if (key.startsWith(UPLOAD_AREA) || key === UPLOAD_AREA.slice(0, -1)) problems.push(`must not be inside the upload area "${UPLOAD_AREA}"`);
  if (/\p{Cc}/u.test(key)) problems.push('must not contain control characters');
  if (problems.length > 0) throw invalidInput(`The key ${problems.join(', ')}.`, undefined, 'INVALID_KEY');
};

export const fileNameFromKey = (key: string): string => safeDisplayName(key.slice(key.lastIndexOf('/') + 1));

/** The admin API's view of a file: everything but the hidden object key of uploads. */
export const fileView = (file: StoredFile) => ({
  fileId: file.fileId,
  fileName: file.fileName,
  contentType: file.contentType,
  size: file.size,
  state: file.state,
  source: file.source,
  key: file.source === 'import' ? file.objectKey : null,
  createdAt: file.createdAt,
  completedAt: file.completedAt,
});
