import { notFound } from '../errors';
import { downloadUrlFor, toDownloadLinkView, type DownloadLinkView, type Link } from '../link';
import type { InvoiceStore, LinkStore, Page, PageRequest } from '../ports';
import type { LinkSigner } from '../link-signer';

export interface ListDeps {
  links: LinkStore;
  invoices: InvoiceStore;
  signer: LinkSigner;
  publicBaseUrl: string;
}

export type Audience = 'customer' | 'operator' | 'email';

/** Links as the contract's `DownloadLink`s, each with its signed URL. */
export const viewLinks = async (
  deps: Pick<ListDeps, 'signer' | 'publicBaseUrl'>,
  links: Link[],
  audience: Audience,
  now: string,
): Promise<DownloadLinkView[]> =>
  Promise.all(
    links.map(async (link) => toDownloadLinkView(link, { now, audience, downloadUrl: downloadUrlFor(deps.publicBaseUrl, await deps.signer.sign(link.id)) })),
  );

const viewPage = async (deps: ListDeps, page: Page<Link>, audience: Audience, now: string): Promise<Page<DownloadLinkView>> => ({
  items: await viewLinks(deps, page.items, audience, now),
  nextCursor: page.nextCursor,
});

/** A customer's links, newest first. */
export const listCustomerDownloads = async (deps: ListDeps, customerId: string, page: PageRequest, now: string, audience: Audience = 'customer') =>
  viewPage(deps, await deps.links.listByCustomer(customerId, page), audience, now);

/** One of the caller's invoices: its links, newest first; an invoice that is not the caller's is unknown to them. */
export const listInvoiceDownloads = async (deps: ListDeps, invoiceId: string, caller: { customerId: string }, page: PageRequest, now: string) => {
  const invoice = await deps.invoices.get(invoiceId);
  if (!invoice?.customerId || invoice.customerId !== caller.customerId) throw notFound('INVOICE_NOT_FOUND', 'No such invoice.');
  return viewPage(deps, await deps.links.listByInvoice(invoiceId, page), 'customer', now);
};

/** The Download Manager's view of an invoice: its links, and the payment state that decides which actions make sense. */
export const listInvoiceDownloadsForOperator = async (deps: ListDeps, invoiceId: string, page: PageRequest, now: string) => {
  const invoice = await deps.invoices.get(invoiceId);
  if (!invoice) throw notFound('INVOICE_NOT_FOUND', 'No such invoice.');
  const links = await viewPage(deps, await deps.links.listByInvoice(invoiceId, page), 'operator', now);
  return { invoice: { invoiceId, customerId: invoice.customerId, customerEmail: invoice.customerEmail, state: invoice.state }, ...links };
};
