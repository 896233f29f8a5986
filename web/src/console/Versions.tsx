import { useCallback, useEffect, useId, useState } from 'react';
import { call, type ApiClient, type Product, type Schemas, type StoredFile } from '../api/client';
import { formatDateTime } from '../format';
import { Alert, ConfirmDialog, Field, messageOf, Status, TableScroll } from '../ui/components';
import { FileLibrary } from './FileLibrary';

type Update = Schemas['ProductUpdate'];
type Preview = Schemas['ProductUpdatePreview'];

const STATUS_WORDS: Record<Update['status'], string> = { repointing: 'Updating links', notifying: 'Telling customers', done: 'Done' };

/**
 * A product's versions (its updates, newest first) and publishing a new one:
 * pick the file to replace and its new version, see how many customers it
 * reaches, confirm. Past buyers keep their links, which serve the new file.
 */
export const Versions = ({ api, product, onPublished }: { api: ApiClient; product: Product; onPublished: () => void }) => {
  const [updates, setUpdates] = useState<Update[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [oldFile, setOldFile] = useState(product.fileIds[0] ?? '');
  const [newFile, setNewFile] = useState<StoredFile>();
  const [notify, setNotify] = useState(true);
  const [preview, setPreview] = useState<Preview>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [dialogError, setDialogError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const titleId = useId();
  const label = product.name ?? product.productId;

  const load = useCallback(async () => {
    try {
      const page = await call(api.GET('/admin/products/{productId}/updates', { params: { path: { productId: product.productId }, query: { limit: 25 } } }));
      setUpdates(page.items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [api, product.productId]);
  useEffect(() => void load(), [load]);
  // After an update the product names the new file: the choice follows.
  useEffect(() => setOldFile((current) => (product.fileIds.includes(current) ? current : (product.fileIds[0] ?? ''))), [product.fileIds]);

  // Names for people: each file id of the product and of its updates, looked up once.
  useEffect(() => {
    const ids = [...new Set([...product.fileIds, ...updates.flatMap((u) => [...Object.keys(u.replace), ...Object.values(u.replace)])])].filter(
      (id) => !names[id],
    );
    if (ids.length === 0) return;
    void Promise.all(
      ids.map(
        async (id) =>
          [id, (await call(api.GET('/admin/files/{fileId}', { params: { path: { fileId: id } } })).catch(() => undefined))?.fileName ?? id] as const,
      ),
    ).then((found) => setNames((known) => ({ ...known, ...Object.fromEntries(found) })));
  }, [api, product.fileIds, updates, names]);

  const replace = () => (oldFile && newFile ? { [oldFile]: newFile.fileId } : undefined);

  const check = async () => {
    const body = replace();
    if (!body) return setError('Pick the file to replace and its new version.');
    setBusy(true);
    setError(undefined);
    try {
      setPreview(
        await call(api.POST('/admin/products/{productId}/updates/preview', { params: { path: { productId: product.productId } }, body: { replace: body } })),
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    const body = replace();
    if (!body) return;
    setBusy(true);
    setDialogError(undefined);
    try {
      const started = await call(
        api.POST('/admin/products/{productId}/updates', { params: { path: { productId: product.productId } }, body: { replace: body, notify } }),
      );
      setPreview(undefined);
      setNewFile(undefined);
      setStatus(`Publishing the new version of ${label}: ${STATUS_WORDS[started.status].toLowerCase()}. Refresh to follow it.`);
      await load();
      onPublished();
    } catch (e) {
      setDialogError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const reach = preview ? `${preview.complete ? '' : 'at least '}${preview.customers} customer${preview.customers === 1 ? '' : 's'}` : '';

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Versions of {label}</h2>
      <Alert>{error}</Alert>
      <Status>{status}</Status>
      <TableScroll label={`Versions of ${label}`}>
        <table>
          <thead>
            <tr>
              <th scope="col">Published</th>
              <th scope="col">Replaced</th>
              <th scope="col">Status</th>
              <th scope="col">Links updated</th>
              <th scope="col">Customers told</th>
            </tr>
          </thead>
          <tbody>
            {updates.map((u) => (
              <tr key={u.updateId}>
                <th scope="row">{formatDateTime(u.createdUtc)}</th>
                <td>
                  {Object.entries(u.replace)
                    .map(([from, to]) => `${names[from] ?? from} → ${names[to] ?? to}`)
                    .join(', ')}
                </td>
                <td>{STATUS_WORDS[u.status]}</td>
                <td>{u.repointed}</td>
                <td>{u.notify ? u.customersNotified : 'Not told'}</td>
              </tr>
            ))}
            {updates.length === 0 && (
              <tr>
                <td colSpan={5}>No update yet: every link serves the file it was sold with.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      <button type="button" onClick={() => void load()}>
        Refresh versions
      </button>

      <h3>Publish a new version</h3>
      <Field label="File to replace">
        {(aria) => (
          <select {...aria} value={oldFile} onChange={(e) => setOldFile(e.target.value)}>
            {product.fileIds.map((id) => (
              <option key={id} value={id}>
                {names[id] ?? id}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p>New version: {newFile ? <strong>{newFile.fileName}</strong> : 'pick a completed file from the library below.'}</p>
      <FileLibrary api={api} title="Pick the new version" onPick={setNewFile} picked={newFile ? [newFile.fileId] : []} />
      <label>
        <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Email each customer once about the new version
      </label>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !newFile || !oldFile} onClick={() => void check()}>
          Publish update…
        </button>
      </div>
      <ConfirmDialog
        open={Boolean(preview)}
        busy={busy}
        error={dialogError}
        title={`Publish the new version to ${reach}?`}
        confirmLabel={`Publish to ${reach}`}
        onConfirm={() => void publish()}
        onCancel={() => {
          setDialogError(undefined);
          setPreview(undefined);
        }}
      >
        <p>
          {preview?.links ?? 0} download link{preview?.links === 1 ? '' : 's'} of {reach} will serve {newFile?.fileName} instead of {names[oldFile] ?? oldFile},
          through the same links, with the same counts and limits. Revoked links stay revoked.{' '}
          {notify ? 'Each of these customers gets one email about it.' : 'Nobody is emailed.'} New purchases get the new version.
        </p>
      </ConfirmDialog>
    </section>
  );
};
