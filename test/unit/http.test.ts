import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProductSettingsSchema } from '../../core/product';
import { httpRoute, preconditionOf, type HttpEvent } from '../../functions/shared/http';

const eventWith = (body: unknown, headers: Record<string, string> = {}): HttpEvent =>
  ({
    routeKey: 'PUT /admin/products/{productId}',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: 'r-1', http: { sourceIp: '127.0.0.1' }, authorizer: { jwt: { claims: { sub: 'operator-1' }, scopes: [] } } },
  }) as unknown as HttpEvent;

const detailsOf = async (schema: z.ZodType, body: unknown) => {
  const route = httpRoute({ body: schema }, async () => ({ statusCode: 204 }));
  const result = await route(eventWith(body), {} as Context);
  return { status: result.statusCode, error: JSON.parse(result.body ?? '{}').error as { code: string; message: string; details: unknown } };
};

describe('field errors in plain language', () => {
  it.each([
    ['a fraction where a whole number is due', { maxDownloadsPerLink: 1.5 }, 'maxDownloadsPerLink', 'must be a whole number'],
    ['a negative limit', { maxDownloadsPerLink: -1 }, 'maxDownloadsPerLink', 'must be 0 or more'],
    ['a limit too large', { downloadLinkExpiryDays: 100_000 }, 'downloadLinkExpiryDays', 'must be 36500 or less'],
    ['text where a number is due', { maxDownloadsPerLink: 'five' }, 'maxDownloadsPerLink', 'must be a number'],
    ['an empty name', { name: '  ' }, 'name', 'must not be empty'],
    ['an unknown delivery method', { deliveryMethod: 'Postal' }, 'deliveryMethod', 'must be one of "InstantDownload", "EmailDelivered"'],
    ['a list given as text', { fileIds: 'abc' }, 'fileIds', 'must be a list'],
    ['a malformed file id (the schema says it in its own words)', { fileIds: ['x'] }, 'fileIds.0', 'must be a file id (22 letters, digits, - or _)'],
  ])('%s', async (_name, body, path, message) => {
    // Act
    const { status, error } = await detailsOf(ProductSettingsSchema, body);

    // Assess
    expect(status).toBe(400);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details).toEqual([{ path, message }]);
    expect(error.message).toBe(`The request body is not valid: ${path} ${message}.`);
    expect(error.message).not.toMatch(/Invalid input|expected|received/);
  });

  it('says which fields are missing', async () => {
    // Act
    const { error } = await detailsOf(z.object({ fileName: z.string(), size: z.number().int() }), { size: 1 });

    // Assess
    expect(error.details).toEqual([{ path: 'fileName', message: 'is required' }]);
  });

  it("says why a record's key is refused, in the key schema's words (not zod's 'Invalid key in record')", async () => {
    // Act
    const { error } = await detailsOf(z.object({ replace: z.record(z.string().regex(/^f-\d+$/, 'must be a file id'), z.string()) }), {
      replace: { nope: 'f-2' },
    });

    // Assess
    expect(error.details).toEqual([{ path: 'replace.nope', message: 'as a key, must be a file id' }]);
  });
});

describe('preconditionOf', () => {
  it('reads If-None-Match: * as create-only and If-Match as the versions an update may change', () => {
    // Act
    const results = [
      preconditionOf({}),
      preconditionOf({ 'if-none-match': '*' }),
      preconditionOf({ 'if-match': '"3"' }),
      preconditionOf({ 'if-match': '"3", "4"' }),
      preconditionOf({ 'if-match': '*' }),
    ];

    // Assess
    expect(results).toEqual([
      { kind: 'none' },
      { kind: 'absent' },
      { kind: 'match', etags: ['"3"'] },
      { kind: 'match', etags: ['"3"', '"4"'] },
      { kind: 'match', etags: '*' },
    ]);
  });

  it('refuses both headers at once, and If-None-Match with an ETag, as invalid input', () => {
    // Act
    const both = () => preconditionOf({ 'if-match': '"1"', 'if-none-match': '*' });
    const etag = () => preconditionOf({ 'if-none-match': '"1"' });

    // Assess
    expect(both).toThrow(expect.objectContaining({ kind: 'invalid', code: 'INVALID_PRECONDITION' }));
    expect(etag).toThrow(expect.objectContaining({ kind: 'invalid', code: 'INVALID_PRECONDITION' }));
  });
});
