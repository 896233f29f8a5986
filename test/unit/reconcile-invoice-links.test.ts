import { describe, expect, it } from 'vitest';
import type { StoredFile } from '../../core/file';
import { applyProductSettings } from '../../core/product';
import { reconcileInvoiceLinks } from '../../core/use-cases/reconcile-invoice-links';
import { FakeCatalogStore, FakeInvoiceStore, FakeLinkStore } from '../support/fakes';

const NOW = '2026-06-01T12:00:00.000Z';

const readyFile = (fileId: string): StoredFile => ({
  fileId,
  fileName: `${fileId}.pdf`,
  contentType: 'application/pdf',
  size: 10,
  objectKey: `uploads/${fileId}`,
  state: 'ready',
  source: 'upload',
  upload: null,
  createdAt: NOW,
  createdBy: 'op',
  completedAt: NOW,
});

const product = (productId: string, fileIds: string[]) => applyProductSettings(productId, { name: productId, fileIds }, undefined, { now: NOW, by: 'op' });

/** A paid invoice for `productIds`, files f-<id> ready; the catalog holds the products listed in `inCatalog`. */
const paidInvoice = async (productIds: string[], inCatalog: string[]) => {
  const invoices = new FakeInvoiceStore();
  const links = new FakeLinkStore();
  const catalog = new FakeCatalogStore();
  for (const id of productIds) await catalog.putFile(readyFile(`f-${id}`));
  for (const id of inCatalog) catalog.put(product(id, [`f-${id}`]));
  await invoices.recordPurchase({ invoiceId: 'inv-1', customerId: 'cust-1', customerEmail: 'ada@example.com', productIds, allLinesDigital: true, now: NOW });
  await invoices.recordState('inv-1', 'paid', `${NOW}#paid`, NOW);
  return { deps: { invoices, links, catalog }, invoices, catalog };
};

describe('reconciling an invoice with the products the caller already read', () => {
  it('uses the caller’s products when they were read for exactly the invoice’s lines, without reading the catalog', async () => {
    // Prepare: the catalog no longer holds "book"; only the caller's read does.
    const { deps } = await paidInvoice(['book', 'zine'], []);

    // Act
    const invoice = await reconcileInvoiceLinks(deps, 'inv-1', NOW, { productIds: ['book', 'zine'], digital: [product('book', ['f-book'])] });

    // Assess
    expect(invoice?.linkIds).toHaveLength(1);
    expect(invoice?.undeliverable).toBeNull();
  });

  it('reads the catalog again when the caller’s products were read for other lines of the same count', async () => {
    // Prepare
    const { deps } = await paidInvoice(['book', 'zine'], ['book', 'zine']);

    // Act
    const invoice = await reconcileInvoiceLinks(deps, 'inv-1', NOW, { productIds: ['book', 'other'], digital: [] });

    // Assess
    expect(invoice?.linkIds).toHaveLength(2);
  });

  it('reads the catalog again when the caller’s products were read for only some of the lines', async () => {
    // Prepare
    const { deps } = await paidInvoice(['book', 'zine'], ['book', 'zine']);

    // Act
    const invoice = await reconcileInvoiceLinks(deps, 'inv-1', NOW, { productIds: ['book'], digital: [product('book', ['f-book'])] });

    // Assess
    expect(invoice?.linkIds).toHaveLength(2);
  });

  it('issues no link for a file that is missing or not ready, and reports those products as NO_FILES', async () => {
    // Prepare: "book" names a file the catalog lacks, "zine" a file still pending upload.
    const { deps, catalog } = await paidInvoice([], []);
    catalog.put(product('book', ['f-gone']));
    await catalog.putFile({ ...readyFile('f-zine'), state: 'pending', completedAt: null });
    catalog.put(product('zine', ['f-zine']));
    await deps.invoices.recordPurchase({
      invoiceId: 'inv-2',
      customerId: 'cust-1',
      customerEmail: null,
      productIds: ['book', 'zine'],
      allLinesDigital: true,
      now: NOW,
    });
    await deps.invoices.recordState('inv-2', 'paid', `${NOW}#paid`, NOW);

    // Act
    const invoice = await reconcileInvoiceLinks(deps, 'inv-2', NOW);

    // Assess
    expect(invoice?.linkIds).toEqual([]);
    expect(invoice?.undeliverable).toEqual({ NO_FILES: ['book', 'zine'] });
    expect(deps.links.items.size).toBe(0);
  });
});
