import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCatalogStore } from '../adapters/dynamo/catalog-store';
import type { TableName } from '../adapters/dynamo/tables';
import { newUploadFile } from '../core/file';
import { applyProductSettings } from '../core/product';

export interface DemoInfo {
  productId: string;
  fileId: string;
  fileName: string;
  /** An object outside the upload area, ready for `POST /admin/files/import`. */
  importableKey: string;
}

export const DEMO_PRODUCT_ID = 'demo-ebook';
export const DEMO_IMPORTABLE_KEY = 'library/press-kit.zip';

/** A small but real PDF, so the demo download opens in a viewer. */
const demoPdf = (): Buffer => {
  const text = 'Thank you for buying the Digital Downloads Handbook (demo).';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length + 34} >>\nstream\nBT /F1 18 Tf 72 720 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf);
};

/** A demo product with one file, ready to buy; created once per DATA_DIR. */
export const seedDemo = async (deps: { db: DynamoDBClient; s3: S3Client; tables: Record<TableName, string>; bucket: string }): Promise<DemoInfo> => {
  const catalog = new DynamoCatalogStore(DynamoDBDocumentClient.from(deps.db), deps.tables);
  const exists = async (key: string) =>
    deps.s3.send(new HeadObjectCommand({ Bucket: deps.bucket, Key: key })).then(
      () => true,
      () => false,
    );
  if (!(await exists(DEMO_IMPORTABLE_KEY))) {
    await deps.s3.send(
      new PutObjectCommand({ Bucket: deps.bucket, Key: DEMO_IMPORTABLE_KEY, Body: Buffer.from('demo press kit\n'.repeat(64)), ContentType: 'application/zip' }),
    );
  }
  const existing = await catalog.getProduct(DEMO_PRODUCT_ID);
  const existingFile = existing?.fileIds[0] ? await catalog.getFile(existing.fileIds[0]) : undefined;
  if (existing && existingFile) {
    return { productId: DEMO_PRODUCT_ID, fileId: existingFile.fileId, fileName: existingFile.fileName, importableKey: DEMO_IMPORTABLE_KEY };
  }
  const now = new Date().toISOString();
  const bytes = demoPdf();
  const file = {
    ...newUploadFile({ fileName: 'Digital Downloads Handbook.pdf', size: bytes.length }, { now, by: 'demo' }),
    state: 'ready' as const,
    completedAt: now,
  };
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key: file.objectKey, Body: bytes, ContentType: file.contentType }));
  await catalog.putFile(file);
  await catalog.saveProduct(
    applyProductSettings(DEMO_PRODUCT_ID, { name: 'The Digital Downloads Handbook (demo)', fileIds: [file.fileId], maxDownloadsPerLink: 5 }, existing, {
      now,
      by: 'demo',
    }),
    existing ? { version: existing.version } : 'absent',
  );
  return { productId: DEMO_PRODUCT_ID, fileId: file.fileId, fileName: file.fileName, importableKey: DEMO_IMPORTABLE_KEY };
};
