import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFRef, StandardFonts } from 'pdf-lib';

/** A small real PDF of `pages` pages, each with a line of its own. */
export const samplePdf = async (pages: number, title = 'Sample'): Promise<Uint8Array> => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  for (let i = 1; i <= pages; i++) doc.addPage([400, 600]).drawText(`${title}, page ${i}`, { x: 40, y: 500, size: 14, font });
  doc.setTitle(title);
  return doc.save();
};

/**
 * What each page draws, as text: its content streams decoded (Flate), with the
 * hex strings of `<…> Tj` turned back into characters (pdf-lib writes text so).
 */
export const pageTexts = async (bytes: Uint8Array): Promise<string[]> => {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    return refs
      .map((ref) => {
        const stream = doc.context.lookup(ref as PDFRef);
        if (!(stream instanceof PDFRawStream)) return '';
        const flate = stream.dict.get(PDFName.of('Filter'))?.toString() === '/FlateDecode';
        const raw = Buffer.from(flate ? inflateSync(stream.contents) : stream.contents).toString('latin1');
        return raw.replace(/<([0-9A-Fa-f]+)>\s*Tj/g, (_, hex: string) => `${Buffer.from(hex, 'hex').toString('latin1')} Tj`);
      })
      .join('\n');
  });
};

export const metadataOf = async (bytes: Uint8Array) => {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return { subject: doc.getSubject(), keywords: doc.getKeywords(), title: doc.getTitle() };
};
