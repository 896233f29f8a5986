import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, handlerEntry } from '../functions/manifest';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

const contextOf = (name: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

/**
 * The functions, as Lambda runs them: each handler module loaded once (its
 * cold start), then invoked with the event and a Lambda context. The same
 * modules the CDK app bundles.
 */
export const localFunctions = () => {
  const loaded = new Map<FunctionName, Promise<Handler>>();
  const handlerOf = (name: FunctionName) => {
    let handler = loaded.get(name);
    if (!handler) {
      handler = import(pathToFileURL(resolve(REPO_ROOT, handlerEntry(name))).href).then((m: { handler: Handler }) => m.handler);
      loaded.set(name, handler);
    }
    return handler;
  };
  return { invoke: async (name: FunctionName, event: unknown) => (await handlerOf(name))(event, contextOf(name)) };
};
