import { newId } from './token';

/**
 * Stamped copies: each buyer's copy of a PDF carries a line naming them. The
 * link keeps what the hot path needs (the copy's key and which file version
 * it holds), so a download reads nothing more; this module has no PDF code
 * (core/pdf-stamp.ts has), so the download's bundle stays small.
 */

/** Where stamped copies live: never inside the upload area, never under an operator's key. */
export const STAMPED_AREA = 'stamped/';

export const DEFAULT_STAMP_TEXT = 'Licensed to {customerEmail} — order {invoiceId}';

/** A link's own unguessable prefix for its copies (one object per file version under it). */
export const newCopyKey = (): string => `${STAMPED_AREA}${newId()}`;

/** The object a stamped link serves for its current file version. */
export const stampedObjectKey = (link: { copyKey: string; fileVersion: number }): string => `${link.copyKey}/v${link.fileVersion}.pdf`;

/** Only PDFs are stamped; other files of a stamping product are served as they are. */
export const isStampable = (contentType: string): boolean => contentType.split(';')[0]?.trim().toLowerCase() === 'application/pdf';

/** The line for one buyer: the template with `{customerEmail}`, `{invoiceId}`, `{customerId}` filled in, on one line. */
export const renderStampText = (template: string, values: { customerEmail: string | null; invoiceId: string; customerId: string }): string =>
  template
    .replace(/\{(customerEmail|invoiceId|customerId)\}/g, (_, name: 'customerEmail' | 'invoiceId' | 'customerId') => values[name] ?? values.customerId)
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .slice(0, 300);
