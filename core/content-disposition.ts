/**
 * `Content-Disposition: attachment` for a display name (RFC 6266 + RFC 8187):
 * an ASCII fallback `filename="…"` that no quote, comma, CR/LF or path separator
 * can break, and `filename*=UTF-8''…` carrying the exact name.
 */
export const attachmentDisposition = (displayName: string): string => {
  const name = safeDisplayName(displayName);
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc8187(name)}`;
};

/**
 * Strips what a file name must never carry: control and format characters
 * (Unicode Cc and Cf: CR, LF, NUL, bidirectional overrides such as U+202E,
 * zero-width characters), path separators, leading dots.
 */
export const safeDisplayName = (raw: string): string => {
  const cleaned = raw
    // A lone surrogate (valid in JSON) would make encodeURIComponent throw.
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .normalize('NFC')
    // A bidi override shows `invoice\u202Efdp.exe` as "invoiceexe.pdf"; zero-width characters hide in plain sight.
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[\\/]/g, '_')
    .replace(/^[.\s]+/, '');
  // Cut by code point, never inside a surrogate pair; the trim takes trailing spaces, before or at the cut.
  return Array.from(cleaned).slice(0, 255).join('').trim() || 'download';
};

const asciiFallback = (name: string): string => {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    // NFKD can turn look-alikes (／ ．) into separators and dots: clean again after it.
    .replace(/["\\%;,/]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  return ascii || 'download';
};

/** RFC 8187 ext-value: attr-char stays, everything else is percent-encoded UTF-8. */
const encodeRfc8187 = (value: string): string => encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
