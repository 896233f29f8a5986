import { useCallback, useEffect, useId, useState } from 'react';
import { call, type ApiClient, type StoredFile } from '../api/client';
import { formatBytes, formatDateTime } from '../format';
import { Alert, Field, messageOf, TableScroll } from '../ui/components';

/**
 * The file library: every file ever uploaded or imported, newest first,
 * searchable by name, from the API (`GET /admin/files`), so a reload or another
 * operator's upload loses nothing. With `onPick`, each ready file can be added
 * to a product.
 */
export const FileLibrary = ({
  api,
  title,
  refreshKey = 0,
  onPick,
  picked = [],
}: {
  api: ApiClient;
  title: string;
  refreshKey?: number;
  onPick?: (file: StoredFile) => void;
  picked?: string[];
}) => {
  const [q, setQ] = useState('');
  const [searched, setSearched] = useState('');
  const [files, setFiles] = useState<StoredFile[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const titleId = useId();

  const load = useCallback(
    async (query: string, from?: string) => {
      setError(undefined);
      try {
        const page = await call(
          api.GET('/admin/files', { params: { query: { limit: onPick ? 10 : 25, ...(query ? { q: query } : {}), ...(from ? { cursor: from } : {}) } } }),
        );
        setFiles((known) => (from && known ? [...known, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setSearched(query);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [api, onPick],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads the current search when a new file arrives
  useEffect(() => void load(searched), [load, refreshKey]);

  const Heading = onPick ? 'h3' : 'h2';
  return (
    <section className={onPick ? 'library library--pick' : 'card library'} aria-labelledby={titleId}>
      <Heading id={titleId}>{title}</Heading>
      {/* Not a <form>: the library also sits inside the product editor's form. */}
      <div className="inline-form">
        <Field label="File name contains">
          {(aria) => (
            <input
              {...aria}
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                void load(q.trim());
              }}
            />
          )}
        </Field>
        <button type="button" onClick={() => void load(q.trim())}>
          Search files
        </button>
      </div>
      <Alert>{error}</Alert>
      {files && (
        <TableScroll label={`${title}, newest first`}>
          <table className="files">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">State</th>
                <th scope="col">Added</th>
                <th scope="col">File id</th>
                {onPick && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.fileId}>
                  <th scope="row">
                    {f.fileName}
                    <span className="sub">{f.contentType}</span>
                  </th>
                  <td>{formatBytes(f.size)}</td>
                  <td>
                    <span className={`badge badge--${f.state === 'ready' ? 'active' : 'on-hold'}`}>
                      {f.state === 'ready' ? 'Ready' : 'Upload not finished'}
                    </span>
                  </td>
                  <td>{formatDateTime(f.createdAt)}</td>
                  <td>
                    <code>{f.fileId}</code>
                  </td>
                  {onPick && (
                    <td>
                      {picked.includes(f.fileId) ? (
                        <span className="hint">Added</span>
                      ) : f.state === 'ready' ? (
                        <button type="button" onClick={() => onPick(f)} aria-label={`Add ${f.fileName}`}>
                          Add
                        </button>
                      ) : (
                        <span className="hint">Not ready</span>
                      )}
                    </td>
                  )}
                </tr>
              ))}
              {files.length === 0 && (
                <tr>
                  <td colSpan={onPick ? 6 : 5}>
                    {searched ? `No file name contains “${searched}”.` : 'No files yet: upload one, or import one from the bucket.'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </TableScroll>
      )}
      {cursor && (
        <button type="button" onClick={() => void load(searched, cursor)}>
          Load more files
        </button>
      )}
    </section>
  );
};
