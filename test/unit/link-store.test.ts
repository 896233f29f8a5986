import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../adapters/dynamo/link-store';
import type { Link } from '../../core/link';
import { aLink as baseLink } from '../support/links';

const TABLE = 'links-table';
const NOW = '2026-03-28T10:30:00.000Z';
const REQUESTER = { ip: '203.0.113.7', userAgent: 'curl/8' };

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoLinkStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);

const aLink = (overrides: Partial<Link> = {}): Link => baseLink({ downloadCount: 5, lastDownloadAt: null, ...overrides });

const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item ? { Item: marshall(item, { removeUndefinedValues: true }) } : {}),
  });

beforeEach(() => {
  ddb.reset();
});
afterAll(() => {
  ddb.restore();
});

describe('DynamoLinkStore.redeem', () => {
  it('counts a download with exactly one conditional UpdateCommand that states the whole download rule', async () => {
    // Prepare
    const after = aLink({ downloadCount: 3, lastDownloadAt: NOW, lastIp: REQUESTER.ip, lastUserAgent: REQUESTER.userAgent });
    const { expiresAt: _e, ...attributes } = after;
    ddb.on(UpdateCommand).resolves({ Attributes: { ...attributes, expiresAt: after.expiresAt, listKey: 'x' } });

    // Act
    const result = await store.redeem('AAAAAAAAAAAAAAAAAAAAAA', 'cust-1', NOW, REQUESTER);

    // Assess
    expect(ddb.calls()).toHaveLength(1);
    const calls = ddb.commandCalls(UpdateCommand);
    expect(calls).toHaveLength(1);
    const sent = calls[0]?.args[0].input;
    expect(sent?.TableName).toBe(TABLE);
    expect(sent?.Key).toEqual({ id: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(sent?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');

    const condition = sent?.ConditionExpression ?? '';
    const names = sent?.ExpressionAttributeNames ?? {};
    const values = sent?.ExpressionAttributeValues ?? {};
    const valueFor = (placeholder: string) => values[placeholder];
    const nameOf = (token: string) => names[token] ?? token;
    // owner
    const owner = /\bcustomerId\s*=\s*(:\w+)/.exec(condition);
    expect(owner && valueFor(owner[1] as string)).toBe('cust-1');
    // status
    const status = /(#?\w+)\s*=\s*(:\w+)/g;
    const statusChecks = [...condition.matchAll(status)].filter(([, n]) => nameOf(n as string) === 'status');
    expect(statusChecks.map(([, , v]) => valueFor(v as string))).toEqual(['active']);
    // expiry: a link without expiresAt never expires, otherwise it must lie after now
    expect(condition).toMatch(/attribute_not_exists\(expiresAt\)\s+OR\s+expiresAt\s*>\s*:\w+/);
    const expiry = /expiresAt\s*>\s*(:\w+)/.exec(condition);
    expect(valueFor(expiry?.[1] as string)).toBe(NOW);
    // limit: 0 is unlimited, otherwise the count must be under it
    const unlimited = /maxDownloads\s*=\s*(:\w+)/.exec(condition);
    expect(valueFor(unlimited?.[1] as string)).toBe(0);
    expect(condition).toMatch(/downloadCount\s*<\s*maxDownloads/);
    // the count and the requester ride in the same write
    expect(sent?.UpdateExpression).toMatch(/downloadCount\s*=\s*downloadCount\s*\+\s*:\w+/);
    expect(Object.values(values)).toEqual(expect.arrayContaining([REQUESTER.ip, REQUESTER.userAgent]));

    expect(result).toEqual({ served: true, link: after });
  });

  it('gives back a refused link unmarshalled from the AttributeValue item the failed condition returns', async () => {
    // Prepare
    const before = aLink({ downloadCount: 5, maxDownloads: 5 });
    const { expiresAt: _e, ...rest } = before;
    ddb.on(UpdateCommand).rejects(conditionFailed({ ...rest, expiresAt: before.expiresAt, listKey: `${before.createdAt}#${before.id}` }));

    // Act
    const result = await store.redeem(before.id, 'cust-1', NOW, REQUESTER);

    // Assess
    expect(result).toEqual({ served: false, link: before });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('gives back a never-expiring refused link with expiresAt null', async () => {
    // Prepare
    const before = aLink({ expiresAt: null, status: 'revoked' });
    const { expiresAt: _e, ...stored } = before;
    ddb.on(UpdateCommand).rejects(conditionFailed(stored));

    // Act
    const result = await store.redeem(before.id, 'cust-1', NOW, REQUESTER);

    // Assess
    expect(result).toEqual({ served: false, link: before });
    expect(result.link?.downloadCount).toBe(5);
  });

  it('reports a link that does not exist as refused with no link', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(conditionFailed());

    // Act
    const result = await store.redeem('BBBBBBBBBBBBBBBBBBBBBB', 'cust-1', NOW, REQUESTER);

    // Assess
    expect(result).toEqual({ served: false, link: undefined });
  });

  it('lets errors other than a failed condition through', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    ddb.on(UpdateCommand).rejects(throttled);

    // Act
    const attempt = store.redeem('AAAAAAAAAAAAAAAAAAAAAA', 'cust-1', NOW, REQUESTER);

    // Assess
    await expect(attempt).rejects.toThrow('Rate exceeded');
  });
});

describe('DynamoLinkStore.createMissing', () => {
  const links = [aLink({ id: 'L1LLLLLLLLLLLLLLLLLLLL' }), aLink({ id: 'L2LLLLLLLLLLLLLLLLLLLL', expiresAt: null }), aLink({ id: 'L3LLLLLLLLLLLLLLLLLLLL' })];

  it('writes fresh links in one transaction of conditional puts and counts them all', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const written = await store.createMissing(links);

    // Assess
    expect(written).toBe(3);
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const items = calls[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Put?.Item?.id)).toEqual(links.map((l) => l.id));
    for (const item of items) {
      expect(item.Put?.TableName).toBe(TABLE);
      expect(item.Put?.ConditionExpression).toBe('attribute_not_exists(id)');
    }
    // A never-expiring link is stored without expiresAt (so the redeem condition sees attribute_not_exists).
    expect(items[1]?.Put?.Item).not.toHaveProperty('expiresAt');
    expect(items[0]?.Put?.Item?.expiresAt).toBe(links[0]?.expiresAt);
    expect(items[0]?.Put?.Item?.listKey).toBe(`${links[0]?.createdAt}#${links[0]?.id}`);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('falls back to one conditional put per link when the transaction is cancelled by an existing link, and counts only the written ones', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    ddb.on(PutCommand).resolves({});
    ddb.on(PutCommand, { Item: { id: 'L2LLLLLLLLLLLLLLLLLLLL' } }).rejects(conditionFailed());

    // Act
    const written = await store.createMissing(links);

    // Assess
    expect(written).toBe(2);
    const puts = ddb.commandCalls(PutCommand);
    expect(puts.map((c) => c.args[0].input.Item?.id)).toEqual(links.map((l) => l.id));
    for (const put of puts) expect(put.args[0].input.ConditionExpression).toBe('attribute_not_exists(id)');
  });

  it('counts nothing when a replay finds every link already there', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: links.map(() => ({ Code: 'ConditionalCheckFailed' })),
      }),
    );
    ddb.on(PutCommand).rejects(conditionFailed());

    // Act
    const written = await store.createMissing(links);

    // Assess
    expect(written).toBe(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(3);
  });

  it('lets a transaction cancelled for another reason fail, without falling back', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );

    // Act
    const attempt = store.createMissing(links);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('splits more than 100 links into transactions of at most 100', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    const many = Array.from({ length: 250 }, (_, i) => aLink({ id: `L${String(i).padStart(21, '0')}` }));

    // Act
    const written = await store.createMissing(many);

    // Assess
    expect(written).toBe(250);
    const sizes = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.length);
    expect(sizes).toEqual([100, 100, 50]);
    const ids = ddb.commandCalls(TransactWriteCommand).flatMap((c) => (c.args[0].input.TransactItems ?? []).map((i) => i.Put?.Item?.id));
    expect(new Set(ids).size).toBe(250);
  });

  it('writes nothing for an empty list', async () => {
    // Act
    const written = await store.createMissing([]);

    // Assess
    expect(written).toBe(0);
    expect(ddb.calls()).toHaveLength(0);
  });
});
