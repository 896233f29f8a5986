import { escapeHtml, mimeMessage } from './email';

/** What an update email says: which product has a new version, and the customer's links to it (the same links as before). */
export interface UpdateEmailContent {
  to: string;
  productName: string;
  links: { fileName: string; fileVersion: number; downloadUrl: string }[];
  accountUrl: string;
}

/** The customer's "a new version is ready" email as a raw MIME message (text and HTML), ready for SES. */
export const buildUpdateEmail = (content: UpdateEmailContent, options: { from: string; shopName?: string | undefined; now: Date }) => {
  const shop = options.shopName ?? 'our shop';
  const subject = `A new version of ${content.productName} is ready`;
  const intro = `${content.productName}, which you bought at ${shop}, has a new version. Your download links stay the same and now serve it:`;
  const outro = 'Sign in with your account to download. Links are personal: please do not share them.';
  const text = [
    intro,
    '',
    ...content.links.map((l) => `- ${l.fileName} (version ${l.fileVersion})\n  ${l.downloadUrl}`),
    '',
    `All your downloads: ${content.accountUrl}`,
    '',
    outro,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>${escapeHtml(intro)}</p>
<ul>${content.links
    .map((l) => `<li><a href="${escapeHtml(l.downloadUrl)}">${escapeHtml(l.fileName)}</a> <small>(version ${l.fileVersion})</small></li>`)
    .join('')}</ul>
<p><a href="${escapeHtml(content.accountUrl)}">All your downloads</a></p>
<p>${escapeHtml(outro)}</p>
</body></html>`;
  return { subject, text, html, raw: mimeMessage({ from: options.from, to: content.to, subject, text, html, now: options.now }) };
};
