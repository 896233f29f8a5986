import { createHash, createHmac } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { presignS3Get, type S3Location } from '../../adapters/s3/presign-get';
import { attachmentDisposition } from '../../core/content-disposition';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const FROZEN = new Date('2026-03-28T10:30:00Z');
const LOCAL = 'http://127.0.0.1:4569';

const location = (overrides: Partial<S3Location> = {}): S3Location => ({
  bucket: 'files-bucket',
  region: 'eu-west-1',
  credentials: async () => CREDENTIALS,
  ...overrides,
});

const input = (overrides: Partial<Parameters<typeof presignS3Get>[1]> = {}) => ({
  objectKey: 'uploads/AAAAAAAAAAAAAAAAAAAAAA',
  fileName: 'ebook.pdf',
  contentType: 'application/pdf',
  expiresInSeconds: 300,
  ...overrides,
});

/** The query as sent: raw name/value pairs, decoded once (as S3 reads them). */
const queryOf = (url: string): [string, string][] =>
  (url.split('?')[1] ?? '')
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=');
      return [decodeURIComponent(name), decodeURIComponent(value)];
    });
const param = (url: string, name: string) => queryOf(url).find(([n]) => n === name)?.[1];
const rawPathOf = (url: string) => /^https?:\/\/[^/]+(\/[^?]*)/.exec(url)?.[1] as string;

/**
 * SigV4 query-string authentication as S3 checks it on arrival (AWS's published algorithm,
 * written out here with node:crypto only): the canonical request from the URL as received.
 */
const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const signatureS3Expects = (url: string, secretAccessKey: string): string => {
  const query = queryOf(url);
  const get = (name: string) => query.find(([n]) => n === name)?.[1] as string;
  const [, day, region, service] = get('X-Amz-Credential').split('/') as [string, string, string, string];
  const canonicalQuery = query
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const host = /^https?:\/\/([^/]+)/.exec(url)?.[1] as string;
  expect(get('X-Amz-SignedHeaders')).toBe('host');
  const canonicalRequest = ['GET', rawPathOf(url), canonicalQuery, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', get('X-Amz-Date'), scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
};

const sdkPresign = (loc: { region: string; endpoint?: string }, key: string, fileName: string, contentType: string, expiresIn: number) => {
  const client = new S3Client({
    region: loc.region,
    credentials: CREDENTIALS,
    ...(loc.endpoint ? { endpoint: loc.endpoint, forcePathStyle: true } : {}),
  });
  const command = new GetObjectCommand({
    Bucket: 'files-bucket',
    Key: key,
    ResponseContentDisposition: attachmentDisposition(fileName),
    ResponseContentType: contentType,
    ResponseCacheControl: 'private, no-store',
  });
  return getSignedUrl(client, command, { expiresIn });
};

describe('presignS3Get', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(FROZEN);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs for the requested lifetime at the current time', async () => {
    // Act
    const url = await presignS3Get(location(), input({ expiresInSeconds: 120 }));

    // Assess
    expect(param(url, 'X-Amz-Expires')).toBe('120');
    expect(param(url, 'X-Amz-Date')).toBe('20260328T103000Z');
    expect(param(url, 'X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(param(url, 'X-Amz-Credential')).toBe('AKIDEXAMPLE/20260328/eu-west-1/s3/aws4_request');
    expect(param(url, 'X-Amz-SignedHeaders')).toBe('host');
    expect(param(url, 'X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks S3 to answer as an attachment with the display name, the file type and no caching', async () => {
    // Act
    const url = await presignS3Get(location(), input({ fileName: 'Smith, "J" résumé.pdf', contentType: 'application/pdf' }));

    // Assess
    expect(param(url, 'response-content-disposition')).toBe(attachmentDisposition('Smith, "J" résumé.pdf'));
    expect(param(url, 'response-content-type')).toBe('application/pdf');
    expect(param(url, 'response-cache-control')).toBe('private, no-store');
  });

  it('addresses the bucket virtual-hosted on AWS when no endpoint is set', async () => {
    // Act
    const url = await presignS3Get(location({ region: 'us-west-2' }), input());

    // Assess
    expect(url.startsWith('https://files-bucket.s3.us-west-2.amazonaws.com/uploads/AAAAAAAAAAAAAAAAAAAAAA?')).toBe(true);
  });

  it('addresses the bucket path-style on a local endpoint, keeping its port and path', async () => {
    // Act
    const plain = await presignS3Get(location({ endpoint: LOCAL }), input());
    const withPath = await presignS3Get(location({ endpoint: 'http://localhost:9000/s3/' }), input());

    // Assess
    expect(plain.startsWith('http://127.0.0.1:4569/files-bucket/uploads/AAAAAAAAAAAAAAAAAAAAAA?')).toBe(true);
    expect(withPath.startsWith('http://localhost:9000/s3/files-bucket/uploads/AAAAAAAAAAAAAAAAAAAAAA?')).toBe(true);
  });

  it('percent-encodes each segment of a key with spaces, unicode and reserved characters, and keeps the slashes', async () => {
    // Prepare
    const key = "library/my file (1)/日本語 ü+&=?#'*!.pdf";

    // Act
    const url = await presignS3Get(location(), input({ objectKey: key }));

    // Assess
    const path = rawPathOf(url);
    expect(path).toBe('/library/my%20file%20%281%29/%E6%97%A5%E6%9C%AC%E8%AA%9E%20%C3%BC%2B%26%3D%3F%23%27%2A%21.pdf');
    expect(path.slice(1).split('/').map(decodeURIComponent).join('/')).toBe(key);
  });

  it('builds the same object path as the AWS SDK for awkward keys', async () => {
    // Prepare
    const key = "library/my file (1)/日本語 ü+&=?#'*!~.pdf";

    // Act
    const ours = await presignS3Get(location(), input({ objectKey: key }));
    const sdk = await sdkPresign({ region: 'eu-west-1' }, key, 'ebook.pdf', 'application/pdf', 300);

    // Assess
    expect(rawPathOf(ours)).toBe(rawPathOf(sdk));
  });

  it('produces the signature S3 computes for the URL it receives (virtual-hosted and path-style)', async () => {
    // Prepare
    const key = 'library/my file/日本語.pdf';

    for (const loc of [location(), location({ endpoint: LOCAL, region: 'us-east-1' })]) {
      // Act
      const url = await presignS3Get(loc, input({ objectKey: key, fileName: 'Ré "x", y.pdf' }));

      // Assess
      expect(param(url, 'X-Amz-Signature')).toBe(signatureS3Expects(url, CREDENTIALS.secretAccessKey));
    }
  });

  it('is checked by an S3 verifier that agrees with the AWS SDK presigner (the verifier itself is right)', async () => {
    // Prepare
    const key = 'library/my file/日本語.pdf';

    for (const loc of [{ region: 'eu-west-1' }, { region: 'us-east-1', endpoint: LOCAL }]) {
      // Act
      const sdk = await sdkPresign(loc, key, 'Ré "x", y.pdf', 'application/pdf', 300);

      // Assess
      expect(param(sdk, 'X-Amz-Date')).toBe('20260328T103000Z');
      expect(param(sdk, 'X-Amz-Signature')).toBe(signatureS3Expects(sdk, CREDENTIALS.secretAccessKey));
    }
  });

  it('signs what the AWS SDK signs for the same GetObjectCommand, except the SDK-only query parameters', async () => {
    // Prepare
    const key = 'library/my file/日本語.pdf';
    const name = 'Ré "x", y.pdf';

    // Act
    const ours = await presignS3Get(location(), input({ objectKey: key, fileName: name, expiresInSeconds: 300 }));
    const sdk = await sdkPresign({ region: 'eu-west-1' }, key, name, 'application/pdf', 300);

    // Assess
    // The SDK adds x-id=GetObject (its operation marker) and x-amz-checksum-mode=ENABLED (its default
    // response checksum validation). Both are signed, so the signatures legitimately differ; the rest
    // of the signed request, X-Amz-Content-Sha256=UNSIGNED-PAYLOAD included, is identical.
    const normalize = (url: string) => Object.fromEntries(queryOf(url).filter(([n]) => !['x-id', 'x-amz-checksum-mode', 'X-Amz-Signature'].includes(n)));
    expect(ours.split('?')[0]).toBe(sdk.split('?')[0]);
    expect(normalize(ours)).toEqual(normalize(sdk));
    expect(param(sdk, 'x-id')).toBe('GetObject');
    expect(param(ours, 'x-id')).toBeUndefined();

    // The same verifier accepts both, so each is a valid signature of its own query.
    expect(param(ours, 'X-Amz-Signature')).toBe(signatureS3Expects(ours, CREDENTIALS.secretAccessKey));
    expect(param(sdk, 'X-Amz-Signature')).toBe(signatureS3Expects(sdk, CREDENTIALS.secretAccessKey));
  });

  it('gives a different signature when anything signed changes (lifetime, name, key, secret)', async () => {
    // Prepare
    const base = param(await presignS3Get(location(), input()), 'X-Amz-Signature');

    // Act
    const variants = await Promise.all([
      presignS3Get(location(), input({ expiresInSeconds: 301 })),
      presignS3Get(location(), input({ fileName: 'other.pdf' })),
      presignS3Get(location(), input({ objectKey: 'uploads/BBBBBBBBBBBBBBBBBBBBBB' })),
      presignS3Get(location({ credentials: async () => ({ ...CREDENTIALS, secretAccessKey: 'another-secret' }) }), input()),
    ]);

    // Assess
    for (const url of variants) expect(param(url, 'X-Amz-Signature')).not.toBe(base);
  });

  it('refuses a lifetime longer than SigV4 allows (7 days)', async () => {
    // Act
    const attempt = presignS3Get(location(), input({ expiresInSeconds: 7 * 86_400 + 1 }));

    // Assess
    await expect(attempt).rejects.toThrow();
  });
});
