/**
 * Figure 12d, in a process of its own (no local runtime, no stream consumers
 * sharing the CPU): the licenses handler's CPU per activation, warm, with the
 * real SDK client and only its socket replaced by one that answers a
 * recorded UpdateItem response.
 *
 *   node bench/activation-cpu.mjs <input.json> <output.json>   (built by hot-path-runner)
 */
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/protocol-http';
import { marshall } from '@aws-sdk/util-dynamodb';
import { lambdaContext, licenseEvent } from './support/events';
import { asDeployedFunction, scriptIO } from './support/script-io';
import { median } from './support/report';

export interface ActivationCpuInput {
  /** The ALL_NEW item a real activation returned (recorded against DynamoDB Local in the same run). */
  item: Record<string, unknown>;
  warmup: number;
  iterations: number;
  rounds: number;
}

export interface ActivationCpuOutput {
  cpuUs: number;
  wallUs: number;
  rounds: number[];
  iterations: number;
  unexpected: number;
}

const { input, answer } = scriptIO<ActivationCpuInput, ActivationCpuOutput>('activation-cpu');

asDeployedFunction();

const { handler } = (await import('../functions/licenses/handler')) as unknown as {
  handler: (event: ReturnType<typeof licenseEvent>, context: ReturnType<typeof lambdaContext>) => Promise<{ statusCode: number; body?: string }>;
};
const { documentClient } = await import('../functions/shared/deps');

const body = JSON.stringify({ Attributes: marshall(input.item, { removeUndefinedValues: true }) });
const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'BENCHRECORDED', 'content-length': String(Buffer.byteLength(body)) };
// The whole SDK pipeline runs (middleware, signing, serializing, parsing); only the socket is replaced.
(documentClient().config as { requestHandler: unknown }).requestHandler = {
  handle: async () => ({ response: new HttpResponse({ statusCode: 200, headers, body: Readable.from([Buffer.from(body)]) }) }),
  updateHttpClientConfig: () => undefined,
  httpHandlerConfigs: () => ({}),
};

const key = String(input.item.key);
const instanceId = Object.keys((input.item.activations as Record<string, unknown> | undefined) ?? {})[0] ?? 'bench-instance-first';
const event = licenseEvent('activate', { key, instanceId });
const context = lambdaContext('licenses');
let unexpected = 0;
const run = async (n: number) => {
  for (let i = 0; i < n; i++) if ((await handler(event, context)).statusCode !== 200) unexpected++;
};

const first = await handler(event, context);
if (first.statusCode !== 200) throw new Error(`the handler answered ${first.statusCode} ${first.body ?? ''} instead of 200`);
await run(input.warmup);
const rounds: number[] = [];
const walls: number[] = [];
for (let r = 0; r < input.rounds; r++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(input.iterations);
  const cpu = process.cpuUsage(cpu0);
  rounds.push((cpu.user + cpu.system) / input.iterations);
  walls.push(((performance.now() - t0) * 1000) / input.iterations);
}
const output: ActivationCpuOutput = { cpuUs: median(rounds), wallUs: median(walls), rounds, iterations: input.iterations, unexpected };
answer(output);
process.exit(0);
