import { DispatchBusy } from '../../core/dispatch';

/** Throttling and server-side failures of AWS services, as the SDK names them. */
const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TooManyRequestsException',
  'SlowDown',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node's and undici's names for a connection that failed or broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/**
 * A failure of something we depend on (a store that is down, throttling, a
 * network error), not of the request: worth a retry, answered 503 with
 * Retry-After over HTTP, and retried (not parked) by event consumers.
 */
export const isDependencyUnavailable = (error: unknown): boolean => {
  if (!error || typeof error !== 'object') return false;
  if (error instanceof DispatchBusy) return true;
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; cause?: unknown };
  if (e.name && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  // The SDK wraps socket errors; undici puts the system error in `cause` (an absent cause answers false).
  return e.cause !== error && isDependencyUnavailable(e.cause);
};

/** Seconds a client should wait before trying again while a dependency is unavailable. */
export const RETRY_AFTER_SECONDS = 2;
