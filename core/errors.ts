/**
 * Domain errors. Each carries a stable machine-readable `code` (the contract's
 * error codes) and a `kind`; the HTTP layer maps kinds to status codes in one
 * place (functions/shared/http.ts), the event layer to dead letters.
 */
export type ErrorKind =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'precondition' // 412
  | 'too_large' // 413
  | 'unsupported_media' // 415
  | 'throttled' // 429
  | 'unavailable'; // 503: not yet (details.retryAfterSeconds says when to ask again)

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidInput = (message: string, details?: unknown, code = 'INVALID_INPUT') => new DomainError('invalid', code, message, details);
export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
/** Not yet: the request is fine and will succeed later (answered 503 with Retry-After). */
export const notYet = (code: string, message: string, retryAfterSeconds: number) => new DomainError('unavailable', code, message, { retryAfterSeconds });
export const gone = (code: string, message: string) => new DomainError('gone', code, message);
/** A conditional request's `If-Match` / `If-None-Match` did not hold: nothing was changed. */
export const preconditionFailed = (message: string) => new DomainError('precondition', 'PRECONDITION_FAILED', message);
