import * as z from 'zod/mini';
import { DomainError } from '../../core/errors';
import { RateLimiter } from '../../core/rate-limiter';
import { downloadFile } from '../../core/use-cases/download-file';
import { presignS3Get } from '../../adapters/s3/presign-get';
import { config } from '../shared/config';
import { logger } from '../shared/logger';
import { httpRoute, json } from '../shared/http';
import { countMetric, publishMetrics } from '../shared/metrics';
import { linkLog, links, linkSigner } from './deps';

const { FILES_BUCKET, AWS_REGION, S3_ENDPOINT, PRESIGNED_URL_TTL_SECONDS, DOWNLOAD_RATE_LIMIT_PER_MINUTE, DOWNLOAD_RATE_LIMIT_BURST } = config();
const bucket = { bucket: FILES_BUCKET, region: AWS_REGION, endpoint: S3_ENDPOINT };

const deps = {
  signer: linkSigner,
  links,
  storage: { presignDownload: (input: Parameters<typeof presignS3Get>[1]) => presignS3Get(bucket, input) },
  presignedUrlTtlSeconds: PRESIGNED_URL_TTL_SECONDS,
  linkLog,
  onLogFailure: (error: unknown) => logger.warn('could not log a refused download', { error: (error as Error).message }),
};

const perCustomer = new RateLimiter(DOWNLOAD_RATE_LIMIT_PER_MINUTE, DOWNLOAD_RATE_LIMIT_BURST);

/** `GET /downloads/{token}`: 302 to a short-lived presigned URL, or JSON for `Accept: application/json`. */
// Any string: a malformed token is the token check's 404, not a 400.
export const handler = httpRoute({ path: z.object({ token: z.string() }) }, async ({ path, caller, requester, headers, now }) => {
  let grant: Awaited<ReturnType<typeof downloadFile>>;
  try {
    perCustomer.take(caller.sub);
    grant = await downloadFile(deps, { token: path.token, customerId: caller.sub, now, requester });
  } catch (error) {
    // Refusals are counted here, where they are answered; served downloads are counted by link-log, off the hot path.
    if (error instanceof DomainError) {
      countMetric('DownloadsRefused', { reason: error.code });
      publishMetrics();
    }
    throw error;
  }
  if (/application\/json/i.test(headers.accept ?? '')) return json(200, grant);
  return { statusCode: 302, headers: { location: grant.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
});
