import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
// zod's core only: the handlers' schemas may be classic or mini; this file is on the download's cold start.
import { $ZodError, safeParse, type $ZodType, type output } from 'zod/v4/core';
import { plainMessage } from '../../core/input-messages';
import { DomainError, type ErrorKind } from '../../core/errors';
import type { Requester } from '../../core/ports';
import type { Precondition } from '../../core/product';
import type { FunctionName, RouteKeyOf } from '../manifest';
import { ADMIN_SCOPE } from '../scopes';
import { isDependencyUnavailable, RETRY_AFTER_SECONDS } from './failures';
import { logger } from './logger';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = { statusCode: number; headers?: Record<string, string>; body?: string };

/** Domain error kinds → HTTP status, in one place. */
const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  precondition: 412,
  too_large: 413,
  unsupported_media: 415,
  throttled: 429,
  unavailable: 503,
};

const NO_STORE = { 'cache-control': 'no-store' };

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
  body: JSON.stringify(body),
});

/** `details` left out of the body when undefined (JSON.stringify drops undefined members). */
export const errorResponse = (statusCode: number, code: string, message: string, details?: unknown, headers?: Record<string, string>) =>
  json(statusCode, { error: { code, message, details } }, headers);

/** Who is calling, from the claims API Gateway's JWT authorizer verified. Never from the path, query or body. */
export interface Caller {
  sub: string;
  scopes: string[];
  isAdmin: boolean;
}

const callerOf = (event: HttpEvent): Caller | undefined => {
  const jwt = event.requestContext?.authorizer?.jwt;
  const sub = jwt?.claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const fromClaim = typeof jwt.claims.scope === 'string' ? jwt.claims.scope.split(' ') : [];
  const scopes = [...new Set([...(jwt.scopes ?? []), ...fromClaim].filter(Boolean))];
  return { sub, scopes, isAdmin: scopes.includes(ADMIN_SCOPE) };
};

/**
 * Who asked. Behind CloudFront, API Gateway's `sourceIp` is CloudFront's: the
 * distribution's function forwards the viewer's address with the edge token,
 * and only a request carrying that token is taken at its word.
 */
export const requesterOf = (event: HttpEvent, edgeToken: string | undefined = process.env.EDGE_TOKEN): Requester => {
  const headers = event.headers ?? {};
  const viaEdge = edgeToken !== undefined && edgeToken !== '' && headers['x-dd-edge'] === edgeToken;
  return {
    ip: (viaEdge ? headers['x-dd-viewer-address'] : undefined) ?? event.requestContext?.http?.sourceIp ?? null,
    userAgent: (headers['user-agent'] ?? '').slice(0, 512) || null,
  };
};

type ZodType = $ZodType;

export interface RouteSchemas<P extends ZodType, Q extends ZodType, B extends ZodType> {
  path?: P;
  query?: Q;
  body?: B;
  /** Admin routes: API Gateway checks the scope; the handler checks again (defence in depth). */
  admin?: boolean;
}

export interface RouteRequest<P, Q, B> {
  path: P;
  query: Q;
  body: B;
  caller: Caller;
  requester: Requester;
  headers: Record<string, string | undefined>;
  now: string;
}

const MAX_BODY_BYTES = 64 * 1024;

const issuesOf = (error: $ZodError) => error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

const WHERE: Record<string, string> = { path: 'The path', query: 'The query', body: 'The request body' };

const parsePart = <T extends ZodType>(schema: T | undefined, value: unknown, where: 'path' | 'query' | 'body'): output<T> => {
  if (!schema) return undefined as output<T>;
  const parsed = safeParse(schema, value ?? {}, { error: plainMessage });
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    throw new DomainError(
      'invalid',
      'INVALID_INPUT',
      `${WHERE[where]} is not valid: ${issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ')}.`,
      issues,
    );
  }
  return parsed.data;
};

/** `application/json` or a `+json` suffix type (RFC 6839: `application/vnd.api+json`), parameters allowed after it. */
const isJsonType = (contentType: string) => /^application\/([a-z0-9][a-z0-9!#$&^_.+-]*\+)?json\s*(;|$)/i.test(contentType);

const readJsonBody = (event: HttpEvent): unknown => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new DomainError('too_large', 'BODY_TOO_LARGE', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
  const type = event.headers?.['content-type'] ?? 'application/json';
  if (!isJsonType(type)) throw new DomainError('unsupported_media', 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('invalid', 'INVALID_JSON', 'The request body is not valid JSON.');
  }
};

/**
 * A conditional request's headers: `If-None-Match: *` (create only) or
 * `If-Match: <etag>[, <etag>…] | *` (update only those versions). Strong
 * comparison, as RFC 9110 asks of `If-Match`: a weak `W/"…"` never matches.
 */
export const preconditionOf = (headers: Record<string, string | undefined>): Precondition => {
  const ifMatch = headers['if-match']?.trim();
  const ifNoneMatch = headers['if-none-match']?.trim();
  if (ifMatch && ifNoneMatch) throw new DomainError('invalid', 'INVALID_PRECONDITION', 'Send If-Match (to update) or If-None-Match: * (to create), not both.');
  if (ifNoneMatch) {
    if (ifNoneMatch !== '*')
      throw new DomainError('invalid', 'INVALID_PRECONDITION', 'If-None-Match takes only * here: create the product only if it does not exist.');
    return { kind: 'absent' };
  }
  if (ifMatch) return { kind: 'match', etags: ifMatch === '*' ? '*' : ifMatch.split(',').map((etag) => etag.trim()) };
  return { kind: 'none' };
};

/**
 * Every thrown error becomes one JSON shape. Domain errors keep their code;
 * a store that is down or throttling is a 503 with Retry-After (the request
 * was fine: try again); anything else is a bug, logged (without the event)
 * and answered as a 500 that says nothing about internals.
 */
const jsonErrors = (): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: async (request) => {
    const error = request.error;
    if (error instanceof DomainError) {
      // A 429 or 503 always says when to come back (the contract): its own seconds, else the default.
      const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      const headers =
        error.kind === 'throttled' || error.kind === 'unavailable'
          ? { 'retry-after': String(typeof seconds === 'number' ? seconds : RETRY_AFTER_SECONDS) }
          : undefined;
      request.response = errorResponse(STATUS[error.kind], error.code, error.message, error.kind === 'invalid' ? error.details : undefined, headers);
      return;
    }
    if (error instanceof $ZodError) {
      request.response = errorResponse(400, 'INVALID_INPUT', 'Invalid input.', issuesOf(error));
      return;
    }
    if (isDependencyUnavailable(error)) {
      logger.warn('a dependency is unavailable', { routeKey: request.event?.routeKey, error: { name: error?.name, message: error?.message } });
      request.response = errorResponse(503, 'SERVICE_UNAVAILABLE', 'A service this request needs is unavailable; try again shortly.', undefined, {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
      return;
    }
    // The correlation id rides on the lines that are written, not on every request: appending
    // keys to the logger per request costs the hot path ~20 µs (bench figure 3).
    logger.error('unexpected error', {
      correlationId: request.event?.requestContext?.requestId,
      routeKey: request.event?.routeKey,
      error: { name: error?.name, message: error?.message, stack: error?.stack },
    });
    request.response = errorResponse(500, 'INTERNAL_ERROR', 'Something went wrong on our side; try again.');
  },
});

/** A thin HTTP handler: parse and authorize in middlewares, then call the use case. */
/** The raw request body, as the client sent its bytes (a webhook signature is computed over exactly these). */
export const rawBodyOf = (event: HttpEvent, maxBytes = MAX_BODY_BYTES): Buffer => {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body);
  if (raw.length > maxBytes) throw new DomainError('too_large', 'BODY_TOO_LARGE', `Request bodies are limited to ${maxBytes} bytes.`);
  return raw;
};

export interface PublicRouteRequest<P, Q> {
  path: P;
  query: Q;
  /** The body as sent: the route parses (and authenticates) it itself. */
  rawBody: Buffer;
  requester: Requester;
  headers: Record<string, string | undefined>;
  now: string;
}

/**
 * A route without a JWT (the manifest's `access: 'public'`): the seller's
 * software and the storefronts' webhooks call these, and the credential is in
 * the request itself (a license key, a webhook signature), checked by the
 * handler. Same error shapes, same 503 for outages.
 */
export const publicRoute = <P extends ZodType = ZodType, Q extends ZodType = ZodType>(
  /** `maxBodyBytes`: a route whose callers send large bodies (a storefront's order webhook). @default 64 KiB */
  schemas: { path?: P; query?: Q; maxBodyBytes?: number },
  handle: (request: PublicRouteRequest<output<P>, output<Q>>) => Promise<HttpResult>,
) =>
  middy<HttpEvent, HttpResult>(async (event: HttpEvent) => {
    const path = parsePart(schemas.path, event.pathParameters, 'path');
    const query = parsePart(schemas.query, event.queryStringParameters, 'query');
    return handle({
      path,
      query,
      rawBody: rawBodyOf(event, schemas.maxBodyBytes),
      requester: requesterOf(event),
      headers: event.headers ?? {},
      now: new Date().toISOString(),
    });
  }).use(jsonErrors());

/** Parses a JSON body already read (a public route's, after its own checks) with a schema, with the usual 400s. */
export const parseJsonBody = <B extends ZodType>(schema: B, raw: Buffer, contentType: string | undefined): output<B> => {
  if (contentType && !isJsonType(contentType)) {
    throw new DomainError('unsupported_media', 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  }
  let parsed: unknown;
  try {
    parsed = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    throw new DomainError('invalid', 'INVALID_JSON', 'The request body is not valid JSON.');
  }
  return parsePart(schema, parsed, 'body');
};

export const httpRoute = <P extends ZodType = ZodType, Q extends ZodType = ZodType, B extends ZodType = ZodType>(
  schemas: RouteSchemas<P, Q, B>,
  handle: (request: RouteRequest<output<P>, output<Q>, output<B>>) => Promise<HttpResult>,
) =>
  middy<HttpEvent, HttpResult>(async (event: HttpEvent) => {
    const caller = callerOf(event);
    if (!caller) throw new DomainError('unauthorized', 'UNAUTHORIZED', 'Sign in first: this route needs a valid bearer token.');
    if (schemas.admin && !caller.isAdmin) throw new DomainError('forbidden', 'ADMIN_SCOPE_REQUIRED', `This route needs the ${ADMIN_SCOPE} scope.`);
    const path = parsePart(schemas.path, event.pathParameters, 'path');
    const query = parsePart(schemas.query, event.queryStringParameters, 'query');
    const body = parsePart(schemas.body, schemas.body ? readJsonBody(event) : undefined, 'body');
    return handle({ path, query, body, caller, requester: requesterOf(event), headers: event.headers ?? {}, now: new Date().toISOString() });
  }).use(jsonErrors());

/**
 * One function serves several routes; API Gateway's `routeKey` picks the
 * handler. The map must name every route the manifest gives the function, and
 * no other: a route without a handler does not compile.
 */
export const byRoute =
  <F extends FunctionName>(_function: F, routes: { [K in RouteKeyOf<F>]: (event: HttpEvent, context: Context) => Promise<HttpResult> }) =>
  async (event: HttpEvent, context: Context): Promise<APIGatewayProxyResultV2> => {
    // The Lambda context on every log line (request id, cold start, function): cheap off the download's hot path,
    // which does not go through byRoute.
    if (context) logger.addContext(context);
    const route = (routes as Record<string, ((event: HttpEvent, context: Context) => Promise<HttpResult>) | undefined>)[event.routeKey];
    if (!route) return errorResponse(404, 'ROUTE_NOT_FOUND', `No route ${event.routeKey}.`);
    return route(event, context);
  };
