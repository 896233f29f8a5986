import { describe, expect, it, vi } from 'vitest';
import { applyProductSettings } from '../../core/product';
import { DEFAULT_STAMP_TEXT } from '../../core/stamp';
import { deriveLinkId } from '../../core/token';
import { reconcileInvoiceLinks } from '../../core/use-cases/reconcile-invoice-links';
import { FakeCatalogStore, FakeInvoiceStore, FakeLicenseStore, FakeLinkStore, readyFile } from '../support/fakes';

const NOW = '2026-06-01T12:00:00.000Z';

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

describe('delivering a paid invoice’s links', () => {
  const PAID_AT = '2026-05-30T08:00:00.000Z';

  /** A paid invoice (paid at PAID_AT, reconciled at NOW) for the given products, files f-<id> ready as PDFs. */
  const paidFor = async (
    products: ReturnType<typeof product>[],
    options: { licenses?: FakeLicenseStore; state?: 'paid' | 'on_hold'; customerId?: string | null; pending?: string[] } = {},
  ) => {
    const invoices = new FakeInvoiceStore();
    const links = new FakeLinkStore();
    const catalog = new FakeCatalogStore();
    const warnings: [string, Record<string, unknown> | undefined][] = [];
    for (const p of products) {
      catalog.put(p);
      for (const fileId of p.fileIds)
        await catalog.putFile(options.pending?.includes(fileId) ? { ...readyFile(fileId), state: 'pending', completedAt: null } : readyFile(fileId));
    }
    const productIds = products.map((p) => p.productId);
    await invoices.recordPurchase({
      invoiceId: 'inv-1',
      customerId: options.customerId === undefined ? 'cust-1' : options.customerId,
      customerEmail: null,
      productIds,
      allLinesDigital: true,
      now: NOW,
    });
    await invoices.recordState('inv-1', options.state ?? 'paid', `${PAID_AT}#paid`, NOW);
    const deps = {
      invoices,
      links,
      catalog,
      licenses: options.licenses,
      log: { warn: (message: string, extra?: Record<string, unknown>) => warnings.push([message, extra]) },
    };
    return { deps, invoices, links, catalog, warnings };
  };

  it('writes one active link per file, expiring the configured days after the payment, carrying the payment’s state key', async () => {
    // Prepare
    const s = await paidFor([applyProductSettings('book', { name: 'Book', fileIds: ['f-1'], downloadLinkExpiryDays: 3 }, undefined, { now: NOW, by: 'op' })]);
    const applied = vi.spyOn(s.links, 'applyPaymentState');
    const readBack = vi.spyOn(s.links, 'getMany');

    // Act
    const invoice = await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

    // Assess
    const [link] = [...s.links.items.values()];
    expect(invoice?.linkIds).toEqual([link?.id]);
    expect(link).toMatchObject({
      customerId: 'cust-1',
      productName: 'Book',
      status: 'active',
      statusAt: `${PAID_AT}#paid`,
      createdAt: NOW,
      expiresAt: '2026-06-02T08:00:00.000Z',
      stampText: null,
      copyKey: null,
      copyVersion: null,
    });
    // Written once, in its state: not moved again, not read back.
    expect(applied).not.toHaveBeenCalled();
    expect(readBack).not.toHaveBeenCalled();
  });

  it('stamps a stamped product’s PDFs with its text or the default, each link with its own copy key, and serves other files as they are', async () => {
    // Prepare
    const stamped = (id: string, text: string | undefined, fileIds: string[]) =>
      applyProductSettings(id, { name: id, fileIds, stamping: text === undefined ? { enabled: true } : { enabled: true, text } }, undefined, {
        now: NOW,
        by: 'op',
      });
    const s = await paidFor([
      stamped('custom', 'For {customerEmail}', ['f-custom']),
      stamped('plain', undefined, ['f-plain']),
      applyProductSettings('off', { name: 'off', fileIds: ['f-off'], stamping: { enabled: false, text: 'x' } }, undefined, { now: NOW, by: 'op' }),
    ]);
    await s.catalog.putFile({ ...readyFile('f-zip'), contentType: 'application/zip' });
    s.catalog.put(stamped('zip', undefined, ['f-zip']));
    await s.invoices.recordPurchase({ invoiceId: 'inv-2', customerId: 'cust-1', customerEmail: null, productIds: ['zip'], allLinesDigital: true, now: NOW });
    await s.invoices.recordState('inv-2', 'paid', `${PAID_AT}#paid`, NOW);

    // Act
    await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);
    await reconcileInvoiceLinks(s.deps, 'inv-2', NOW);

    // Assess
    const byProduct = Object.fromEntries([...s.links.items.values()].map((l) => [l.productId, l]));
    expect(byProduct.custom).toMatchObject({ stampText: 'For {customerEmail}', copyKey: expect.any(String), copyVersion: null });
    expect(byProduct.plain).toMatchObject({ stampText: DEFAULT_STAMP_TEXT, copyKey: expect.any(String), copyVersion: null });
    expect(byProduct.custom?.copyKey).not.toBe(byProduct.plain?.copyKey);
    expect(byProduct.off).toMatchObject({ stampText: null, copyKey: null, copyVersion: null });
    expect(byProduct.zip).toMatchObject({ stampText: null, copyKey: null, copyVersion: null });
  });

  it('warns of a file that is not ready, naming the product and the file', async () => {
    // Prepare
    const s = await paidFor([product('book', ['f-ok', 'f-book'])], { pending: ['f-book'] });

    // Act
    await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

    // Assess
    expect(s.warnings).toEqual([['a product names a file that is not ready; no link for it', { productId: 'book', fileId: 'f-book' }]]);
  });

  it('reports a product without files as NO_FILES even where license keys are sold, unless the product itself is sold with keys', async () => {
    // Prepare
    const s = await paidFor(
      [
        product('empty', []),
        applyProductSettings('app', { name: 'app', licenseKeys: { mode: 'generated', activationLimit: 1 } }, undefined, { now: NOW, by: 'op' }),
      ],
      { licenses: new FakeLicenseStore() },
    );

    // Act
    const invoice = await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

    // Assess
    expect(invoice?.undeliverable).toEqual({ NO_FILES: ['empty'] });
    expect(invoice?.licenses?.map((l) => l.productId)).toEqual(['app']);
  });

  it('warns when a pool runs dry, naming the invoice and the product, and delivers the rest', async () => {
    // Prepare
    const s = await paidFor(
      [
        applyProductSettings('app', { name: 'app', licenseKeys: { mode: 'pool', activationLimit: 1 } }, undefined, { now: NOW, by: 'op' }),
        product('book', ['f-book']),
      ],
      { licenses: new FakeLicenseStore() },
    );

    // Act
    const invoice = await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

    // Assess
    expect(invoice?.undeliverable).toEqual({ LICENSE_POOL_EMPTY: ['app'] });
    expect(invoice?.linkIds).toHaveLength(1);
    expect(s.warnings).toEqual([['a license pool ran dry: those lines are not delivered', { invoiceId: 'inv-1', productIds: ['app'] }]]);
  });

  it('logs nothing when every line is delivered', async () => {
    // Prepare
    const s = await paidFor(
      [applyProductSettings('app', { name: 'app', licenseKeys: { mode: 'generated', activationLimit: 1 } }, undefined, { now: NOW, by: 'op' })],
      { licenses: new FakeLicenseStore() },
    );

    // Act
    const invoice = await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

    // Assess
    expect(invoice?.undeliverable).toBeNull();
    expect(s.warnings).toEqual([]);
  });

  it('writes only the links an earlier attempt fixed on the invoice, when the product changed since', async () => {
    // Prepare: an attempt fixed the ids when "book" had one file, and crashed; now it has two.
    const s = await paidFor([product('book', ['f-1', 'f-2'])]);
    const invoice = (await s.invoices.get('inv-1')) as NonNullable<Awaited<ReturnType<typeof s.invoices.get>>>;
    const earlier = deriveLinkId(invoice.linkSeed, 'book', 'f-1');
    await s.invoices.fixLinkIds('inv-1', 0, [earlier]);

    // Act
    const after = await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

    // Assess
    expect(after?.linkIds).toEqual([earlier]);
    expect([...s.links.items.keys()]).toEqual([earlier]);
  });

  it('delivers nothing for an order on hold or without a customer, and answers an unknown or stateless invoice as it is', async () => {
    // Prepare
    const held = await paidFor([product('book', ['f-book'])], { state: 'on_hold' });
    const anonymous = await paidFor([product('book', ['f-book'])], { customerId: null });
    await anonymous.invoices.recordPurchase({
      invoiceId: 'inv-new',
      customerId: 'cust-1',
      customerEmail: null,
      productIds: ['book'],
      allLinesDigital: true,
      now: NOW,
    });

    // Act
    const onHold = await reconcileInvoiceLinks(held.deps, 'inv-1', NOW);
    const noCustomer = await reconcileInvoiceLinks(anonymous.deps, 'inv-1', NOW);
    const unknown = await reconcileInvoiceLinks(anonymous.deps, 'inv-404', NOW);
    const stateless = await reconcileInvoiceLinks(anonymous.deps, 'inv-new', NOW);

    // Assess
    expect(onHold).toMatchObject({ state: 'on_hold', linkIds: null, linksIssuedAt: null });
    expect(noCustomer).toMatchObject({ state: 'paid', linkIds: null, linksIssuedAt: null });
    expect(unknown).toBeUndefined();
    expect(stateless).toMatchObject({ invoiceId: 'inv-new', state: null, linkIds: null });
    expect(held.links.items.size + anonymous.links.items.size).toBe(0);
  });

  it('revokes the links and keys of a line refunded while its delivery was being written, under the invoice’s state key', async () => {
    // Prepare: the partial refund of "tool" lands between planning the links and marking them issued.
    const licenses = new FakeLicenseStore();
    const s = await paidFor(
      [
        product('book', ['f-book']),
        applyProductSettings('tool', { name: 'tool', fileIds: ['f-tool'], licenseKeys: { mode: 'generated', activationLimit: 1 } }, undefined, {
          now: NOW,
          by: 'op',
        }),
      ],
      { licenses },
    );
    const markLinksIssued = s.invoices.markLinksIssued.bind(s.invoices);
    s.invoices.markLinksIssued = async (...args) => {
      await s.invoices.recordRefundedLines('inv-1', ['tool'], NOW);
      return markLinksIssued(...args);
    };

    // Act
    await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

    // Assess
    const statuses = Object.fromEntries([...s.links.items.values()].map((l) => [l.productId, [l.status, l.statusAt]]));
    expect(statuses).toEqual({ book: ['active', `${PAID_AT}#paid`], tool: ['revoked', `${PAID_AT}#paid`] });
    expect([...licenses.items.values()].map((l) => [l.productId, l.status])).toEqual([['tool', 'revoked']]);
  });

  it.each(['fixLinkIds', 'markLinksIssued'] as const)(
    'suspends the links of an order put on hold while its links were being issued (the hold recorded before %s)',
    async (step) => {
      // Prepare: the hold (a newer payment state) lands while the delivery writes; its own reconcile finds no links yet.
      const s = await paidFor([product('book', ['f-book'])]);
      const original = s.invoices[step].bind(s.invoices) as (...args: never[]) => Promise<unknown>;
      const holdKey = '2026-05-30T09:00:00.000Z#on_hold';
      (s.invoices as unknown as Record<string, unknown>)[step] = async (...args: never[]) => {
        await s.invoices.recordState('inv-1', 'on_hold', holdKey, NOW);
        return original(...args);
      };

      // Act
      const invoice = await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

      // Assess: the links follow the latest state, as a later reconcile would leave them
      expect(invoice?.state).toBe('on_hold');
      expect([...s.links.items.values()].map((l) => [l.status, l.statusAt])).toEqual([['suspended', holdKey]]);
    },
  );

  it('does not revoke again a refunded line’s link that is revoked already', async () => {
    // Prepare
    const s = await paidFor([product('book', ['f-book']), product('zine', ['f-zine'])]);
    await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);
    await s.invoices.recordRefundedLines('inv-1', ['zine'], NOW);
    await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);
    const applied = vi.spyOn(s.links, 'applyPaymentState');

    // Act: the refund's replay
    await reconcileInvoiceLinks(s.deps, 'inv-1', NOW);

    // Assess
    expect(applied.mock.calls.filter(([, status]) => status === 'revoked')).toEqual([]);
    expect([...s.links.items.values()].map((l) => [l.productId, l.status])).toEqual([
      ['book', 'active'],
      ['zine', 'revoked'],
    ]);
  });
});
