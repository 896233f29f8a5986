import type { Link } from '../../core/link';

/** A link as the domain knows it, with whatever the test changes. */
export const aLink = (overrides: Partial<Link> = {}): Link => ({
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  invoiceId: 'inv-1',
  customerId: 'cust-1',
  productId: 'ebook',
  productName: 'The E-book',
  fileId: 'FFFFFFFFFFFFFFFFFFFFFF',
  fileName: 'ebook.pdf',
  contentType: 'application/pdf',
  objectKey: 'uploads/xyz',
  deliveryMethod: 'InstantDownload',
  expiresAt: '2026-04-27T00:00:00.000Z',
  maxDownloads: 5,
  downloadCount: 2,
  status: 'active',
  statusAt: '2026-03-28T00:00:00.000Z#1',
  createdAt: '2026-03-28T00:00:00.000Z',
  lastDownloadAt: '2026-03-28T10:30:00.000Z',
  lastIp: null,
  lastUserAgent: null,
  fileVersion: 1,
  updatedAt: null,
  updateId: null,
  ...overrides,
});
