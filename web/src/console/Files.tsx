import { useRef, useState } from 'react';
import { call, type ApiClient, type BucketObject, type StoredFile } from '../api/client';
import { formatBytes, formatDateTime } from '../format';
import { uploadFile, xhrPut, type UploadProgress } from '../upload';
import { Alert, Field, messageOf, Status, TableScroll } from '../ui/components';
import type { ConsoleContext } from './App';
import { FileLibrary } from './FileLibrary';

export const Files = ({ api }: ConsoleContext) => {
  // A new upload or import shows in the library at once.
  const [added, setAdded] = useState(0);
  const refresh = () => setAdded((n) => n + 1);
  return (
    <div className="stack">
      <Upload api={api} onUploaded={refresh} />
      <FileLibrary api={api} title="File library" refreshKey={added} />
      <Bucket api={api} onImported={refresh} />
    </div>
  );
};

/** The upload client on the typed API: start, send the bytes (PUT or parallel parts), complete. */
const uploaderFor = (api: ApiClient) => ({
  start: (body: { fileName: string; contentType?: string; size: number }) => call(api.POST('/admin/files', { body })),
  complete: (fileId: string, parts?: { partNumber: number; etag: string }[]) =>
    call(api.POST('/admin/files/{fileId}/complete', { params: { path: { fileId } }, body: parts ? { parts } : {} })),
  put: xhrPut,
});

const Upload = ({ api, onUploaded }: { api: ApiClient; onUploaded: (file: StoredFile) => void }) => {
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<File>();
  const [displayName, setDisplayName] = useState('');
  const [progress, setProgress] = useState<UploadProgress>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<StoredFile>();
  const abort = useRef<AbortController>(undefined);
  const [uploading, setUploading] = useState(false);

  const start = async () => {
    if (!chosen) {
      setError('Choose a file first.');
      input.current?.focus();
      return;
    }
    setError(undefined);
    setDone(undefined);
    abort.current = new AbortController();
    setUploading(true);
    setProgress(undefined);
    try {
      const file = await uploadFile(uploaderFor(api), chosen, {
        fileName: displayName,
        concurrency: 4,
        retries: 3,
        onProgress: setProgress,
        signal: abort.current.signal,
      });
      setDone(file);
      onUploaded(file);
    } catch (e) {
      setError((e as Error).name === 'AbortError' ? 'Upload cancelled.' : `Upload failed: ${messageOf(e)}`);
    } finally {
      abort.current = undefined;
      setUploading(false);
    }
  };

  const percent = progress && progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a file</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <div className="row">
          <Field label="File" hint="Large files go up in parallel parts; a failed part is retried on its own.">
            {(aria) => <input {...aria} ref={input} type="file" onChange={(e) => setChosen(e.target.files?.[0])} disabled={uploading} />}
          </Field>
          <Field label="Display name (optional)" hint="What customers see; defaults to the file's name">
            {(aria) => <input {...aria} value={displayName} onChange={(e) => setDisplayName(e.target.value)} disabled={uploading} />}
          </Field>
        </div>
        <div className="actions">
          {uploading && (
            <button type="button" onClick={() => abort.current?.abort()}>
              Cancel upload
            </button>
          )}
          <button type="submit" className="primary" disabled={uploading}>
            {uploading ? 'Uploading…' : 'Upload'}
          </button>
        </div>
      </form>
      {progress && (
        <div className="progress">
          <label htmlFor="upload-progress">Upload progress</label>
          <progress id="upload-progress" max={100} value={percent} aria-valuetext={`${percent}%`} />
          <span className="hint">
            {percent}% · {formatBytes(progress.loaded)} of {formatBytes(progress.total)}
            {progress.partsTotal > 1 && ` · part ${progress.partsDone} of ${progress.partsTotal} done`}
            {progress.retries > 0 && ` · ${progress.retries} ${progress.retries === 1 ? 'retry' : 'retries'}`}
          </span>
        </div>
      )}
      <Alert>{error}</Alert>
      <Status>
        {done && (
          <>
            Uploaded <strong>{done.fileName}</strong> ({formatBytes(done.size)}, {done.contentType}). File id <code>{done.fileId}</code>: it is in the file
            library, ready to add to a product under Products.
          </>
        )}
      </Status>
    </section>
  );
};

const Bucket = ({ api, onImported }: { api: ApiClient; onImported: (file: StoredFile) => void }) => {
  const [prefix, setPrefix] = useState('');
  const [objects, setObjects] = useState<BucketObject[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [busyKey, setBusyKey] = useState<string>();

  const list = async (from?: string) => {
    setError(undefined);
    try {
      const page = await call(
        api.GET('/admin/bucket/objects', { params: { query: { limit: 50, ...(prefix ? { prefix } : {}), ...(from ? { cursor: from } : {}) } } }),
      );
      setObjects((known) => (from && known ? [...known, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const importKey = async (key: string) => {
    setBusyKey(key);
    setError(undefined);
    setStatus(undefined);
    try {
      const file = await call(api.POST('/admin/files/import', { body: { key } }));
      onImported(file);
      setStatus(`Imported ${file.fileName} as file ${file.fileId}.`);
    } catch (e) {
      setError(`Could not import ${key}: ${messageOf(e)}`);
    } finally {
      setBusyKey(undefined);
    }
  };

  return (
    <section className="card" aria-labelledby="bucket-title">
      <h2 id="bucket-title">Objects already in the bucket</h2>
      <p className="hint">
        Register an object that is already in the files bucket, without uploading it again. The system's own upload area is not importable.
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void list();
        }}
      >
        <Field label="Key prefix" hint="e.g. library/">
          {(aria) => <input {...aria} value={prefix} onChange={(e) => setPrefix(e.target.value)} />}
        </Field>
        <button type="submit">Browse</button>
      </form>
      <Alert>{error}</Alert>
      <Status>{status}</Status>
      {objects && (
        <TableScroll label="Objects in the bucket">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Size</th>
                <th scope="col">Last modified</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {objects.map((o) => (
                <tr key={o.key}>
                  <th scope="row">
                    <code>{o.key}</code>
                  </th>
                  <td>{formatBytes(o.size)}</td>
                  <td>{formatDateTime(o.lastModified)}</td>
                  <td>
                    {o.key.startsWith('uploads/') ? (
                      <span className="hint">Upload area</span>
                    ) : (
                      <button type="button" onClick={() => void importKey(o.key)} disabled={busyKey === o.key} aria-label={`Import ${o.key}`}>
                        Import
                      </button>
                    )}
                  </td>
                </tr>
              ))}
              {objects.length === 0 && (
                <tr>
                  <td colSpan={4}>No objects under this prefix.</td>
                </tr>
              )}
            </tbody>
          </table>
        </TableScroll>
      )}
      {cursor && (
        <button type="button" onClick={() => void list(cursor)}>
          Load more objects
        </button>
      )}
    </section>
  );
};
