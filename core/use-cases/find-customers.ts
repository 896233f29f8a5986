import type { Invoice } from '../invoice';
import type { InvoiceStore } from '../ports';

/** At most this many invoices are read per search: enough for any one shopper. */
const MAX_INVOICES = 100;

export interface CustomerMatch {
  customerId: string;
  /** Newest first. */
  invoices: { invoiceId: string; state: Invoice['state']; createdAt: string }[];
}

/**
 * Who bought with an email address: the customer ids (newest purchase first)
 * and their invoices. Storefronts send the address as the shopper typed it,
 * so it is looked up as given and in lower case.
 */
export const findCustomersByEmail = async (invoices: Pick<InvoiceStore, 'listByEmail'>, email: string): Promise<{ email: string; items: CustomerMatch[] }> => {
  const given = email.trim();
  const spellings = [...new Set([given, given.toLowerCase()])];
  const found = new Map<string, Invoice>();
  for (const invoice of (await Promise.all(spellings.map((e) => invoices.listByEmail(e, MAX_INVOICES)))).flat()) found.set(invoice.invoiceId, invoice);
  const byCustomer = new Map<string, CustomerMatch>();
  for (const invoice of [...found.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
    if (!invoice.customerId) continue;
    const match = byCustomer.get(invoice.customerId) ?? { customerId: invoice.customerId, invoices: [] };
    match.invoices.push({ invoiceId: invoice.invoiceId, state: invoice.state, createdAt: invoice.createdAt });
    byCustomer.set(invoice.customerId, match);
  }
  return { email: given, items: [...byCustomer.values()] };
};
