import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_SCOPE, HTTP_ROUTES } from '../../functions/manifest';
import type { HttpEvent, HttpResult } from '../../functions/shared/http';

/**
 * API Gateway checks the admin scope on /admin/* routes; the handlers check it
 * again, so that a route added without `authorizationScopes` (or an authorizer
 * misconfigured) still refuses. These tests fail when that second check goes.
 */

// Every store points at a closed port: a handler that skipped the check would fail on I/O, not pass by luck.
const CLOSED = 'http://127.0.0.1:9';
beforeAll(() => {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    LINKS_TABLE: 'links',
    INVOICES_TABLE: 'invoices',
    PRODUCTS_TABLE: 'products',
    EXTERNAL_IDS_TABLE: 'external-ids',
    FILES_TABLE: 'files',
    LINK_LOG_TABLE: 'link-log',
    DISPATCHES_TABLE: 'dispatches',
    LICENSES_TABLE: 'licenses',
    LICENSE_LOG_TABLE: 'license-log',
    LICENSE_KEY_SECRET_ID: 'digital-downloads/license-certificate-keys',
    PRODUCT_UPDATES_TABLE: 'product-updates',
    DASHBOARD_TABLE: 'dashboard',
    FILES_BUCKET: 'files',
    PUBLIC_BASE_URL: 'https://downloads.adas-books.co.uk',
    SIGNING_KEY_SECRET_ID: 'signing-key',
    DYNAMODB_ENDPOINT: CLOSED,
    S3_ENDPOINT: CLOSED,
    SECRETS_MANAGER_ENDPOINT: CLOSED,
  });
});

const eventFor = (routeKey: string, scope: string | undefined, pathParameters: Record<string, string> = {}): HttpEvent =>
  ({
    routeKey,
    rawPath: '/',
    headers: { 'content-type': 'application/json' },
    pathParameters,
    body: routeKey.startsWith('GET') ? undefined : '{}',
    isBase64Encoded: false,
    requestContext: {
      requestId: 'r-1',
      http: { method: routeKey.split(' ')[0], path: '/', sourceIp: '203.0.113.7' },
      authorizer: { jwt: { claims: { sub: 'customer-1', ...(scope ? { scope } : {}) }, scopes: [] } },
    },
  }) as unknown as HttpEvent;

const context = { awsRequestId: 'r-1', functionName: 'test' } as Context;
const bodyOf = (result: unknown) => JSON.parse((result as HttpResult).body ?? '{}');

describe('httpRoute({ admin: true })', () => {
  it('refuses a signed-in caller without the admin scope with 403, before the handler runs', async () => {
    // Prepare
    const { httpRoute, json } = await import('../../functions/shared/http');
    const handle = vi.fn(async () => json(200, { ok: true }));
    const route = httpRoute({ admin: true }, handle);

    // Act
    const result = (await route(eventFor('GET /admin/products', 'openid profile'), context)) as HttpResult;

    // Assess
    expect(result.statusCode).toBe(403);
    expect(bodyOf(result).error.code).toBe('ADMIN_SCOPE_REQUIRED');
    expect(handle).not.toHaveBeenCalled();
  });

  it('lets a caller with the admin scope through, from the scope claim or the authorizer scopes', async () => {
    const { httpRoute, json } = await import('../../functions/shared/http');
    const handle = vi.fn(async () => json(200, { ok: true }));
    const route = httpRoute({ admin: true }, handle);

    const fromClaim = (await route(eventFor('GET /admin/products', `openid ${ADMIN_SCOPE}`), context)) as HttpResult;
    const fromScopes = eventFor('GET /admin/products', undefined);
    (fromScopes.requestContext.authorizer.jwt as { scopes: string[] }).scopes = [ADMIN_SCOPE];
    const viaScopes = (await route(fromScopes, context)) as HttpResult;

    expect(fromClaim.statusCode).toBe(200);
    expect(viaScopes.statusCode).toBe(200);
    expect(handle).toHaveBeenCalledTimes(2);
  });

  it('does not ask a customer route for the scope', async () => {
    const { httpRoute, json } = await import('../../functions/shared/http');
    const route = httpRoute({}, async () => json(200, { ok: true }));
    expect(((await route(eventFor('GET /downloads/customer', 'openid'), context)) as HttpResult).statusCode).toBe(200);
  });
});

describe('the admin handlers', () => {
  const adminRoutes = HTTP_ROUTES.filter((r) => r.access === 'admin');

  it.each(adminRoutes.map((r) => [r.routeKey, r.function] as const))('%s (%s) refuses a customer token itself', async (routeKey, fn) => {
    // Prepare: every path parameter filled in, so that only the scope can refuse.
    const params = Object.fromEntries([...routeKey.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name as string, 'x1']));
    const { handler } = (await import(`../../functions/${fn}/handler.ts`)) as { handler: (e: HttpEvent, c: Context) => Promise<unknown> };

    // Act
    const result = await handler(eventFor(routeKey, 'openid', params), context);

    // Assess
    expect((result as HttpResult).statusCode).toBe(403);
    expect(bodyOf(result).error.code).toBe('ADMIN_SCOPE_REQUIRED');
  });
});
