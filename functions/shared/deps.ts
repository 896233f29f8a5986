import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_DISPATCH_TIMING, type DispatchDeps } from '../../core/dispatch';
import { LicenseCertifier } from '../../core/license-certificate';
import { LinkSigner } from '../../core/link-signer';
import { RateLimiter } from '../../core/rate-limiter';
import { EventBridgePublisher } from '../../adapters/aws/event-publisher';
import { SqsDeadLetters } from '../../adapters/aws/dead-letters';
import { SecretsManagerKeySource, sdkSecretReader } from '../../adapters/aws/signing-keys';
import { SesMailer } from '../../adapters/aws/ses-mailer';
import { DynamoDispatchLedger } from '../../adapters/dynamo/dispatch-ledger';
import { DynamoCatalogStore } from '../../adapters/dynamo/catalog-store';
import { DynamoDashboardCounters } from '../../adapters/dynamo/dashboard-store';
import { createDocumentClient } from '../../adapters/dynamo/client';
import { DynamoInvoiceStore } from '../../adapters/dynamo/invoice-store';
import { DynamoLinkStore } from '../../adapters/dynamo/link-store';
import { DynamoLinkLog } from '../../adapters/dynamo/link-log-store';
import { DynamoLicenseLog, DynamoLicenseStore } from '../../adapters/dynamo/license-store';
import { DynamoProductUpdateStore } from '../../adapters/dynamo/product-update-store';
import { DynamoSharingStore } from '../../adapters/dynamo/sharing-store';
import type { SharingPolicy } from '../../core/sharing';
import { S3FileStorage } from '../../adapters/s3/file-storage';
import { config } from './config';

/**
 * Adapters built once per cold start, each on first use, so a function
 * constructs only the clients it needs.
 */
export const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

/** How each AWS SDK client is wrapped when built; functions/shared/observability.ts sets it to the X-Ray tracer. */
let instrument = <C>(client: C): C => client;

/** Wraps a client the way every client of this module is wrapped. */
export const instrumented = <C>(client: C): C => instrument(client);

/** Wraps every client built from now on (clients are built on first use, in the handler's body). */
export const instrumentClients = (wrap: <C>(client: C) => C): void => {
  instrument = wrap;
};

export const documentClient = /* @__PURE__ */ once(() =>
  instrument(createDocumentClient({ region: config().AWS_REGION, endpoint: config().DYNAMODB_ENDPOINT })),
);

export const linkStore = /* @__PURE__ */ once(() => new DynamoLinkStore(documentClient(), config().LINKS_TABLE));
export const invoiceStore = /* @__PURE__ */ once(() => new DynamoInvoiceStore(documentClient(), config().INVOICES_TABLE));
export const catalogStore = /* @__PURE__ */ once(
  () => new DynamoCatalogStore(documentClient(), { products: config().PRODUCTS_TABLE, files: config().FILES_TABLE, externalIds: config().EXTERNAL_IDS_TABLE }),
);

export const productUpdateStore = /* @__PURE__ */ once(() => new DynamoProductUpdateStore(documentClient(), config().PRODUCT_UPDATES_TABLE));

export const linkLog = /* @__PURE__ */ once(() => new DynamoLinkLog(documentClient(), config().LINK_LOG_TABLE, config().LINK_LOG_RETENTION_DAYS));

/** Sharing signals' records (beside the link log) and the policy they are judged by. */
export const sharingStore = /* @__PURE__ */ once(() => new DynamoSharingStore(documentClient(), config().LINK_LOG_TABLE, config().LINK_LOG_RETENTION_DAYS));
export const sharingPolicy = (): SharingPolicy => ({ windowDays: config().SHARING_WINDOW_DAYS, networkThreshold: config().SHARING_NETWORK_THRESHOLD });
/** The operator dashboard's day counters (written by the streams' consumer and email-events, read by the console). */
export const dashboardCounters = /* @__PURE__ */ once(() => new DynamoDashboardCounters(documentClient(), config().DASHBOARD_TABLE));

export const s3Client = /* @__PURE__ */ once(() =>
  instrument(
    new S3Client({
      region: config().AWS_REGION,
      endpoint: config().S3_ENDPOINT,
      forcePathStyle: Boolean(config().S3_ENDPOINT),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  ),
);

export const fileStorage = /* @__PURE__ */ once(
  () => new S3FileStorage(s3Client(), { bucket: config().FILES_BUCKET, region: config().AWS_REGION, endpoint: config().S3_ENDPOINT }),
);

export const licenseStore = /* @__PURE__ */ once(() => new DynamoLicenseStore(documentClient(), config().LICENSES_TABLE));
export const licenseLog = /* @__PURE__ */ once(() => new DynamoLicenseLog(documentClient(), config().LICENSE_LOG_TABLE, config().LINK_LOG_RETENTION_DAYS));

const secretsClient = /* @__PURE__ */ once(() =>
  instrument(new SecretsManagerClient({ region: config().AWS_REGION, endpoint: config().SECRETS_MANAGER_ENDPOINT })),
);

/** Signs license certificates; its public keys are `/.well-known/license-keys.json`. */
export const licenseCertifier = /* @__PURE__ */ once(
  () =>
    new LicenseCertifier(new SecretsManagerKeySource(sdkSecretReader(secretsClient()), config().LICENSE_KEY_SECRET_ID), {
      ttlSeconds: config().LICENSE_CERTIFICATE_TTL_SECONDS,
      issuer: config().PUBLIC_BASE_URL.replace(/\/+$/, ''),
    }),
);

/** The activation API's limits, per warm instance (API Gateway's route throttling bounds the total). */
export const licenseLimiters = /* @__PURE__ */ once(() => ({
  keyLimiter: new RateLimiter(
    config().LICENSE_RATE_LIMIT_PER_KEY_PER_MINUTE,
    config().LICENSE_RATE_LIMIT_PER_KEY_BURST,
    Date.now,
    10_000,
    'requests for this key',
  ),
  clientLimiter: new RateLimiter(
    config().LICENSE_RATE_LIMIT_PER_CLIENT_PER_MINUTE,
    config().LICENSE_RATE_LIMIT_PER_CLIENT_BURST,
    Date.now,
    10_000,
    'license requests from this address',
  ),
}));

export const linkSigner = /* @__PURE__ */ once(
  () =>
    new LinkSigner(
      new SecretsManagerKeySource(
        sdkSecretReader(instrument(new SecretsManagerClient({ region: config().AWS_REGION, endpoint: config().SECRETS_MANAGER_ENDPOINT }))),
        config().SIGNING_KEY_SECRET_ID,
      ),
    ),
);

export const eventPublisher = /* @__PURE__ */ once(
  () =>
    new EventBridgePublisher(
      instrument(new EventBridgeClient({ region: config().AWS_REGION, endpoint: config().EVENTBRIDGE_ENDPOINT })),
      config().EVENT_BUS_NAME,
    ),
);

export const deadLetters = /* @__PURE__ */ once(() => {
  const queueUrl = config().DEAD_LETTER_QUEUE_URL;
  if (!queueUrl) throw new Error('DEAD_LETTER_QUEUE_URL is not configured for this function');
  return new SqsDeadLetters(instrument(new SQSClient({ region: config().AWS_REGION, endpoint: config().SQS_ENDPOINT })), queueUrl);
});

export const dispatchLedger = /* @__PURE__ */ once(() => new DynamoDispatchLedger(documentClient(), config().DISPATCHES_TABLE));

/** The ledger with this function's timing (lease and grace from the environment). */
export const dispatchDeps = /* @__PURE__ */ once(
  (): DispatchDeps => ({
    ledger: dispatchLedger(),
    clock: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    timing: {
      ...DEFAULT_DISPATCH_TIMING,
      leaseMs: config().DISPATCH_LEASE_SECONDS * 1000,
      graceMs: config().DISPATCH_GRACE_SECONDS * 1000,
    },
  }),
);

export const mailer = /* @__PURE__ */ once(
  () =>
    new SesMailer(instrument(new SESv2Client({ region: config().AWS_REGION, endpoint: config().SES_ENDPOINT })), {
      from: config().SENDER_EMAIL,
      configurationSet: config().SES_CONFIGURATION_SET,
    }),
);

/** The customer's "My downloads" page, linked from every email. */
export const accountPageUrl = (): string => config().ACCOUNT_PAGE_URL ?? `${config().PUBLIC_BASE_URL.replace(/\/+$/, '')}/account/downloads`;
