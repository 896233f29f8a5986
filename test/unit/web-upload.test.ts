import { describe, expect, it, vi } from 'vitest';
import type { StartedUpload, StoredFile } from '../../web/src/api/client';
import { uploadFile, UploadError, type PutFn, type UploadDeps, type UploadProgress } from '../../web/src/upload';

const fileOf = (text: string, name = 'notes.txt') => Object.assign(new Blob([text], { type: 'text/plain' }), { name });

const record = (fileId: string, size: number): StoredFile => ({
  fileId,
  fileName: 'notes.txt',
  contentType: 'text/plain',
  size,
  state: 'ready',
  source: 'upload',
  key: null,
  createdAt: '2026-01-01T00:00:00Z',
  completedAt: '2026-01-01T00:00:01Z',
});

const multipart = (partCount: number, partSize: number): StartedUpload => ({
  file: { ...record('F'.repeat(22), partCount * partSize), state: 'pending', completedAt: null },
  upload: {
    method: 'MULTIPART',
    partSize,
    expiresInSeconds: 3600,
    parts: Array.from({ length: partCount }, (_, i) => ({ partNumber: i + 1, url: `https://s3.test/part/${i + 1}` })),
  },
});

/** A fake S3: records what each PUT sent, how many ran at once, and fails the attempts it is told to. */
const fakeStorage = (failures: Record<string, (Error & { status?: number })[]> = {}) => {
  const sent = new Map<string, string>();
  let inFlight = 0;
  const onIdle: (() => void)[] = [];
  let maxInFlight = 0;
  const aborted: string[] = [];
  const put: PutFn = async (url, body, options) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (options.signal?.aborted) {
        aborted.push(url);
        throw new DOMException('Aborted', 'AbortError');
      }
      const failure = failures[url]?.shift();
      if (failure) throw failure;
      options.onProgress?.(body.size);
      sent.set(url, await body.text());
      return { etag: `"etag-${url.slice(url.lastIndexOf('/') + 1)}"` };
    } finally {
      inFlight -= 1;
      if (inFlight === 0) for (const wake of onIdle.splice(0)) wake();
    }
  };
  /** Resolves once no PUT is running (an aborted upload's other parts have all stopped). */
  const settled = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => onIdle.push(resolve)));
  return { put, sent, aborted, maxInFlight: () => maxInFlight, settled };
};

describe("the console's upload client", () => {
  it("sends a multipart upload's parts in parallel, retries a failed part on its own, and completes with every ETag in order", async () => {
    // Prepare
    const storage = fakeStorage({ 'https://s3.test/part/2': [new UploadError('The upload failed: network error.')] });
    const complete = vi.fn(async (fileId: string) => record(fileId, 10));
    const deps: UploadDeps = { start: async () => multipart(3, 4), complete, put: storage.put };
    const progress: UploadProgress[] = [];

    // Act
    const file = await uploadFile(deps, fileOf('abcdefghij'), { concurrency: 2, retryDelayMs: 1, onProgress: (p) => progress.push(p) });

    // Assess
    expect([...storage.sent.entries()].sort()).toEqual([
      ['https://s3.test/part/1', 'abcd'],
      ['https://s3.test/part/2', 'efgh'],
      ['https://s3.test/part/3', 'ij'],
    ]);
    expect(storage.maxInFlight()).toBe(2);
    expect(complete).toHaveBeenCalledWith('F'.repeat(22), [
      { partNumber: 1, etag: '"etag-1"' },
      { partNumber: 2, etag: '"etag-2"' },
      { partNumber: 3, etag: '"etag-3"' },
    ]);
    expect(progress.at(-1)).toEqual({ loaded: 10, total: 10, partsDone: 3, partsTotal: 3, retries: 1 });
    expect(file.state).toBe('ready');
  });

  it('gives up on a part that keeps failing, stops the other parts and never completes the upload', async () => {
    // Prepare
    const refused = new UploadError('The storage refused the upload (HTTP 403).', 403);
    const storage = fakeStorage({ 'https://s3.test/part/1': [refused] });
    const complete = vi.fn();
    const deps: UploadDeps = { start: async () => multipart(4, 4), complete, put: storage.put };

    // Act
    const attempt = uploadFile(deps, fileOf('abcdefghijklmnop'), { concurrency: 2, retryDelayMs: 1 });

    // Assess: a 4xx (an expired or wrongly signed URL) is not tried again.
    await expect(attempt).rejects.toThrow('HTTP 403');
    await storage.settled();
    expect(storage.sent.has('https://s3.test/part/1')).toBe(false);
    expect(storage.sent.has('https://s3.test/part/4')).toBe(false);
    expect(storage.aborted.length).toBeGreaterThan(0);
    expect(complete).not.toHaveBeenCalled();
  });

  it('retries a part at most `retries` times', async () => {
    const flaky = () => new UploadError('The upload failed: network error.');
    const storage = fakeStorage({ 'https://s3.test/part/1': [flaky(), flaky(), flaky()] });
    const deps: UploadDeps = { start: async () => multipart(1, 4), complete: vi.fn(), put: storage.put };
    await expect(uploadFile(deps, fileOf('abcd'), { retries: 2, retryDelayMs: 1 })).rejects.toThrow('network error');
  });

  it('sends a small file as one PUT with the headers the API signed, and completes it without parts', async () => {
    // Prepare
    const storage = fakeStorage();
    const complete = vi.fn(async (fileId: string) => record(fileId, 5));
    const start = vi.fn(
      async (): Promise<StartedUpload> => ({
        file: { ...record('S'.repeat(22), 5), state: 'pending', completedAt: null },
        upload: { method: 'PUT', url: 'https://s3.test/single', headers: { 'content-type': 'text/plain' }, expiresInSeconds: 3600 },
      }),
    );
    const put = vi.fn(storage.put);

    // Act
    await uploadFile({ start, complete, put }, fileOf('hello'), { fileName: '  Shown name.txt ' });

    // Assess
    expect(start).toHaveBeenCalledWith({ fileName: 'Shown name.txt', contentType: 'text/plain', size: 5 });
    expect(put.mock.calls[0]?.[2]).toMatchObject({ headers: { 'content-type': 'text/plain' } });
    expect(storage.sent.get('https://s3.test/single')).toBe('hello');
    expect(complete).toHaveBeenCalledWith('S'.repeat(22));
  });
});
