import { findCustomersByEmail } from '../../core/use-cases/find-customers';
import { readDashboard } from '../../core/use-cases/read-dashboard';
import { listCustomerDownloadsForOperator, listInvoiceDownloadsForOperator } from '../../core/use-cases/list-downloads';
import { readLinkLog, regenerateInvoiceLinks, resetCustomerLinks, resetLink, revokeLink } from '../../core/use-cases/manage-links';
import { findLicense, listCustomerLicensesForOperator, readLicenseLog, resetLicenseActivations, revokeLicense } from '../../core/use-cases/manage-license-keys';
import { config } from '../shared/config';
import { dashboardCounters, invoiceStore, licenseLog, licenseStore, linkLog, linkStore, linkSigner, sharingPolicy, sharingStore } from '../shared/deps';
import { byRoute, httpRoute, json } from '../shared/http';
// Traces the SDK clients this handler builds (X-Ray subsegments).
import '../shared/observability';
import { CustomerPath, CustomerSearchQuery, DashboardQuery, InvoicePath, LicensePath, LinkPath, PageQuery, ResetBody } from '../schemas';

const deps = {
  links: linkStore(),
  invoices: invoiceStore(),
  linkLog: linkLog(),
  signer: linkSigner(),
  publicBaseUrl: config().PUBLIC_BASE_URL,
  sharing: { store: sharingStore(), policy: sharingPolicy() },
};

const licenses = { licenses: licenseStore(), licenseLog: licenseLog() };

const admin = true;

/**
 * The Download Manager: operators see, reset, revoke and regenerate customers' links, and read each link's log;
 * and the console's dashboard (the day counters the streams keep).
 */
export const handler = byRoute('admin-manager', {
  'GET /admin/customers': httpRoute({ admin, query: CustomerSearchQuery }, async ({ query }) =>
    json(200, await findCustomersByEmail(deps.invoices, query.email)),
  ),
  'GET /admin/customers/{customerId}/downloads': httpRoute({ admin, path: CustomerPath, query: PageQuery }, async ({ path, query, now }) =>
    json(200, await listCustomerDownloadsForOperator(deps, path.customerId, query, now)),
  ),
  'GET /admin/invoices/{invoiceId}/downloads': httpRoute({ admin, path: InvoicePath, query: PageQuery }, async ({ path, query, now }) =>
    json(200, await listInvoiceDownloadsForOperator(deps, path.invoiceId, query, now)),
  ),
  'POST /admin/links/{linkId}/reset': httpRoute({ admin, path: LinkPath, body: ResetBody }, async ({ path, body, caller, now }) =>
    json(200, await resetLink(deps, path.linkId, body ?? {}, { sub: caller.sub, now })),
  ),
  'POST /admin/customers/{customerId}/downloads/reset': httpRoute({ admin, path: CustomerPath, body: ResetBody }, async ({ path, body, caller, now }) =>
    json(200, await resetCustomerLinks(deps, path.customerId, body ?? {}, { sub: caller.sub, now })),
  ),
  'POST /admin/links/{linkId}/revoke': httpRoute({ admin, path: LinkPath }, async ({ path, caller, now }) =>
    json(200, await revokeLink(deps, path.linkId, { sub: caller.sub, now })),
  ),
  'POST /admin/invoices/{invoiceId}/downloads/regenerate': httpRoute({ admin, path: InvoicePath }, async ({ path, caller, now }) =>
    json(200, await regenerateInvoiceLinks(deps, path.invoiceId, { sub: caller.sub, now })),
  ),
  'GET /admin/links/{linkId}/events': httpRoute({ admin, path: LinkPath, query: PageQuery }, async ({ path, query, now }) =>
    json(200, await readLinkLog(deps, path.linkId, query, now)),
  ),
  'GET /admin/licenses/{key}': httpRoute({ admin, path: LicensePath }, async ({ path }) => json(200, await findLicense(licenses, path.key))),
  'GET /admin/licenses/{key}/events': httpRoute({ admin, path: LicensePath, query: PageQuery }, async ({ path, query }) =>
    json(200, await readLicenseLog(licenses, path.key, query)),
  ),
  'POST /admin/licenses/{key}/reset-activations': httpRoute({ admin, path: LicensePath }, async ({ path, caller, now }) =>
    json(200, await resetLicenseActivations(licenses, path.key, { sub: caller.sub, now })),
  ),
  'POST /admin/licenses/{key}/revoke': httpRoute({ admin, path: LicensePath }, async ({ path, caller, now }) =>
    json(200, await revokeLicense(licenses, path.key, { sub: caller.sub, now })),
  ),
  'GET /admin/customers/{customerId}/licenses': httpRoute({ admin, path: CustomerPath, query: PageQuery }, async ({ path, query }) =>
    json(200, await listCustomerLicensesForOperator(licenses, path.customerId, query)),
  ),
  'GET /admin/dashboard': httpRoute({ admin, query: DashboardQuery }, async ({ query, now }) =>
    json(200, await readDashboard(dashboardCounters(), { days: query.days, now })),
  ),
});
