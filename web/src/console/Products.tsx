import { useCallback, useEffect, useId, useState } from 'react';
import { ApiError, call, type Product, type ProductSettings } from '../api/client';
import { Alert, Field, messageOf, Status, TableScroll } from '../ui/components';
import type { ConsoleContext } from './App';

const DELIVERY = [
  { value: 'InstantDownload', label: 'Instant download', hint: 'links on the confirmation page and by email' },
  { value: 'EmailDelivered', label: 'Email delivered', hint: 'links by email only' },
] as const;

export const Products = ({ api, files, rememberFile }: ConsoleContext) => {
  const [products, setProducts] = useState<Product[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<{ productId: string; product?: Product }>();
  const [newId, setNewId] = useState('');

  const load = useCallback(
    async (from?: string) => {
      setError(undefined);
      try {
        const page = await call(api.GET('/admin/products', { params: { query: { limit: 25, ...(from ? { cursor: from } : {}) } } }));
        setProducts((known) => (from ? [...known, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [api],
  );
  useEffect(() => void load(), [load]);

  const saved = (product: Product) => {
    setProducts((known) =>
      known.some((p) => p.productId === product.productId) ? known.map((p) => (p.productId === product.productId ? product : p)) : [product, ...known],
    );
    setEditing({ productId: product.productId, product });
  };

  return (
    <div className="stack">
      <section aria-labelledby="products-title" className="card">
        <h2 id="products-title">Digital products</h2>
        <Alert>{error}</Alert>
        <TableScroll label="Digital products">
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
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
                  <td>{p.deliveryMethod === 'InstantDownload' ? 'Instant download' : 'Email delivered'}</td>
                  <td>{p.downloadLinkExpiryDays === 0 ? 'Never' : `${p.downloadLinkExpiryDays} days`}</td>
                  <td>{p.maxDownloadsPerLink === 0 ? 'Unlimited' : p.maxDownloadsPerLink}</td>
                  <td>{p.fileIds.length}</td>
                  <td>
                    <button type="button" onClick={() => setEditing({ productId: p.productId, product: p })} aria-label={`Edit ${p.name ?? p.productId}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
              {products.length === 0 && (
                <tr>
                  <td colSpan={6}>No digital products yet.</td>
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
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (newId.trim()) setEditing({ productId: newId.trim() });
          }}
        >
          <Field label="New product id" hint="The storefront's product id (letters, digits and . _ : -)">
            {(aria) => <input {...aria} value={newId} onChange={(e) => setNewId(e.target.value)} />}
          </Field>
          <button type="submit">Set up a digital product</button>
        </form>
      </section>
      {editing && (
        <ProductEditor
          key={editing.productId}
          api={api}
          productId={editing.productId}
          product={editing.product}
          files={files}
          rememberFile={rememberFile}
          onSaved={saved}
          onClose={() => setEditing(undefined)}
        />
      )}
    </div>
  );
};

const numberOrRaw = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value));

const ProductEditor = (props: ConsoleContext & { productId: string; product?: Product | undefined; onSaved: (p: Product) => void; onClose: () => void }) => {
  const { api, product } = props;
  const [name, setName] = useState(product?.name ?? '');
  const [deliveryMethod, setDeliveryMethod] = useState<ProductSettings['deliveryMethod']>(product?.deliveryMethod ?? 'InstantDownload');
  const [expiryDays, setExpiryDays] = useState(String(product?.downloadLinkExpiryDays ?? 30));
  const [maxDownloads, setMaxDownloads] = useState(String(product?.maxDownloadsPerLink ?? 0));
  const [fileIds, setFileIds] = useState<string[]>(product?.fileIds ?? []);
  const [fileNames, setFileNames] = useState<Record<string, string>>({});
  const [addId, setAddId] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = useId();

  // biome-ignore lint/correctness/useExhaustiveDependencies: names are looked up again only when the selection changes
  useEffect(() => {
    const names: Record<string, string> = Object.fromEntries(props.files.map((f) => [f.fileId, f.fileName]));
    const unknown = fileIds.filter((id) => !names[id]);
    void Promise.all(
      unknown.map(async (id) => {
        try {
          const file = await call(api.GET('/admin/files/{fileId}', { params: { path: { fileId: id } } }));
          props.rememberFile(file);
        } catch {
          // An id that is not a file shows as itself; saving reports it.
        }
      }),
    );
    setFileNames(names);
  }, [fileIds, props.files, api]);

  const save = async () => {
    setBusy(true);
    setIssues({});
    setError(undefined);
    setStatus(undefined);
    const body = {
      ...(name.trim() ? { name: name.trim() } : {}),
      deliveryMethod,
      downloadLinkExpiryDays: numberOrRaw(expiryDays),
      maxDownloadsPerLink: numberOrRaw(maxDownloads),
      fileIds,
    } as ProductSettings;
    try {
      const saved = await call(api.PUT('/admin/products/{productId}', { params: { path: { productId: props.productId } }, body }));
      setStatus(`Saved ${saved.name ?? saved.productId}.`);
      props.onSaved(saved);
    } catch (e) {
      const fields = e instanceof ApiError ? e.fieldIssues : {};
      setIssues(fields);
      setError(Object.keys(fields).length > 0 ? 'Some settings need fixing: see the fields marked below.' : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const issueFor = (field: string) => issues[field] ?? Object.entries(issues).find(([path]) => path.startsWith(`${field}.`))?.[1];
  const pickable = props.files.filter((f) => f.state === 'ready' && !fileIds.includes(f.fileId));

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{product ? `Edit ${product.name ?? product.productId}` : `New digital product ${props.productId}`}</h2>
      <p className="hint">Changes apply to later purchases: links already issued keep the settings they were made with.</p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Alert>{error}</Alert>
        {issues[''] && <p className="field-error">{issues['']}</p>}
        <Field label="Display name" error={issueFor('name')}>
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
        <fieldset className={issueFor('fileIds') ? 'field--invalid' : ''} aria-describedby={issueFor('fileIds') ? `${titleId}-files-error` : undefined}>
          <legend>Files</legend>
          {fileIds.length === 0 && <p className="hint">No files: buyers would get no links.</p>}
          <ul className="chips">
            {fileIds.map((id) => (
              <li key={id}>
                <span>{fileNames[id] ?? id}</span>
                <button type="button" onClick={() => setFileIds((ids) => ids.filter((x) => x !== id))} aria-label={`Remove ${fileNames[id] ?? id}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          {issueFor('fileIds') && (
            <p className="field-error" id={`${titleId}-files-error`}>
              {issueFor('fileIds')}
            </p>
          )}
          <div className="row">
            {pickable.length > 0 && (
              <Field label="Add a file from this session">
                {(aria) => (
                  <select
                    {...aria}
                    value=""
                    onChange={(e) => {
                      const id = e.target.value;
                      if (id) setFileIds((ids) => [...ids, id]);
                    }}
                  >
                    <option value="">Choose a file…</option>
                    {pickable.map((f) => (
                      <option key={f.fileId} value={f.fileId}>
                        {f.fileName}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <Field label="Add by file id">{(aria) => <input {...aria} value={addId} onChange={(e) => setAddId(e.target.value)} />}</Field>
            <button
              type="button"
              className="align-end"
              onClick={() => {
                const id = addId.trim();
                if (id && !fileIds.includes(id)) setFileIds((ids) => [...ids, id]);
                setAddId('');
              }}
            >
              Add file id
            </button>
          </div>
        </fieldset>
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </div>
        <Status>{status}</Status>
      </form>
    </section>
  );
};
