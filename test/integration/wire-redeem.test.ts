import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../adapters/dynamo/client';
import { DynamoLinkStore } from '../../adapters/dynamo/link-store';
import { dynamoWireClient, WireLinkRedeemer } from '../../adapters/dynamo/wire-redeem';
import type { Requester } from '../../core/ports';
import { startTestRuntime, type TestSystem } from '../support/runtime';

/**
 * The download's wire redeem against the SDK store's, on DynamoDB Local: the
 * same link, the same request, and every answer (served or not, the link
 * returned, what the table holds afterwards, the error thrown) must be equal.
 */
let system: TestSystem;
let db: DynamoDBDocumentClient;
let table: string;
let sdkStore: DynamoLinkStore;
let wireStore: WireLinkRedeemer;

beforeAll(async () => {
  system = await startTestRuntime();
  const endpoint = system.runtime.dynamodbEndpoint;
  table = process.env.LINKS_TABLE as string;
  db = createDocumentClient({ region: 'us-east-1', endpoint });
  sdkStore = new DynamoLinkStore(db, table);
  wireStore = new WireLinkRedeemer(dynamoWireClient({ region: 'us-east-1', endpoint }), table);
});
afterAll(async () => {
  db?.destroy();
  await system?.stop();
});

const NOW = '2026-06-01T12:00:00.000Z';
const OWNER = 'customer-wire';
const BROWSER: Requester = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (wire test) ünïcødé' };

const link = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  invoiceId: 'inv-wire',
  customerId: OWNER,
  productId: 'prod-wire',
  productName: 'Wire Handbook',
  fileId: 'file-wire',
  fileName: 'Wire Handbook.pdf',
  contentType: 'application/pdf',
  objectKey: 'uploads/file-wire',
  deliveryMethod: 'InstantDownload',
  maxDownloads: 3,
  downloadCount: 0,
  status: 'active',
  statusAt: '2026-05-01T00:00:00.000Z',
  createdAt: '2026-05-01T00:00:00.000Z',
  listKey: `2026-05-01T00:00:00.000Z#${id}`,
  ...overrides,
});

type Case = [string, Record<string, unknown> | undefined, { customerId?: string; requester?: Requester }];
const CASES: Case[] = [
  ['an owner’s download of an unlimited link', { maxDownloads: 0, downloadCount: 41 }, {}],
  ['the last download under the limit', { downloadCount: 2 }, {}],
  ['a link at its limit', { downloadCount: 3 }, {}],
  ['another customer’s link', {}, { customerId: 'someone-else' }],
  ['a revoked link', { status: 'revoked', revokedAt: NOW, revokedReason: 'refund' }, {}],
  ['a suspended link (order on hold)', { status: 'suspended' }, {}],
  ['an expired link', { expiresAt: '2026-06-01T11:59:59.999Z' }, {}],
  ['a link expiring later', { expiresAt: '2026-06-02T00:00:00.000Z' }, {}],
  ['a link that was downloaded before', { downloadCount: 1, lastDownloadAt: '2026-05-31T00:00:00.000Z', lastIp: '198.51.100.1', lastUserAgent: 'curl' }, {}],
  ['a download without an address or user agent', {}, { requester: { ip: null, userAgent: null } }],
  ['a link that does not exist', undefined, {}],
];

const outcome = async (store: Pick<DynamoLinkStore, 'redeem'>, id: string, c: Case[2]) => {
  try {
    return { answer: await store.redeem(id, c.customerId ?? OWNER, NOW, c.requester ?? BROWSER) };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
};

const stored = async (id: string) => (await db.send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }))).Item;

describe('the download’s wire redeem and the SDK store’s redeem', () => {
  it.each(CASES)('answer the same for %s', async (_name, overrides, c) => {
    // Prepare: the same link twice, under two ids (each redeem changes its link).
    const ids = { sdk: `wire-cmp-sdk-${_name}`, wire: `wire-cmp-wire-${_name}` };
    if (overrides) {
      await db.send(new PutCommand({ TableName: table, Item: link(ids.sdk, overrides) }));
      await db.send(new PutCommand({ TableName: table, Item: link(ids.wire, overrides) }));
    }

    // Act
    const viaSdk = await outcome(sdkStore, ids.sdk, c);
    const viaWire = await outcome(wireStore, ids.wire, c);

    // Assess: equal once the id (the one difference) is the same.
    const same = (value: unknown, from: string) => JSON.parse(JSON.stringify(value ?? null).replaceAll(from, '<id>'));
    expect(same(viaWire, ids.wire)).toEqual(same(viaSdk, ids.sdk));
    expect(same(await stored(ids.wire), ids.wire)).toEqual(same(await stored(ids.sdk), ids.sdk));
  });

  it('count the same when both redeem one link in turn', async () => {
    // Prepare
    const id = 'wire-cmp-shared';
    await db.send(new PutCommand({ TableName: table, Item: link(id, { maxDownloads: 4 }) }));

    // Act
    const answers: boolean[] = [];
    for (let i = 0; i < 6; i++) answers.push((await (i % 2 ? wireStore : sdkStore).redeem(id, OWNER, NOW, BROWSER)).served);

    // Assess
    expect(answers).toEqual([true, true, true, true, false, false]);
    expect((await stored(id))?.downloadCount).toBe(4);
  });
});
