import type { Node } from 'constructs';

/** What a deployment is configured with: CDK context, from cdk.json or `-c key=value`. */
export interface DeploymentSettings {
  /** The identity provider's issuer, exactly as tokens carry it in `iss`. */
  jwtIssuer: string;
  /** Accepted `aud` (or Cognito `client_id`) values. */
  jwtAudience: string[];
  /** The shop's address: `downloadUrl`s are `<publicBaseUrl>/downloads/<token>`. */
  publicBaseUrl: string;
  /** The From address of delivery emails. */
  senderEmail: string;
  /**
   * Life of a presigned download URL (10–300 s). The files bucket refuses GETs
   * signed longer ago than this plus a minute of clock skew. @default 120
   */
  presignedUrlTtlSeconds: number;
  /** Steady-state requests per second of each route without a limit of its own (the stage default). @default 200 */
  apiRateLimit: number;
  /** Burst of each route without a limit of its own (the stage default). @default 400 */
  apiBurstLimit: number;
  /** Requests per second of `GET /downloads/{token}`, at most `apiRateLimit`. @default 100 */
  downloadRateLimit: number;
  /** Burst of `GET /downloads/{token}`, at most `apiBurstLimit`. @default 200 */
  downloadBurstLimit: number;
  /** Downloads per minute per customer in each warm download function; 0 turns that limiter off. @default 120 */
  downloadRateLimitPerCustomer: number;
  /** Burst of the per-customer limiter. @default 60 */
  downloadBurstLimitPerCustomer: number;
  /**
   * Reserved concurrency of payment-events: a share of the account's Lambda
   * concurrency no download flood can take, and a cap that smooths its
   * DynamoDB writes (EventBridge invokes asynchronously, so throttled events
   * wait in Lambda's queue instead of failing). 0 (or no value) reserves
   * nothing, which accounts whose concurrency limit is under 110 need. cdk.json sets 10.
   */
  paymentEventsConcurrency: number;
  /** Where alarm notifications are emailed; none when unset (the topic's ARN is an output, to subscribe anything). */
  alarmEmail?: string;
  /** The operator console's OIDC client id, written to the web UI's config.json. @default 'digital-downloads-console' */
  webClientId: string;
  /** The customer page's OIDC client id. @default webClientId */
  customerClientId: string;
  /**
   * Origins the web UI is served from (the CloudFront domain or a custom
   * one), allowed by the API's CORS besides the shop's. The distribution's
   * domain is known after the first deploy: deploy, then redeploy with it.
   */
  webOrigins: string[];
}

/** The values a setting takes when its context key is absent. */
export const SETTING_DEFAULTS = {
  presignedUrlTtlSeconds: 120,
  apiRateLimit: 200,
  apiBurstLimit: 400,
  downloadRateLimit: 100,
  downloadBurstLimit: 200,
  downloadRateLimitPerCustomer: 120,
  downloadBurstLimitPerCustomer: 60,
  paymentEventsConcurrency: 0,
  webClientId: 'digital-downloads-console',
} as const satisfies Partial<DeploymentSettings>;

const EXAMPLES: Record<keyof DeploymentSettings, string> = {
  jwtIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
  jwtAudience: 'digital-downloads (or a,b for several, or a JSON array in cdk.json)',
  publicBaseUrl: 'https://shop.example.com',
  senderEmail: 'downloads@shop.example.com',
  presignedUrlTtlSeconds: '120',
  apiRateLimit: '200',
  apiBurstLimit: '400',
  downloadRateLimit: '100',
  downloadBurstLimit: '200',
  downloadRateLimitPerCustomer: '120',
  downloadBurstLimitPerCustomer: '60',
  paymentEventsConcurrency: '10 (or 0 for none)',
  alarmEmail: 'ops@shop.example.com',
  webClientId: 'digital-downloads-console',
  customerClientId: 'digital-downloads-customer',
  webOrigins: 'https://d111111abcdef8.cloudfront.net (or a,b)',
};

const httpsUrl = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.search && !url.hash ? value : undefined;
  } catch {
    return undefined;
  }
};

/** `-c jwtAudience=a,b` arrives as a string; cdk.json may hold an array or a JSON array in a string. */
const audiences = (value: unknown): string[] | undefined => {
  let list: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        list = JSON.parse(text);
      } catch {
        return undefined;
      }
    } else list = text.split(',');
  }
  if (!Array.isArray(list)) return undefined;
  const cleaned = list.map((a) => (typeof a === 'string' ? a.trim() : '')).filter((a) => a.length > 0);
  return cleaned.length > 0 && cleaned.length === list.length ? cleaned : undefined;
};

/** An OAuth client id: printable, no spaces (RFC 6749 allows any VSCHAR; none of the known providers use spaces). */
const clientId = (value: unknown): string | undefined => (typeof value === 'string' && /^[\x21-\x7e]{1,256}$/.test(value.trim()) ? value.trim() : undefined);

const email = (value: unknown): string | undefined => (typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? value.trim() : undefined);

/** No value, or an empty `-c key=`. */
const isUnset = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A whole number in [min, max] from cdk.json (a number) or `-c` (a string); the fallback when unset. */
const integer = (value: unknown, min: number, max: number, fallback: number): number | undefined => {
  if (isUnset(value)) return fallback;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(parsed) && parsed >= min && parsed <= max ? parsed : undefined;
};

/**
 * Reads and checks the deployment settings from CDK context. Every problem is
 * reported at once, with the key to set and an example, before any stack is built.
 */
export const readSettings = (node: Node): DeploymentSettings => {
  const raw = (key: keyof DeploymentSettings): unknown => node.tryGetContext(key);
  const problems: string[] = [];
  const check = <T>(key: keyof DeploymentSettings, parsed: T | undefined, rule: string): T => {
    if (parsed === undefined) {
      const got = raw(key);
      problems.push(`  ${key}: ${rule}; got ${got === undefined ? 'nothing' : JSON.stringify(got)}. Example: -c ${key}=${EXAMPLES[key]}`);
    }
    return parsed as T;
  };
  const whole = (key: Exclude<keyof typeof SETTING_DEFAULTS, 'webClientId'>, min: number, max: number, what = `must be a whole number from ${min} to ${max}`) =>
    check(key, integer(raw(key), min, max, SETTING_DEFAULTS[key]), what);

  const jwtIssuer = check('jwtIssuer', httpsUrl(raw('jwtIssuer')), 'must be the https issuer URL of the identity provider');
  const jwtAudience = check('jwtAudience', audiences(raw('jwtAudience')), 'must name at least one audience, none empty');
  const publicBaseUrl = check('publicBaseUrl', httpsUrl(raw('publicBaseUrl')), 'must be the https address of the shop');
  const senderEmail = check('senderEmail', email(raw('senderEmail')), 'must be an email address');

  // functions/shared/config.ts accepts the same range: a value it would reject must not deploy.
  const presignedUrlTtlSeconds = whole('presignedUrlTtlSeconds', 10, 300, 'must be a whole number of seconds from 10 to 300');
  // The upper bounds are API Gateway's default account-level limits per Region.
  const apiRateLimit = whole('apiRateLimit', 1, 10_000);
  const apiBurstLimit = whole('apiBurstLimit', 1, 5_000);
  // The download route gets a share of what other routes get, never more: that is its point.
  const downloadRateLimit = whole('downloadRateLimit', 1, apiRateLimit ?? 10_000, `must be a whole number from 1 to apiRateLimit (${apiRateLimit})`);
  const downloadBurstLimit = whole('downloadBurstLimit', 1, apiBurstLimit ?? 5_000, `must be a whole number from 1 to apiBurstLimit (${apiBurstLimit})`);
  const downloadRateLimitPerCustomer = whole('downloadRateLimitPerCustomer', 0, 1_000_000, 'must be a whole number from 0 (no limit) to 1000000');
  const downloadBurstLimitPerCustomer = whole('downloadBurstLimitPerCustomer', 1, 1_000_000);
  const paymentEventsConcurrency = whole('paymentEventsConcurrency', 0, 1_000, 'must be a whole number from 0 (no reservation) to 1000');
  const alarmEmail = isUnset(raw('alarmEmail'))
    ? undefined
    : check('alarmEmail', email(raw('alarmEmail')), 'must be an email address, or unset for no subscription');
  const webClientId = isUnset(raw('webClientId'))
    ? SETTING_DEFAULTS.webClientId
    : check('webClientId', clientId(raw('webClientId')), 'must be an OAuth client id (printable, no spaces)');
  const customerClientId = isUnset(raw('customerClientId'))
    ? webClientId
    : check('customerClientId', clientId(raw('customerClientId')), 'must be an OAuth client id (printable, no spaces), or unset for webClientId');

  const webOriginsRaw = raw('webOrigins');
  const webOrigins = isUnset(webOriginsRaw)
    ? []
    : check(
        'webOrigins',
        audiences(webOriginsRaw)?.every((o) => httpsUrl(o) && new URL(o).origin === o) ? (audiences(webOriginsRaw) as string[]) : undefined,
        'must be https origins (scheme and host, no path), comma-separated',
      );

  if (problems.length > 0) {
    throw new Error(`Invalid CDK context (set it in cdk.json "context" or with -c key=value):\n${problems.join('\n')}`);
  }
  return {
    jwtIssuer,
    jwtAudience,
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    senderEmail,
    presignedUrlTtlSeconds,
    apiRateLimit,
    apiBurstLimit,
    downloadRateLimit,
    downloadBurstLimit,
    downloadRateLimitPerCustomer,
    downloadBurstLimitPerCustomer,
    paymentEventsConcurrency,
    ...(alarmEmail ? { alarmEmail } : {}),
    webClientId,
    customerClientId,
    webOrigins,
  };
};
