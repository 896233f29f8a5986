/** What every function is deployed with (lib/): the tables, the bucket, the secrets, the public address. */
export const DEPLOYED_ENV = {
  LINKS_TABLE: 'Links',
  INVOICES_TABLE: 'Invoices',
  PRODUCTS_TABLE: 'Products',
  EXTERNAL_IDS_TABLE: 'ExternalIds',
  FILES_TABLE: 'Files',
  LINK_LOG_TABLE: 'LinkLog',
  DISPATCHES_TABLE: 'Dispatches',
  LICENSES_TABLE: 'Licenses',
  LICENSE_LOG_TABLE: 'LicenseLog',
  LICENSE_KEY_SECRET_ID: 'license-keys',
  PRODUCT_UPDATES_TABLE: 'ProductUpdates',
  DASHBOARD_TABLE: 'Dashboard',
  FILES_BUCKET: 'files',
  PUBLIC_BASE_URL: 'https://shop.example.com',
  SIGNING_KEY_SECRET_ID: 'signing-keys',
};
