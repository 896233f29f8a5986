import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The X-Ray tracer and the clients deps.ts builds, as recordings: what observability.ts asks of them is the test.
const recorded = vi.hoisted(() => ({
  tracers: [] as { serviceName?: string }[],
  captured: [] as unknown[],
  wraps: [] as (<C>(client: C) => C)[],
}));
vi.mock('@aws-lambda-powertools/tracer', () => ({
  Tracer: class {
    constructor(options: { serviceName?: string }) {
      recorded.tracers.push(options);
    }
    captureAWSv3Client<C>(client: C): C {
      recorded.captured.push(client);
      return { traced: client } as C;
    }
  },
}));
vi.mock('../../functions/shared/deps', () => ({
  instrumentClients: (wrap: <C>(client: C) => C) => {
    recorded.wraps.push(wrap);
  },
}));

const original = { ...process.env };

/** observability.ts as a cold start with these variables loads it, with the logger and the metrics it uses. */
const coldStart = async (env: Record<string, string>) => {
  Object.assign(process.env, env);
  vi.resetModules();
  const [{ observed }, { logger }, { countMetric }] = await Promise.all([
    import('../../functions/shared/observability'),
    import('../../functions/shared/logger'),
    import('../../functions/shared/metrics'),
  ]);
  return { observed, logger, countMetric };
};

/** What is written to stdout while `act` runs, as JSON lines. */
const capture = async (act: () => Promise<unknown>) => {
  const lines: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    const result = await act().catch((error: unknown) => ({ threw: error }));
    return { result, lines: lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>) };
  } finally {
    out.mockRestore();
  }
};

const context = (functionName: string) =>
  ({
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${functionName}`,
  }) as Context;

beforeEach(() => {
  recorded.tracers.length = 0;
  recorded.captured.length = 0;
  recorded.wraps.length = 0;
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  delete process.env.POWERTOOLS_TRACE_ENABLED;
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in original)) delete process.env[key];
  Object.assign(process.env, original);
});

describe('tracing', () => {
  it('in Lambda, has every AWS client wrapped by the X-Ray tracer of the service', async () => {
    // Act
    await coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'payment-events' });

    // Assess
    expect(recorded.tracers).toEqual([{ serviceName: 'digital-downloads' }]);
    expect(recorded.wraps).toHaveLength(1);
    const client = { name: 'a DynamoDB client' };
    expect(recorded.wraps[0]?.(client)).toEqual({ traced: client });
    expect(recorded.captured).toEqual([client]);
  });

  it.each([
    ['outside Lambda (the local runtime, tests)', { POWERTOOLS_TRACE_ENABLED: 'true' }],
    ['in Lambda with tracing turned off', { AWS_LAMBDA_FUNCTION_NAME: 'payment-events', POWERTOOLS_TRACE_ENABLED: 'false' }],
  ])('is not loaded %s', async (_where, env) => {
    await coldStart(env);
    expect(recorded.tracers).toEqual([]);
    expect(recorded.wraps).toEqual([]);
  });
});

describe('an observed handler', () => {
  it('answers what the handler answers, given the same event and context', async () => {
    // Prepare
    const { observed } = await coldStart({});
    const seen: unknown[] = [];
    const handler = observed(async (event: { n: number }, ctx: Context) => {
      seen.push(event, ctx.functionName);
      return { doubled: event.n * 2 };
    });

    // Act
    const answer = await handler({ n: 21 }, context('answering'));

    // Assess
    expect(answer).toEqual({ doubled: 42 });
    expect(seen).toEqual([{ n: 21 }, 'answering']);
  });

  it('puts the Lambda context on its log lines', async () => {
    // Prepare
    const { observed, logger } = await coldStart({});
    logger.setLogLevel('INFO');
    const handler = observed(async () => {
      logger.info('working');
    });

    // Act
    const { lines } = await capture(() => handler({}, context('logging-fn')));

    // Assess
    expect(lines).toEqual([expect.objectContaining({ message: 'working', function_name: 'logging-fn', function_request_id: 'req-logging-fn' })]);
  });

  it('runs without a Lambda context (the local runtime calls it so)', async () => {
    const { observed } = await coldStart({});
    const handler = observed(async () => 'ok');
    expect(await handler({}, undefined as never)).toBe('ok');
  });

  it('publishes the counts of the invocation when it returns, and when it throws', async () => {
    // Prepare
    const { observed, countMetric } = await coldStart({ AWS_LAMBDA_FUNCTION_NAME: 'payment-events', POWERTOOLS_TRACE_ENABLED: 'false' });
    const failure = new Error('the store is down');
    const handler = observed(async (event: { fail: boolean }) => {
      countMetric('EventsParked', { consumer: 'payment-events' });
      if (event.fail) throw failure;
      return 'done';
    });

    // Act
    const returned = await capture(() => handler({ fail: false }, context('payment-events')));
    const thrown = await capture(() => handler({ fail: true }, context('payment-events')));

    // Assess
    expect(returned.result).toBe('done');
    expect(returned.lines).toEqual([expect.objectContaining({ EventsParked: 1, consumer: 'payment-events' })]);
    expect(thrown.result).toEqual({ threw: failure });
    expect(thrown.lines).toEqual([expect.objectContaining({ EventsParked: 1, consumer: 'payment-events' })]);
  });
});
