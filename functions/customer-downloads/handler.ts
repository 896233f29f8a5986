import { listCustomerDownloads, listInvoiceDownloads } from '../../core/use-cases/list-downloads';
import { listCustomerLicenses } from '../../core/use-cases/manage-license-keys';
import { config } from '../shared/config';
import { invoiceStore, licenseStore, linkStore, linkSigner } from '../shared/deps';
import { byRoute, httpRoute, json } from '../shared/http';
// Traces the SDK clients this handler builds (X-Ray subsegments).
import '../shared/observability';
import { InvoiceIdPath, PageQuery } from '../schemas';

const deps = { links: linkStore(), invoices: invoiceStore(), signer: linkSigner(), publicBaseUrl: config().PUBLIC_BASE_URL };

/** The signed-in customer's own links; the customer id is the token's `sub`, never an input. */
export const handler = byRoute('customer-downloads', {
  'GET /downloads/customer': httpRoute({ query: PageQuery }, async ({ query, caller, now }) =>
    json(200, await listCustomerDownloads(deps, caller.sub, query, now)),
  ),
  'GET /downloads/invoice/{invoiceId}': httpRoute({ path: InvoiceIdPath, query: PageQuery }, async ({ path, query, caller, now }) =>
    json(200, await listInvoiceDownloads(deps, path.invoiceId, { customerId: caller.sub }, query, now)),
  ),
  'GET /licenses/customer': httpRoute({ query: PageQuery }, async ({ query, caller }) =>
    json(200, await listCustomerLicenses({ licenses: licenseStore() }, caller.sub, query)),
  ),
});
