import type { Node } from 'constructs';
import { queuePolicyOf } from '../functions/manifest';

/** How SES knows the sender: the address (SES mails it a link), its domain (Easy DKIM), or an identity made outside this app. */
export type SenderIdentityKind = 'email' | 'domain' | 'existing';

/** What a deployment is configured with: CDK context, from cdk.json or `-c key=value`. */
export interface DeploymentSettings {
  /** The identity provider's issuer, exactly as tokens carry it in `iss`. */
  jwtIssuer: string;
  /** The operator console's OIDC client id. */
  webClientId: string;
  /** The customer page's OIDC client id. @default webClientId */
  customerClientId: string;
  /**
   * Every `aud` (or Cognito `client_id`) the JWT authorizer accepts: the two
   * web clients always, then the extra audiences given as `jwtAudience` (a
   * storefront's own app client, for instance). Without the web clients the
   * pages' own tokens would be refused (401 on every call).
   */
  jwtAudience: string[];
  /** The storefront's address: the only origin that may frame the customer page and hand it a token; allowed by the API's CORS. */
  shopUrl: string;
  /**
   * Where `downloadUrl`s point (`<publicBaseUrl>/downloads/<token>`). Unset:
   * the distribution itself (its custom domain when `domainName` is set), so
   * links work on the first deploy with no proxy in front.
   */
  publicBaseUrl?: string;
  /** A custom domain for the distribution (a CNAME to it), with `certificateArn`. */
  domainName?: string;
  /** An ACM certificate in us-east-1 (CloudFront's region) for `domainName`. */
  certificateArn?: string;
  /** The From address of delivery emails. */
  senderEmail: string;
  /** @default 'email' */
  senderIdentity: SenderIdentityKind;
  /** With `senderIdentity=domain`: the Route 53 public zone of the sender's domain, to write the DKIM records in. */
  hostedZoneId?: string;
  /** Addresses verified as SES identities too, so that a sandboxed account may mail them (the sandbox mails verified recipients only). */
  sandboxRecipients: string[];
  /** The shop's name in emails. */
  shopName?: string;
  /**
   * A random value the distribution sends with every API request, so the
   * functions trust the viewer's address it forwards (and nothing a client
   * sends straight to the API). @default a value derived from the stack
   */
  edgeToken?: string;
  /** Where alarm notifications are emailed; none when unset (the topic's ARN is an output, to subscribe anything). */
  alarmEmail?: string;
  /** AWS accounts (a storefront's) allowed to put `storefront.payments` events on this account's default bus. */
  storefrontAccountIds: string[];
  /** Shopify's partner event bus in this account (`aws.partner/shopify.com/<app id>/<name>`), once the shop associated it; unset: no Shopify rule. */
  shopifyEventBus?: string;
  /** Stripe's partner event bus in this account (`aws.partner/stripe.com/<destination id>`); unset: no Stripe rule. */
  stripeEventBus?: string;
  /**
   * Reserved concurrency of payment-events. Unset by default: the SQS event
   * source's maximum concurrency already caps it without reserving any of the
   * account's concurrency (Lambda refuses any reservation that leaves less
   * than 100 unreserved, so new accounts, limited to 10, cannot deploy one).
   */
  paymentEventsConcurrency?: number;
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
   * The required settings that still hold placeholder values (the example
   * configuration, or values like example.com). Empty for a real deployment;
   * otherwise synth works (CI) and every stack refuses to deploy.
   */
  placeholders: RequiredSetting[];
}

/** The values a shop must give; asked for by name, refused while they are placeholders. */
export const REQUIRED_SETTINGS = ['jwtIssuer', 'webClientId', 'shopUrl', 'senderEmail'] as const;
export type RequiredSetting = (typeof REQUIRED_SETTINGS)[number] | 'customerClientId' | 'publicBaseUrl';

/**
 * THE EXAMPLE CONFIGURATION. Used for every required value that is not set,
 * so that `cdk synth` works offline (CI, a fresh clone); nothing synthesized
 * from it can be deployed (see `placeholders`).
 */
export const EXAMPLE_CONFIGURATION: Readonly<Record<(typeof REQUIRED_SETTINGS)[number], string>> = {
  jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_EXAMPLE',
  webClientId: 'EXAMPLE-console-client-id',
  shopUrl: 'https://shop.example.com',
  senderEmail: 'downloads@shop.example.com',
};

/** The values a setting takes when its context key is absent. */
export const SETTING_DEFAULTS = {
  presignedUrlTtlSeconds: 120,
  apiRateLimit: 200,
  apiBurstLimit: 400,
  downloadRateLimit: 100,
  downloadBurstLimit: 200,
  downloadRateLimitPerCustomer: 120,
  downloadBurstLimitPerCustomer: 60,
  senderIdentity: 'email',
} as const satisfies Partial<DeploymentSettings>;

type ContextKey = Exclude<keyof DeploymentSettings, 'placeholders'>;

const EXAMPLES: Record<ContextKey, string> = {
  jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  webClientId: '4s2ab0example0000000000000 (the console app client id)',
  customerClientId: '6c0ab0example0000000000000 (the customer page app client id)',
  jwtAudience: 'storefront-app (or a,b for several, or a JSON array in cdk.json)',
  shopUrl: 'https://shop.your-domain.com',
  publicBaseUrl: 'https://downloads.your-domain.com',
  domainName: 'downloads.your-domain.com',
  certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/…',
  senderEmail: 'downloads@your-domain.com',
  senderIdentity: 'email | domain | existing',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  sandboxRecipients: 'you@your-domain.com,colleague@your-domain.com',
  shopName: 'Ada’s Books',
  edgeToken: '$(openssl rand -hex 24)',
  alarmEmail: 'ops@your-domain.com',
  storefrontAccountIds: '111122223333 (or a,b)',
  shopifyEventBus: 'aws.partner/shopify.com/123456/dd-shop',
  stripeEventBus: 'aws.partner/stripe.com/ed_61RM8ltWcuYc1JNa416RM7JmSTSZQXU4',
  paymentEventsConcurrency: '10 (unset for none)',
  presignedUrlTtlSeconds: '120',
  apiRateLimit: '200',
  apiBurstLimit: '400',
  downloadRateLimit: '100',
  downloadBurstLimit: '200',
  downloadRateLimitPerCustomer: '120',
  downloadBurstLimitPerCustomer: '60',
};

/** Context keys of earlier versions, refused with what replaces them (a silently ignored key is worse than an error). */
const RETIRED: Record<string, string> = {
  webOrigins: 'no longer needed: the pages and the API are served from the same CloudFront distribution (same origin, no CORS)',
};

const httpsUrl = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' && !url.search && !url.hash && !url.username ? value.trim() : undefined;
  } catch {
    return undefined;
  }
};

/** `-c key=a,b` arrives as a string; cdk.json may hold an array or a JSON array in a string. */
const list = (value: unknown): string[] | undefined => {
  let items: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        items = JSON.parse(text);
      } catch {
        return undefined;
      }
    } else items = text.split(',');
  }
  if (!Array.isArray(items)) return undefined;
  const cleaned = items.map((a) => (typeof a === 'string' ? a.trim() : '')).filter((a) => a.length > 0);
  return cleaned.length > 0 && cleaned.length === items.length ? cleaned : undefined;
};

/** An OAuth client id: printable, no spaces (RFC 6749 allows any VSCHAR; none of the known providers use spaces). */
const clientId = (value: unknown): string | undefined => (typeof value === 'string' && /^[\x21-\x7e]{1,256}$/.test(value.trim()) ? value.trim() : undefined);

const email = (value: unknown): string | undefined => (typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? value.trim() : undefined);

const hostname = (value: unknown): string | undefined =>
  typeof value === 'string' && /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(value.trim().toLowerCase())
    ? value.trim().toLowerCase()
    : undefined;

/** No value, or an empty `-c key=`. */
const isUnset = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A whole number in [min, max] from cdk.json (a number) or `-c` (a string). */
const integer = (value: unknown, min: number, max: number): number | undefined => {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(parsed) && parsed >= min && parsed <= max ? parsed : undefined;
};

/** RFC 2606 / 6761 names, which no shop owns: a URL or address there is a placeholder. */
const RESERVED_HOST = /(^|\.)(example|test|invalid|localhost)(\.|$)/i;
/** What example and template values look like: `_EXAMPLE` pool ids, `XXXX`, `<your id>`. */
const PLACEHOLDER_TEXT = /example|x{4}|placeholder|changeme|your[-_ ]?(pool|client|id)|[<>{}]/i;

const hostOf = (value: string): string => {
  if (value.includes('@')) return value.slice(value.lastIndexOf('@') + 1);
  try {
    return new URL(value).hostname;
  } catch {
    return value;
  }
};

const looksLikePlaceholder = (key: RequiredSetting, value: string): boolean =>
  key === 'jwtIssuer' || key === 'webClientId' || key === 'customerClientId' ? PLACEHOLDER_TEXT.test(value) : RESERVED_HOST.test(hostOf(value));

/**
 * Reads and checks the deployment settings from CDK context. Every malformed
 * value is reported at once, with the key to set and an example, before any
 * stack is built. Required values that are missing take the example
 * configuration's placeholders and are listed in `placeholders`.
 */
export const readSettings = (node: Node): DeploymentSettings => {
  const raw = (key: string): unknown => node.tryGetContext(key);
  const problems: string[] = [];
  const placeholders: RequiredSetting[] = [];
  const check = <T>(key: ContextKey, parsed: T | undefined, rule: string): T => {
    if (parsed === undefined) {
      const got = raw(key);
      problems.push(`  ${key}: ${rule}; got ${got === undefined ? 'nothing' : JSON.stringify(got)}. Example: -c ${key}=${EXAMPLES[key]}`);
    }
    return parsed as T;
  };
  const optional = <T>(key: ContextKey, parse: (value: unknown) => T | undefined, rule: string): T | undefined =>
    isUnset(raw(key)) ? undefined : check(key, parse(raw(key)), rule);
  const whole = (key: keyof typeof SETTING_DEFAULTS & ContextKey, min: number, max: number, what = `must be a whole number from ${min} to ${max}`) =>
    optional(key, (v) => integer(v, min, max), what) ?? (SETTING_DEFAULTS[key] as number);
  /** A required value: given (and then checked), or the example's placeholder. */
  const required = (key: (typeof REQUIRED_SETTINGS)[number], parse: (value: unknown) => string | undefined, rule: string): string => {
    const value = isUnset(raw(key)) ? EXAMPLE_CONFIGURATION[key] : check(key, parse(raw(key)), rule);
    if (value !== undefined && looksLikePlaceholder(key, value)) placeholders.push(key);
    return value;
  };

  for (const [key, replacement] of Object.entries(RETIRED)) {
    if (!isUnset(raw(key))) problems.push(`  ${key}: ${replacement}; remove it.`);
  }

  const jwtIssuer = required('jwtIssuer', httpsUrl, 'must be the https issuer URL of the identity provider');
  const webClientId = required('webClientId', clientId, 'must be an OAuth client id (printable, no spaces)');
  const shopUrl = required('shopUrl', httpsUrl, 'must be the https address of the shop');
  const senderEmail = required('senderEmail', email, 'must be an email address');

  const customerClientId = optional('customerClientId', clientId, 'must be an OAuth client id (printable, no spaces), or unset for webClientId') ?? webClientId;
  if (customerClientId !== webClientId && looksLikePlaceholder('customerClientId', customerClientId)) placeholders.push('customerClientId');
  const extraAudiences = optional('jwtAudience', list, 'must name audiences, none empty') ?? [];
  const jwtAudience = [...new Set([webClientId, customerClientId, ...extraAudiences].filter((a) => a !== undefined))];

  const publicBaseUrl = optional('publicBaseUrl', httpsUrl, 'must be an https address (no query, no fragment), or unset for the distribution');
  if (publicBaseUrl && looksLikePlaceholder('publicBaseUrl', publicBaseUrl)) placeholders.push('publicBaseUrl');
  const domainName = optional('domainName', hostname, 'must be a host name, e.g. downloads.your-domain.com');
  const certificateArn = optional(
    'certificateArn',
    (v) => (typeof v === 'string' && /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(v.trim()) ? v.trim() : undefined),
    'must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from there)',
  );
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    problems.push('  domainName and certificateArn: give both (the distribution needs the certificate to answer for the domain) or neither.');
  }

  const senderIdentity = (optional(
    'senderIdentity',
    (v) => (v === 'email' || v === 'domain' || v === 'existing' ? v : undefined),
    'must be email (verify the address), domain (verify its domain with DKIM) or existing (an identity made outside this app)',
  ) ?? SETTING_DEFAULTS.senderIdentity) as SenderIdentityKind;
  const hostedZoneId = optional(
    'hostedZoneId',
    (v) => (typeof v === 'string' && /^Z[A-Z0-9]{1,31}$/.test(v.trim()) ? v.trim() : undefined),
    'must be a Route 53 zone id (Z…)',
  );
  if (hostedZoneId && senderIdentity !== 'domain')
    problems.push('  hostedZoneId: only used with senderIdentity=domain (the DKIM records go there); remove it or set senderIdentity=domain.');
  const sandboxRecipients =
    optional('sandboxRecipients', (v) => (list(v)?.every((a) => email(a)) ? list(v) : undefined), 'must be email addresses, comma-separated') ?? [];
  const shopName = optional(
    'shopName',
    (v) => (typeof v === 'string' && v.trim().length <= 100 && !/[\r\n]/.test(v) ? v.trim() : undefined),
    'must be one line of at most 100 characters',
  );
  const edgeToken = optional(
    'edgeToken',
    (v) => (typeof v === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(v.trim()) ? v.trim() : undefined),
    'must be 16 to 128 URL-safe characters',
  );
  const alarmEmail = optional('alarmEmail', email, 'must be an email address, or unset for no subscription');
  const storefrontAccountIds =
    optional(
      'storefrontAccountIds',
      (v) => (list(v)?.every((a) => /^\d{12}$/.test(a)) ? list(v) : undefined),
      'must be 12-digit AWS account ids, comma-separated',
    ) ?? [];

  const partnerBus = (prefix: string) => (v: unknown) =>
    typeof v === 'string' && v.trim().startsWith(`${prefix}/`) && /^aws\.partner\/[A-Za-z0-9._\-/]{1,230}$/.test(v.trim()) ? v.trim() : undefined;
  const shopifyEventBus = optional(
    'shopifyEventBus',
    partnerBus('aws.partner/shopify.com'),
    'must be the name of a Shopify partner event bus, aws.partner/shopify.com/…',
  );
  const stripeEventBus = optional(
    'stripeEventBus',
    partnerBus('aws.partner/stripe.com'),
    'must be the name of a Stripe partner event bus, aws.partner/stripe.com/…',
  );

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
  // A reservation below the event source's maximum concurrency would throttle the pollers' invocations: SQS would
  // hand the same messages back until they land in the dead-letter queue.
  const minimumReservation = queuePolicyOf('payment-events').maxConcurrency;
  const reserved = optional(
    'paymentEventsConcurrency',
    (v) => (v === 0 || v === '0' ? 0 : integer(v, minimumReservation, 1_000)),
    `must be a whole number from ${minimumReservation} (the queue's maximum concurrency) to 1000, or unset for no reservation`,
  );
  const paymentEventsConcurrency = reserved === 0 ? undefined : reserved;

  if (problems.length > 0) {
    throw new Error(`Invalid CDK context (set it in cdk.json "context" or with -c key=value):\n${problems.join('\n')}`);
  }
  return {
    jwtIssuer,
    webClientId,
    customerClientId,
    jwtAudience,
    shopUrl: shopUrl.replace(/\/+$/, ''),
    ...(publicBaseUrl ? { publicBaseUrl: publicBaseUrl.replace(/\/+$/, '') } : {}),
    ...(domainName ? { domainName } : {}),
    ...(certificateArn ? { certificateArn } : {}),
    senderEmail,
    senderIdentity,
    ...(hostedZoneId ? { hostedZoneId } : {}),
    sandboxRecipients,
    ...(shopName ? { shopName } : {}),
    ...(edgeToken ? { edgeToken } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    storefrontAccountIds,
    ...(shopifyEventBus ? { shopifyEventBus } : {}),
    ...(stripeEventBus ? { stripeEventBus } : {}),
    ...(paymentEventsConcurrency ? { paymentEventsConcurrency } : {}),
    presignedUrlTtlSeconds,
    apiRateLimit,
    apiBurstLimit,
    downloadRateLimit,
    downloadBurstLimit,
    downloadRateLimitPerCustomer,
    downloadBurstLimitPerCustomer,
    placeholders,
  };
};

/** What `cdk synth` prints, and every stack's refusal says, while `placeholders` is not empty. */
export const placeholderMessage = (placeholders: readonly RequiredSetting[]): string =>
  `EXAMPLE CONFIGURATION, NOT DEPLOYABLE: ${placeholders.join(', ')} ${placeholders.length === 1 ? 'is a placeholder' : 'are placeholders'}. ` +
  `Deploy with real values: ${placeholders.map((k) => `-c ${k}=…`).join(' ')} (see README, Deploy).`;
