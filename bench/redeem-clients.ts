/**
 * Figure 3d, in a process of its own: the redeem's one conditional
 * UpdateItem through each candidate client, side by side, over a real
 * keep-alive socket to a stand-in DynamoDB in another process
 * (bench/support/fake-dynamo.ts), so only the client's CPU is counted:
 * marshalling, signing, HTTP, parsing, unmarshalling and the checked mapping
 * to a Link (the same toLink for all). Each is also checked for the answer the
 * download needs: served with the link, or refused with the link as it was.
 *
 *   node bench/redeem-clients.mjs <input.json> <output.json>
 */
import { scriptIO } from './support/script-io';
import awsLite from '@aws-lite/client';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createDocumentClient } from '../adapters/dynamo/client';
import { redeemRequest, toLink } from '../adapters/dynamo/link-items';
import { DynamoLinkStore } from '../adapters/dynamo/link-store';
import { dynamoWireClient, WireLinkRedeemer } from '../adapters/dynamo/wire-redeem';
import type { Link } from '../core/link';
import type { LinkStore, Requester } from '../core/ports';
import { startFakeDynamo } from './support/fake-dynamo';
import { median } from './support/report';

export interface RedeemClientsInput {
  item: Record<string, unknown>;
  warmup: number;
  iterations: number;
  rounds: number;
}

export interface RedeemCandidate {
  name: string;
  cpuUs: number;
  wallUs: number;
  /** Served with the link, refused with the old link, as DynamoLinkStore answers. */
  correct: boolean;
  note: string;
}

export interface RedeemClientsOutput {
  candidates: RedeemCandidate[];
  iterations: number;
  rounds: number;
}

type Redeem = Pick<LinkStore, 'redeem'>;

const { input, answer } = scriptIO<RedeemClientsInput, RedeemClientsOutput>('redeem-clients.mjs');
process.env.AWS_ACCESS_KEY_ID ??= 'AKIDBENCHBENCHBENCH0';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bench-secret-access-key-bench-secret-key';
const region = 'us-east-1';
const table = 'dd-links';

const fake = await startFakeDynamo(input.item);
try {
  const sdkDb = createDocumentClient({ region, endpoint: fake.endpoint });
  const lite = (await awsLite({
    region,
    endpoint: fake.endpoint,
    plugins: [import('@aws-lite/dynamodb' as string)],
    autoloadPlugins: false,
    keepAlive: true,
  })) as unknown as { DynamoDB: { UpdateItem: (params: Record<string, unknown>) => Promise<unknown> } };

  /** @aws-lite/dynamodb marshalls and unmarshalls itself; its errors carry the body's members. */
  const liteRedeem: Redeem = {
    async redeem(linkId: string, customerId: string, now: string, requester: Requester) {
      try {
        const out = (await lite.DynamoDB.UpdateItem(redeemRequest(table, linkId, customerId, now, requester))) as { Attributes?: Record<string, unknown> };
        const link = toLink(out.Attributes);
        if (!link) throw new Error('no link returned');
        return { served: true as const, link };
      } catch (error) {
        const e = error as { name?: string; Item?: Record<string, unknown> };
        if (e.name !== 'ConditionalCheckFailedException') throw error;
        const item = e.Item && Object.values(e.Item).every((v) => v && typeof v === 'object') ? unmarshall(e.Item as never) : e.Item;
        return { served: false as const, link: toLink(item) };
      }
    },
  };

  const candidates: [string, Redeem, string][] = [
    ['AWS SDK v3 (DynamoDBDocumentClient)', new DynamoLinkStore(sdkDb, table), 'today’s path: middleware stack, endpoint rules, retry layer'],
    ['@aws-lite/client + @aws-lite/dynamodb', liteRedeem, 'aws-lite: its own signer (aws4), marshalling plugin'],
    [
      'wire (adapters/aws/wire.ts)',
      new WireLinkRedeemer(dynamoWireClient({ region, endpoint: fake.endpoint }), table),
      '@smithy/signature-v4 + util-retry standard strategy, node:http keep-alive',
    ],
  ];
  const requester = { ip: '203.0.113.7', userAgent: 'digital-downloads-bench/1' };
  const now = new Date().toISOString();
  const expected = toLink(input.item) as Link;

  const check = async (store: Redeem): Promise<boolean> => {
    try {
      const served = await store.redeem('bench-link', 'bench-customer', now, requester);
      const refused = await store.redeem('refused-link', 'bench-customer', now, requester);
      return (
        served.served &&
        JSON.stringify(served.link) === JSON.stringify(expected) &&
        !refused.served &&
        JSON.stringify(refused.link) === JSON.stringify(expected)
      );
    } catch {
      return false;
    }
  };
  const run = async (store: Redeem, n: number) => {
    for (let i = 0; i < n; i++) await store.redeem('bench-link', 'bench-customer', now, requester);
  };
  const measure = async (store: Redeem, n: number) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(store, n);
    const cpu = process.cpuUsage(cpu0);
    return { cpuUs: (cpu.user + cpu.system) / n, wallUs: ((performance.now() - t0) * 1000) / n };
  };

  const correct = new Map<string, boolean>();
  for (const [name, store] of candidates) {
    correct.set(name, await check(store));
    await run(store, input.warmup);
  }
  const samples = new Map<string, { cpuUs: number; wallUs: number }[]>();
  for (let r = 0; r < input.rounds; r++) {
    // Rotate the order each round: no candidate always runs right after another's garbage.
    for (let k = 0; k < candidates.length; k++) {
      const [name, store] = candidates[(k + r) % candidates.length] as [string, Redeem, string];
      samples.set(name, [...(samples.get(name) ?? []), await measure(store, input.iterations)]);
    }
  }
  const output: RedeemClientsOutput = {
    iterations: input.iterations,
    rounds: input.rounds,
    candidates: candidates.map(([name, , note]) => ({
      name,
      cpuUs: median((samples.get(name) ?? []).map((s) => s.cpuUs)),
      wallUs: median((samples.get(name) ?? []).map((s) => s.wallUs)),
      correct: correct.get(name) ?? false,
      note,
    })),
  };
  sdkDb.destroy();
  answer(output);
} finally {
  fake.stop();
}
process.exit(0);
