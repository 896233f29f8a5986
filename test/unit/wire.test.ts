import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { RetryStrategyV2 } from '@smithy/types';
import { Retry, StandardRetryStrategy } from '@smithy/util-retry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsJsonClient, dynamoRetryStrategy } from '../../adapters/aws/wire';
import type { RetryErrorInfo, RetryToken } from '@smithy/types';
import { dynamoWireClient, WireLinkRedeemer } from '../../adapters/dynamo/wire-redeem';
import { isDependencyUnavailable } from '../../functions/shared/failures';

/** What the fake service answers, in order; the last one repeats. */
type Answer = { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | 'reset';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

let server: Server;
let endpoint: string;
let answers: Answer[] = [];
let seen: Seen[] = [];

const answer = (req: IncomingMessage, res: ServerResponse, body: string) => {
  seen.push({ path: req.url ?? '', headers: req.headers, body: body ? JSON.parse(body) : {} });
  const next = (answers.length > 1 ? answers.shift() : answers[0]) as Answer;
  if (next === 'reset') {
    req.socket.destroy();
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

/** Both clients against the same answers: what each throws, and how many requests it made. */
const throwBoth = async (script: Answer[], strategy: () => RetryStrategyV2 = () => fastRetries()) => {
  answers = [...script];
  const viaWire = await wire(strategy())
    .call('UpdateItem', UPDATE)
    .then(
      () => undefined,
      (e: unknown) => e as Record<string, unknown>,
    );
  const wireRequests = seen.length;
  seen = [];
  answers = [...script];
  const client = sdk(strategy());
  const viaSdk = await client.send(new UpdateItemCommand(UPDATE)).then(
    () => undefined,
    (e: unknown) => e as Record<string, unknown>,
  );
  client.destroy();
  return { viaWire, viaSdk, wireRequests, sdkRequests: seen.length };
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

describe('the JSON-protocol client', () => {
  it('signs a POST for the service and region with the session token, and names the operation in x-amz-target', async () => {
    // Prepare
    answers = [{ status: 200, body: { Attributes: { id: { S: 'L1' } } } }];

    // Act
    const out = await wire().call('UpdateItem', UPDATE);

    // Assess
    expect(out).toEqual({ Attributes: { id: { S: 'L1' } } });
    const request = seen[0] as Seen;
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

  it('retries a broken connection and reports it as a dependency failure when it keeps breaking', async () => {
    // Prepare
    answers = ['reset'];

    // Act
    const error = await wire(fastRetries(3))
      .call('UpdateItem', UPDATE)
      .then(
        () => undefined,
        (e: unknown) => e as NodeJS.ErrnoException & { $metadata?: { attempts?: number } },
      );

    // Assess
    expect(seen).toHaveLength(3);
    expect(error?.code).toBe('ECONNRESET');
    expect(error?.$metadata?.attempts).toBe(3);
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
    ['a 3xx', { status: 300, body: { __type: 'MovedSomewhere', message: 'eight' } }],
  ])('%s: the same name, message, fault, status, request id and members', async (_case, answer) => {
    // Act
    const { viaWire, viaSdk } = await throwBoth([answer], () => fastRetries(1));

    // Assess
    expect(viaWire).toBeDefined();
    expect(shape(viaWire)).toEqual(shape(viaSdk));
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
    const delayOf = (e: Record<string, unknown> | undefined) => (e?.$metadata as { totalRetryDelay?: number } | undefined)?.totalRetryDelay;
    expect(shape(viaWire)).toEqual(shape(viaSdk));
    expect(shape(viaWire)).toMatchObject({ attempts: 3 });
    expect([delayOf(viaWire), delayOf(viaSdk)]).toEqual([10, 10]);
  });

  it('hands the strategy the error type and the Retry-After hint the SDK hands it', async () => {
    // Prepare: a strategy that records what each client tells it, then gives up (no waiting on the hint)
    const recording = () => {
      const infos: { type: string; inMs: number | undefined }[] = [];
      const strategy: RetryStrategyV2 = {
        acquireInitialRetryToken: (scope) => fastRetries(1).acquireInitialRetryToken(scope),
        refreshRetryTokenForRetry: async (_token: RetryToken, info: RetryErrorInfo) => {
          infos.push({ type: info.errorType, inMs: info.retryAfterHint && info.retryAfterHint.getTime() - Date.now() });
          throw new Error('no retry');
        },
        recordSuccess: () => undefined,
      };
      return { infos, strategy };
    };
    const cases: Answer[] = [
      { status: 503, headers: { 'retry-after': '3' }, body: { __type: 'ServiceUnavailable' } },
      { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2037 07:28:00 GMT' }, body: { __type: 'ServiceUnavailable' } },
      { status: 503, headers: { 'retry-after': 'soon' }, body: { __type: 'ServiceUnavailable' } },
      { status: 400, body: { __type: 'ThrottlingException' } },
      { status: 400, body: { __type: 'ValidationException' } },
    ];
    let hinted = 0;
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
      const [ours, theirs] = [viaWire.infos[0]?.inMs, viaSdk.infos[0]?.inMs];
      expect(ours === undefined, JSON.stringify(answer)).toBe(theirs === undefined);
      if (ours !== undefined) hinted++;
      expect(Math.abs((ours ?? 0) - (theirs ?? 0)), JSON.stringify(answer)).toBeLessThan(1000);
    }
    // Retry-After in seconds and as an HTTP date give a hint; `soon` and no header give none.
    expect(hinted).toBe(2);
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
