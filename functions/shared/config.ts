import { z } from 'zod';

/**
 * The functions' environment, parsed once at cold start. A missing or wrong
 * value fails the cold start loudly instead of a request later.
 */
const optionalUrl = z.url().optional();

const ConfigSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  LINKS_TABLE: z.string().min(1),
  INVOICES_TABLE: z.string().min(1),
  PRODUCTS_TABLE: z.string().min(1),
  FILES_TABLE: z.string().min(1),
  LINK_EVENTS_TABLE: z.string().min(1),
  FILES_BUCKET: z.string().min(1),
  PUBLIC_BASE_URL: z.url(),
  SIGNING_KEY_SECRET_ID: z.string().min(1),
  DEAD_LETTER_QUEUE_URL: z.string().min(1).optional(),
  EVENT_BUS_NAME: z.string().min(1).default('default'),
  /** How long a presigned download URL lives: long enough to follow the 302 and resume a few times, short enough that a leaked URL is useless. */
  PRESIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(300).default(120),
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(3600),
  MULTIPART_THRESHOLD_BYTES: z.coerce.number().int().min(5 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Per customer, per warm instance; 0 turns the limiter off (API Gateway's stage throttling still applies). */
  DOWNLOAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  DOWNLOAD_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(60),
  LINK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  DYNAMODB_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  EVENTBRIDGE_ENDPOINT: optionalUrl,
  SQS_ENDPOINT: optionalUrl,
  SECRETS_MANAGER_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  SENDER_EMAIL: z.string().min(3).default('downloads@shop.example.com'),
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

export const config = (): Config => {
  if (!cached) {
    const parsed = ConfigSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    cached = parsed.data;
  }
  return cached;
};
