import { RETRY_AFTER_SECONDS } from '../../functions/shared/failures';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DomainError, type ErrorKind } from '../../core/errors';
import { type HttpEvent, type HttpResult, httpRoute, json, publicRoute } from '../../functions/shared/http';
import { logger } from '../../functions/shared/logger';

/**
 * What a caller sees when a route throws: one JSON shape `{ error: { code, message } }`, the status of the error's
 * kind, Retry-After where waiting helps, a 503 (never a 500) while a store is down; and what is logged then.
 */

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.c2VjcmV0LWNsYWltcw.c2lnbmF0dXJl';

const signedIn = (overrides: Partial<HttpEvent> = {}): HttpEvent =>
  ({
    routeKey: 'GET /admin/products',
    rawPath: '/admin/products',
    headers: { authorization: `Bearer ${TOKEN}` },
    isBase64Encoded: false,
    requestContext: { requestId: 'req-42', http: { sourceIp: '203.0.113.7' }, authorizer: { jwt: { claims: { sub: 'operator-1' }, scopes: [] } } },
    ...overrides,
  }) as unknown as HttpEvent;

const context = {} as Context;
const errorOf = (result: HttpResult) => JSON.parse(result.body ?? '{}').error as { code: string; message: string; details?: unknown };
const throwing = (error: unknown) => httpRoute({}, async () => Promise.reject(error));

/** The JSON lines the logger writes while `act` runs (the unit config silences it; this turns it on). */
const captureLogs = async (act: () => Promise<unknown>) => {
  const lines: string[] = [];
  const keep = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  const level = logger.getLevelName();
  logger.setLogLevel('DEBUG');
  try {
    await act();
  } finally {
    logger.setLogLevel(level);
    out.mockRestore();
    err.mockRestore();
  }
  const text = lines.join('');
  return {
    text,
    entries: text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>),
  };
};

afterEach(() => vi.restoreAllMocks());

describe('json', () => {
  it('answers JSON in UTF-8 that no cache keeps, unless the route says otherwise', () => {
    // Act
    const plain = json(200, { ok: true });
    const cached = json(200, { keys: [] }, { 'cache-control': 'public, max-age=300' });

    // Assess
    expect(plain).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: '{"ok":true}',
    });
    expect(cached.headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' });
  });
});

describe('a domain error', () => {
  it.each<[ErrorKind, number]>([
    ['invalid', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['gone', 410],
    ['precondition', 412],
    ['too_large', 413],
    ['unsupported_media', 415],
  ])('of kind %s is answered %i with its code and message, and no Retry-After', async (kind, status) => {
    // Act
    const result = await throwing(new DomainError(kind, 'SOME_CODE', 'What went wrong.'))(signedIn(), context);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(result.headers?.['retry-after']).toBeUndefined();
    expect(JSON.parse(result.body ?? '{}')).toEqual({ error: { code: 'SOME_CODE', message: 'What went wrong.' } });
  });

  it.each<[ErrorKind, number, string]>([
    ['throttled', 429, '7'],
    ['unavailable', 503, '30'],
  ])('of kind %s says when to try again, from its retryAfterSeconds', async (kind, status, seconds) => {
    // Act
    const result = await throwing(new DomainError(kind, 'TRY_LATER', 'Not now.', { retryAfterSeconds: Number(seconds) }))(signedIn(), context);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers?.['retry-after']).toBe(seconds);
    expect(errorOf(result)).toEqual({ code: 'TRY_LATER', message: 'Not now.' });
  });

  it.each([
    ['no details', undefined],
    ['null details', null],
    ['details as text', 'soon'],
    ['details without retryAfterSeconds', { limit: 5 }],
    ['retryAfterSeconds that is not a number', { retryAfterSeconds: 'soon' }],
  ])('of kind throttled with %s is a 429 that still says when to come back (the default Retry-After)', async (_name, details) => {
    // Act
    const result = await throwing(new DomainError('throttled', 'TOO_MANY', 'Slow down.', details))(signedIn(), context);

    // Assess
    expect(result.statusCode).toBe(429);
    expect(result.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(errorOf(result)).toEqual({ code: 'TOO_MANY', message: 'Slow down.' });
  });

  it('of another kind gets no Retry-After even with retryAfterSeconds, and keeps its details to itself', async () => {
    // Act
    const result = await throwing(new DomainError('conflict', 'TAKEN', 'Already there.', { retryAfterSeconds: 5, internal: 'x' }))(signedIn(), context);

    // Assess
    expect(result.statusCode).toBe(409);
    expect(result.headers?.['retry-after']).toBeUndefined();
    expect(JSON.parse(result.body ?? '{}')).toEqual({ error: { code: 'TAKEN', message: 'Already there.' } });
  });

  it('of kind invalid shows its details (which field, why)', async () => {
    // Act
    const result = await throwing(new DomainError('invalid', 'INVALID_INPUT', 'Bad.', [{ path: 'name', message: 'must not be empty' }]))(signedIn(), context);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([{ path: 'name', message: 'must not be empty' }]);
  });
});

describe('a zod error a handler lets through', () => {
  it('is answered 400 INVALID_INPUT with the issues', async () => {
    // Prepare
    const route = httpRoute({}, async () => {
      z.object({ count: z.number() }).parse({ count: 'three' });
      return json(200, {});
    });

    // Act
    const result = await route(signedIn(), context);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result)).toMatchObject({ code: 'INVALID_INPUT', message: 'Invalid input.', details: [{ path: 'count' }] });
  });
});

describe('a store that is down or throttling', () => {
  it.each([
    ['DynamoDB throttling', Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })],
    ['an S3 503', Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' })],
  ])('(%s) is a 503 SERVICE_UNAVAILABLE with Retry-After, never a 500', async (_name, error) => {
    // Act
    const result = await throwing(error)(signedIn(), context);

    // Assess
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('2');
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(result.body ?? '{}')).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: 'A service this request needs is unavailable; try again shortly.' },
    });
  });

  it('is logged as a warning with the route and the error, not the request', async () => {
    // Act
    const { entries, text } = await captureLogs(() =>
      throwing(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))(signedIn(), context),
    );

    // Assess
    const warning = entries.find((e) => e.message === 'a dependency is unavailable');
    expect(warning).toMatchObject({ level: 'WARN', routeKey: 'GET /admin/products', error: { name: 'ThrottlingException', message: 'Rate exceeded' } });
    expect(text).not.toContain(TOKEN);
  });
});

describe('anything else (a bug)', () => {
  it('is a 500 INTERNAL_ERROR that says nothing about internals', async () => {
    // Act
    const result = await throwing(new TypeError("Cannot read properties of undefined (reading 'secretKey')"))(signedIn(), context);

    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['retry-after']).toBeUndefined();
    expect(JSON.parse(result.body ?? '{}')).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; try again.' } });
  });

  it('is logged as an error with the correlation id, the route and the stack, without the event or its token', async () => {
    // Prepare
    const bug = new RangeError('index 3 out of range');

    // Act
    const { entries, text } = await captureLogs(() => throwing(bug)(signedIn(), context));

    // Assess
    const logged = entries.find((e) => e.message === 'unexpected error');
    expect(logged).toMatchObject({
      level: 'ERROR',
      correlationId: 'req-42',
      routeKey: 'GET /admin/products',
      error: { name: 'RangeError', message: 'index 3 out of range', stack: bug.stack },
    });
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('authorization');
  });

  it('is still the JSON 500 when the handler throws something that is not an Error', async () => {
    // Act
    const results = [await throwing(undefined)(signedIn(), context), await throwing(null)(signedIn(), context)];

    // Assess
    for (const result of results) {
      expect(result.statusCode).toBe(500);
      expect(errorOf(result).code).toBe('INTERNAL_ERROR');
    }
  });

  it('is still the JSON 500 for an invocation whose payload is null, or a public route called without a request context', async () => {
    // Prepare
    const route = httpRoute({}, async () => json(200, {}));
    const bare = publicRoute({}, async () => Promise.reject(new Error('boom')));

    // Act
    const noEvent = await route(null as unknown as HttpEvent, context);
    const noRequestContext = await bare({ routeKey: 'POST /licenses/activate', headers: {} } as unknown as HttpEvent, context);

    // Assess
    expect([noEvent.statusCode, errorOf(noEvent).code]).toEqual([500, 'INTERNAL_ERROR']);
    expect([noRequestContext.statusCode, errorOf(noRequestContext).code]).toEqual([500, 'INTERNAL_ERROR']);
  });
});
