import type { StoredFile } from '../file';
import { linkStatusFor, type Invoice } from '../invoice';
import { type Link, UNFLAGGED } from '../link';
import type { CatalogStore, InvoiceStore, LicenseStore, LinkStore } from '../ports';
import { applyInvoiceStateToLicenses, assignLicenses } from './assign-licenses';
import { isOnSale, type DigitalProduct } from '../product';
import { DEFAULT_STAMP_TEXT, isStampable, newCopyKey } from '../stamp';
import { addDays } from '../time';
import { deriveLinkId } from '../token';
import { inBatches } from '../concurrency';

export interface InvoiceLinkDeps {
  invoices: InvoiceStore;
  links: LinkStore;
  catalog: CatalogStore;
  /** License keys (products sold with `licenseKeys`); without it, no key is assigned. */
  licenses?: LicenseStore | undefined;
  log?: { warn(message: string, extra?: Record<string, unknown>): void };
}

/** The digital products among `productIds`, in order. Lines whose product is not configured digital are physical goods. */
export const digitalProductsOf = async (catalog: CatalogStore, productIds: string[]): Promise<DigitalProduct[]> => {
  const products = new Map((await catalog.getProducts(productIds)).map((p) => [p.productId, p]));
  return productIds.flatMap((id) => {
    const product = products.get(id);
    return product && isOnSale(product) ? [product] : [];
  });
};

/** The digital products the caller already read for these lines, so a large invoice is not read twice. */
export interface KnownProducts {
  productIds: string[];
  digital: DigitalProduct[];
}

/**
 * The links an invoice's generation delivers: one per (digital product, file),
 * with the product's settings at this moment copied in.
 */
const planLinks = async (
  deps: InvoiceLinkDeps,
  invoice: Invoice,
  now: string,
  known?: KnownProducts,
): Promise<{ links: Link[]; noFiles: string[]; products: DigitalProduct[] }> => {
  const productIds = invoice.productIds ?? [];
  const reuse = known && known.productIds.length === productIds.length && known.productIds.every((id, i) => id === productIds[i]);
  const refunded = new Set(invoice.refundedProductIds ?? []);
  const products = (reuse ? known.digital : await digitalProductsOf(deps.catalog, productIds)).filter((p) => !refunded.has(p.productId));
  const files = new Map<string, StoredFile>((await deps.catalog.getFiles([...new Set(products.flatMap((p) => p.fileIds))])).map((f) => [f.fileId, f]));
  const paidAt = (invoice.stateKey ?? now).split('#')[0] ?? now;
  const links: Link[] = [];
  const noFiles: string[] = [];
  for (const product of products) {
    const before = links.length;
    for (const fileId of product.fileIds) {
      const file = files.get(fileId);
      if (file?.state !== 'ready') {
        deps.log?.warn('a product names a file that is not ready; no link for it', { productId: product.productId, fileId });
        continue;
      }
      links.push({
        id: deriveLinkId(invoice.linkSeed, product.productId, fileId),
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId ?? '',
        productId: product.productId,
        productName: product.name,
        fileId,
        fileName: file.fileName,
        contentType: file.contentType,
        objectKey: file.objectKey,
        deliveryMethod: product.deliveryMethod,
        expiresAt: addDays(paidAt, product.downloadLinkExpiryDays),
        maxDownloads: product.maxDownloadsPerLink,
        downloadCount: 0,
        // Links are planned for a paid invoice only: they start active.
        status: 'active',
        statusAt: invoice.stateKey ?? '',
        createdAt: now,
        lastDownloadAt: null,
        lastIp: null,
        lastUserAgent: null,
        fileVersion: 1,
        updatedAt: null,
        updateId: null,
        ...UNFLAGGED,
        // A stamped product's PDFs are served as each buyer's own copy, made off the hot path (stamp-link-copy.ts).
        ...(product.stamping?.enabled && isStampable(file.contentType)
          ? { stampText: product.stamping.text ?? DEFAULT_STAMP_TEXT, copyKey: newCopyKey(), copyVersion: null }
          : { stampText: null, copyKey: null, copyVersion: null }),
      });
    }
    // A paid digital product with nothing to download is not delivered: the shop hears NO_FILES for it
    // (a product sold with license keys is delivered by its keys).
    if (links.length === before && !(product.licenseKeys && deps.licenses)) noFiles.push(product.productId);
  }
  return { links, noFiles, products };
};

/**
 * Brings an invoice's links in line with its payment state. Paid and not yet
 * delivered: writes the current generation's links (idempotently: ids are
 * derived, writes conditional). Then moves every link to the status of the
 * state read *after* those writes, so that concurrent events for the same
 * invoice converge on the latest state whatever order they finish in.
 */
export const reconcileInvoiceLinks = async (
  deps: InvoiceLinkDeps,
  invoiceId: string,
  now: string,
  known?: KnownProducts,
  /** The invoice as the caller's last write returned it (recordState): the same as a read right after it. */
  current?: Invoice,
): Promise<Invoice | undefined> => {
  let invoice = current ?? (await deps.invoices.get(invoiceId));
  if (!invoice?.state) return invoice;
  let issuedWith: string | null = null;

  if (invoice.state === 'paid' && invoice.customerId && !invoice.linksIssuedAt) {
    const planned = await planLinks(deps, invoice, now, known);
    // The links are written in the state they were planned for; a state recorded since (a hold while they were
    // being issued, whose own reconcile found no links yet) is applied to them below.
    const plannedWith = invoice.stateKey;
    invoice = await deps.invoices.fixLinkIds(
      invoiceId,
      invoice.generation,
      planned.links.map((l) => l.id),
    );
    const fixed = new Set(invoice.linkIds ?? []);
    await deps.links.createMissing(planned.links.filter((l) => fixed.has(l.id)));
    const keys = deps.licenses ? await assignLicenses(deps.licenses, invoice, planned.products, now) : { licenses: [], poolEmpty: [] };
    const undeliverable: NonNullable<Invoice['undeliverable']> = {
      ...(planned.noFiles.length > 0 ? { NO_FILES: planned.noFiles } : {}),
      ...(keys.poolEmpty.length > 0 ? { LICENSE_POOL_EMPTY: keys.poolEmpty } : {}),
    };
    if (keys.poolEmpty.length > 0) deps.log?.warn('a license pool ran dry: those lines are not delivered', { invoiceId, productIds: keys.poolEmpty });
    const issued = await deps.invoices.markLinksIssued(
      invoiceId,
      invoice.generation,
      now,
      // Both stores record an empty `undeliverable` as nothing undeliverable.
      undeliverable,
      keys.licenses,
    );
    issuedWith = plannedWith;
    // The state as that write found it (ALL_NEW): a state recorded later reconciles the links itself.
    invoice = issued ?? invoice;
  }

  if (invoice.state && invoice.stateKey && invoice.linkIds && invoice.stateKey !== issuedWith) {
    const status = linkStatusFor(invoice.state);
    const stateKey = invoice.stateKey;
    await inBatches(invoice.linkIds, 16, (id) => deps.links.applyPaymentState(id, status, stateKey));
    if (deps.licenses) await applyInvoiceStateToLicenses(deps.licenses, invoice);
  } else if (deps.licenses && invoice.refundedProductIds && invoice.refundedProductIds.length > 0) {
    await applyInvoiceStateToLicenses(deps.licenses, invoice);
  }
  // Links of partially refunded products are revoked, also those a concurrent delivery issued before the refund landed.
  if (invoice.linkIds && invoice.refundedProductIds && invoice.refundedProductIds.length > 0) {
    const refunded = new Set(invoice.refundedProductIds);
    const stateKey = invoice.stateKey;
    const toRevoke = (await deps.links.getMany(invoice.linkIds)).filter((l) => refunded.has(l.productId) && l.status !== 'revoked');
    await inBatches(toRevoke, 16, (link) => deps.links.applyPaymentState(link.id, 'revoked', stateKey ?? link.statusAt));
  }
  return invoice;
};
