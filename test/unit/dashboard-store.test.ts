import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDashboardCounters, MARKER_RETENTION_DAYS } from '../../adapters/dynamo/dashboard-store';
import type { CountedChange } from '../../core/dashboard';
import { isDependencyUnavailable } from '../../functions/shared/failures';

const TABLE = 'dashboard-table';
const NOW = Date.parse('2026-06-01T12:00:00.000Z');

const ddb = mockClient(DynamoDBDocumentClient);
const counters = new DynamoDashboardCounters(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE, () => NOW);

/** The table, as DynamoDB would keep it: a transaction applies whole or not at all. */
let items: Map<string, Record<string, unknown>>;
/** Transactions to refuse with a TransactionConflict before the next one goes through. */
let conflicts: number;

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

const transact = (input: TransactWriteCommandInput) => {
  const actions = input.TransactItems ?? [];
  if (conflicts > 0) {
    conflicts--;
    throw cancelled(actions.map(() => 'TransactionConflict'));
  }
  const codes = actions.map((a) => (a.Put && items.has(String(a.Put.Item?.pk)) ? 'ConditionalCheckFailed' : 'None'));
  if (codes.includes('ConditionalCheckFailed')) throw cancelled(codes);
  for (const action of actions) {
    if (action.Put) items.set(String(action.Put.Item?.pk), { ...action.Put.Item });
    if (action.Update) {
      const key = String(action.Update.Key?.pk);
      const item = items.get(key) ?? { pk: key };
      for (const [token, name] of Object.entries(action.Update.ExpressionAttributeNames ?? {})) {
        const by = action.Update.ExpressionAttributeValues?.[token.replace('#', ':')] as number;
        item[name] = ((item[name] as number | undefined) ?? 0) + by;
      }
      items.set(key, item);
    }
  }
  return {};
};

const served = (n: number, day = '2026-06-01'): CountedChange => ({
  id: `served#lnk#${day}T10:00:00.000Z#${n}`,
  day,
  tallies: [{ metric: 'downloads' }, { metric: 'products', key: 'ebook' }],
});

beforeEach(() => {
  ddb.reset();
  items = new Map();
  conflicts = 0;
  ddb.on(TransactWriteCommand).callsFake(transact);
  ddb.on(BatchGetCommand).callsFake((input) => ({
    Responses: { [TABLE]: (input.RequestItems?.[TABLE]?.Keys ?? []).flatMap((k: { pk: string }) => (items.has(k.pk) ? [items.get(k.pk)] : [])) },
  }));
});
afterAll(() => ddb.restore());

describe('DynamoDashboardCounters', () => {
  it('counts a batch in one transaction: a marker per change, expiring after the retention, and one ADD per day', async () => {
    // Act
    const result = await counters.count([served(1), served(2), served(3, '2026-06-02')]);

    // Assess
    expect(result).toEqual({ counted: 3, alreadyCounted: 0 });
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const actions = calls[0]?.args[0].input.TransactItems ?? [];
    expect(actions.filter((a) => a.Put)).toHaveLength(3);
    expect(actions.filter((a) => a.Update)).toHaveLength(2);
    for (const put of actions.flatMap((a) => (a.Put ? [a.Put] : []))) {
      expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
      expect(put.Item?.expiresAtEpoch).toBe(NOW / 1000 + MARKER_RETENTION_DAYS * 86_400);
    }
    expect(items.get('day#2026-06-01')).toMatchObject({ downloads: 2, 'products:ebook': 2 });
    expect(items.get('day#2026-06-02')).toMatchObject({ downloads: 1 });
  });

  it('a batch delivered again counts nothing, and a batch partly delivered before counts only its new changes', async () => {
    // Prepare
    await counters.count([served(1), served(2)]);

    // Act
    const again = await counters.count([served(1), served(2)]);
    const mixed = await counters.count([served(2), served(3), served(1), served(4)]);

    // Assess
    expect(again).toEqual({ counted: 0, alreadyCounted: 2 });
    expect(mixed).toEqual({ counted: 2, alreadyCounted: 2 });
    expect(items.get('day#2026-06-01')).toMatchObject({ downloads: 4, 'products:ebook': 4 });
  });

  it('the same change twice in one call is one action (a transaction may not name an item twice)', async () => {
    // Act
    const result = await counters.count([served(1), served(1)]);

    // Assess
    expect(result).toEqual({ counted: 1, alreadyCounted: 1 });
    expect(items.get('day#2026-06-01')).toMatchObject({ downloads: 1 });
  });

  it('a transaction that collides with another writer of the day is tried again, and counts once', async () => {
    // Prepare
    conflicts = 2;

    // Act
    const result = await counters.count([served(1)]);

    // Assess
    expect(result).toEqual({ counted: 1, alreadyCounted: 0 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(items.get('day#2026-06-01')).toMatchObject({ downloads: 1 });
  });

  it('a conflict that does not end is an outage for the stream to retry, with nothing counted', async () => {
    // Prepare
    conflicts = 100;

    // Act
    const error = await counters.count([served(1)]).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TransactionCanceledException);
    // An outage to wait out (the stream retries from this record), not a change to park.
    expect(isDependencyUnavailable(error)).toBe(true);
    expect(items.size).toBe(0);
  });

  it('more changes than a transaction takes go in several, each whole', async () => {
    // Act
    const result = await counters.count(Array.from({ length: 60 }, (_, i) => served(i + 1)));

    // Assess
    expect(result).toEqual({ counted: 60, alreadyCounted: 0 });
    const sizes = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.length ?? 0);
    expect(sizes.every((n) => n <= 100)).toBe(true);
    expect(items.get('day#2026-06-01')).toMatchObject({ downloads: 60 });
  });

  it('reads each day’s counters, not the item’s key or anything else it holds', async () => {
    // Prepare
    await counters.count([served(1), { id: 'bounce#fb', day: '2026-06-01', tallies: [{ metric: 'bounces' }] }]);
    items.set('day#2026-06-01', { ...items.get('day#2026-06-01'), note: 'x' });

    // Act
    const read = await counters.read(['2026-05-31', '2026-06-01']);

    // Assess
    expect(read).toEqual([{ day: '2026-06-01', counters: { downloads: 1, 'products:ebook': 1, bounces: 1 } }]);
  });
});
