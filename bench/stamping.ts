/**
 * `npx tsx bench/stamping.ts [MB …] [--json]` (and figure 11 of `npm run bench`): stamping time per MB and memory, up to
 * the largest PDF the stamper supports (MAX_STAMPABLE_BYTES). Each PDF is
 * made of image-like streams (random bytes: pdf-lib copies them without
 * decoding), 4 pages per MB, so parse, stamp and save are all measured.
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument, PDFName } from 'pdf-lib';
import { MAX_STAMPABLE_BYTES, stampPdf } from '../core/pdf-stamp';

const MIB = 1024 * 1024;
const asJson = process.argv.includes('--json');
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const plan = sizes.length > 0 ? sizes : [1, 20, 100, Math.floor(MAX_STAMPABLE_BYTES / MIB) - 6];

const pdfOf = async (megabytes: number): Promise<Uint8Array> => {
  const doc = await PDFDocument.create();
  const pages = Math.max(1, megabytes * 4);
  const perPage = Math.floor((megabytes * MIB) / pages);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    const image = doc.context.stream(randomBytes(perPage), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: 1,
      Height: 1,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
    });
    page.node.setXObject(PDFName.of('Im0'), doc.context.register(image));
  }
  return doc.save();
};

const rows: { megabytes: number; pages: number; ms: number; msPerMb: number; rssMb: number }[] = [];
if (!asJson) {
  console.log('| PDF | pages | stamp (ms) | ms per MB | resident after (MB) |');
  console.log('|---:|---:|---:|---:|---:|');
}
for (const megabytes of plan) {
  const original = await pdfOf(megabytes);
  global.gc?.();
  const started = performance.now();
  const stamped = await stampPdf(original, 'Licensed to ada@example.com — order inv-1001');
  const ms = performance.now() - started;
  const rss = process.memoryUsage().rss / MIB;
  const row = { megabytes: original.length / MIB, pages: megabytes * 4, ms, msPerMb: ms / (original.length / MIB), rssMb: rss };
  rows.push(row);
  if (!asJson) console.log(`| ${row.megabytes.toFixed(0)} MB | ${row.pages} | ${ms.toFixed(0)} | ${row.msPerMb.toFixed(1)} | ${rss.toFixed(0)} |`);
  if (stamped.length < original.length) throw new Error('the stamped copy is smaller than the original');
}
// For `npm run bench` (bench/run.ts runs this script in a process of its own).
if (asJson) console.log(JSON.stringify({ maxStampableMb: MAX_STAMPABLE_BYTES / MIB, rows }));
