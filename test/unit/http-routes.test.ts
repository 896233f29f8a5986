import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ADMIN_SCOPE } from '../../functions/scopes';
import { byRoute, type HttpEvent, type HttpResult, httpRoute, json, parseJsonBody, preconditionOf, publicRoute, rawBodyOf } from '../../functions/shared/http';
import { logger } from '../../functions/shared/logger';

/** How a route reads a request: who calls, its path, query and body, and what it refuses before the handler runs. */

const NOW = '2026-06-01T12:00:00.000Z';
const context = {} as Context;
const errorOf = (result: HttpResult) => JSON.parse(result.body ?? '{}').error as { code: string; message: string; details?: unknown };

const request = (overrides: Record<string, unknown> = {}, jwt: unknown = { claims: { sub: 'customer-1' }, scopes: [] }): HttpEvent =>
  ({
    routeKey: 'POST /things/{thingId}',
    rawPath: '/things/t-1',
    headers: { 'content-type': 'application/json', 'user-agent': 'curl/8' },
    isBase64Encoded: false,
    requestContext: { requestId: 'r-1', http: { sourceIp: '203.0.113.7' }, authorizer: { jwt } },
    ...overrides,
  }) as unknown as HttpEvent;

/** A route that answers with what its handler was given. */
const echo = (schemas: Parameters<typeof httpRoute>[0] = {}) => {
  const handle = vi.fn(async (given: unknown) => json(200, given));
  return { route: httpRoute(schemas, handle as never), handle };
};
const given = async (schemas: Parameters<typeof httpRoute>[0], event: HttpEvent) => {
  const { route } = echo(schemas);
  const result = await route(event, context);
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body ?? '{}');
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(NOW));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('httpRoute: who is calling', () => {
  it('hands the handler the caller, the requester, the headers, the clock and the parsed parts', async () => {
    // Prepare
    const schemas = { path: z.object({ thingId: z.string() }), query: z.object({ limit: z.coerce.number() }), body: z.object({ name: z.string().trim() }) };

    // Act
    const seen = await given(
      schemas,
      request(
        { pathParameters: { thingId: 't-1' }, queryStringParameters: { limit: '5' }, body: '{"name":"  Ada  "}' },
        { claims: { sub: 'customer-1', scope: 'openid' } },
      ),
    );

    // Assess
    expect(seen).toEqual({
      path: { thingId: 't-1' },
      query: { limit: 5 },
      body: { name: 'Ada' },
      caller: { sub: 'customer-1', scopes: ['openid'], isAdmin: false },
      requester: { ip: '203.0.113.7', userAgent: 'curl/8' },
      headers: { 'content-type': 'application/json', 'user-agent': 'curl/8' },
      now: NOW,
    });
  });

  it('merges the scope claim with the authorizer scopes, once each, without empty ones', async () => {
    // Act
    const seen = await given({}, request({}, { claims: { sub: 'operator-1', scope: ' openid  profile openid ' }, scopes: ['profile', ADMIN_SCOPE] }));

    // Assess
    expect(seen.caller).toEqual({ sub: 'operator-1', scopes: ['profile', ADMIN_SCOPE, 'openid'], isAdmin: true });
  });

  it('gives a caller without any scope an empty list, not an admin', async () => {
    // Act
    const seen = await given({}, request({}, { claims: { sub: 'customer-1' } }));

    // Assess
    expect(seen.caller).toEqual({ sub: 'customer-1', scopes: [], isAdmin: false });
  });

  it('reads headers as an empty map when the request has none', async () => {
    // Act
    const seen = await given({}, request({ headers: undefined }));

    // Assess
    expect(seen.headers).toEqual({});
    expect(seen.requester).toEqual({ ip: '203.0.113.7', userAgent: null });
  });

  it.each([
    ['no request context', { requestContext: undefined }, undefined],
    ['no authorizer', { requestContext: { requestId: 'r-1' } }, undefined],
    ['an authorizer without a JWT', { requestContext: { requestId: 'r-1', authorizer: {} } }, undefined],
    ['a JWT without claims', {}, { scopes: [ADMIN_SCOPE] }],
    ['no subject', {}, { claims: { scope: ADMIN_SCOPE } }],
    ['an empty subject', {}, { claims: { sub: '' } }],
    ['a subject that is not text', {}, { claims: { sub: 42 } }],
  ])('refuses a request with %s as 401, before the handler runs', async (_name, overrides, jwt) => {
    // Prepare
    const { route, handle } = echo({ admin: true });

    // Act
    const result = await route(request(overrides, jwt), context);

    // Assess
    expect(result.statusCode).toBe(401);
    expect(errorOf(result)).toEqual({ code: 'UNAUTHORIZED', message: 'Sign in first: this route needs a valid bearer token.' });
    expect(handle).not.toHaveBeenCalled();
  });

  it('names the scope an admin route needs', async () => {
    // Act
    const result = await echo({ admin: true }).route(request(), context);

    // Assess
    expect(result.statusCode).toBe(403);
    expect(errorOf(result).message).toBe(`This route needs the ${ADMIN_SCOPE} scope.`);
  });
});

describe('httpRoute: path and query', () => {
  it('says which part is not valid, and every issue in it', async () => {
    // Prepare
    const { route, handle } = echo({
      path: z.object({ thingId: z.string().min(3) }),
      query: z.object({ limit: z.coerce.number().int(), order: z.enum(['asc']) }),
    });

    // Act
    const badPath = await route(request({ pathParameters: { thingId: 'x' } }), context);
    const badQuery = await route(request({ pathParameters: { thingId: 'xyz' }, queryStringParameters: { limit: '1.5', order: 'up' } }), context);

    // Assess
    expect(badPath.statusCode).toBe(400);
    expect(errorOf(badPath).message).toMatch(/^The path is not valid: thingId /);
    expect(badQuery.statusCode).toBe(400);
    expect(errorOf(badQuery).message).toMatch(/^The query is not valid: limit .+; order .+\.$/);
    expect(errorOf(badQuery).details).toHaveLength(2);
    expect(handle).not.toHaveBeenCalled();
  });

  it('reads a missing query as empty, so optional parameters take their defaults', async () => {
    // Act
    const seen = await given({ query: z.object({ limit: z.coerce.number().default(20) }) }, request({ queryStringParameters: undefined }));

    // Assess
    expect(seen.query).toEqual({ limit: 20 });
  });

  it('says which field an issue is about, and says the issue alone when it is about the whole part', async () => {
    // Act
    const result = await echo({ body: z.object({ a: z.string() }).refine(() => false, 'is not allowed') }).route(request({ body: '{"a":"x"}' }), context);

    // Assess
    expect(errorOf(result).message).toBe('The request body is not valid: is not allowed.');
  });
});

describe('httpRoute: the JSON body', () => {
  const optional = { body: z.object({ name: z.string().optional() }) };

  it.each([
    ['no body', undefined],
    ['a null body', null],
    ['an empty body', ''],
  ])('reads %s as an empty object', async (_name, body) => {
    // Act
    const seen = await given(optional, request({ body }));

    // Assess
    expect(seen.body).toEqual({});
  });

  it('decodes a base64-encoded body as UTF-8', async () => {
    // Act
    const seen = await given(optional, request({ body: Buffer.from('{"name":"Zoë"}').toString('base64'), isBase64Encoded: true }));

    // Assess
    expect(seen.body).toEqual({ name: 'Zoë' });
  });

  it('takes a body without a content type as JSON, even when the request has no headers', async () => {
    // Act
    const untyped = await given(optional, request({ headers: { 'user-agent': 'curl/8' }, body: '{"name":"a"}' }));
    const headerless = await given(optional, request({ headers: undefined, body: '{"name":"b"}' }));

    // Assess
    expect(untyped.body).toEqual({ name: 'a' });
    expect(headerless.body).toEqual({ name: 'b' });
  });

  it.each([
    'application/json; charset=utf-8',
    'application/vnd.api+json',
    'application/merge-patch+json',
    'Application/JSON',
    'application/json ; charset=utf-8',
  ])('accepts %s', async (type) => {
    // Act
    const seen = await given(optional, request({ headers: { 'content-type': type }, body: '{"name":"a"}' }));

    // Assess
    expect(seen.body).toEqual({ name: 'a' });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'text/application/json', 'application/jsonp', 'application/+json', 'application/json-seq'])(
    'refuses %s as 415, before the handler runs',
    async (type) => {
      // Prepare
      const { route, handle } = echo(optional);

      // Act
      const result = await route(request({ headers: { 'content-type': type }, body: '{"name":"a"}' }), context);

      // Assess
      expect(result.statusCode).toBe(415);
      expect(errorOf(result)).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' });
      expect(handle).not.toHaveBeenCalled();
    },
  );

  it('refuses a body that is not JSON as 400 INVALID_JSON', async () => {
    // Act
    const result = await echo(optional).route(request({ body: '{"name":' }), context);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result)).toEqual({ code: 'INVALID_JSON', message: 'The request body is not valid JSON.' });
  });

  it('takes a body of 64 KiB and refuses one byte more as 413', async () => {
    // Prepare: the limit counts bytes, not characters.
    const { route } = echo({ body: z.object({ name: z.string() }) });
    const of = (bytes: number) => JSON.stringify({ name: 'é'.repeat((bytes - 11) / 2) + 'x'.repeat((bytes - 11) % 2) });

    // Act
    const atLimit = await route(request({ body: of(64 * 1024) }), context);
    const over = await route(request({ body: of(64 * 1024 + 1) }), context);

    // Assess
    expect(atLimit.statusCode).toBe(200);
    expect(over.statusCode).toBe(413);
    expect(errorOf(over)).toEqual({ code: 'BODY_TOO_LARGE', message: 'Request bodies are limited to 65536 bytes.' });
  });

  it('does not read the body of a route without a body schema', async () => {
    // Act
    const seen = await given({}, request({ headers: { 'content-type': 'text/plain' }, body: 'not json' }));

    // Assess
    expect(seen).not.toHaveProperty('body');
  });
});

describe('rawBodyOf', () => {
  it('gives the bytes as sent: UTF-8 text, base64 decoded, nothing for no body', () => {
    // Act
    const text = rawBodyOf(request({ body: 'Zoë' }));
    const encoded = rawBodyOf(request({ body: Buffer.from([0xff, 0x00, 0x01]).toString('base64'), isBase64Encoded: true }));
    const none = [rawBodyOf(request({ body: undefined })), rawBodyOf(request({ body: null }))];

    // Assess
    expect([...text]).toEqual([...Buffer.from('Zoë', 'utf8')]);
    expect([...encoded]).toEqual([0xff, 0x00, 0x01]);
    expect(none.map((b) => b.length)).toEqual([0, 0]);
  });

  it('takes a body of exactly the limit and refuses one byte more as 413', () => {
    // Act
    const atLimit = rawBodyOf(request({ body: 'abcd' }), 4);
    const over = () => rawBodyOf(request({ body: 'abcde' }), 4);
    const overDefault = () => rawBodyOf(request({ body: 'x'.repeat(64 * 1024 + 1) }));

    // Assess
    expect(atLimit.toString()).toBe('abcd');
    expect(over).toThrow(expect.objectContaining({ kind: 'too_large', code: 'BODY_TOO_LARGE', message: 'Request bodies are limited to 4 bytes.' }));
    expect(overDefault).toThrow(expect.objectContaining({ code: 'BODY_TOO_LARGE', message: 'Request bodies are limited to 65536 bytes.' }));
    expect(rawBodyOf(request({ body: 'x'.repeat(64 * 1024) })).length).toBe(64 * 1024);
  });
});

describe('parseJsonBody', () => {
  const schema = z.object({ key: z.string().optional() });

  it('parses the bytes as JSON with the schema, whether or not a JSON content type is given', () => {
    // Act
    const typed = parseJsonBody(schema, Buffer.from('{"key":"K-1"}'), 'application/json');
    const untyped = parseJsonBody(schema, Buffer.from('{"key":"K-2"}'), undefined);
    const vendor = parseJsonBody(schema, Buffer.from('{"key":"K-3"}'), 'application/vnd.seller+json');

    // Assess
    expect([typed, untyped, vendor]).toEqual([{ key: 'K-1' }, { key: 'K-2' }, { key: 'K-3' }]);
  });

  it('reads no bytes as an empty object', () => {
    expect(parseJsonBody(schema, Buffer.alloc(0), 'application/json')).toEqual({});
  });

  it.each(['text/plain', 'text/application/json', 'application/jsonp', 'application/+json', 'application/json-seq'])('refuses %s as 415', (type) => {
    expect(() => parseJsonBody(schema, Buffer.from('{}'), type)).toThrow(
      expect.objectContaining({ kind: 'unsupported_media', code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' }),
    );
  });

  it('refuses bytes that are not JSON, and JSON the schema refuses, as invalid input', () => {
    expect(() => parseJsonBody(schema, Buffer.from('{"key":'), undefined)).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'INVALID_JSON', message: 'The request body is not valid JSON.' }),
    );
    expect(() => parseJsonBody(schema, Buffer.from('{"key":1}'), undefined)).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'INVALID_INPUT', message: expect.stringMatching(/^The request body is not valid: key /) }),
    );
  });
});

describe('publicRoute', () => {
  it('hands the handler the parsed path and query, the raw body, the requester, the headers and the clock', async () => {
    // Prepare
    const handle = vi.fn(async () => json(204, null));
    const route = publicRoute({ path: z.object({ shop: z.string() }), query: z.object({ page: z.coerce.number() }) }, handle);
    const event = request({
      routeKey: 'POST /webhooks/{shop}',
      pathParameters: { shop: 'ada' },
      queryStringParameters: { page: '2' },
      headers: { 'x-signature': 'sig', 'user-agent': 'Shopify' },
      body: '{"id":1}',
      requestContext: { requestId: 'r-9', http: { sourceIp: '198.51.100.4' } },
    });

    // Act
    const result = await route(event, context);

    // Assess
    expect(result.statusCode).toBe(204);
    expect(handle).toHaveBeenCalledWith({
      path: { shop: 'ada' },
      query: { page: 2 },
      rawBody: Buffer.from('{"id":1}'),
      requester: { ip: '198.51.100.4', userAgent: 'Shopify' },
      headers: { 'x-signature': 'sig', 'user-agent': 'Shopify' },
      now: NOW,
    });
  });

  it('reads no headers as an empty map', async () => {
    // Prepare
    const handle = vi.fn(async () => json(204, null));

    // Act
    await publicRoute({}, handle)(request({ headers: undefined }), context);

    // Assess
    expect(handle).toHaveBeenCalledWith(expect.objectContaining({ headers: {}, rawBody: Buffer.alloc(0) }));
  });

  it('refuses a bad path or query with the part named, and a body over its own limit as 413', async () => {
    // Prepare
    const route = publicRoute({ path: z.object({ shop: z.string().min(3) }), query: z.object({ page: z.coerce.number().int() }), maxBodyBytes: 8 }, async () =>
      json(204, null),
    );

    // Act
    const badPath = await route(request({ pathParameters: { shop: 'a' } }), context);
    const badQuery = await route(request({ pathParameters: { shop: 'ada' }, queryStringParameters: { page: 'x' } }), context);
    const tooLarge = await route(request({ pathParameters: { shop: 'ada' }, queryStringParameters: { page: '1' }, body: '{"a":"bc"}' }), context);

    // Assess
    expect([badPath.statusCode, errorOf(badPath).message]).toEqual([400, expect.stringMatching(/^The path is not valid: shop /)]);
    expect([badQuery.statusCode, errorOf(badQuery).message]).toEqual([400, expect.stringMatching(/^The query is not valid: page /)]);
    expect([tooLarge.statusCode, errorOf(tooLarge).message]).toEqual([413, 'Request bodies are limited to 8 bytes.']);
  });
});

describe('preconditionOf: the headers as sent', () => {
  it('ignores the spaces around the header values', () => {
    expect(preconditionOf({ 'if-match': ' * ' })).toEqual({ kind: 'match', etags: '*' });
    expect(preconditionOf({ 'if-none-match': ' * ' })).toEqual({ kind: 'absent' });
  });

  it('says how to ask instead, when the headers cannot be read', () => {
    expect(() => preconditionOf({ 'if-match': '"1"', 'if-none-match': '*' })).toThrow('Send If-Match (to update) or If-None-Match: * (to create), not both.');
    expect(() => preconditionOf({ 'if-none-match': '"1"' })).toThrow('If-None-Match takes only * here: create the product only if it does not exist.');
  });
});

describe('byRoute', () => {
  const routes = (seen: string[]) => ({
    'GET /a': async (event: HttpEvent) => {
      seen.push(event.routeKey);
      logger.info('handled');
      return json(200, { route: 'a' });
    },
  });

  it('calls the handler of the route API Gateway names', async () => {
    // Prepare
    const seen: string[] = [];
    const handler = byRoute('licenses', routes(seen) as never);

    // Act
    const result = await handler(request({ routeKey: 'GET /a' }), context);

    // Assess
    expect(result).toMatchObject({ statusCode: 200, body: '{"route":"a"}' });
    expect(seen).toEqual(['GET /a']);
  });

  it('answers a route it does not know with 404 ROUTE_NOT_FOUND', async () => {
    // Act
    const result = (await byRoute('licenses', routes([]) as never)(request({ routeKey: 'GET /b' }), context)) as HttpResult;

    // Assess
    expect(result.statusCode).toBe(404);
    expect(errorOf(result)).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No route GET /b.' });
  });

  it('puts the Lambda request id on the log lines of the invocation, and runs without a context too', async () => {
    // Prepare
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const level = logger.getLevelName();
    logger.setLogLevel('INFO');
    const handler = byRoute('licenses', routes([]) as never);
    const lambdaContext = { awsRequestId: 'lambda-req-7f3', functionName: 'licenses', memoryLimitInMB: '256' } as unknown as Context;

    // Act
    try {
      await handler(request({ routeKey: 'GET /a' }), lambdaContext);
      await handler(request({ routeKey: 'GET /a' }), undefined as unknown as Context);
    } finally {
      logger.setLogLevel(level);
    }

    // Assess
    const handled = lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"handled"'));
    expect(handled).toHaveLength(2);
    expect(JSON.parse(handled[0] as string)).toMatchObject({ function_request_id: 'lambda-req-7f3', function_name: 'licenses' });
  });
});
