import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseKeySet, rotateKeySet, serializeKeySet } from '../adapters/aws/signing-keys';
import { newSigningSecret } from '../core/token';
import type { FunctionName } from '../functions/manifest';
import { RETRY_AFTER_SECONDS } from '../functions/shared/failures';
import type { LocalDeadLetters } from './aws/dead-letters';
import { answerAws } from './aws/endpoints';
import type { LocalSecrets } from './aws/secrets';
import type { LocalSes } from './aws/ses';
import type { LocalEventBus } from './event-bus';
import { authorize, MAX_PAYLOAD_BYTES, matchRoute, toLambdaEvent } from './http-gateway';
import type { LocalIdentity } from './jwt';
import { LICENSE_KEY_SECRET_NAME, SIGNING_SECRET_NAME } from './provision';
import { serveStatic } from './static';

export interface ServerDeps {
  url: string;
  publicBaseUrl: string;
  s3Endpoint: string;
  identity: LocalIdentity;
  bus: LocalEventBus;
  ses: LocalSes;
  secrets: LocalSecrets;
  deadLetters: LocalDeadLetters;
  invoke: (name: FunctionName, event: unknown) => Promise<unknown>;
  /** Every engine answers: while one restarts, the API answers 503 at once. */
  enginesUp: () => boolean;
  idle: (timeoutMs: number) => Promise<boolean>;
  /** After the signing keys changed: warm functions read them again. */
  keysRotated: () => Promise<void>;
  /** After the license-certificate keys changed: warm functions read them again. */
  licenseKeysRotated: () => Promise<void>;
  log: (message: string) => void;
}

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> =>
  new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(size > limit ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
};

const apiError = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
  send(res, status, { error: { code, message } }, headers);

const unavailable = (res: ServerResponse) =>
  apiError(res, 503, 'SERVICE_UNAVAILABLE', 'A store this request needs is restarting; try again shortly.', { 'retry-after': String(RETRY_AFTER_SECONDS) });

/**
 * The local runtime's HTTP side: the local-only endpoints (`/_local/*`,
 * the JWKS), the pages and the OpenAPI document, the AWS APIs the functions
 * call (`/_aws/*`), and API Gateway's part for every route of the manifest
 * (routing, the JWT authorizer, the Lambda event).
 */
/** The local API Gateway's request listener (the runtime's server is bound before it is built: see runtime.ts). */
export const localRequestListener = (deps: ServerDeps): ((req: IncomingMessage, res: ServerResponse) => Promise<void>) => {
  const local = async (req: IncomingMessage, res: ServerResponse, requestUrl: URL, body: Buffer): Promise<boolean> => {
    const path = requestUrl.pathname;
    if (path === '/.well-known/jwks.json') {
      send(res, 200, deps.identity.jwks);
      return true;
    }
    if (path === '/_local/token' && req.method === 'GET') {
      const sub = requestUrl.searchParams.get('sub');
      if (!sub || sub.length > 256) {
        apiError(res, 400, 'INVALID_INPUT', 'Pass ?sub=<customerId> (and optionally &scope=downloads/admin).');
        return true;
      }
      const token = await deps.identity.mint({
        sub,
        scope: requestUrl.searchParams.get('scope') ?? undefined,
        email: requestUrl.searchParams.get('email') ?? undefined,
      });
      send(res, 200, { token, tokenType: 'Bearer', expiresIn: 3600 });
      return true;
    }
    if (path === '/_local/rotate-signing-key' && req.method === 'POST') {
      const days = requestUrl.searchParams.get('retirePreviousAfterDays');
      if (days !== null && !/^\d{1,5}$/.test(days)) {
        apiError(res, 400, 'INVALID_INPUT', 'retirePreviousAfterDays is a whole number of days.');
        return true;
      }
      const current = parseKeySet(deps.secrets.get(SIGNING_SECRET_NAME) ?? '{}');
      const retirePreviousAt = days === null ? undefined : new Date(Date.now() + Number(days) * 86_400_000).toISOString();
      const next = rotateKeySet(current, { newSecret: newSigningSecret(), retirePreviousAt });
      deps.secrets.put(SIGNING_SECRET_NAME, serializeKeySet(next));
      await deps.keysRotated();
      send(res, 200, { currentKid: next.currentKid, acceptedKids: Object.keys(next.keys), retireAt: next.retireAt ?? {} });
      return true;
    }
    if (path === '/_local/rotate-license-key' && req.method === 'POST') {
      // As an operator rotates the license-certificate keyring in AWS: a new current kid, the previous one kept
      // published until its retire date (default: the longest certificate life, 90 days), so issued certificates verify.
      const days = requestUrl.searchParams.get('retirePreviousAfterDays') ?? '90';
      if (!/^\d{1,5}$/.test(days)) {
        apiError(res, 400, 'INVALID_INPUT', 'retirePreviousAfterDays is a whole number of days.');
        return true;
      }
      const current = parseKeySet(deps.secrets.get(LICENSE_KEY_SECRET_NAME) ?? '{}');
      const retirePreviousAt = new Date(Date.now() + Number(days) * 86_400_000).toISOString();
      const next = rotateKeySet(current, { newSecret: newSigningSecret(), retirePreviousAt });
      deps.secrets.put(LICENSE_KEY_SECRET_NAME, serializeKeySet(next));
      await deps.licenseKeysRotated();
      send(res, 200, { currentKid: next.currentKid, publishedKids: Object.keys(next.keys), retireAt: next.retireAt ?? {} });
      return true;
    }
    if (path === '/_local/events') {
      const filter = { detailType: requestUrl.searchParams.get('detailType') ?? undefined, source: requestUrl.searchParams.get('source') ?? undefined };
      send(res, 200, { items: deps.bus.history(filter) });
      return true;
    }
    if (path === '/_local/outbox') {
      send(res, 200, { items: deps.ses.list().map((m) => ({ file: m.file, size: m.raw.length })) });
      return true;
    }
    if (path === '/_local/dead-letters') {
      send(res, 200, { items: deps.deadLetters.list() });
      return true;
    }
    if (path === '/_local/redrive' && req.method === 'POST') {
      const consumer = requestUrl.searchParams.get('queue') ?? '';
      send(res, 200, { queue: consumer, redriven: deps.bus.redrive(consumer as FunctionName) });
      return true;
    }
    if (path === '/_local/idle') {
      send(res, 200, { idle: await deps.idle(Number(requestUrl.searchParams.get('timeoutMs')) || 20_000) });
      return true;
    }
    if (await serveStatic(req, res, requestUrl, { publicBaseUrl: deps.publicBaseUrl, s3Endpoint: deps.s3Endpoint })) return true;
    if (path.startsWith('/_aws/ses') && req.method === 'POST') {
      const reply = deps.ses.sendEmail(path, body);
      send(res, reply.status, reply.body);
      return true;
    }
    const aws = /^\/_aws\/(events|sqs|secretsmanager)(\/.*)?$/.exec(path);
    if (aws && req.method === 'POST') {
      let parsed: unknown;
      try {
        parsed = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        send(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
        return true;
      }
      const reply = await answerAws(aws[1] as string, String(req.headers['x-amz-target'] ?? ''), parsed, deps);
      const protocol = aws[1] === 'sqs' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
      send(res, reply.status, reply.body, { 'content-type': protocol });
      return true;
    }
    return false;
  };

  return async (req, res) => {
    try {
      const requestUrl = new URL(req.url ?? '/', deps.url);
      const body = await readBody(req, MAX_PAYLOAD_BYTES);
      if (body === 'too-large') return apiError(res, 413, 'PAYLOAD_TOO_LARGE', 'Request bodies are limited to 10 MB.');
      if (await local(req, res, requestUrl, body)) return;
      const match = matchRoute(req.method ?? 'GET', requestUrl.pathname);
      if (!match) return apiError(res, 404, 'NOT_FOUND', 'No such route.');
      if ('methodNotAllowed' in match) return apiError(res, 404, 'NOT_FOUND', `No route ${req.method} ${requestUrl.pathname}.`);
      const auth = await authorize(deps.identity, req.headers.authorization, match.route);
      if ('status' in auth) return apiError(res, auth.status, auth.code, auth.message, auth.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      if (!deps.enginesUp()) return unavailable(res);
      const event = toLambdaEvent(req, requestUrl, body, match, auth.claims);
      const result = (await deps.invoke(match.route.function, event)) as
        | { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean }
        | undefined;
      const payload = result?.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
      res.writeHead(result?.statusCode ?? 200, result?.headers ?? {});
      res.end(payload);
    } catch (error) {
      if (!deps.enginesUp() && !res.headersSent) return unavailable(res);
      deps.log(`local gateway: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) apiError(res, 500, 'INTERNAL_ERROR', 'The local runtime failed to handle this request.');
      else res.end();
    }
  };
};
