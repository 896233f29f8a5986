import type { StartedUpload, StoredFile } from './api/client';

/** Sends one body to a presigned URL; resolves with the response's ETag (multipart needs it). */
export type PutFn = (
  url: string,
  body: Blob,
  options: { headers?: Record<string, string>; onProgress?: (loaded: number) => void; signal?: AbortSignal },
) => Promise<{ etag: string | null }>;

export interface UploadProgress {
  loaded: number;
  total: number;
  /** Multipart only. */
  partsDone: number;
  partsTotal: number;
  /** Attempts that failed and were tried again. */
  retries: number;
}

export interface UploadDeps {
  start(input: { fileName: string; contentType?: string; size: number }): Promise<StartedUpload>;
  complete(fileId: string, parts?: { partNumber: number; etag: string }[]): Promise<StoredFile>;
  put: PutFn;
}

export interface UploadOptions {
  fileName?: string;
  /** Parts sent at once. */
  concurrency?: number;
  /** Tries after the first, per part (or for the single PUT). */
  retries?: number;
  retryDelayMs?: number;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

const isAbort = (error: unknown) => (error as { name?: string })?.name === 'AbortError';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    });
  });

/** Tries `attempt` up to 1 + `retries` times, waiting longer each time; an abort ends it at once. */
const withRetries = async <T>(
  attempt: () => Promise<T>,
  options: { retries: number; delayMs: number; signal?: AbortSignal | undefined; onRetry: () => void },
) => {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      // A 4xx from S3 (expired or wrongly signed URL) will not pass on a second try; network errors and 5xx may.
      const status = (error as UploadError).status ?? 0;
      if (isAbort(error) || tries >= options.retries || (status >= 400 && status < 500)) throw error;
      options.onRetry();
      await sleep(options.delayMs * 2 ** tries, options.signal);
    }
  }
};

/**
 * Uploads a file the way the API says: one presigned PUT, or a multipart
 * upload whose parts go in parallel (each retried on its own), then
 * completes it. Resolves with the file record, ready to attach to products.
 */
export const uploadFile = async (deps: UploadDeps, file: Blob & { name: string }, options: UploadOptions = {}): Promise<StoredFile> => {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const retries = options.retries ?? 3;
  const delayMs = options.retryDelayMs ?? 500;
  const started = await deps.start({ fileName: options.fileName?.trim() || file.name, ...(file.type ? { contentType: file.type } : {}), size: file.size });
  const { upload } = started;
  const progress: UploadProgress = {
    loaded: 0,
    total: file.size,
    partsDone: 0,
    partsTotal: upload.method === 'MULTIPART' ? upload.parts.length : 1,
    retries: 0,
  };
  const report = () => options.onProgress?.({ ...progress });
  const onRetry = () => {
    progress.retries += 1;
    report();
  };
  report();

  if (upload.method === 'PUT') {
    await withRetries(
      () =>
        deps.put(upload.url, file, {
          headers: upload.headers,
          onProgress: (loaded) => {
            progress.loaded = loaded;
            report();
          },
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      { retries, delayMs, signal: options.signal, onRetry },
    );
    progress.loaded = file.size;
    progress.partsDone = 1;
    report();
    return deps.complete(started.file.fileId);
  }

  // One part failing for good stops the others.
  const stop = new AbortController();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', () => stop.abort());
  const signal = stop.signal;
  const loadedByPart = new Map<number, number>();
  const queue = [...upload.parts];
  const done: { partNumber: number; etag: string }[] = [];
  const sendPart = async (part: { partNumber: number; url: string }) => {
    const body = file.slice((part.partNumber - 1) * upload.partSize, part.partNumber * upload.partSize);
    const { etag } = await withRetries(
      () => {
        loadedByPart.set(part.partNumber, 0);
        return deps.put(part.url, body, {
          onProgress: (loaded) => {
            loadedByPart.set(part.partNumber, loaded);
            progress.loaded = [...loadedByPart.values()].reduce((a, b) => a + b, 0);
            report();
          },
          signal,
        });
      },
      { retries, delayMs, signal, onRetry },
    );
    if (!etag) throw new UploadError("S3 did not expose the part's ETag: the bucket's CORS must expose the ETag header.");
    loadedByPart.set(part.partNumber, body.size);
    progress.loaded = [...loadedByPart.values()].reduce((a, b) => a + b, 0);
    progress.partsDone += 1;
    done.push({ partNumber: part.partNumber, etag });
    report();
  };
  const worker = async () => {
    try {
      for (let part = queue.shift(); part; part = queue.shift()) await sendPart(part);
    } catch (error) {
      stop.abort();
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, upload.parts.length) }, worker));
  return deps.complete(
    started.file.fileId,
    done.sort((a, b) => a.partNumber - b.partNumber),
  );
};

/** The browser's PUT with upload progress (fetch reports none). */
export const xhrPut: PutFn = (url, body, options) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve({ etag: xhr.getResponseHeader('etag') })
        : reject(new UploadError(`The storage refused the upload (HTTP ${xhr.status}).`, xhr.status));
    xhr.onerror = () => reject(new UploadError('The upload failed: network error.'));
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    if (options.signal?.aborted) return xhr.abort();
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(body);
  });
