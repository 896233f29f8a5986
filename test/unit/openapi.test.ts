import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HTTP_ROUTES } from '../../functions/manifest';
import { buildOpenApiDocument } from '../../openapi/document';
import { generatedFiles } from '../../openapi/generate';

type Operation = { security?: Record<string, string[]>[]; responses: Record<string, unknown>; 'x-required-scope'?: string; tags?: string[] };
const document = buildOpenApiDocument();
const operationOf = (routeKey: string) => {
  const [method = '', path = ''] = routeKey.split(' ');
  return (document.paths?.[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];
};

describe('the OpenAPI document', () => {
  it('documents every route of HTTP_ROUTES with its method, and nothing else', () => {
    // Act
    const documentedKeys = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((key) => ['get', 'put', 'post', 'delete', 'patch'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );

    // Assess
    for (const route of HTTP_ROUTES) expect(operationOf(route.routeKey), route.routeKey).toBeDefined();
    expect(documentedKeys.sort()).toEqual(HTTP_ROUTES.map((r) => r.routeKey).sort());
  });

  it('asks for a bearer JWT on every route but the public ones, with the admin scope on admin routes', () => {
    for (const route of HTTP_ROUTES) {
      const operation = operationOf(route.routeKey) as Operation;
      if ((route.access as string) === 'public') {
        expect(operation.security, route.routeKey).toEqual([]);
        // No bearer 401; a public route's own credential may still answer one (a webhook's signature).
        if (operation.responses['401']) expect(JSON.stringify(operation.responses['401']), route.routeKey).not.toMatch(/bearer|JWT/i);
        continue;
      }
      expect(operation.security, route.routeKey).toEqual([{ bearerAuth: route.access === 'admin' ? ['downloads/admin'] : [] }]);
      expect(operation['x-required-scope']).toBe(route.access === 'admin' ? 'downloads/admin' : undefined);
      expect(operation.responses['401'], route.routeKey).toBeDefined();
      if (route.access === 'admin') expect(operation.responses['403'], route.routeKey).toBeDefined();
    }
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it("answers errors in the one error shape, with the contract's status codes for downloads", () => {
    const download = operationOf('GET /downloads/{token}') as Operation;
    expect(Object.keys(download.responses)).toEqual(expect.arrayContaining(['200', '302', '401', '403', '404', '410', '429']));
    const errorRefs = Object.values(document.paths ?? {})
      .flatMap((item) => Object.values(item as Record<string, Operation>))
      .flatMap((operation) => Object.entries(operation.responses ?? {}))
      .filter(([status]) => Number(status) >= 400)
      .map(([, response]) => (response as { content?: Record<string, { schema?: { $ref?: string } }> }).content?.['application/json']?.schema?.$ref);
    expect(new Set(errorRefs)).toEqual(new Set(['#/components/schemas/Error']));
    expect(document.components?.schemas?.Error).toMatchObject({ required: ['error'] });
  });

  it('is a valid OpenAPI 3.1 document, by a validator that does refuse a broken one', async () => {
    // Prepare
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, { responses: unknown }>> };
    (broken.paths['/admin/products'] as Record<string, { responses: unknown }>).get = { responses: 'none' };

    // Act
    const result = await validate(structuredClone(document) as never);
    const refused = await validate(broken as never);

    // Assess
    expect(result).toMatchObject({ valid: true });
    expect(document.openapi).toBe('3.1.0');
    expect(refused.valid).toBe(false);
  });

  it("committed openapi.json and the web client's types equal what `npm run openapi` generates", async () => {
    for (const [path, text] of Object.entries(await generatedFiles())) {
      expect(readFileSync(resolve(path), 'utf8'), `${path} is stale: run npm run openapi`).toBe(text);
    }
  });

  it('takes the server address it is given (the local runtime passes its public base URL)', () => {
    expect(buildOpenApiDocument({ serverUrl: 'https://shop.example.com' }).servers).toEqual([{ url: 'https://shop.example.com' }]);
  });
});

describe('drift between the document and the routes it describes', () => {
  afterEach(() => {
    vi.doUnmock('../../functions/manifest');
    vi.resetModules();
  });

  it('a route without an OpenAPI registration fails the build of the document', async () => {
    // Prepare
    vi.resetModules();
    vi.doMock('../../functions/manifest', async (importOriginal) => {
      const original = await importOriginal<typeof import('../../functions/manifest')>();
      return { ...original, HTTP_ROUTES: [...original.HTTP_ROUTES, { routeKey: 'GET /admin/new-thing', function: 'admin-catalog', access: 'admin' }] };
    });

    // Act
    const { buildOpenApiDocument: build } = await import('../../openapi/document');

    // Assess
    expect(() => build()).toThrow(/missing GET \/admin\/new-thing/);
  });
});
