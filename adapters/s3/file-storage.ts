import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FileStorage } from '../../core/ports';
import { decodeCursor, encodeCursor } from '../cursor';
import { presignS3Get, type S3Location } from './presign-get';

/**
 * The files bucket. Downloads are presigned by the bare SigV4 signer (the hot
 * path; see presign-get.ts); uploads and listings go through the S3 client.
 */
export class S3FileStorage implements FileStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly location: S3Location,
  ) {}

  private get bucket() {
    return this.location.bucket;
  }

  presignDownload(input: { objectKey: string; fileName: string; contentType: string; expiresInSeconds: number }) {
    return presignS3Get(this.location, input);
  }

  presignUpload(input: { objectKey: string; contentType: string; expiresInSeconds: number }) {
    return getSignedUrl(this.s3, new PutObjectCommand({ Bucket: this.bucket, Key: input.objectKey, ContentType: input.contentType }), {
      expiresIn: input.expiresInSeconds,
    });
  }

  async startMultipartUpload(input: { objectKey: string; contentType: string }) {
    const out = await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: input.objectKey, ContentType: input.contentType }));
    if (!out.UploadId) throw new Error('S3 returned no UploadId');
    return out.UploadId;
  }

  presignUploadPart(input: { objectKey: string; uploadId: string; partNumber: number; expiresInSeconds: number }) {
    return getSignedUrl(this.s3, new UploadPartCommand({ Bucket: this.bucket, Key: input.objectKey, UploadId: input.uploadId, PartNumber: input.partNumber }), {
      expiresIn: input.expiresInSeconds,
    });
  }

  async completeMultipartUpload(input: { objectKey: string; uploadId: string; parts: { partNumber: number; etag: string }[] }) {
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: input.objectKey,
        UploadId: input.uploadId,
        MultipartUpload: { Parts: input.parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      }),
    );
  }

  async describe(objectKey: string) {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? null };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async list(input: { prefix?: string | undefined; cursor?: string | undefined; limit: number }) {
    const start = decodeCursor(input.cursor, ['token']);
    const out = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: input.prefix || undefined, MaxKeys: input.limit, ContinuationToken: start?.token }),
    );
    return {
      items: (out.Contents ?? []).map((o) => ({ key: o.Key ?? '', size: o.Size ?? 0, lastModified: (o.LastModified ?? new Date(0)).toISOString() })),
      nextCursor: out.IsTruncated && out.NextContinuationToken ? encodeCursor({ token: out.NextContinuationToken }, ['token']) : null,
    };
  }
}
