import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { lambdaEnvCredentials } from './env-credentials';
import { type JsonPostHeaders, JsonPostSigner } from './json-post-signer';
// The SDK's own classification (the module @smithy/util-retry re-exports its strategies from).
import { loadJsonRpcErrorCode } from '@smithy/core/protocols';
import { getRetryAfterHint, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { AwsCredentialIdentityProvider, RetryErrorInfo, RetryErrorType, RetryStrategyV2, SdkError } from '@smithy/types';
import { DEFAULT_MAX_ATTEMPTS, Retry, StandardRetryStrategy } from '@smithy/util-retry';

/**
 * A minimal client for AWS's JSON protocols (awsJson1_0: DynamoDB,
 * awsJson1_1: Secrets Manager): one SigV4-signed POST per attempt (signed by
 * JsonPostSigner, checked against @smithy/signature-v4) over a keep-alive
 * agent, retried by the SDK's own standard strategy, errors shaped like the
 * SDK's service exceptions (`name`, `message`, `$fault`, `$metadata`, and the
 * body's other members, e.g. `Item` of a ConditionalCheckFailedException).
 *
 * Only the download function uses it (the SDK's request pipeline is ~250 µs
 * of CPU per call, bench figure 3b); every other function keeps the SDK.
 * What it leaves out: endpoint discovery and rules (the regional endpoint is
 * the only one used), clock-skew correction, request compression, streaming.
 */

/** One signed request, as the transport sends it. */
export interface WireRequest {
  protocol: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  method: 'POST';
  headers: JsonPostHeaders;
}

/** One HTTP exchange; the default is node:http(s) over a keep-alive agent, tests and the bench pass their own. */
export type Transport = (request: WireRequest, body: string) => Promise<WireResponse>;

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface AwsJsonClientOptions {
  /** The signing name and endpoint prefix: `dynamodb`, `secretsmanager`. */
  service: string;
  region: string;
  /** A local engine (may carry a path, e.g. http://127.0.0.1:3000/_aws/secretsmanager); unset in AWS. */
  endpoint?: string | undefined;
  /** `DynamoDB_20120810`, `secretsmanager`. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  credentials?: AwsCredentialIdentityProvider;
  retryStrategy?: RetryStrategyV2;
  transport?: Transport;
}

/** An error answered by the service, as the SDK's ServiceException carries it. */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  $metadata: { httpStatusCode: number; requestId?: string | undefined; attempts?: number; totalRetryDelay?: number };
  readonly $response: WireResponse;
  [member: string]: unknown;

  constructor(name: string, message: string, response: WireResponse, members: Record<string, unknown>) {
    super(message);
    Object.assign(this, members);
    this.name = name;
    this.$fault = response.statusCode >= 500 ? 'server' : 'client';
    this.$response = response;
    this.$metadata = { httpStatusCode: response.statusCode, requestId: header(response, 'x-amzn-requestid') };
  }
}

const header = (response: WireResponse, name: string): string | undefined => {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The error code as the SDK's JSON-RPC protocols read it (its own function): `__type`, else `code`, else x-amzn-errortype; else "Unknown". */
export const errorCodeOf = (response: WireResponse, body: Record<string, unknown>): string =>
  (loadJsonRpcErrorCode({ headers: response.headers } as never, body) as string | undefined) ?? 'Unknown';

/** The service's error as the SDK would throw it (a body that is not JSON, e.g. a proxy's page, is named by its status alone). */
export const toServiceError = (response: WireResponse): AwsServiceError => {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = response.body ? JSON.parse(response.body) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the SDK throws a SyntaxError without a fault; the status (and so the retry and the 503) says more.
  }
  const { __type: _type, code: _code, message, Message, ...members } = body;
  const text = message ?? Message ?? 'UnknownError';
  return new AwsServiceError(errorCodeOf(response, body), String(text), response, members);
};

/** How the SDK's retry middleware classifies an error for its strategy. */
export const retryErrorInfo = (error: SdkError): RetryErrorInfo => {
  const errorType: RetryErrorType = isThrottlingError(error)
    ? 'THROTTLING'
    : isTransientError(error)
      ? 'TRANSIENT'
      : isServerError(error)
        ? 'SERVER_ERROR'
        : 'CLIENT_ERROR';
  const info: RetryErrorInfo = { error, errorType };
  const response = (error as { $response?: WireResponse }).$response;
  // The SDK's own reading of Retry-After (seconds or an HTTP date) and x-amz-retry-after (milliseconds).
  const hint = response && getRetryAfterHint(response);
  if (hint) info.retryAfterHint = hint;
  return info;
};

/** The SDK DynamoDB client's defaults: standard mode, 4 attempts and a 25 ms base delay under the 2026 retry rules (else 3 and 100 ms). */
export const dynamoRetryStrategy = (): RetryStrategyV2 => {
  // AWS_MAX_ATTEMPTS read as the SDK reads it (parseInt: `2.5` is 2, `0` means no retries).
  const fromEnvironment = Number.parseInt(process.env.AWS_MAX_ATTEMPTS ?? '', 10);
  const maxAttempts = Number.isNaN(fromEnvironment) ? (Retry.v2026 ? 4 : DEFAULT_MAX_ATTEMPTS) : fromEnvironment;
  return new StandardRetryStrategy({ maxAttempts, ...(Retry.v2026 ? { baseDelay: 25 } : {}) });
};

let httpsAgent: HttpsAgent | undefined;
let httpAgent: HttpAgent | undefined;
const agentFor = (secure: boolean): HttpAgent => {
  if (secure) {
    httpsAgent ??= new HttpsAgent({ keepAlive: true, maxSockets: 50 });
    return httpsAgent;
  }
  httpAgent ??= new HttpAgent({ keepAlive: true, maxSockets: 50 });
  return httpAgent;
};

/** node:http(s) with one keep-alive agent per protocol (the SDK's NodeHttpHandler defaults: keep-alive, 50 sockets). */
export const nodeTransport: Transport = (request, body) =>
  new Promise((resolve, reject) => {
    const secure = request.protocol === 'https:';
    const agent = agentFor(secure);
    const send = secure ? httpsRequest : httpRequest;
    const req = send(
      {
        protocol: request.protocol,
        hostname: request.hostname,
        port: request.port,
        path: request.path,
        method: request.method,
        headers: request.headers as unknown as Record<string, string>,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });

export class AwsJsonClient {
  private readonly signer: JsonPostSigner;
  private readonly retry: RetryStrategyV2;
  /** Replaceable (the bench counts or records requests here). */
  transport: Transport;
  private readonly target: { protocol: string; hostname: string; port?: number | undefined; path: string; host: string };
  private readonly contentType: string;

  constructor(private readonly options: AwsJsonClientOptions) {
    this.retry = options.retryStrategy ?? dynamoRetryStrategy();
    this.transport = options.transport ?? nodeTransport;
    const url = new URL(options.endpoint ?? `https://${options.service}.${options.region}.amazonaws.com`);
    this.target = {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname === '' ? '/' : url.pathname,
      host: url.host,
    };
    this.signer = new JsonPostSigner(options.service, options.region, options.credentials ?? lambdaEnvCredentials(), this.target.path);
    this.contentType = `application/x-amz-json-${options.jsonVersion}`;
  }

  /** One operation: its output, or the service's error (after the strategy's retries) as the SDK would throw it. */
  async call<O>(operation: string, input: unknown): Promise<O> {
    const body = JSON.stringify(input);
    let token = await this.retry.acquireInitialRetryToken('');
    let attempts = 0;
    let totalRetryDelay = 0;
    for (;;) {
      attempts++;
      let failure: SdkError;
      try {
        const response = await this.send(operation, body);
        if (response.statusCode >= 200 && response.statusCode < 300) {
          this.retry.recordSuccess(token);
          return (response.body ? JSON.parse(response.body) : {}) as O;
        }
        failure = toServiceError(response) as unknown as SdkError;
      } catch (error) {
        failure = error as SdkError; // a socket error: its `code` (ECONNRESET, …) is what the classification reads
      }
      try {
        token = await this.retry.refreshRetryTokenForRetry(token, retryErrorInfo(failure));
      } catch {
        const withMeta = failure as { $metadata?: Record<string, unknown> };
        withMeta.$metadata = { ...(withMeta.$metadata ?? {}), attempts, totalRetryDelay };
        throw failure;
      }
      // The standard strategy waits out its backoff itself, inside refreshRetryTokenForRetry; a token may add its own delay.
      const delay = token.getRetryDelay();
      totalRetryDelay += ((token as { $retryLog?: { acquisitionDelay?: number } }).$retryLog?.acquisitionDelay ?? 0) + delay;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async send(operation: string, body: string): Promise<WireResponse> {
    const { protocol, hostname, port, path, host } = this.target;
    const headers = await this.signer.sign(
      {
        host,
        'content-type': this.contentType,
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': `${this.options.targetPrefix}.${operation}`,
      },
      body,
    );
    return this.transport({ method: 'POST', protocol, hostname, port, path, headers }, body);
  }
}
