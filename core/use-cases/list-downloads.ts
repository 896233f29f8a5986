import { notFound } from '../errors';
import { downloadUrlFor, toDownloadLinkView, type DownloadLinkView, type Link } from '../link';
import type { InvoiceStore, LinkStore, Page, PageRequest, SharingStore } from '../ports';
import type { LinkSigner } from '../link-signer';
import { type SharingPolicy, sharingViewOf } from '../sharing';

/** The sharing signals operators see on links (core/sharing.ts). */
export interface SharingDeps {
  store: SharingStore;
  policy: SharingPolicy;
}

export interface ListDeps {
  links: LinkStore;
  invoices: InvoiceStore;
  signer: LinkSigner;
  publicBaseUrl: string;
  /** Operators' views carry each link's sharing signals when given. */
  sharing?: SharingDeps | undefined;
}

export type Audience = 'customer' | 'operator' | 'email';

/** Links as the contract's `DownloadLink`s, each with its signed URL. */
export const viewLinks = async (
  deps: Pick<ListDeps, 'signer' | 'publicBaseUrl' | 'sharing'>,
  links: Link[],
  audience: Audience,
  now: string,
): Promise<DownloadLinkView[]> => {
  const sharing = audience === 'operator' && deps.sharing && links.length > 0 ? deps.sharing : undefined;
  const aggregates = sharing ? await sharing.store.getMany(links.map((l) => l.id)) : undefined;
  return Promise.all(
    links.map(async (link) => {
      const view = toDownloadLinkView(link, { now, audience, downloadUrl: downloadUrlFor(deps.publicBaseUrl, await deps.signer.sign(link.id)) });
      return sharing ? { ...view, sharing: sharingViewOf(link, aggregates?.get(link.id), now, sharing.policy) } : view;
    }),
  );
};

const viewPage = async (deps: ListDeps, page: Page<Link>, audience: Audience, now: string): Promise<Page<DownloadLinkView>> => ({
  items: await viewLinks(deps, page.items, audience, now),
  nextCursor: page.nextCursor,
});

/** A customer's links, newest first. */
export const listCustomerDownloads = async (deps: ListDeps, customerId: string, page: PageRequest, now: string, audience: Audience = 'customer') =>
  viewPage(deps, await deps.links.listByCustomer(customerId, page), audience, now);

/** The Download Manager's view of a customer: their links with sharing signals, and how often an operator reset them. */
export const listCustomerDownloadsForOperator = async (deps: ListDeps & { sharing: SharingDeps }, customerId: string, page: PageRequest, now: string) => {
  const [links, resets] = await Promise.all([listCustomerDownloads(deps, customerId, page, now, 'operator'), deps.sharing.store.resetsOf(customerId)]);
  return { customer: { customerId, resets }, ...links };
};

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
