/**
 * Figure 3, in a process of its own (no local runtime, no background timers):
 * the download handler's CPU time per download, warm, with DynamoDB answering
 * from a recorded response, divided by the floor that no implementation can
 * go under: one HMAC verification and one presigned GET.
 *
 *   node --import tsx bench/hot-path.ts <input.json> <output.json>
 *
 * Modes (the download function's DynamoDB client is adapters/aws/wire.ts):
 * - `mock`: the client's `call` answers the recorded output in memory; its own
 *   work (serializing, signing, HTTP, parsing) is not counted.
 * - `recorded-http`: the whole client runs; only the socket is replaced, by a
 *   transport that answers the recorded UpdateItem response.
 * - `loopback`: the whole client over a real keep-alive socket, to a stand-in
 *   DynamoDB in another process (bench/support/fake-dynamo.ts).
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { downloadEvent, lambdaContext, loadDownloadHandler } from './support/events';
import { asDeployedFunction, scriptIO } from './support/script-io';
import { startFakeDynamo, type FakeDynamo } from './support/fake-dynamo';
import { profile, summarize, type ProfileSummary } from './support/profile';
import { median } from './support/report';

export type HotPathMode = 'mock' | 'recorded-http' | 'loopback';

export interface HotPathInput {
  mode: HotPathMode;
  /** The ALL_NEW item a real redeem returned (recorded against DynamoDB Local in the same run). */
  item: Record<string, unknown>;
  warmup: number;
  iterations: number;
  rounds: number;
  /** 0: no profile. */
  profileIterations: number;
}

export interface HotPathOutput {
  mode: HotPathMode;
  handlerCpuUs: number;
  floorCpuUs: number;
  ratio: number;
  handlerWallUs: number;
  floorWallUs: number;
  rounds: { handlerCpuUs: number; floorCpuUs: number }[];
  iterations: number;
  /** Answers other than 302 (should be none). */
  unexpected: number;
  profile?: ProfileSummary;
}

const { input, answer } = scriptIO<HotPathInput, HotPathOutput>('hot-path.ts');

asDeployedFunction();

const { LinkTokens, newSigningSecret } = await import('../core/token');
const { serializeKeySet } = await import('../adapters/aws/signing-keys');
const { presignS3Get } = await import('../adapters/s3/presign-get');
const { config } = await import('../functions/shared/config');

const keySet = { currentKid: 'k1', keys: { k1: newSigningSecret() } };
const item = input.item as { id: string; customerId: string; objectKey: string; fileName: string; contentType: string };
const output0 = { Attributes: marshall(item, { removeUndefinedValues: true }) };
let fake: FakeDynamo | undefined;
if (input.mode === 'loopback') {
  fake = await startFakeDynamo(item, serializeKeySet(keySet));
  process.env.DYNAMODB_ENDPOINT = fake.endpoint;
}
const handler = await loadDownloadHandler();
const { wire } = await import('../functions/download/deps');

// The key source answers from memory (Secrets Manager is read once per cold start anyway).
const secretBody = JSON.stringify({ SecretString: serializeKeySet(keySet) });
wire.secrets.transport = async () => ({ statusCode: 200, headers: {}, body: secretBody });
if (input.mode === 'mock') {
  wire.dynamo.call = async <O>() => output0 as O;
} else if (input.mode === 'recorded-http') {
  const body = JSON.stringify(output0);
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': 'BENCHRECORDEDRESPONSE',
    'content-length': String(Buffer.byteLength(body)),
  };
  wire.dynamo.transport = async () => ({ statusCode: 200, headers, body });
}

const tokens = new LinkTokens(keySet);
const token = tokens.sign(item.id);
const event = downloadEvent(token, item.customerId);
const context = lambdaContext();
const cfg = config();
// The same shape the handler builds once per cold start (the signer is cached per location object).
const location = { bucket: cfg.FILES_BUCKET, region: cfg.AWS_REGION, endpoint: cfg.S3_ENDPOINT };
const presignInput = { objectKey: item.objectKey, fileName: item.fileName, contentType: item.contentType, expiresInSeconds: cfg.PRESIGNED_URL_TTL_SECONDS };

let unexpected = 0;
const runHandler = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const result = await handler(event, context);
    if (result.statusCode !== 302) unexpected++;
  }
};
const runFloor = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const verified = tokens.verify(token);
    if (!verified || !('linkId' in verified)) unexpected++;
    await presignS3Get(location, presignInput);
  }
};

const measure = async (run: (n: number) => Promise<void>, n: number) => {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(n);
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / n, wallUs: ((performance.now() - t0) * 1000) / n };
};

const first = await handler(event, context);
if (first.statusCode !== 302) throw new Error(`the handler answered ${first.statusCode} ${first.body ?? ''} instead of 302`);
await runFloor(input.warmup);
await runHandler(input.warmup);

const rounds: { handlerCpuUs: number; floorCpuUs: number; handlerWallUs: number; floorWallUs: number }[] = [];
for (let r = 0; r < input.rounds; r++) {
  // Alternate the order so neither side always runs right after a GC-heavy phase.
  const floorFirst = r % 2 === 0;
  const a = floorFirst ? await measure(runFloor, input.iterations) : await measure(runHandler, input.iterations);
  const b = floorFirst ? await measure(runHandler, input.iterations) : await measure(runFloor, input.iterations);
  const [floor, hot] = floorFirst ? [a, b] : [b, a];
  rounds.push({ handlerCpuUs: hot.cpuUs, floorCpuUs: floor.cpuUs, handlerWallUs: hot.wallUs, floorWallUs: floor.wallUs });
}

const handlerCpuUs = median(rounds.map((r) => r.handlerCpuUs));
const floorCpuUs = median(rounds.map((r) => r.floorCpuUs));
const output: HotPathOutput = {
  mode: input.mode,
  handlerCpuUs,
  floorCpuUs,
  ratio: handlerCpuUs / floorCpuUs,
  handlerWallUs: median(rounds.map((r) => r.handlerWallUs)),
  floorWallUs: median(rounds.map((r) => r.floorWallUs)),
  rounds: rounds.map((r) => ({ handlerCpuUs: r.handlerCpuUs, floorCpuUs: r.floorCpuUs })),
  iterations: input.iterations,
  unexpected,
};
if (input.profileIterations > 0) output.profile = summarize(await profile(() => runHandler(input.profileIterations)));
fake?.stop();
answer(output);
process.exit(0);
