import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** The headers AwsJsonClient sends, the ones signed included. */
export interface JsonPostHeaders {
  host: string;
  'content-type': string;
  'content-length': string;
  'x-amz-target': string;
  'x-amz-date'?: string;
  'x-amz-security-token'?: string;
  authorization?: string;
}

const hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
/** RFC 3986 escaping, as @smithy/util-uri-escape does it. */
const escapeSegment = (segment: string) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The library's canonical path of a non-S3 request: dot segments resolved, empty ones dropped, each segment escaped. */
export const canonicalPathOf = (path: string): string => {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `${path.startsWith('/') ? '/' : ''}${segments.map(escapeSegment).join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
};

/**
 * SigV4 for the one request shape AwsJsonClient sends: a POST to a fixed
 * path, no query, these headers and no others. @smithy/signature-v4 signs any
 * request (it clones it, sorts and trims every header, escapes path and query,
 * hashes through async wrappers) at about four times the CPU of this, on every
 * download (bench figure 3b). It stays the reference: test/unit/wire.test.ts
 * checks that both give the same headers, byte for byte, case by case.
 */
export class JsonPostSigner {
  /** The derived signing key, for one day and one secret (as the library caches it). */
  private key: { day: string; secret: string; value: Buffer } | undefined;
  private readonly canonicalPath: string;

  constructor(
    private readonly service: string,
    private readonly region: string,
    private readonly credentials: AwsCredentialIdentityProvider,
    path: string,
  ) {
    this.canonicalPath = canonicalPathOf(path); // fixed per client
  }

  async sign(headers: JsonPostHeaders, body: string, now = new Date()): Promise<JsonPostHeaders> {
    const credentials = await this.credentials();
    if (typeof credentials?.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string') {
      throw new Error('Resolved credential object is not valid');
    }
    const longDate = now
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
      .replace(/[-:]/g, '');
    const day = longDate.slice(0, 8);
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const token = credentials.sessionToken;
    // Sorted by name, as the canonical request lists them.
    const signedNames = token
      ? 'content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target'
      : 'content-length;content-type;host;x-amz-date;x-amz-target';
    const canonicalHeaders =
      `content-length:${headers['content-length']}\ncontent-type:${headers['content-type']}\nhost:${headers.host}\n` +
      `x-amz-date:${longDate}\n${token ? `x-amz-security-token:${token}\n` : ''}x-amz-target:${headers['x-amz-target']}\n`;
    const canonicalRequest = `POST\n${this.canonicalPath}\n\n${canonicalHeaders}\n${signedNames}\n${hex(body)}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${hex(canonicalRequest)}`;
    const signature = createHmac('sha256', this.signingKey(credentials, day)).update(stringToSign, 'utf8').digest('hex');
    return {
      ...headers,
      'x-amz-date': longDate,
      ...(token ? { 'x-amz-security-token': token } : {}),
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedNames}, Signature=${signature}`,
    };
  }

  private signingKey(credentials: AwsCredentialIdentity, day: string): Buffer {
    const secret = credentials.secretAccessKey;
    if (this.key?.day === day && this.key.secret === secret) return this.key.value;
    const value = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), this.region), this.service), 'aws4_request');
    this.key = { day, secret, value };
    return value;
  }
}
