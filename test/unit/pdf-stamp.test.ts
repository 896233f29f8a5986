import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { NotStampable, stampPdf } from '../../core/pdf-stamp';
import { metadataOf, pageTexts, samplePdf } from '../support/pdf';

/** Where and how each page draws `text`: the text matrix's x and y, the font size and the fill colour before it. */
const drawnAt = (content: string, text: string) => {
  const block = content.split('BT').find((b) => b.includes(`${text} Tj`)) ?? '';
  const [, x, y] = /1 0 0 1 (-?[\d.]+) (-?[\d.]+) Tm/.exec(block) ?? [];
  return { x: Number(x), y: Number(y), size: Number(/ ([\d.]+) Tf/.exec(block)?.[1]), colour: /([\d.]+ [\d.]+ [\d.]+) rg/.exec(block)?.[1] };
};

const helveticaWidth = async (text: string, size: number) =>
  (await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica)).widthOfTextAtSize(text, size);

/** A one-page PDF whose visible area (crop box) starts at (50, 100) and is 300 wide, made by another producer. */
const croppedPdf = async () => {
  const doc = await PDFDocument.create();
  doc.addPage([400, 600]).setCropBox(50, 100, 300, 400);
  doc.setProducer('Acme Writer 7');
  doc.setCreator('Acme');
  return doc.save({ useObjectStreams: false });
};

const reasonOf = async (bytes: Uint8Array) => {
  try {
    await stampPdf(bytes, 'Licensed to ada@example.com');
    return 'stamped';
  } catch (error) {
    return error instanceof NotStampable ? `${error.name}: ${error.message}` : `other: ${String(error)}`;
  }
};

describe('the stamp on a PDF', () => {
  it('is a small grey line centred at the foot of the visible area of every page', async () => {
    // Prepare
    const line = 'Licensed to ada@example.com — order inv-1';

    // Act
    const stamped = await stampPdf(await croppedPdf(), line);

    // Assess
    const [content] = await pageTexts(stamped);
    const drawn = drawnAt(content ?? '', 'Licensed to ada@example.com \x97 order inv-1');
    expect(drawn.x).toBeCloseTo(50 + (300 - (await helveticaWidth(line, 8))) / 2, 2);
    expect(drawn).toMatchObject({ y: 108, size: 8, colour: '0.35 0.35 0.35' });
    expect(content).toMatch(/\/Helvetica[-\w]* 8 Tf/);
  });

  it('starts 6 points from the left edge when the line is wider than the page', async () => {
    // Prepare
    const line = `Licensed to ${'a'.repeat(120)}@example.com`;

    // Act
    const stamped = await stampPdf(await croppedPdf(), line);

    // Assess
    const [content] = await pageTexts(stamped);
    expect(drawnAt(content ?? '', line).x).toBeCloseTo(56, 5);
  });

  it('shows what the standard font cannot draw as "?", while the metadata keeps the line as it is', async () => {
    // Prepare
    const line = 'Licensed to 山田@example.jp';

    // Act
    const stamped = await stampPdf(await samplePdf(2), line);

    // Assess
    for (const content of await pageTexts(stamped)) expect(content).toContain('Licensed to ??@example.jp Tj');
    expect(await metadataOf(stamped)).toMatchObject({ subject: line, keywords: line });
  });

  it("leaves the original's producer and creator as they were", async () => {
    // Act
    const stamped = await PDFDocument.load(await stampPdf(await croppedPdf(), 'Licensed to ada@example.com'), { updateMetadata: false });

    // Assess
    expect({ producer: stamped.getProducer(), creator: stamped.getCreator() }).toEqual({ producer: 'Acme Writer 7', creator: 'Acme' });
  });

  it('is refused with a reason for a PDF without pages, an encrypted PDF, and a file that is no PDF', async () => {
    // Prepare
    const empty = await (await PDFDocument.create()).save({ addDefaultPage: false });
    const encryptedDoc = await PDFDocument.create();
    encryptedDoc.addPage([400, 600]);
    encryptedDoc.context.trailerInfo.Encrypt = encryptedDoc.context.register(encryptedDoc.context.obj({ Filter: 'Standard', V: 1, R: 2 }));
    const encrypted = await encryptedDoc.save();

    // Act
    const reasons = [await reasonOf(empty), await reasonOf(encrypted), await reasonOf(new TextEncoder().encode('just some text'))];

    // Assess
    expect(reasons.slice(0, 2)).toEqual(['NotStampable: the PDF has no pages', 'NotStampable: the PDF is encrypted']);
    expect(reasons[2]).toMatch(/^NotStampable: not a PDF pdf-lib can stamp: ./);
  });
});
