import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunk } from '../../core/concurrency';
import type { SharingStore } from '../../core/ports';
import type { SharingAggregate } from '../../core/sharing';
import { conditionally } from './client';
import { itemReader } from './items';

/**
 * The sharing signals' records, in the link log table beside each link's log
 * (no table of their own): a link's aggregate is the item `#sharing` of the
 * link's partition, a customer's reset count the item `#resets` of the
 * partition `customer#<id>`. Log entries' keys start with their time (a
 * digit), so a log query from `0` never reads these.
 */
export const SHARING_ENTRY_KEY = '#sharing';
export const RESETS_ENTRY_KEY = '#resets';
export const customerPartition = (customerId: string) => `customer#${customerId}`;

const DAY_SECONDS = 86_400;

const stringMap = (read: ReturnType<typeof itemReader>, name: string): Record<string, string> => {
  const value = read.raw(name);
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new Error(`an item of linkLog has ${name} that is not a map of times`);
  }
  return value as Record<string, string>;
};

export const toAggregate = (item: Record<string, unknown>): SharingAggregate => {
  const read = itemReader('linkLog', item);
  return {
    linkId: read.string('linkId'),
    networks: stringMap(read, 'networks'),
    userAgents: stringMap(read, 'userAgents'),
    since: read.optionalString('since'),
    lastSeenAt: read.optionalString('lastSeenAt'),
    version: read.number('version'),
  };
};

export class DynamoSharingStore implements SharingStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** The aggregate outlives the link's last download by this long (the log's retention). */
    private readonly retentionDays: number,
  ) {}

  async getMany(linkIds: string[]) {
    const found = new Map<string, SharingAggregate>();
    for (const ids of chunk([...new Set(linkIds)], 100)) {
      let keys: Record<string, unknown>[] = ids.map((linkId) => ({ linkId, entryKey: SHARING_ENTRY_KEY }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 8) throw new Error('BatchGetItem kept returning unprocessed keys');
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
        for (const item of (out.Responses?.[this.table] ?? []) as Record<string, unknown>[]) {
          const aggregate = toAggregate(item);
          found.set(aggregate.linkId, aggregate);
        }
        keys = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  async save(aggregate: SharingAggregate) {
    const last = aggregate.lastSeenAt ? Date.parse(aggregate.lastSeenAt) : Date.now();
    const result = await conditionally(
      this.db,
      new PutCommand({
        TableName: this.table,
        Item: {
          linkId: aggregate.linkId,
          entryKey: SHARING_ENTRY_KEY,
          networks: aggregate.networks,
          userAgents: aggregate.userAgents,
          since: aggregate.since,
          lastSeenAt: aggregate.lastSeenAt,
          version: aggregate.version + 1,
          expiresAtEpoch: Math.floor(last / 1000) + this.retentionDays * DAY_SECONDS,
        },
        // Over the version it was read at: two merges of the same link never lose each other's networks.
        ConditionExpression: aggregate.version === 0 ? 'attribute_not_exists(linkId)' : 'version = :version',
        ExpressionAttributeValues: aggregate.version === 0 ? undefined : { ':version': aggregate.version },
      }),
    );
    return result.ok;
  }

  async countResets(customerId: string, resets: number, at: string) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { linkId: customerPartition(customerId), entryKey: RESETS_ENTRY_KEY },
        UpdateExpression: 'ADD resets :n SET lastResetAt = :at',
        ExpressionAttributeValues: { ':n': resets, ':at': at },
      }),
    );
  }

  async resetsOf(customerId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { linkId: customerPartition(customerId), entryKey: RESETS_ENTRY_KEY } }));
    return out.Item ? itemReader('linkLog', out.Item).number('resets', 0) : 0;
  }
}
