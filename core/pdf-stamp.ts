import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';

/**
 * The stamp itself, with pdf-lib: a small grey line at the foot of every
 * page, and the same text in the document's metadata (Subject, Keywords).
 * The input bytes are never changed: the result is a new document.
 */

/** The largest PDF stamped (bytes): pdf-lib holds the whole document in memory, ~4× its size (docs/updates-and-stamping.md). */
export const MAX_STAMPABLE_BYTES = 256 * 1024 * 1024;

export class NotStampable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotStampable';
  }
}

/** The standard fonts speak WinAnsi: anything else (a non-Latin address) becomes `?` on the page; the metadata keeps it as it is. */
const winAnsi = (text: string): string => text.replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, '?');

export const stampPdf = async (original: Uint8Array, line: string): Promise<Uint8Array> => {
  try {
    return await stamp(original, line);
  } catch (error) {
    if (error instanceof NotStampable) throw error;
    // pdf-lib reads damaged files leniently and fails later, anywhere: any failure of its own means "cannot stamp this".
    throw new NotStampable(`not a PDF pdf-lib can stamp: ${(error as Error).message}`);
  }
};

const stamp = async (original: Uint8Array, line: string): Promise<Uint8Array> => {
  // A copy of the bytes: pdf-lib may keep views into its input, and the original must stay as it was.
  // Encrypted files load (ignoreEncryption) only so that the refusal can say why.
  const doc = await PDFDocument.load(original.slice(), { updateMetadata: false, ignoreEncryption: true });
  if (doc.isEncrypted) throw new NotStampable('the PDF is encrypted');
  const pages = doc.getPages();
  if (pages.length === 0) throw new NotStampable('the PDF has no pages');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const visible = winAnsi(line);
  const size = 8;
  for (const page of pages) {
    const { x, y, width } = page.getCropBox();
    const textWidth = font.widthOfTextAtSize(visible, size);
    page.drawText(visible, {
      x: x + Math.max(6, (width - textWidth) / 2),
      y: y + 8,
      size,
      font,
      color: rgb(0.35, 0.35, 0.35),
    });
  }
  doc.setSubject(line);
  doc.setKeywords([line]);
  doc.setModificationDate(new Date());
  return doc.save();
};
