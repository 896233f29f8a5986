import { describe, expect, it } from 'vitest';
import { DispatchBusy } from '../../core/dispatch';
import { isDependencyUnavailable } from '../../functions/shared/failures';

describe('isDependencyUnavailable', () => {
  it.each([
    ['DynamoDB throttling', Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' })],
    ['a 500 from any service', Object.assign(new Error('x'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } })],
    ['a 503 without a known name', Object.assign(new Error('x'), { name: 'Whatever', $metadata: { httpStatusCode: 503 } })],
    ['a refused connection (the engine is down)', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    [
      'a socket error the SDK wrapped',
      Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }),
    ],
    ['an SDK error marked retryable', Object.assign(new Error('x'), { $retryable: { throttling: false } })],
    ['a dispatch held by another attempt', new DispatchBusy('k')],
    ['a bare 500', Object.assign(new Error('x'), { $metadata: { httpStatusCode: 500 } })],
    ['a bare 429 (too many requests)', Object.assign(new Error('x'), { $metadata: { httpStatusCode: 429 } })],
  ])('is true for %s', (_what, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
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
  ])('is true for an AWS error named %s, whatever its status', (name) => {
    expect(isDependencyUnavailable(Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: 400 } }))).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET'])(
    'is true for a connection that failed with %s',
    (code) => {
      expect(isDependencyUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
    },
  );

  it.each([
    ['a validation error', Object.assign(new Error('x'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } })],
    ['a failed condition', Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } })],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['a 499 (a client error, however close to 500)', Object.assign(new Error('x'), { $metadata: { httpStatusCode: 499 } })],
    ['a status that is not a number', Object.assign(new Error('x'), { $metadata: { httpStatusCode: '503' } })],
    ['a local error with a code of its own', Object.assign(new Error('no such file'), { code: 'ENOENT' })],
    [
      'an error whose cause is itself',
      (() => {
        const e = new Error('x') as Error & { cause?: unknown };
        e.cause = e;
        return e;
      })(),
    ],
    ['an error caused by a bug', new Error('x', { cause: new TypeError('y') })],
    ['not an error', 'oops'],
    ['an outage class thrown without `new`', class ThrottlingException {}],
    ['nothing', undefined],
    ['null', null],
  ])('is false for %s', (_what, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
