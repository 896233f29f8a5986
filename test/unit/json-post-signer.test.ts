import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { canonicalPathOf, JsonPostSigner } from '../../adapters/aws/json-post-signer';

/** The reference: @smithy/signature-v4 as the SDK's clients sign a JSON-protocol POST (no payload checksum header). */
const reference = async (c: Case, credentials: Credentials, at: Date) => {
  const signer = new SignatureV4({ service: c.service, region: c.region, credentials, sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
  const request = new HttpRequest({ method: 'POST', protocol: 'https:', hostname: c.host, path: c.path, headers: headersOf(c), body: c.body });
  return ((await signer.sign(request, { signingDate: at })) as HttpRequest).headers;
};

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
interface Case {
  service: string;
  region: string;
  host: string;
  path: string;
  target: string;
  body: string;
}
const headersOf = (c: Case) => ({
  host: c.host,
  'content-type': 'application/x-amz-json-1.0',
  'content-length': String(Buffer.byteLength(c.body)),
  'x-amz-target': c.target,
});

const DYNAMO: Case = {
  service: 'dynamodb',
  region: 'us-east-1',
  host: 'dynamodb.us-east-1.amazonaws.com',
  path: '/',
  target: 'DynamoDB_20120810.UpdateItem',
  body: JSON.stringify({ TableName: 'links', Key: { id: { S: 'L1' } }, ExpressionAttributeValues: { ':ua': { S: 'Mozilla/5.0 (Ünïcode ✓)' } } }),
};
const SECRETS: Case = {
  service: 'secretsmanager',
  region: 'eu-west-1',
  host: '127.0.0.1:3791',
  path: '/_aws/secretsmanager',
  target: 'secretsmanager.GetSecretValue',
  body: '{"SecretId":"dd/link-signing-keys"}',
};
const SESSION: Credentials = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjE//token+with/slashes==',
};
const LONG_TERM: Credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'another-secret' };

describe('the JSON POST signer', () => {
  it.each([
    ['DynamoDB with a session token and a non-ASCII body', DYNAMO, SESSION],
    ['a local Secrets Manager with a path and a port, long-term credentials', SECRETS, LONG_TERM],
  ])('signs %s exactly as @smithy/signature-v4 does', async (_, c, credentials) => {
    // Prepare
    const at = new Date('2026-12-02T07:08:09.123Z');
    const signer = new JsonPostSigner(c.service, c.region, async () => credentials, c.path);

    // Act
    const ours = await signer.sign(headersOf(c), c.body, at);

    // Assess
    expect(ours).toEqual(await reference(c, credentials, at));
  });

  it('derives the key again for a new day and for new credentials, and not from the one it keeps', async () => {
    // Prepare: one signer whose credentials change under it, as they do when a role's session is renewed.
    let credentials = SESSION;
    const signer = new JsonPostSigner(DYNAMO.service, DYNAMO.region, async () => credentials, DYNAMO.path);
    const days = [new Date('2026-12-02T23:59:59Z'), new Date('2026-12-03T00:00:00Z')];

    // Act and assess: each signature is the reference's, whichever key the signer had before.
    for (const at of days) expect(await signer.sign(headersOf(DYNAMO), DYNAMO.body, at)).toEqual(await reference(DYNAMO, credentials, at));
    credentials = { ...SESSION, secretAccessKey: 'renewed-secret', sessionToken: 'renewed-token' };
    for (const at of days) expect(await signer.sign(headersOf(DYNAMO), DYNAMO.body, at)).toEqual(await reference(DYNAMO, credentials, at));
  });

  it('derives the key again when the secret changes within the day', async () => {
    // Prepare: a session renewed an hour after the signer's first request
    let credentials = SESSION;
    const signer = new JsonPostSigner(DYNAMO.service, DYNAMO.region, async () => credentials, DYNAMO.path);
    await signer.sign(headersOf(DYNAMO), DYNAMO.body, new Date('2026-12-02T07:00:00Z'));
    credentials = { ...SESSION, secretAccessKey: 'renewed-secret', sessionToken: 'renewed-token' };
    const at = new Date('2026-12-02T08:00:00Z');

    // Act
    const ours = await signer.sign(headersOf(DYNAMO), DYNAMO.body, at);

    // Assess
    expect(ours).toEqual(await reference(DYNAMO, credentials, at));
  });

  it.each([
    ['no credentials at all', undefined],
    ['a secret without a key id', { secretAccessKey: 'secret' }],
    ['a key id without a secret', { accessKeyId: 'AKID' }],
    ['a secret that is not a string', { accessKeyId: 'AKID', secretAccessKey: 42 }],
  ])('refuses %s with the library’s error', async (_, credentials) => {
    // Prepare
    const provider = async () => credentials as never;
    const signer = new JsonPostSigner('dynamodb', 'us-east-1', provider, '/');
    const theirs = await reference(DYNAMO, await provider(), new Date()).then(
      () => undefined,
      (e: Error) => e.message,
    );

    // Act and assess
    expect(theirs).toBe('Resolved credential object is not valid');
    await expect(signer.sign(headersOf(DYNAMO), DYNAMO.body)).rejects.toThrow(theirs);
  });

  it.each(['/', '/_aws/secretsmanager', '/a b/./c/../d(1)!*/', '//x//y', '/../up', "/it's"])(
    'writes the canonical path of %s as the library does',
    async (path) => {
      const at = new Date('2026-12-02T07:00:00Z');
      const c = { ...SECRETS, path };
      const signer = new JsonPostSigner(c.service, c.region, async () => LONG_TERM, path);
      expect(await signer.sign(headersOf(c), c.body, at)).toEqual(await reference(c, LONG_TERM, at));
      expect(canonicalPathOf(path)).not.toMatch(/[ '()!*]/);
    },
  );
});
