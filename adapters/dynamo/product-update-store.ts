import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest, ProductUpdateStore } from '../../core/ports';
import type { ProductUpdate, UpdatePhase } from '../../core/product-update';
import { decodeCursor, encodeCursor } from '../cursor';
import { conditionally } from './client';
import { itemReader } from './items';

const PHASES = ['repoint', 'notify', 'done'] as const satisfies readonly UpdatePhase[];
const CURSOR = ['updateId'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stored update item as the domain's ProductUpdate (checked, not cast). */
export const toProductUpdate = (item: Record<string, unknown> | undefined): ProductUpdate | undefined => {
  if (!item) return undefined;
  const read = itemReader('productUpdates', item);
  const replace = read.raw('replace');
  const counts = read.raw('counts');
  if (!isRecord(replace)) throw new Error('an item of productUpdates has replace that is not a map');
  if (!isRecord(counts)) throw new Error('an item of productUpdates has counts that is not a map');
  const count = (name: string) => {
    const value = counts[name];
    if (typeof value !== 'number') throw new Error(`an item of productUpdates has counts.${name} that is not a number`);
    return value;
  };
  return {
    productId: read.string('productId'),
    updateId: read.string('updateId'),
    replace: replace as ProductUpdate['replace'],
    notify: read.boolean('notify'),
    phase: read.oneOf('phase', PHASES),
    cursor: read.optionalString('cursor'),
    step: read.number('step'),
    lastCustomerId: read.optionalString('lastCustomerId'),
    counts: { scanned: count('scanned'), repointed: count('repointed'), skipped: count('skipped'), customersNotified: count('customersNotified') },
    createdAt: read.string('createdAt'),
    createdBy: read.optionalString('createdBy'),
    updatedAt: read.string('updatedAt'),
    finishedAt: read.optionalString('finishedAt'),
  };
};

export class DynamoProductUpdateStore implements ProductUpdateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(update: ProductUpdate) {
    const result = await conditionally(this.db, new PutCommand({ TableName: this.table, Item: update, ConditionExpression: 'attribute_not_exists(updateId)' }));
    if (!result.ok) throw new Error('an update with this id exists already');
  }

  async get(productId: string, updateId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { productId, updateId }, ConsistentRead: true }));
    return toProductUpdate(out.Item);
  }

  async list(productId: string, page: PageRequest): Promise<Page<ProductUpdate>> {
    const start = decodeCursor(page.cursor, CURSOR);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'productId = :pk',
        ExpressionAttributeValues: { ':pk': productId },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: start ? { ...start, productId } : undefined,
      }),
    );
    return { items: (out.Items ?? []).map((item) => toProductUpdate(item) as ProductUpdate), nextCursor: encodeCursor(out.LastEvaluatedKey, CURSOR) };
  }

  async advance(update: ProductUpdate, expectedStep: number) {
    const result = await conditionally(
      this.db,
      new PutCommand({
        TableName: this.table,
        Item: update,
        ConditionExpression: 'attribute_exists(updateId) AND #step = :expected',
        ExpressionAttributeNames: { '#step': 'step' },
        ExpressionAttributeValues: { ':expected': expectedStep },
      }),
    );
    return result.ok;
  }
}
