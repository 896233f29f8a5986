import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ADMIN_SCOPE, HTTP_ROUTES, type HttpRoute } from '../functions/manifest';
import type { LocalIdentity } from './jwt';

/** API Gateway HTTP APIs refuse payloads over 10 MB. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface CompiledRoute extends HttpRoute {
  method: string;
  template: string;
  pattern: RegExp;
  params: string[];
}

const compile = (route: HttpRoute): CompiledRoute => {
  const [method = 'GET', template = '/'] = route.routeKey.split(' ');
  const params: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { ...route, method, template, pattern: new RegExp(`^${source}$`), params };
};

/** Static segments win over parameters, as in API Gateway. */
const ROUTES = HTTP_ROUTES.map(compile).sort((a, b) => a.params.length - b.params.length);

export type Match = { route: CompiledRoute; pathParameters: Record<string, string> } | { methodNotAllowed: true } | undefined;

export const matchRoute = (method: string, path: string): Match => {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const pathParameters: Record<string, string> = {};
    let decodable = true;
    route.params.forEach((name, i) => {
      try {
        pathParameters[name] = decodeURIComponent(m[i + 1] as string);
      } catch {
        decodable = false;
      }
    });
    if (!decodable) continue;
    return { route, pathParameters };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
};

const TEXT_TYPES = /^(application\/([a-z.+-]*\+)?json|text\/|application\/x-www-form-urlencoded)/i;

/** The payload-format-2.0 event API Gateway hands a Lambda, with the JWT authorizer's claims. */
export const toLambdaEvent = (
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  match: { route: CompiledRoute; pathParameters: Record<string, string> },
  claims: Record<string, unknown>,
): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const text = TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const stringClaims = Object.fromEntries(
    Object.entries(claims).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v)]),
  ) as Record<string, string | number | boolean>;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: req.headers.cookie?.split(';').map((c) => c.trim()),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: Object.keys(match.pathParameters).length > 0 ? match.pathParameters : undefined,
    body: body.length > 0 ? (text ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !text,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: url.hostname.split('.')[0] ?? 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: match.route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: stringClaims, scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [] },
      },
    },
    stageVariables: undefined,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
};

/** What the JWT authorizer decides: the claims, or why the request is refused. */
export const authorize = async (
  identity: LocalIdentity,
  authorization: string | undefined,
  route: HttpRoute,
): Promise<{ claims: Record<string, unknown> } | { status: 401 | 403; code: string; message: string }> => {
  // No authorizer on a public route: the handler checks what the request carries.
  if (route.access === 'public') return { claims: {} };
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return { status: 401, code: 'UNAUTHORIZED', message: 'Send a bearer token: Authorization: Bearer <JWT>.' };
  const claims = await identity.verify(token);
  if (!claims) return { status: 401, code: 'UNAUTHORIZED', message: 'The bearer token is invalid or expired.' };
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (route.access === 'admin' && !scopes.includes(ADMIN_SCOPE)) {
    return { status: 403, code: 'ADMIN_SCOPE_REQUIRED', message: `This route needs the ${ADMIN_SCOPE} scope.` };
  }
  return { claims: claims as Record<string, unknown> };
};
