import { AsyncLocalStorage } from 'node:async_hooks';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { MiddlewareStack } from '@smithy/types';
import type { AwsJsonClient } from '../../adapters/aws/wire';

/** One request sent to DynamoDB (each retry is another request). */
export interface DdbCall {
  command: string;
  table: string;
  /** performance.now() when the request left, and how long its answer took (NaN until it came). */
  at: number;
  ms: number;
}

const tableOf = (input: Record<string, unknown> | undefined): string => {
  if (!input) return '?';
  if (typeof input.TableName === 'string') return input.TableName;
  const items = (input.RequestItems ?? undefined) as Record<string, unknown> | undefined;
  if (items) return Object.keys(items).join(',');
  const transact = input.TransactItems as Record<string, { TableName?: string }>[] | undefined;
  if (transact) return [...new Set(transact.flatMap((t) => Object.values(t).map((op) => op?.TableName ?? '?')))].join(',');
  return '?';
};

/**
 * Counts the requests a DynamoDB client sends, from a middleware inside the
 * retry loop. `within(fn)` attributes them to one piece of work: the
 * middleware runs in the caller's async context, so a background stream
 * consumer sharing the same client is not counted against a download.
 */
export class DdbCallCounter {
  readonly all: DdbCall[] = [];
  private readonly scope = new AsyncLocalStorage<DdbCall[]>();
  /** Called after each successful send, with its input and output (the document client's, not marshalled). */
  onResponse: ((call: DdbCall, input: Record<string, unknown>, output: Record<string, unknown>) => void) | undefined;

  attach(stack: MiddlewareStack<any, any>): this {
    stack.add(
      (next, context) => async (args) => {
        const call: DdbCall = {
          command: String(context.commandName ?? '?').replace(/Command$/, ''),
          table: tableOf(args.input as Record<string, unknown>),
          at: performance.now(),
          ms: Number.NaN,
        };
        this.all.push(call);
        this.scope.getStore()?.push(call);
        try {
          return await next(args);
        } finally {
          call.ms = performance.now() - call.at;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchDdbCallCounter', override: true },
    );
    stack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        const input = args.input as Record<string, unknown>;
        this.onResponse?.(
          { command: String(context.commandName ?? '?').replace(/Command$/, ''), table: tableOf(input), at: performance.now(), ms: Number.NaN },
          input,
          out.output as Record<string, unknown>,
        );
        return out;
      },
      { step: 'initialize', priority: 'high', name: 'benchDdbResponseTap', override: true },
    );
    return this;
  }

  /** The same count for the download function's wire client (adapters/aws/wire.ts): each attempt is one request. */
  attachWire(client: AwsJsonClient): this {
    const send = client.transport;
    client.transport = async (request, body) => {
      const command = String(request.headers['x-amz-target'] ?? '?').split('.')[1] ?? '?';
      const input = JSON.parse(body) as Record<string, unknown>;
      const call: DdbCall = { command, table: tableOf(input), at: performance.now(), ms: Number.NaN };
      this.all.push(call);
      this.scope.getStore()?.push(call);
      try {
        const response = await send(request, body);
        if (response.statusCode === 200 && this.onResponse) {
          const output = JSON.parse(response.body) as { Attributes?: Record<string, never> };
          this.onResponse({ ...call, at: performance.now() }, input, output.Attributes ? { ...output, Attributes: unmarshall(output.Attributes) } : output);
        }
        return response;
      } finally {
        call.ms = performance.now() - call.at;
      }
    };
    return this;
  }

  /** Runs `work` and returns the DynamoDB requests it made, and only those. */
  async within<T>(work: () => Promise<T>): Promise<{ result: T; calls: DdbCall[] }> {
    const calls: DdbCall[] = [];
    const result = await this.scope.run(calls, work);
    return { result, calls };
  }

  since(mark: number): DdbCall[] {
    return this.all.slice(mark);
  }

  get mark(): number {
    return this.all.length;
  }
}

/** `{ "UpdateItem dd-links": 3, ... }` */
export const tally = (calls: DdbCall[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const c of calls) out[`${c.command} ${c.table}`] = (out[`${c.command} ${c.table}`] ?? 0) + 1;
  return out;
};

/** Per request kind: how many, when the first left and the last answered (ms after `t0`), and their summed time. */
export const timeline = (calls: DdbCall[], t0: number) => {
  const out: Record<string, { n: number; fromMs: number; toMs: number; sumMs: number }> = {};
  for (const c of calls) {
    const key = `${c.command} ${c.table}`;
    const e = out[key] ?? { n: 0, fromMs: Infinity, toMs: 0, sumMs: 0 };
    out[key] = e;
    e.n++;
    e.fromMs = Math.min(e.fromMs, Math.round(c.at - t0));
    e.toMs = Math.max(e.toMs, Math.round(c.at + (Number.isNaN(c.ms) ? 0 : c.ms) - t0));
    e.sumMs += Number.isNaN(c.ms) ? 0 : Math.round(c.ms);
  }
  return out;
};
