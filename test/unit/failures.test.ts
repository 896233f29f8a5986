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
  ])('is true for %s', (_what, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a validation error', Object.assign(new Error('x'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } })],
    ['a failed condition', Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } })],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'oops'],
    ['nothing', undefined],
  ])('is false for %s', (_what, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
