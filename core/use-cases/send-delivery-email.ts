import { buildDeliveryEmail } from '../delivery-email';
import { type DispatchDeps, dispatchIdOf, dispatchOnce } from '../dispatch';
import { isDeliverableAddress } from '../email';
import { downloadUrlFor } from '../link';
import type { LinkSigner } from '../link-signer';
import type { InvoiceStore, LicenseStore, LinkStore, Mailer } from '../ports';
import { toPublicTime } from '../time';

export interface DeliveryEmailDeps {
  invoices: InvoiceStore;
  links: LinkStore;
  /** Names the products of license keys that came without a file. */
  licenses?: LicenseStore | undefined;
  signer: LinkSigner;
  mailer: Mailer;
  dispatch: DispatchDeps;
  publicBaseUrl: string;
  /** The customer's "My downloads" page. */
  accountUrl: string;
  from: string;
  shopName?: string | undefined;
}

export type DeliveryEmailOutcome = 'sent' | 'already-sent' | 'stale' | 'no-address' | 'no-links';

/** The key of an invoice generation's delivery email: one email per invoice and generation. */
export const deliveryEmailKey = (invoiceId: string, generation: number) => `email:delivery#${invoiceId}#${generation}`;

/**
 * Emails the customer the links of one generation of an invoice, exactly
 * once. The event that asks for it is only a trigger: address, links and
 * product names are read from the tables, so an event anyone could put on
 * the bus can neither choose the recipient nor the URLs, and an event for a
 * generation that was regenerated since sends nothing.
 */
export const sendDeliveryEmail = async (
  deps: DeliveryEmailDeps,
  request: { invoiceId: string; generation: number },
  now: Date,
): Promise<DeliveryEmailOutcome> => {
  const invoice = await deps.invoices.get(request.invoiceId);
  if (!invoice?.linksIssuedAt || invoice.generation !== request.generation || !invoice.customerId) return 'stale';
  if (!isDeliverableAddress(invoice.customerEmail)) return 'no-address';
  const to = invoice.customerEmail;
  const linkIds = invoice.linkIds ?? [];
  // In the order the invoice issued them: a batch read answers in any order.
  const byId = new Map((await deps.links.getMany(linkIds)).map((link) => [link.id, link]));
  const links = linkIds.flatMap((id) => byId.get(id) ?? []);
  const keys = invoice.licenses ?? [];
  if (links.length === 0 && keys.length === 0) return 'no-links';
  const products = new Map<string, Parameters<typeof buildDeliveryEmail>[0]['products'][number]>();
  for (const link of links) {
    // The product's name as it was sold (links keep what they were issued with).
    const entry = products.get(link.productId) ?? { name: link.productName ?? link.productId, links: [] };
    entry.links.push({
      fileName: link.fileName,
      downloadUrl: downloadUrlFor(deps.publicBaseUrl, await deps.signer.sign(link.id)),
      deliveryMethod: link.deliveryMethod,
      expiresUtc: toPublicTime(link.expiresAt),
      maxDownloads: link.maxDownloads || null,
    });
    products.set(link.productId, entry);
  }
  const names = new Map(
    keys.some((k) => !products.has(k.productId)) && deps.licenses
      ? (await deps.licenses.getMany(keys.map((k) => k.key))).map((l) => [l.productId, l.productName] as const)
      : [],
  );
  for (const { key, productId } of keys) {
    const entry = products.get(productId) ?? { name: names.get(productId) ?? productId, links: [] };
    entry.licenseKeys = [...(entry.licenseKeys ?? []), key];
    products.set(productId, entry);
  }
  const email = buildDeliveryEmail(
    { invoiceId: invoice.invoiceId, to, products: [...products.values()], accountUrl: deps.accountUrl, regenerated: invoice.generation > 0 },
    { from: deps.from, shopName: deps.shopName, now },
  );
  const key = deliveryEmailKey(invoice.invoiceId, invoice.generation);
  return dispatchOnce(deps.dispatch, key, () =>
    deps.mailer.send({ to, raw: email.raw, dispatchId: dispatchIdOf(key), kind: 'delivery', reference: invoice.invoiceId }),
  );
};
