import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import { assertImportableKey, fileNameFromKey, fileView, newUploadFile, UPLOAD_AREA } from '../../core/file';

const META = { now: '2026-03-28T10:30:00.000Z', by: 'admin-1' };

const refusalOf = (key: string): DomainError => {
  try {
    assertImportableKey(key);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`expected ${JSON.stringify(key)} to be refused`);
};

describe('assertImportableKey', () => {
  it.each([
    ['library/press-kit.zip'],
    ['press-kit.zip'],
    ['library/日本語/ebook.pdf'],
    ['uploads-archive/old.zip'],
    ['library/uploads/x.pdf'],
    ['my file (final).pdf'],
    ['library/v1.2/file.pdf'],
  ])('accepts the key %j', (key) => {
    // Act / Assess
    expect(() => assertImportableKey(key)).not.toThrow();
  });

  it.each([
    ['..'],
    ['../secrets.txt'],
    ['library/../uploads/abc'],
    ['library/..'],
    ['library/a..b.pdf'],
    ['./library/file.pdf'],
    ['library/./file.pdf'],
    ['/library/file.pdf'],
    ['//library/file.pdf'],
    ['uploads/AAAAAAAAAAAAAAAAAAAAAA'],
    ['uploads/'],
    ['uploads'],
    ['library/file\u0000.pdf'],
    ['library/file\n.pdf'],
    ['library/file\r.pdf'],
    ['library/file\u007f.pdf'],
    ['library/\tfile.pdf'],
  ])('refuses the key %j with invalid / INVALID_KEY', (key) => {
    // Act
    const error = refusalOf(key);

    // Assess
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('INVALID_KEY');
  });

  it('says each problem of a key once, in one sentence', () => {
    // Act
    const escaping = refusalOf('../etc/passwd');
    const several = refusalOf('/uploads/./x\n');
    const inside = refusalOf(`${UPLOAD_AREA}abc`);

    // Assess
    expect(escaping.message).toBe('The key must not contain ".." or a "." segment.');
    expect(several.message).toBe('The key must not start with "/", must not contain ".." or a "." segment, must not contain control characters.');
    expect(inside.message).toBe(`The key must not be inside the upload area "${UPLOAD_AREA}".`);
  });
});

describe('newUploadFile', () => {
  it('puts the bytes under an unguessable key inside the upload area', () => {
    // Act
    const files = Array.from({ length: 200 }, () => newUploadFile({ fileName: 'ebook.pdf', size: 10 }, META));

    // Assess
    for (const file of files) {
      expect(file.objectKey.startsWith(UPLOAD_AREA)).toBe(true);
      expect(file.objectKey).toMatch(/^uploads\/[A-Za-z0-9_-]{22}$/);
      expect(file.objectKey).not.toContain('ebook');
      expect(file.fileId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(file.objectKey).not.toContain(file.fileId);
    }
    expect(new Set(files.map((f) => f.objectKey)).size).toBe(files.length);
    expect(new Set(files.map((f) => f.fileId)).size).toBe(files.length);
  });

  it('starts as a pending single upload with the caller and time recorded', () => {
    // Act
    const file = newUploadFile({ fileName: 'ebook.pdf', size: 1234 }, META);

    // Assess
    expect(file).toMatchObject({
      fileName: 'ebook.pdf',
      contentType: 'application/pdf',
      size: 1234,
      state: 'pending',
      source: 'upload',
      upload: { kind: 'single' },
      createdAt: META.now,
      createdBy: 'admin-1',
      completedAt: null,
    });
  });

  it('sanitizes the display name', () => {
    // Act
    const file = newUploadFile({ fileName: '../../etc/pass\r\nwd.pdf', size: 1 }, META);

    // Assess
    expect(file.fileName).toBe('_.._etc_passwd.pdf');
  });

  it('names a nameless file "download"', () => {
    // Act
    const file = newUploadFile({ fileName: ' \u0000 ', size: 1 }, META);

    // Assess
    expect(file.fileName).toBe('download');
  });

  it('keeps a valid declared content type and ignores an invalid one', () => {
    // Act
    const declared = newUploadFile({ fileName: 'x.bin', contentType: 'application/x-custom', size: 1 }, META);
    const invalid = newUploadFile({ fileName: 'x.zip', contentType: 'text/html\r\nX: y', size: 1 }, META);

    // Assess
    expect(declared.contentType).toBe('application/x-custom');
    expect(invalid.contentType).toBe('application/zip');
  });
});

describe('fileNameFromKey and fileView', () => {
  it('takes the last segment of a key as its display name', () => {
    // Act / Assess
    expect(fileNameFromKey('library/press-kit.zip')).toBe('press-kit.zip');
    expect(fileNameFromKey('press-kit.zip')).toBe('press-kit.zip');
    expect(fileNameFromKey('library/')).toBe('download');
  });

  it('hides the object key of an upload and shows the key of an import', () => {
    // Prepare
    const upload = newUploadFile({ fileName: 'a.pdf', size: 1 }, META);
    const imported = { ...upload, objectKey: 'library/a.pdf', source: 'import' as const };

    // Act
    const uploadView = fileView(upload);
    const importView = fileView(imported);

    // Assess
    expect(uploadView.key).toBeNull();
    expect(JSON.stringify(uploadView)).not.toContain(upload.objectKey);
    expect(importView.key).toBe('library/a.pdf');
  });
});
