import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError, call, etagOf, type ApiClient, type Product, type ProductSettings } from '../api/client';
import { formatDateTime } from '../format';
import { Alert, ConfirmDialog, Field, messageOf, Status, TableScroll } from '../ui/components';
import type { ConsoleContext } from './App';
import { FileLibrary } from './FileLibrary';
import { Versions } from './Versions';

const DELIVERY = [
  { value: 'InstantDownload', label: 'Instant download', hint: 'links on the confirmation page and by email' },
  { value: 'EmailDelivered', label: 'Email delivered', hint: 'links by email only' },
] as const;

type StatusFilter = 'all' | 'active' | 'archived';

/** What the editor is for: a new id (created only if it is still free) or a product as read (saved only over that version). */
type Editing = { mode: 'create'; productId: string } | { mode: 'edit'; product: Product };

export const Products = ({ api }: ConsoleContext) => {
  const [products, setProducts] = useState<Product[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [editing, setEditingState] = useState<Editing>();
  // The editor starts afresh when a product is opened (or reloaded), not when a save hands it the new version.
  const [opened, setOpened] = useState(0);
  const setEditing = (next: Editing | undefined) => {
    setOpened((n) => n + 1);
    setEditingState(next);
  };
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<{ q: string; status: StatusFilter }>({ q: '', status: 'all' });
  const [archiving, setArchiving] = useState<Product>();

  const load = useCallback(
    async (from?: string) => {
      setError(undefined);
      try {
        const query = {
          limit: 25,
          ...(filter.q ? { q: filter.q } : {}),
          ...(filter.status === 'all' ? {} : { status: filter.status }),
          ...(from ? { cursor: from } : {}),
        };
        const page = await call(api.GET('/admin/products', { params: { query } }));
        setProducts((known) => (from ? [...known, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [api, filter],
  );
  useEffect(() => void load(), [load]);

  const replaced = (product: Product) =>
    setProducts((known) =>
      known.some((p) => p.productId === product.productId) ? known.map((p) => (p.productId === product.productId ? product : p)) : [product, ...known],
    );

  const saved = (product: Product) => {
    replaced(product);
    setEditingState({ mode: 'edit', product });
  };

  return (
    <div className="stack">
      <section aria-labelledby="products-title" className="card">
        <h2 id="products-title">Digital products</h2>
        <form
          className="inline-form"
          aria-label="Search products"
          onSubmit={(event) => {
            event.preventDefault();
            setFilter((f) => ({ ...f, q: q.trim() }));
          }}
        >
          <Field label="Name or id contains">{(aria) => <input {...aria} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}</Field>
          <Field label="Show">
            {(aria) => (
              <select {...aria} value={filter.status} onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value as StatusFilter }))}>
                <option value="all">All products</option>
                <option value="active">On sale</option>
                <option value="archived">Archived</option>
              </select>
            )}
          </Field>
          <button type="submit">Search products</button>
        </form>
        <Alert>{error}</Alert>
        <Status>{status}</Status>
        <TableScroll label="Digital products">
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Status</th>
                <th scope="col">Delivery</th>
                <th scope="col">Link expiry</th>
                <th scope="col">Downloads per link</th>
                <th scope="col">Files</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.productId}>
                  <th scope="row">
                    {p.name ?? p.productId}
                    {p.name && <span className="sub">{p.productId}</span>}
                  </th>
                  <td>
                    <span className={`badge badge--${p.archivedAt ? 'revoked' : 'active'}`}>{p.archivedAt ? 'Archived' : 'On sale'}</span>
                  </td>
                  <td>{p.deliveryMethod === 'InstantDownload' ? 'Instant download' : 'Email delivered'}</td>
                  <td>{p.downloadLinkExpiryDays === 0 ? 'Never' : `${p.downloadLinkExpiryDays} days`}</td>
                  <td>{p.maxDownloadsPerLink === 0 ? 'Unlimited' : p.maxDownloadsPerLink}</td>
                  <td>{p.fileIds.length}</td>
                  <td className="row-actions">
                    <button type="button" onClick={() => setEditing({ mode: 'edit', product: p })} aria-label={`Edit ${p.name ?? p.productId}`}>
                      Edit
                    </button>
                    <button
                      type="button"
                      onClick={() => setArchiving(p)}
                      aria-label={`${p.archivedAt ? 'Put back on sale' : 'Archive'} ${p.name ?? p.productId}`}
                    >
                      {p.archivedAt ? 'Put back on sale…' : 'Archive…'}
                    </button>
                  </td>
                </tr>
              ))}
              {products.length === 0 && (
                <tr>
                  <td colSpan={7}>{filter.q || filter.status !== 'all' ? 'No product matches.' : 'No digital products yet.'}</td>
                </tr>
              )}
            </tbody>
          </table>
        </TableScroll>
        {cursor && (
          <button type="button" onClick={() => void load(cursor)}>
            Load more products
          </button>
        )}
        <NewProduct api={api} onCreate={(productId) => setEditing({ mode: 'create', productId })} onOpen={(product) => setEditing({ mode: 'edit', product })} />
      </section>
      {editing && (
        <ProductEditor
          key={opened}
          api={api}
          editing={editing}
          onSaved={saved}
          onReload={(product) => {
            replaced(product);
            setEditing({ mode: 'edit', product });
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
      {editing?.mode === 'edit' && (
        <Versions
          key={`versions-${editing.product.productId}`}
          api={api}
          product={editing.product}
          onPublished={() => {
            // The product now sells the new file: the editor opens its new version afresh (a save over the old file list would undo it).
            void call(api.GET('/admin/products/{productId}', { params: { path: { productId: editing.product.productId } } }))
              .then((product) => {
                replaced(product);
                setEditing({ mode: 'edit', product });
              })
              .catch(() => undefined);
          }}
        />
      )}
      <ArchiveDialog
        api={api}
        product={archiving}
        onCancel={() => setArchiving(undefined)}
        onDone={(product, message) => {
          setArchiving(undefined);
          replaced(product);
          setStatus(message);
          if (editing?.mode === 'edit' && editing.product.productId === product.productId) setEditingState({ mode: 'edit', product });
        }}
      />
    </div>
  );
};

/** A new id is checked before the form opens: an existing product is offered for editing, never a blank form over it. */
const NewProduct = ({ api, onCreate, onOpen }: { api: ApiClient; onCreate: (productId: string) => void; onOpen: (product: Product) => void }) => {
  const [newId, setNewId] = useState('');
  const [issue, setIssue] = useState<string>();
  const [existing, setExisting] = useState<Product>();
  const [busy, setBusy] = useState(false);

  const check = async () => {
    const productId = newId.trim();
    setIssue(undefined);
    setExisting(undefined);
    if (!productId) {
      setIssue('Enter the storefront’s product id.');
      return;
    }
    setBusy(true);
    try {
      const product = await call(api.GET('/admin/products/{productId}', { params: { path: { productId } } }));
      setExisting(product);
      setIssue(`A product with the id ${productId} already exists.`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) onCreate(productId);
      else setIssue(e instanceof ApiError ? (e.fieldIssues.productId ?? e.message) : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void check();
      }}
    >
      <Field label="New product id" hint="The storefront's product id (letters, digits and . _ : -)" error={issue}>
        {(aria) => <input {...aria} value={newId} onChange={(e) => setNewId(e.target.value)} />}
      </Field>
      <button type="submit" disabled={busy}>
        Set up a digital product
      </button>
      {existing && (
        <button type="button" onClick={() => onOpen(existing)}>
          Edit {existing.name ?? existing.productId} instead
        </button>
      )}
    </form>
  );
};

const numberOrRaw = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value));

/** Why a save changed nothing, and the way out. */
type Conflict = { kind: 'exists' } | { kind: 'changed' };

const ProductEditor = ({
  api,
  editing,
  onSaved,
  onReload,
  onClose,
}: {
  api: ApiClient;
  editing: Editing;
  onSaved: (p: Product) => void;
  onReload: (p: Product) => void;
  onClose: () => void;
}) => {
  const product = editing.mode === 'edit' ? editing.product : undefined;
  const productId = editing.mode === 'edit' ? editing.product.productId : editing.productId;
  const [name, setName] = useState(product?.name ?? '');
  const [deliveryMethod, setDeliveryMethod] = useState<ProductSettings['deliveryMethod']>(product?.deliveryMethod ?? 'InstantDownload');
  const [expiryDays, setExpiryDays] = useState(String(product?.downloadLinkExpiryDays ?? 30));
  const [maxDownloads, setMaxDownloads] = useState(String(product?.maxDownloadsPerLink ?? 0));
  const [fileIds, setFileIds] = useState<string[]>(product?.fileIds ?? []);
  const [externalIds, setExternalIds] = useState((product?.externalIds ?? []).join('\n'));
  const [licenseMode, setLicenseMode] = useState<'none' | 'generated' | 'pool'>(product?.licenseKeys?.mode ?? 'none');
  const [activationLimit, setActivationLimit] = useState(String(product?.licenseKeys?.activationLimit ?? 1));
  const [stamped, setStamped] = useState(product?.stamping?.enabled ?? false);
  const [stampText, setStampText] = useState(product?.stamping?.text ?? '');
  const [fileNames, setFileNames] = useState<Record<string, string>>({});
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState<Conflict>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  // Names of the attached files, for people: looked up once per id.
  useEffect(() => {
    const unknown = fileIds.filter((id) => !fileNames[id]);
    if (unknown.length === 0) return;
    void Promise.all(
      unknown.map(async (id) => {
        const file = await call(api.GET('/admin/files/{fileId}', { params: { path: { fileId: id } } })).catch(() => undefined);
        return [id, file?.fileName ?? id] as const;
      }),
    ).then((found) => setFileNames((known) => ({ ...known, ...Object.fromEntries(found) })));
  }, [fileIds, fileNames, api]);

  const save = async () => {
    setBusy(true);
    setIssues({});
    setError(undefined);
    setConflict(undefined);
    setStatus(undefined);
    const body = {
      ...(name.trim() ? { name: name.trim() } : {}),
      deliveryMethod,
      downloadLinkExpiryDays: numberOrRaw(expiryDays),
      maxDownloadsPerLink: numberOrRaw(maxDownloads),
      fileIds,
      externalIds: externalIds.split(/[\s,]+/).filter(Boolean),
      licenseKeys: licenseMode === 'none' ? null : { mode: licenseMode, activationLimit: numberOrRaw(activationLimit) },
      stamping: { enabled: stamped, ...(stampText.trim() ? { text: stampText.trim() } : {}) },
    } as ProductSettings;
    // Create only while the id is free; edit only the version this form was opened on.
    const header = product ? { 'If-Match': etagOf(product) } : { 'If-None-Match': '*' as const };
    try {
      const saved = await call(api.PUT('/admin/products/{productId}', { params: { path: { productId }, header }, body }));
      setStatus(`Saved ${saved.name ?? saved.productId}.`);
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        setConflict({ kind: product ? 'changed' : 'exists' });
        return;
      }
      // An external id another product holds: the message names that product.
      const fields = e instanceof ApiError ? (e.code === 'EXTERNAL_ID_TAKEN' ? { externalIds: e.message } : e.fieldIssues) : {};
      setIssues(fields);
      setError(Object.keys(fields).length > 0 ? 'Some settings need fixing: see the fields marked below.' : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const reload = async () => {
    setError(undefined);
    try {
      onReload(await call(api.GET('/admin/products/{productId}', { params: { path: { productId } } })));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const issueFor = (field: string) => issues[field] ?? Object.entries(issues).find(([path]) => path.startsWith(`${field}.`))?.[1];
  const fileIssue = (id: string) => issues[`fileIds.${fileIds.indexOf(id)}`];

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {product ? `Edit ${product.name ?? product.productId}` : `New digital product ${productId}`}
      </h2>
      {product && (
        <p className="hint">
          Version {product.version}, last changed {formatDateTime(product.updatedAt)}
          {product.updatedBy ? ` by ${product.updatedBy}` : ''}.
          {product.archivedAt ? ` Archived since ${formatDateTime(product.archivedAt)}: not sold to new purchases.` : ''}
        </p>
      )}
      <p className="hint">Changes apply to later purchases: links already issued keep the settings they were made with.</p>
      {conflict?.kind === 'changed' && (
        <div className="alert" role="alert">
          <p>Someone else changed this product since you opened it, so nothing was saved. Reload it to see their version (your changes here are discarded).</p>
          <button type="button" onClick={() => void reload()}>
            Reload the product
          </button>
        </div>
      )}
      {conflict?.kind === 'exists' && (
        <div className="alert" role="alert">
          <p>A product with the id {productId} was created meanwhile, so nothing was saved. Open it to edit it.</p>
          <button type="button" onClick={() => void reload()}>
            Open {productId}
          </button>
        </div>
      )}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Alert>{error}</Alert>
        {issues[''] && <p className="field-error">{issues['']}</p>}
        <Field label="Display name" hint="What customers see in My downloads and in the delivery email" error={issueFor('name')}>
          {(aria) => <input {...aria} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset className={issueFor('deliveryMethod') ? 'field--invalid' : ''}>
          <legend>Delivery method</legend>
          {DELIVERY.map((d) => (
            <label key={d.value} className="choice">
              <input type="radio" name="deliveryMethod" value={d.value} checked={deliveryMethod === d.value} onChange={() => setDeliveryMethod(d.value)} />
              {d.label} <span className="hint">({d.hint})</span>
            </label>
          ))}
          {issueFor('deliveryMethod') && <p className="field-error">{issueFor('deliveryMethod')}</p>}
        </fieldset>
        <div className="row">
          <Field label="Link expiry (days)" hint="0 = links never expire" error={issueFor('downloadLinkExpiryDays')}>
            {(aria) => <input {...aria} type="number" inputMode="numeric" value={expiryDays} onChange={(e) => setExpiryDays(e.target.value)} />}
          </Field>
          <Field label="Downloads per link" hint="0 = unlimited" error={issueFor('maxDownloadsPerLink')}>
            {(aria) => <input {...aria} type="number" inputMode="numeric" value={maxDownloads} onChange={(e) => setMaxDownloads(e.target.value)} />}
          </Field>
        </div>
        <Field
          label="Storefront ids"
          hint="The product in your storefronts, one per line: shopify:product:<id>, stripe:product:<prod_…>, woo:product:<id> (see docs/connectors.md)"
          error={issueFor('externalIds')}
        >
          {(aria) => <textarea {...aria} rows={2} spellCheck={false} value={externalIds} onChange={(e) => setExternalIds(e.target.value)} />}
        </Field>
        <div className="row">
          <Field label="License keys" hint="One key per unit bought: generated, or taken from a pool you import" error={issueFor('licenseKeys.mode')}>
            {(aria) => (
              <select {...aria} value={licenseMode} onChange={(e) => setLicenseMode(e.target.value as typeof licenseMode)}>
                <option value="none">None</option>
                <option value="generated">Generated by this system</option>
                <option value="pool">From an imported pool</option>
              </select>
            )}
          </Field>
          {licenseMode !== 'none' && (
            <Field label="Activations per key" hint="0 = unlimited" error={issueFor('licenseKeys.activationLimit')}>
              {(aria) => <input {...aria} type="number" inputMode="numeric" value={activationLimit} onChange={(e) => setActivationLimit(e.target.value)} />}
            </Field>
          )}
        </div>
        <fieldset className={issueFor('stamping') ? 'field--invalid' : ''}>
          <legend>Stamped PDFs</legend>
          <label className="choice">
            <input type="checkbox" checked={stamped} onChange={(e) => setStamped(e.target.checked)} /> Each buyer's copy of a PDF names them on every page
          </label>
          {stamped && (
            <Field
              label="Line on every page"
              hint="{customerEmail}, {invoiceId} and {customerId} are filled in; empty = “Licensed to {customerEmail} — order {invoiceId}”"
              error={issueFor('stamping')}
            >
              {(aria) => <input {...aria} value={stampText} onChange={(e) => setStampText(e.target.value)} />}
            </Field>
          )}
        </fieldset>
        <fieldset className={issueFor('fileIds') ? 'field--invalid' : ''}>
          <legend>Files</legend>
          {fileIds.length === 0 && <p className="hint">No files: buyers would get no links.</p>}
          <ul className="chips" aria-label="Files of this product">
            {fileIds.map((id) => (
              <li key={id} className={fileIssue(id) ? 'chip--invalid' : ''}>
                <span>{fileNames[id] ?? id}</span>
                {fileIssue(id) && <span className="field-error">{fileIssue(id)}</span>}
                <button type="button" onClick={() => setFileIds((ids) => ids.filter((x) => x !== id))} aria-label={`Remove ${fileNames[id] ?? id}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          {issueFor('fileIds') && !fileIds.some(fileIssue) && <p className="field-error">{issueFor('fileIds')}</p>}
          <FileLibrary
            api={api}
            title="Add from the file library"
            picked={fileIds}
            onPick={(file) => {
              setFileNames((known) => ({ ...known, [file.fileId]: file.fileName }));
              setFileIds((ids) => (ids.includes(file.fileId) ? ids : [...ids, file.fileId]));
            }}
          />
          <AddById
            api={api}
            fileIds={fileIds}
            onAdd={(id, fileName) => {
              setFileNames((known) => ({ ...known, [id]: fileName }));
              setFileIds((ids) => [...ids, id]);
            }}
          />
        </fieldset>
        <div className="actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : product ? 'Save changes' : 'Create product'}
          </button>
        </div>
        <Status>{status}</Status>
      </form>
      {product?.licenseKeys?.mode === 'pool' && <LicensePool api={api} productId={product.productId} />}
    </section>
  );
};

/** A product's pool of license keys: counts available/assigned, and an import (one key a line; duplicates refused). */
const LicensePool = ({ api, productId }: { api: ApiClient; productId: string }) => {
  const [counts, setCounts] = useState<{ available: number; assigned: number }>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(
    () =>
      call(api.GET('/admin/products/{productId}/license-keys', { params: { path: { productId }, query: { status: 'available', limit: 1 } } }))
        .then((pool) => setCounts(pool.counts))
        .catch((e: unknown) => setError(messageOf(e))),
    [api, productId],
  );
  useEffect(() => void refresh(), [refresh]);
  const keys = text
    .split(/[\s,;]+/)
    .map((k) => k.trim())
    .filter(Boolean);
  const importKeys = async () => {
    setBusy(true);
    setError(undefined);
    setStatus(undefined);
    try {
      const result = await call(api.POST('/admin/products/{productId}/license-keys', { params: { path: { productId } }, body: { keys } }));
      setCounts({ available: result.available, assigned: result.assigned });
      setStatus(
        `Imported ${result.imported} ${result.imported === 1 ? 'key' : 'keys'}${result.alreadyImported ? ` (${result.alreadyImported} already in the pool)` : ''}.`,
      );
      setText('');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`pool-${productId}`}>
      <h3 id={`pool-${productId}`}>License key pool</h3>
      <p>{counts ? `${counts.available} available, ${counts.assigned} assigned` : 'Counting…'}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void importKeys();
        }}
      >
        <Field label="Keys to import" hint="One key a line (or separated by commas); a key already in this pool is skipped, one anywhere else is refused">
          {(aria) => <textarea {...aria} rows={5} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || keys.length === 0}>
            {busy ? 'Importing…' : `Import ${keys.length} ${keys.length === 1 ? 'key' : 'keys'}`}
          </button>
        </div>
      </form>
      <Alert>{error}</Alert>
      <Status>{status}</Status>
    </section>
  );
};

/** A file id typed or pasted: added only once the API knows it as a finished file. */
const AddById = ({ api, fileIds, onAdd }: { api: ApiClient; fileIds: string[]; onAdd: (fileId: string, fileName: string) => void }) => {
  const [value, setValue] = useState('');
  const [issue, setIssue] = useState<string>();
  const add = async () => {
    const id = value.trim();
    setIssue(undefined);
    if (!id) return setIssue('Enter a file id, or pick a file from the library above.');
    if (fileIds.includes(id)) return setIssue('This file is already in the product.');
    try {
      const file = await call(api.GET('/admin/files/{fileId}', { params: { path: { fileId: id } } }));
      if (file.state !== 'ready') return setIssue(`${file.fileName} has not finished uploading yet.`);
      onAdd(file.fileId, file.fileName);
      setValue('');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setIssue('No file has this id.');
      else setIssue(e instanceof ApiError ? (e.fieldIssues.fileId ?? e.message) : messageOf(e));
    }
  };
  return (
    <div className="row">
      <Field label="Add by file id" error={issue}>
        {(aria) => (
          <input
            {...aria}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void add();
              }
            }}
          />
        )}
      </Field>
      <button type="button" className="align-end" onClick={() => void add()}>
        Add file id
      </button>
    </div>
  );
};

const ArchiveDialog = ({
  api,
  product,
  onCancel,
  onDone,
}: {
  api: ApiClient;
  product: Product | undefined;
  onCancel: () => void;
  onDone: (product: Product, message: string) => void;
}) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const archive = !product?.archivedAt;
  const label = product ? (product.name ?? product.productId) : '';
  const run = async () => {
    if (!product) return;
    setBusy(true);
    setError(undefined);
    try {
      const params = { params: { path: { productId: product.productId }, header: { 'If-Match': etagOf(product) } } };
      const after = await call(archive ? api.POST('/admin/products/{productId}/archive', params) : api.POST('/admin/products/{productId}/unarchive', params));
      onDone(after, archive ? `Archived ${label}: new purchases get no links; links already sold keep working.` : `${label} is on sale again.`);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 412 ? 'Someone else changed this product meanwhile: search again to see its current state.' : messageOf(e),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      open={Boolean(product)}
      busy={busy}
      error={error}
      danger={archive}
      title={product ? (archive ? `Archive ${label}?` : `Put ${label} back on sale?`) : ''}
      confirmLabel={archive ? 'Archive product' : 'Put back on sale'}
      onConfirm={() => void run()}
      onCancel={() => {
        setError(undefined);
        onCancel();
      }}
    >
      {archive ? (
        <p>
          New purchases of this product get no download links (it is treated like a physical product). Customers who already bought it keep their links. You can
          put it back on sale at any time.
        </p>
      ) : (
        <p>Purchases from now on get download links again, with the product's current settings.</p>
      )}
    </ConfirmDialog>
  );
};
