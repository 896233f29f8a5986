import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

export const BENCH_USER_AGENT = 'digital-downloads-bench/1';

/**
 * The payload-format-2.0 event API Gateway hands the download function after
 * its JWT authorizer accepted `sub` (the shape local/http-gateway.ts builds).
 */
export const downloadEvent = (token: string, sub: string, options: { accept?: string } = {}): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const now = new Date();
  const path = `/downloads/${encodeURIComponent(token)}`;
  return {
    version: '2.0',
    routeKey: 'GET /downloads/{token}',
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: 'api.shop.example.com',
      'user-agent': BENCH_USER_AGENT,
      ...(options.accept ? { accept: options.accept } : {}),
    },
    pathParameters: { token },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'api.shop.example.com',
      domainPrefix: 'api',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: BENCH_USER_AGENT },
      requestId: randomUUID(),
      routeKey: 'GET /downloads/{token}',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: { sub, iss: 'https://issuer.example.com/', aud: 'digital-downloads' }, scopes: [] },
      },
    },
  };
};

export const lambdaContext = (name = 'download'): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: name,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${name}`,
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** What the download function answers: its status and headers are all the bench looks at. */
export interface HandlerResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export type DownloadHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<HandlerResult>;

/** Loads the real download handler (after process.env holds its configuration: it is read at import). */
export const loadDownloadHandler = async (): Promise<DownloadHandler> => {
  const module = (await import('../../functions/download/handler')) as unknown as { handler: DownloadHandler };
  return module.handler;
};

/** The environment the deployed function gets, with dummy values: enough for config() at cold start. */
export const dummyFunctionEnv = (): Record<string, string> => ({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key-bench-secret-key',
  LINKS_TABLE: 'dd-links',
  INVOICES_TABLE: 'dd-invoices',
  PRODUCTS_TABLE: 'dd-products',
  EXTERNAL_IDS_TABLE: 'dd-external-ids',
  FILES_TABLE: 'dd-files',
  LINK_LOG_TABLE: 'dd-link-log',
  DISPATCHES_TABLE: 'dd-dispatches',
  LICENSES_TABLE: 'dd-licenses',
  LICENSE_LOG_TABLE: 'dd-license-log',
  LICENSE_KEY_SECRET_ID: 'digital-downloads/license-certificate-keys',
  PRODUCT_UPDATES_TABLE: 'dd-product-updates',
  DASHBOARD_TABLE: 'dd-dashboard',
  FILES_BUCKET: 'digital-downloads-files-000000000000',
  PUBLIC_BASE_URL: 'https://shop.example.com',
  SIGNING_KEY_SECRET_ID: 'digital-downloads/link-signing-keys',
  EVENT_BUS_NAME: 'default',
  POWERTOOLS_SERVICE_NAME: 'digital-downloads',
});

/**
 * The per-customer limiter (DOWNLOAD_RATE_LIMIT_PER_MINUTE, default 120/min,
 * burst 60) would answer 429 to a load test from a handful of customers. The
 * bench keeps it on the path but out of the way: it runs, it never refuses.
 */
export const UNTHROTTLED_ENV = {
  DOWNLOAD_RATE_LIMIT_PER_MINUTE: '1000000',
  DOWNLOAD_RATE_LIMIT_BURST: '1000000',
  LICENSE_RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000',
  LICENSE_RATE_LIMIT_PER_KEY_BURST: '1000000',
  LICENSE_RATE_LIMIT_PER_CLIENT_PER_MINUTE: '1000000',
  LICENSE_RATE_LIMIT_PER_CLIENT_BURST: '1000000',
};

/** A call of the seller's software on the activation API (no authorizer: the key is the credential). */
export const licenseEvent = (route: 'activate' | 'validate' | 'deactivate', body: unknown, sourceIp = '203.0.113.9'): APIGatewayProxyEventV2 => {
  const base = downloadEvent('unused', 'unused');
  const path = `/licenses/${route}`;
  const routeKey = `POST ${path}`;
  const { authorizer: _none, ...requestContext } = base.requestContext;
  return {
    ...base,
    routeKey,
    rawPath: path,
    pathParameters: {},
    headers: { host: 'api.shop.example.com', 'content-type': 'application/json', 'user-agent': 'desk-app/2.1' },
    body: JSON.stringify(body),
    requestContext: { ...requestContext, routeKey, http: { ...base.requestContext.http, method: 'POST', path, sourceIp } },
  };
};
