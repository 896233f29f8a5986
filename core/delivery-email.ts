import { escapeHtml, mimeMessage } from './email';
import type { DeliveryMethod } from './product';

/** One file of the order, as the email lists it. */
export interface EmailedLink {
  fileName: string;
  downloadUrl: string;
  deliveryMethod: DeliveryMethod;
  expiresUtc: string | null;
  maxDownloads: number | null;
}

/** What a delivery email says: the order, its products by name, each product's files, and where "My downloads" is. */
export interface DeliveryEmailContent {
  invoiceId: string;
  to: string;
  products: { name: string; links: EmailedLink[]; licenseKeys?: string[] | undefined }[];
  /** The customer's downloads page: every link of every order, after sign-in. */
  accountUrl: string;
  /** A regeneration's email says the earlier links stopped working. */
  regenerated: boolean;
}

const terms = (link: EmailedLink) =>
  [
    link.expiresUtc ? `until ${link.expiresUtc.replace('T', ' ').replace(/(:\d\d)?Z$/, ' UTC')}` : 'never expires',
    link.maxDownloads ? `${link.maxDownloads} downloads` : 'unlimited downloads',
  ].join(', ');

/** The customer's delivery email as a raw MIME message (text and HTML), ready for SES. */
export const buildDeliveryEmail = (content: DeliveryEmailContent, options: { from: string; shopName?: string | undefined; now: Date }) => {
  const shop = options.shopName ?? 'our shop';
  const subject = content.regenerated ? `New download links for order ${content.invoiceId}` : `Your downloads for order ${content.invoiceId}`;
  const intro = content.regenerated
    ? `Here are new download links for your order ${content.invoiceId} at ${shop}; the earlier ones no longer work.`
    : `Thank you for your order ${content.invoiceId} at ${shop}.`;
  const outro = 'Sign in with your account to download. Links are personal: please do not share them.';
  const text = [
    intro,
    '',
    ...content.products.flatMap((product) => [
      product.name,
      ...product.links.map((l) => `- ${l.fileName} (${terms(l)})\n  ${l.downloadUrl}`),
      ...(product.licenseKeys ?? []).map((key) => `- License key: ${key}`),
      '',
    ]),
    `All your downloads: ${content.accountUrl}`,
    '',
    outro,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>${escapeHtml(intro)}</p>
${content.products
  .map(
    (product) =>
      `<h2 style="font-size:1.1em">${escapeHtml(product.name)}</h2><ul>${product.links
        .map((l) => `<li><a href="${escapeHtml(l.downloadUrl)}">${escapeHtml(l.fileName)}</a> <small>(${escapeHtml(terms(l))})</small></li>`)
        .join('')}${(product.licenseKeys ?? [])
        .map((key) => `<li>License key: <code style="font-size:1.1em;user-select:all">${escapeHtml(key)}</code></li>`)
        .join('')}</ul>`,
  )
  .join('\n')}
<p><a href="${escapeHtml(content.accountUrl)}">All your downloads</a></p>
<p>${escapeHtml(outro)}</p>
</body></html>`;
  return { subject, text, html, raw: mimeMessage({ from: options.from, to: content.to, subject, text, html, now: options.now }) };
};
