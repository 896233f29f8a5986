/**
 * Figures 12–12d: an activation on the seller's side, through the real
 * licenses handler against DynamoDB Local: its DynamoDB requests (one
 * conditional write decides and counts; an unknown key costs one read at
 * most, a malformed one nothing) and its handler CPU.
 */
import type { Context } from 'aws-lambda';
import type { TestSystem } from '../test/support/runtime';
import { purchase } from '../test/support/runtime';
import type { ActivationCpuInput, ActivationCpuOutput } from './activation-cpu';
import { buildHotPath, runBenchScript } from './hot-path-runner';
import type { DdbCall, DdbCallCounter } from './support/ddb-calls';
import { type HandlerResult, lambdaContext, licenseEvent } from './support/events';
import { atMost, exactly, failedFigure, figure, round, type Figure } from './support/report';

type LicensesHandler = (event: ReturnType<typeof licenseEvent>, context: Context) => Promise<HandlerResult>;

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
const describeCalls = (calls: DdbCall[]) => calls.map((c) => `${c.command}${c.table ? ` ${c.table}` : ''}`).join(', ') || 'none';

export const measureActivations = async (input: {
  system: TestSystem;
  counter: DdbCallCounter;
  quick: boolean;
  log: (line: string) => void;
  /** The repository, and where built bench scripts go (as for the hot path). */
  root: string;
  workDir: string;
}): Promise<Figure[]> => {
  const { system, counter, quick, log } = input;
  try {
    log('figures 12: a license activation through the licenses handler…');
    const put = await system.request('PUT', '/admin/products/bench-app', {
      admin: true,
      body: { name: 'Bench app', fileIds: [], licenseKeys: { mode: 'generated', activationLimit: 0 } },
    });
    if (put.status !== 200) throw new Error(`PUT /admin/products/bench-app answered ${put.status} ${put.text}`);
    await system.sendPayment('PaymentSucceeded', purchase('bench-licenses', 'bench-license-customer', ['bench-app']));
    const listed = await system.request('GET', '/licenses/customer', { as: 'bench-license-customer' });
    const key: string | undefined = listed.json?.items?.[0]?.key;
    if (!key) throw new Error(`no key was assigned: ${listed.status} ${listed.text}`);
    const { handler } = (await import('../functions/licenses/handler')) as unknown as { handler: LicensesHandler };
    const context = lambdaContext('licenses');
    const call = async (route: 'activate' | 'validate', body: unknown) => counter.within(() => handler(licenseEvent(route, body), context));

    // 12: a new instance, then the same instance again; 12b: a well-formed unknown key; 12c: a malformed one.
    let recorded: Record<string, unknown> | undefined;
    counter.onResponse = (c, _input, output) => {
      if (c.command === 'UpdateItem' && output?.Attributes) recorded ??= output.Attributes as Record<string, unknown>;
    };
    const fresh = await call('activate', { key, instanceId: 'bench-instance-first' });
    counter.onResponse = undefined;
    const again = await call('activate', { key, instanceId: 'bench-instance-first' });
    const unknownKey = key.replace(/[A-Z0-9](?=[^-]*$)/, (c) => (c === 'Z' ? 'Y' : 'Z'));
    const unknown = await call('activate', { key: unknownKey, instanceId: 'bench-instance-first' });
    const malformed = await call('activate', { key: 'not a key', instanceId: 'bench-instance-first' });

    // 12d: the handler's CPU per activation, in a process of its own, from the item this activation returned.
    if (!recorded) throw new Error('no activation response was recorded');
    const script = await buildHotPath(input.root, input.workDir, 'activation-cpu');
    const cpu = await runBenchScript<ActivationCpuOutput>(input.root, script, input.workDir, 'activation-cpu', {
      item: recorded,
      warmup: quick ? 100 : 1000,
      iterations: quick ? 300 : 3000,
      rounds: quick ? 3 : 5,
    } satisfies ActivationCpuInput);

    const writes = (calls: DdbCall[]) => calls.filter((c) => WRITES.has(c.command)).length;
    return [
      figure({
        id: '12',
        name: 'DynamoDB requests per license activation (new instance)',
        value: fresh.calls.length,
        unit: '',
        target: exactly(1),
        note: `answer ${fresh.result.statusCode}: ${describeCalls(fresh.calls)}; the same instance again: ${again.result.statusCode}, ${describeCalls(again.calls)}`,
      }),
      figure({
        id: '12b',
        name: 'DynamoDB requests for an unknown (well-formed) license key',
        value: unknown.calls.length,
        unit: '',
        target: atMost(1),
        note: `answer ${unknown.result.statusCode}: ${describeCalls(unknown.calls)} — the activation's own conditional write, refused by its condition (the key must exist): nothing is written, but DynamoDB bills a refused write as 1 WCU where a read would be 0.5 RCU; reading first would make every real activation 2 requests, so ${writes(unknown.calls)} refused write it stays`,
      }),
      figure({
        id: '12c',
        name: 'DynamoDB requests for a malformed license key',
        value: malformed.calls.length,
        unit: '',
        target: exactly(0),
        note: `answer ${malformed.result.statusCode}`,
      }),
      figure({
        id: '12d',
        name: 'Handler CPU per activation (real SDK client, its socket replaced)',
        value: round(cpu.cpuUs, 0),
        unit: 'µs',
        target: null,
        note: `wall ${round(cpu.wallUs, 0)} µs; median of ${cpu.rounds.length} × ${cpu.iterations}${cpu.unexpected ? `; ${cpu.unexpected} answers were not 200` : ''}; the whole SDK pipeline with only its socket replaced (~280 µs of it is one send() on a quiet machine, see 3d): the activation API keeps the SDK, it is not the download's hot path`,
        data: { ...cpu },
      }),
    ];
  } catch (error) {
    return [
      failedFigure('12', 'DynamoDB requests per license activation (new instance)', '', exactly(1), error),
      failedFigure('12b', 'DynamoDB requests for an unknown (well-formed) license key', '', atMost(1), error),
      failedFigure('12c', 'DynamoDB requests for a malformed license key', '', exactly(0), error),
      failedFigure('12d', 'Handler CPU per activation (real SDK client, its socket replaced)', 'µs', null, error),
    ];
  }
};
