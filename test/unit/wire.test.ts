import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RetryStrategyV2 } from '@smithy/types';
import { Retry, StandardRetryStrategy } from '@smithy/util-retry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsJsonClient, dynamoRetryStrategy, type Transport, type WireRequest } from '../../adapters/aws/wire';
import type { RetryErrorInfo, RetryToken } from '@smithy/types';
import { dynamoWireClient, WireLinkRedeemer } from '../../adapters/dynamo/wire-redeem';
import { isDependencyUnavailable } from '../../functions/shared/failures';

/** What the fake service answers, in order; the last one repeats ('cut': a 200 whose body breaks off halfway). */
type Answer = { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | 'reset' | 'cut';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** performance.now() when the request had arrived. */
  at: number;
}

let server: Server;
let endpoint: string;
let answers: Answer[] = [];
let seen: Seen[] = [];

const answer = (req: IncomingMessage, res: ServerResponse, body: string) => {
  seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: body ? JSON.parse(body) : {}, at: performance.now() });
  const next = (answers.length > 1 ? answers.shift() : answers[0]) as Answer;
  if (next === 'reset') {
    req.socket.destroy();
    return;
  }
  if (next === 'cut') {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': '1000' });
    res.write('{"Attributes":', () => setImmediate(() => req.socket.destroy()));
    return;
  }
  const payload = next.raw ?? JSON.stringify(next.body ?? {});
  res.writeHead(next.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `REQ${seen.length}`, ...(next.headers ?? {}) });
  res.end(payload);
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
afterEach(() => {
  answers = [];
  seen = [];
});

const CREDENTIALS = { accessKeyId: 'AKIDWIRETEST', secretAccessKey: 'wire-test-secret', sessionToken: 'wire-test-session' };
/** The standard strategy without its waits: the same attempts and capacity, no sleeping in a unit test. */
const fastRetries = (maxAttempts = 4) =>
  new StandardRetryStrategy({ maxAttempts, backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined } });
const wire = (retryStrategy: RetryStrategyV2 = fastRetries()) =>
  dynamoWireClient({ region: 'eu-west-1', endpoint, credentials: async () => CREDENTIALS, retryStrategy });
const sdk = (retryStrategy: RetryStrategyV2 = fastRetries()) => new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: CREDENTIALS, retryStrategy });

const UPDATE = {
  TableName: 'links',
  Key: { id: { S: 'L1' } },
  UpdateExpression: 'SET n = n + :one',
  ExpressionAttributeValues: { ':one': { N: '1' } },
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
};

/** What a call threw (undefined if it answered). */
const rejectionOf = <E = Record<string, unknown>>(call: Promise<unknown>): Promise<E | undefined> =>
  call.then(
    () => undefined,
    (e: unknown) => e as E,
  );

/** Both clients against the same answers: what each throws, and how many requests it made. */
const throwBoth = async (script: Answer[], strategy: () => RetryStrategyV2 = () => fastRetries()) => {
  answers = [...script];
  const viaWire = await rejectionOf(wire(strategy()).call('UpdateItem', UPDATE));
  const wireSeen = seen;
  seen = [];
  answers = [...script];
  const client = sdk(strategy());
  const viaSdk = await rejectionOf(client.send(new UpdateItemCommand(UPDATE)));
  client.destroy();
  return { viaWire, viaSdk, wireSeen, wireRequests: wireSeen.length, sdkRequests: seen.length };
};

const shape = (e: Record<string, unknown> | undefined) => ({
  name: e?.name,
  message: e?.message,
  fault: e?.$fault,
  status: (e?.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode,
  attempts: (e?.$metadata as { attempts?: number } | undefined)?.attempts,
  requestId: (e?.$metadata as { requestId?: string } | undefined)?.requestId,
  item: e?.Item,
  reasons: e?.CancellationReasons,
});
const delayOf = (e: Record<string, unknown> | undefined) => (e?.$metadata as { totalRetryDelay?: number } | undefined)?.totalRetryDelay;

describe('the JSON-protocol client', () => {
  it('signs a POST for the service and region with the session token, and names the operation in x-amz-target', async () => {
    // Prepare
    answers = [{ status: 200, body: { Attributes: { id: { S: 'L1' } } } }];

    // Act
    const out = await wire().call('UpdateItem', UPDATE);

    // Assess
    expect(out).toEqual({ Attributes: { id: { S: 'L1' } } });
    const request = seen[0] as Seen;
    expect(request.method).toBe('POST');
    expect(request.headers['x-amz-target']).toBe('DynamoDB_20120810.UpdateItem');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDWIRETEST\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=.*host.*x-amz-target/,
    );
    expect(request.headers['x-amz-security-token']).toBe('wire-test-session');
    expect(request.body).toEqual(UPDATE);
  });

  it('keeps the path of an endpoint that has one (the local Secrets Manager)', async () => {
    // Prepare
    answers = [{ status: 200, body: { SecretString: '{}' } }];
    const secrets = new AwsJsonClient({
      service: 'secretsmanager',
      region: 'eu-west-1',
      endpoint: `${endpoint}/_aws/secretsmanager`,
      targetPrefix: 'secretsmanager',
      jsonVersion: '1.1',
      credentials: async () => CREDENTIALS,
    });

    // Act
    await secrets.call('GetSecretValue', { SecretId: 's' });

    // Assess
    expect(seen[0]?.path).toBe('/_aws/secretsmanager');
    expect(seen[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(seen[0]?.headers['content-type']).toBe('application/x-amz-json-1.1');
  });

  it('posts to the regional endpoint over https when no endpoint is given, signed as @smithy/signature-v4 signs it', async () => {
    // Prepare: a transport that records the request and answers it
    const sent: { request: WireRequest; body: string }[] = [];
    const transport: Transport = async (request, body) => {
      sent.push({ request, body });
      return { statusCode: 200, headers: {}, body: '{"Attributes":{}}' };
    };
    const client = dynamoWireClient({ region: 'eu-west-1', credentials: async () => CREDENTIALS, retryStrategy: fastRetries(), transport });

    // Act
    const out = await client.call('UpdateItem', UPDATE);

    // Assess
    expect(out).toEqual({ Attributes: {} });
    const { request, body } = sent[0] as { request: WireRequest; body: string };
    expect(request).toMatchObject({ method: 'POST', protocol: 'https:', hostname: 'dynamodb.eu-west-1.amazonaws.com', port: undefined, path: '/' });
    expect(JSON.parse(body)).toEqual(UPDATE);
    const { authorization: _authorization, 'x-amz-date': date = '', 'x-amz-security-token': _token, ...unsigned } = request.headers;
    const signingDate = new Date(date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const reference = new SignatureV4({
      service: 'dynamodb',
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    });
    const unsignedRequest = new HttpRequest({ method: 'POST', protocol: 'https:', hostname: request.hostname, path: '/', headers: unsigned, body });
    expect(unsigned.host).toBe('dynamodb.eu-west-1.amazonaws.com');
    expect(request.headers).toEqual((await reference.sign(unsignedRequest, { signingDate })).headers);
  });

  it('reads credentials from the Lambda environment when none are given', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDFROMENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'env-session' });
    answers = [{ status: 200, body: {} }];

    // Act
    try {
      await dynamoWireClient({ region: 'eu-west-1', endpoint }).call('UpdateItem', UPDATE);
    } finally {
      process.env = saved;
    }

    // Assess
    expect(seen[0]?.headers.authorization).toContain('Credential=AKIDFROMENV/');
    expect(seen[0]?.headers['x-amz-security-token']).toBe('env-session');
  });

  it('throws a failed condition as the SDK does, with the item as it was, without retrying', async () => {
    // Prepare
    const item = { id: { S: 'L1' }, downloadCount: { N: '5' } };
    const script: Answer[] = [
      {
        status: 400,
        body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: item },
      },
    ];

    // Act
    const { viaWire, viaSdk, wireRequests, sdkRequests } = await throwBoth(script);

    // Assess
    expect(shape(viaWire)).toEqual(shape(viaSdk));
    expect(shape(viaWire)).toMatchObject({ name: 'ConditionalCheckFailedException', fault: 'client', status: 400, attempts: 1, item });
    expect([wireRequests, sdkRequests]).toEqual([1, 1]);
  });

  it('retries throttling as the SDK does and then gives up with an error the handlers answer 503', async () => {
    // Prepare
    const script: Answer[] = [
      { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'slow down' } },
    ];

    // Act
    const { viaWire, viaSdk, wireRequests, sdkRequests } = await throwBoth(script);

    // Assess
    expect(shape(viaWire)).toEqual(shape(viaSdk));
    expect(shape(viaWire)).toMatchObject({ name: 'ProvisionedThroughputExceededException', attempts: 4 });
    expect([wireRequests, sdkRequests]).toEqual([4, 4]);
    expect(isDependencyUnavailable(viaWire)).toBe(true);
  });

  it('retries a 5xx with the DynamoDB client defaults (4 attempts) and reads the type from x-amzn-errortype', async () => {
    // Prepare
    const script: Answer[] = [{ status: 500, headers: { 'x-amzn-errortype': 'InternalServerError:http://internal.amazon.com/' }, body: { message: 'boom' } }];

    // Act
    const { viaWire, viaSdk, wireRequests, sdkRequests } = await throwBoth(script, dynamoRetryStrategy);

    // Assess
    expect(shape(viaWire)).toEqual(shape(viaSdk));
    expect(shape(viaWire)).toMatchObject({ name: 'InternalServerError', fault: 'server', status: 500, attempts: 4 });
    expect([wireRequests, sdkRequests]).toEqual([4, 4]);
    expect(isDependencyUnavailable(viaWire)).toBe(true);
  });

  it('answers once a retried throttle passes', async () => {
    // Prepare
    answers = [
      { status: 400, body: { __type: 'ThrottlingException', message: 'rate' } },
      { status: 200, body: { Attributes: { id: { S: 'L1' } } } },
    ];

    // Act
    const out = await wire().call('UpdateItem', UPDATE);

    // Assess
    expect(out).toEqual({ Attributes: { id: { S: 'L1' } } });
    expect(seen).toHaveLength(2);
  });

  it('does not retry a client error such as a validation failure', async () => {
    // Prepare
    const script: Answer[] = [{ status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message: 'bad expression' } }];

    // Act
    const { viaWire, viaSdk, wireRequests } = await throwBoth(script);

    // Assess
    expect(shape(viaWire)).toEqual(shape(viaSdk));
    expect(shape(viaWire)).toMatchObject({ name: 'ValidationException', message: 'bad expression', attempts: 1 });
    expect(wireRequests).toBe(1);
    expect(isDependencyUnavailable(viaWire)).toBe(false);
  });

  it.each([
    ['a broken connection', 'reset', 3, { code: 'ECONNRESET' }],
    ['an answer that breaks off halfway', 'cut', 2, { code: 'ECONNRESET', message: 'aborted' }],
  ] as const)('retries %s and reports it as a dependency failure when it keeps happening', { timeout: 5_000 }, async (_what, answer, attempts, thrown) => {
    // Prepare
    answers = [answer];

    // Act
    const error = await rejectionOf<NodeJS.ErrnoException & { $metadata?: { attempts?: number } }>(wire(fastRetries(attempts)).call('UpdateItem', UPDATE));

    // Assess
    expect(seen).toHaveLength(attempts);
    expect(error).toMatchObject(thrown);
    expect(error?.$metadata?.attempts).toBe(attempts);
    expect(isDependencyUnavailable(error)).toBe(true);
  });
});

describe('the JSON-protocol client, error for error against the SDK', () => {
  it.each<[string, Answer]>([
    [
      'a type in x-amzn-errortype with a namespace URL',
      { status: 400, headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/' }, body: { message: 'one' } },
    ],
    ['a type in x-amzn-errortype with a list', { status: 400, headers: { 'x-amzn-errortype': 'ResourceNotFoundException,Other' }, body: { Message: 'two' } }],
    ['a namespaced __type and an upper-case Message', { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', Message: 'three' } }],
    ['a `code` member', { status: 400, body: { code: 'ResourceInUseException', message: 'four' } }],
    ['a `Code` member', { status: 400, body: { Code: 'LimitExceededException', message: 'five' } }],
    ['both `__type` and x-amzn-errortype', { status: 400, headers: { 'x-amzn-errortype': 'FromTheHeader' }, body: { __type: 'FromTheBody', message: 'nine' } }],
    ['an empty __type', { status: 400, body: { __type: '', message: 'six' } }],
    [
      'members beside the type',
      { status: 400, body: { __type: 'TransactionCanceledException', message: 'seven', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] } },
    ],
    ['a 5xx without a type', { status: 500, body: {} }],
    ['a 4xx without a type or a body', { status: 403, raw: '' }],
    ['JSON that is not an object', { status: 400, raw: '"just a string"' }],
    ['JSON null', { status: 400, raw: 'null' }],
    ['a 3xx', { status: 300, body: { __type: 'MovedSomewhere', message: 'eight' } }],
  ])('%s: the same name, message, fault, status, request id and members', async (_case, answer) => {
    // Act
    const { viaWire, viaSdk } = await throwBoth([answer], () => fastRetries(1));

    // Assess
    expect(viaWire).toBeDefined();
    expect(shape(viaWire)).toEqual(shape(viaSdk));
  });

  it('gives an error no members from a body that is a JSON string (the SDK copies its characters as members 0, 1, …)', async () => {
    // Prepare
    answers = [{ status: 400, raw: '"just a string"' }];

    // Act
    const error = await rejectionOf(wire(fastRetries(1)).call('UpdateItem', UPDATE));

    // Assess
    expect(Object.keys(error ?? {}).filter((key) => !key.startsWith('$'))).toEqual(['name']);
    expect(shape(error)).toMatchObject({ name: 'Unknown', message: 'UnknownError', fault: 'client', status: 400 });
  });

  it('names a proxy’s HTML page by its status where the SDK throws a SyntaxError: both are retried and answered 503', async () => {
    // Act
    const { viaWire, viaSdk, wireRequests, sdkRequests } = await throwBoth([{ status: 502, raw: '<html><body>Bad gateway</body></html>' }], () =>
      fastRetries(2),
    );

    // Assess
    expect(shape(viaWire)).toMatchObject({ name: 'Unknown', fault: 'server', status: 502, attempts: 2 });
    expect(viaSdk?.name).toBe('SyntaxError');
    expect([wireRequests, sdkRequests]).toEqual([2, 2]);
    expect([isDependencyUnavailable(viaWire), isDependencyUnavailable(viaSdk)]).toEqual([true, true]);
  });

  it('waits and counts the retry delay as the SDK does', async () => {
    // Prepare: a strategy whose backoff is a fixed 5 ms
    const fiveMs = () => new StandardRetryStrategy({ maxAttempts: 3, backoff: { computeNextBackoffDelay: () => 5, setDelayBase: () => undefined } });

    // Act
    const { viaWire, viaSdk } = await throwBoth([{ status: 500, body: { __type: 'InternalServerError' } }], fiveMs);

    // Assess
    expect(shape(viaWire)).toEqual(shape(viaSdk));
    expect(shape(viaWire)).toMatchObject({ attempts: 3 });
    expect([delayOf(viaWire), delayOf(viaSdk)]).toEqual([10, 10]);
  });

  it('waits out a delay the retry token carries and counts it as the SDK does', async () => {
    // Prepare: a strategy that grants one retry, on a token that asks for 100 ms of its own (as a custom strategy may)
    const tokenOf = (retries: number, delay: number): RetryToken => ({ getRetryCount: () => retries, getRetryDelay: () => delay });
    const ownDelay = (): RetryStrategyV2 => ({
      acquireInitialRetryToken: async () => tokenOf(0, 0),
      refreshRetryTokenForRetry: async (token: RetryToken) => {
        if (token.getRetryCount() > 0) throw new Error('no retry');
        return tokenOf(1, 100);
      },
      recordSuccess: () => undefined,
    });

    // Act
    const { viaWire, viaSdk, wireSeen } = await throwBoth([{ status: 500, body: { __type: 'InternalServerError' } }], ownDelay);

    // Assess
    expect(shape(viaWire)).toEqual(shape(viaSdk));
    expect(shape(viaWire)).toMatchObject({ attempts: 2 });
    expect([delayOf(viaWire), delayOf(viaSdk)]).toEqual([100, 100]);
    const [first, second] = wireSeen as [Seen, Seen];
    expect(second.at - first.at).toBeGreaterThanOrEqual(95);
  });

  it('hands the strategy the token scope, the error type and the Retry-After hint the SDK hands it', async () => {
    // Prepare: a strategy that records what each client tells it, then gives up (no waiting on the hint)
    const recording = () => {
      const infos: { type: string; inMs: number | undefined; keys: string[] }[] = [];
      const scopes: string[] = [];
      const strategy: RetryStrategyV2 = {
        acquireInitialRetryToken: (scope) => {
          scopes.push(scope);
          return fastRetries(1).acquireInitialRetryToken(scope);
        },
        refreshRetryTokenForRetry: async (_token: RetryToken, info: RetryErrorInfo) => {
          infos.push({ type: info.errorType, inMs: info.retryAfterHint && info.retryAfterHint.getTime() - Date.now(), keys: Object.keys(info).sort() });
          throw new Error('no retry');
        },
        recordSuccess: () => undefined,
      };
      return { infos, scopes, strategy };
    };
    const cases: Answer[] = [
      { status: 503, headers: { 'retry-after': '3' }, body: { __type: 'ServiceUnavailable' } },
      { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2037 07:28:00 GMT' }, body: { __type: 'ServiceUnavailable' } },
      { status: 503, headers: { 'retry-after': 'soon' }, body: { __type: 'ServiceUnavailable' } },
      { status: 503, headers: { 'retry-after': '' }, body: { __type: 'ServiceUnavailable' } },
      { status: 503, headers: { 'x-amz-retry-after': '1500' }, body: { __type: 'ServiceUnavailable' } },
      { status: 400, headers: { 'x-amz-retry-after': 'later' }, body: { __type: 'ThrottlingException' } },
      { status: 501, body: { __type: 'NotImplemented' } },
      { status: 400, body: { __type: 'ThrottlingException' } },
      { status: 400, body: { __type: 'ValidationException' } },
    ];
    let hinted = 0;
    const types: string[] = [];
    for (const answer of cases) {
      const viaWire = recording();
      const viaSdk = recording();

      // Act
      await throwBoth(
        [answer],
        (() => {
          let calls = 0;
          return () => (calls++ === 0 ? viaWire.strategy : viaSdk.strategy);
        })(),
      );

      // Assess: the same classification, and the same hint (to within the milliseconds between the two requests)
      expect(
        viaWire.infos.map((i) => i.type),
        JSON.stringify(answer),
      ).toEqual(viaSdk.infos.map((i) => i.type));
      expect(viaWire.infos).toHaveLength(1);
      // The same members too: no retryAfterHint at all where the SDK gives none.
      expect(viaWire.infos[0]?.keys, JSON.stringify(answer)).toEqual(viaSdk.infos[0]?.keys);
      expect(viaWire.scopes, JSON.stringify(answer)).toEqual(viaSdk.scopes);
      const [ours, theirs] = [viaWire.infos[0]?.inMs, viaSdk.infos[0]?.inMs];
      expect(ours === undefined, JSON.stringify(answer)).toBe(theirs === undefined);
      if (ours !== undefined) hinted++;
      types.push(...viaWire.infos.map((i) => i.type));
      expect(Math.abs((ours ?? 0) - (theirs ?? 0)), JSON.stringify(answer)).toBeLessThan(1000);
    }
    // Retry-After in seconds and as an HTTP date, and x-amz-retry-after in milliseconds, give a hint; `soon`, an empty
    // one, an x-amz-retry-after that is not a number and no header give none.
    expect(hinted).toBe(3);
    // A 5xx that is not one of the transient ones is a server error; the others are transient, throttling or the client's.
    expect(types).toEqual(['TRANSIENT', 'TRANSIENT', 'TRANSIENT', 'TRANSIENT', 'TRANSIENT', 'THROTTLING', 'SERVER_ERROR', 'THROTTLING', 'CLIENT_ERROR']);
  });

  it.each([undefined, '7', '1', '0', '-2', '2.5', 'x', ' 3'])(
    'with AWS_MAX_ATTEMPTS=%s, retries as often and waits from the same base as the SDK DynamoDB client',
    async (value) => {
      // Prepare
      const saved = process.env.AWS_MAX_ATTEMPTS;
      if (value === undefined) delete process.env.AWS_MAX_ATTEMPTS;
      else process.env.AWS_MAX_ATTEMPTS = value;
      try {
        const client = new DynamoDBClient({ region: 'eu-west-1' });

        // Act
        const theirs = (await (client.config.retryStrategy as () => Promise<StandardRetryStrategy>)()) as unknown as {
          maxAttempts(): Promise<number>;
          baseDelay: number;
        };
        const ours = dynamoRetryStrategy() as unknown as { maxAttempts(): Promise<number>; baseDelay: number };
        client.destroy();

        // Assess
        expect(await ours.maxAttempts()).toBe(await theirs.maxAttempts());
        expect(ours.baseDelay).toBe(theirs.baseDelay);
        expect(ours.baseDelay).toBe(Retry.v2026 ? 25 : Retry.delay());
      } finally {
        if (saved === undefined) delete process.env.AWS_MAX_ATTEMPTS;
        else process.env.AWS_MAX_ATTEMPTS = saved;
      }
    },
  );
});

/**
 * A self-signed certificate for 127.0.0.1, made at test time without openssl or a fixture: a P-256 key, and a minimal
 * X.509 v1 certificate (serial, ECDSA-with-SHA256, CN=127.0.0.1 as issuer and subject, one hour of validity) in DER.
 */
const selfSigned = () => {
  const der = (tag: number, ...parts: Buffer[]) => {
    const body = Buffer.concat(parts);
    const n = body.length;
    const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
    return Buffer.concat([Buffer.from([tag, ...length]), body]);
  };
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaWithSha256 = der(0x30, der(0x06, Buffer.from('2a8648ce3d040302', 'hex')));
  const name = der(0x30, der(0x31, der(0x30, der(0x06, Buffer.from('550403', 'hex')), der(0x0c, Buffer.from('127.0.0.1')))));
  const utcTime = (ms: number) => der(0x17, Buffer.from(`${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`));
  const validity = der(0x30, utcTime(Date.now() - 60_000), utcTime(Date.now() + 3_600_000));
  const tbs = der(0x30, der(0x02, Buffer.from([1])), ecdsaWithSha256, name, validity, name, publicKey.export({ type: 'spki', format: 'der' }));
  const certificate = der(0x30, tbs, ecdsaWithSha256, der(0x03, Buffer.from([0]), sign('sha256', tbs, privateKey)));
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    cert: `-----BEGIN CERTIFICATE-----\n${certificate.toString('base64')}\n-----END CERTIFICATE-----\n`,
  };
};

/** A service of its own on 127.0.0.1 (a fresh port: no connection kept from another test), counting its connections. */
const startService = async (scheme: 'http' | 'https', onRequest: RequestListener) => {
  const server: Server = scheme === 'https' ? createHttpsServer(selfSigned(), onRequest) : createServer(onRequest);
  const service = { connections: 0, endpoint: '', close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  server.on('connection', () => service.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.endpoint = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return service;
};

/** With the certificate check off for this one call (the certificate is the test's own, made above). */
const trustingAnyCertificate = async <T>(act: () => Promise<T>): Promise<T> => {
  const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    return await act();
  } finally {
    if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
  }
};

describe('the JSON-protocol client’s connections', () => {
  it.each(['http', 'https'] as const)(
    'over %s, opens at most 50 connections to a service and keeps them alive for the requests that follow',
    async (scheme) => {
      // Prepare: a service that holds its answers until 50 requests wait, so that a 51st has to wait for a connection
      const held: ServerResponse[] = [];
      const keepAlive: (string | undefined)[] = [];
      let holding = true;
      const service = await startService(scheme, (req, res) => {
        keepAlive.push(req.headers.connection);
        req.resume();
        req.on('end', () => {
          held.push(res);
          if (held.length >= 50) holding = false;
          if (!holding) for (const waiting of held.splice(0)) waiting.end('{}');
        });
      });
      const client = dynamoWireClient({ region: 'eu-west-1', endpoint: service.endpoint, credentials: async () => CREDENTIALS, retryStrategy: fastRetries(1) });

      // Act
      const outs = await trustingAnyCertificate(async () => {
        const burst = await Promise.all(Array.from({ length: 51 }, () => client.call('UpdateItem', UPDATE)));
        // Once every answer is in and nothing waits, a connection kept alive is still there for the next request.
        await new Promise((resolve) => setTimeout(resolve, 10));
        return [...burst, await client.call('UpdateItem', UPDATE)];
      });
      await service.close();

      // Assess
      expect(outs).toHaveLength(52);
      expect(service.connections).toBe(50);
      expect(keepAlive).toEqual(Array.from({ length: 52 }, () => 'keep-alive'));
    },
  );

  it('refuses an https service whose certificate it cannot verify, without retrying', async () => {
    // Prepare
    let requests = 0;
    const service = await startService('https', (_req, res) => {
      requests++;
      res.end('{}');
    });

    // Act
    const client = dynamoWireClient({ region: 'eu-west-1', endpoint: service.endpoint, credentials: async () => CREDENTIALS, retryStrategy: fastRetries() });
    const error = await rejectionOf<NodeJS.ErrnoException & { $metadata?: { attempts?: number } }>(client.call('UpdateItem', UPDATE));
    await service.close();

    // Assess
    expect(error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(error?.$metadata?.attempts).toBe(1);
    expect(service.connections).toBe(1);
    expect(requests).toBe(0);
  });
});

describe('the wire redeem', () => {
  it('sends the SDK store’s request and answers a refusal with the link as it was', async () => {
    // Prepare
    const old = {
      id: { S: 'L1' },
      invoiceId: { S: 'I1' },
      customerId: { S: 'someone-else' },
      productId: { S: 'P1' },
      fileId: { S: 'F1' },
      fileName: { S: 'a.pdf' },
      contentType: { S: 'application/pdf' },
      objectKey: { S: 'uploads/F1' },
      deliveryMethod: { S: 'InstantDownload' },
      maxDownloads: { N: '3' },
      downloadCount: { N: '0' },
      status: { S: 'active' },
      statusAt: { S: '2026-01-01T00:00:00.000Z' },
      createdAt: { S: '2026-01-01T00:00:00.000Z' },
    };
    answers = [{ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'failed', Item: old } }];
    const redeemer = new WireLinkRedeemer(wire(), 'links');

    // Act
    const outcome = await redeemer.redeem('L1', 'C1', '2026-02-01T00:00:00.000Z', { ip: '203.0.113.7', userAgent: null });

    // Assess
    expect(outcome).toMatchObject({ served: false, link: { id: 'L1', customerId: 'someone-else', maxDownloads: 3 } });
    expect(seen[0]?.body).toMatchObject({
      TableName: 'links',
      Key: { id: { S: 'L1' } },
      ReturnValues: 'ALL_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      ExpressionAttributeValues: { ':customer': { S: 'C1' }, ':ip': { S: '203.0.113.7' }, ':ua': { NULL: true }, ':zero': { N: '0' }, ':one': { N: '1' } },
    });
  });
});
