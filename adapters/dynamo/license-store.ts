import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { chunk, inBatches } from '../../core/concurrency';
import {
  type Activation,
  LICENSE_MODES,
  LICENSE_STATUSES,
  type License,
  type LicenseEvent,
  type LicenseLogEntry,
  type LicenseSlot,
  MAX_ACTIVATIONS_PER_KEY,
} from '../../core/license';
import type { ActivationResult, LicenseActionMeta, LicenseLog, LicenseStore, Page, PageRequest } from '../../core/ports';
import { decodeCursor, encodeCursor } from '../cursor';
import { batchGet, cancellationReasons, conditionally } from './client';
import { CorruptItem, type Item, itemReader } from './items';

/**
 * The licenses table holds two kinds of items under `key`:
 * - a license key: its state, owner, limit, `activations` (a map by instance)
 *   and `activationCount`; `poolProductId`/`poolKey` (`available#…` or
 *   `assigned#…`) while it belongs to a pool (index `byPool`), `customerId`/
 *   `listKey` once sold (index `byCustomer`); `rev` and `lastEvent` for its log;
 * - a slot (`slot#…`, never a valid key): which key a unit bought was given.
 * A slot and its key are written in one transaction, so a slot has one key
 * and a key one slot, whatever runs twice.
 */

const activationsOf = (value: unknown): Record<string, Activation> => {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw new CorruptItem('licenses', 'activations', 'a map');
  const out: Record<string, Activation> = {};
  for (const [instanceId, a] of Object.entries(value as Record<string, unknown>)) {
    const entry = a as Record<string, unknown>;
    if (typeof entry?.activationId !== 'string' || typeof entry.at !== 'string') throw new CorruptItem('licenses', 'activations', 'activations');
    out[instanceId] = { activationId: entry.activationId, at: entry.at };
  }
  return out;
};

export const toLicense = (item: Item | undefined): License | undefined => {
  if (!item || typeof item.key !== 'string' || item.key.startsWith('slot#')) return undefined;
  const read = itemReader('licenses', item);
  return {
    key: read.string('key'),
    productId: read.string('productId'),
    productName: read.optionalString('productName'),
    source: read.oneOf('source', LICENSE_MODES),
    status: read.oneOf('status', LICENSE_STATUSES),
    statusAt: read.optionalString('statusAt') ?? '',
    invoiceId: read.optionalString('invoiceId'),
    customerId: read.optionalString('customerId'),
    activationLimit: read.number('activationLimit', 0),
    activations: activationsOf(read.raw('activations')),
    importedAt: read.optionalString('importedAt'),
    assignedAt: read.optionalString('assignedAt'),
    lastValidatedAt: read.optionalString('lastValidatedAt'),
  };
};

const eventOf = (event: LicenseEvent): Record<string, unknown> => Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined && v !== null));

/** What a sale writes onto a key: owner, state, the product's limit, the listing key. */
const saleValues = (slot: LicenseSlot, key: string) => ({
  ':status': slot.status,
  ':statusAt': slot.statusAt,
  ':invoiceId': slot.invoiceId,
  ':customerId': slot.customerId,
  ':productName': slot.productName ?? slot.productId,
  ':limit': slot.activationLimit,
  ':now': slot.now,
  ':listKey': `${slot.now}#${key}`,
  ':event': eventOf({ kind: 'assigned', at: slot.now }),
});

const slotItem = (slot: LicenseSlot, key: string) => ({
  key: slot.slotId,
  licenseKey: key,
  invoiceId: slot.invoiceId,
  productId: slot.productId,
  unit: slot.unit,
  createdAt: slot.now,
});

const cancellationOf = (error: unknown): ('ok' | 'failed')[] | undefined => {
  const reasons = cancellationReasons(error);
  if (!reasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return undefined;
  return reasons.map((r) => (r.Code === 'ConditionalCheckFailed' ? 'failed' : 'ok'));
};

const CUSTOMER_CURSOR = ['listKey', 'key'] as const;
const POOL_CURSOR = ['poolKey', 'key'] as const;
/** Rounds of "query the pool, try its first candidates" before a pool that keeps losing races is called dry. */
const POOL_ROUNDS = 20;
const POOL_CANDIDATES = 10;

export class DynamoLicenseStore implements LicenseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async assignedKeys(slotIds: string[]) {
    const items = await batchGet(this.db, this.table, 'key', slotIds);
    return new Map(items.flatMap((i) => (typeof i.licenseKey === 'string' ? [[String(i.key), i.licenseKey] as const] : [])));
  }

  private async slotKey(slotId: string): Promise<string | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { key: slotId }, ConsistentRead: true }));
    return typeof out.Item?.licenseKey === 'string' ? out.Item.licenseKey : undefined;
  }

  async assignGenerated(slot: LicenseSlot, key: string) {
    const values = saleValues(slot, key);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  key,
                  productId: slot.productId,
                  productName: values[':productName'],
                  source: 'generated',
                  status: slot.status,
                  statusAt: slot.statusAt,
                  invoiceId: slot.invoiceId,
                  customerId: slot.customerId,
                  activationLimit: slot.activationLimit,
                  activations: {},
                  activationCount: 0,
                  assignedAt: slot.now,
                  listKey: values[':listKey'],
                  rev: 1,
                  lastEvent: values[':event'],
                },
                ConditionExpression: 'attribute_not_exists(#key)',
                ExpressionAttributeNames: { '#key': 'key' },
              },
            },
            this.slotPut(slot, key),
          ],
        }),
      );
      return key;
    } catch (error) {
      const reasons = cancellationOf(error);
      if (reasons?.[1] !== 'failed') throw error;
      // Someone else gave this slot its key first: that one it is.
      const existing = await this.slotKey(slot.slotId);
      if (!existing) throw error;
      return existing;
    }
  }

  /** The unit's slot, naming its key: written once, in the same transaction as the key it names. */
  private slotPut(slot: LicenseSlot, key: string) {
    return {
      Put: { TableName: this.table, Item: slotItem(slot, key), ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': 'key' } },
    };
  }

  async assignFromPool(slot: LicenseSlot) {
    for (let round = 0; round < POOL_ROUNDS; round++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byPool',
          KeyConditionExpression: 'poolProductId = :p AND begins_with(poolKey, :available)',
          ExpressionAttributeValues: { ':p': slot.productId, ':available': 'available#' },
          Limit: POOL_CANDIDATES,
        }),
      );
      const candidates = (out.Items ?? []).map((i) => String(i.key));
      if (candidates.length === 0) return (await this.slotKey(slot.slotId)) ?? undefined;
      for (const key of candidates) {
        const values = saleValues(slot, key);
        try {
          await this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: this.table,
                    Key: { key },
                    // The conditional write that takes the key: only an available key of this pool, once.
                    UpdateExpression:
                      'SET #status = :status, statusAt = :statusAt, invoiceId = :invoiceId, customerId = :customerId, productName = :productName, activationLimit = :limit, assignedAt = :now, listKey = :listKey, poolKey = :poolKey, lastEvent = :event ADD rev :one',
                    ConditionExpression: '#status = :available AND poolProductId = :p',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: {
                      ...values,
                      ':available': 'available',
                      ':p': slot.productId,
                      ':poolKey': `assigned#${slot.now}#${key}`,
                      ':one': 1,
                    },
                  },
                },
                this.slotPut(slot, key),
              ],
            }),
          );
          return key;
        } catch (error) {
          const reasons = cancellationOf(error);
          if (!reasons) throw error;
          if (reasons[1] === 'failed') {
            const existing = await this.slotKey(slot.slotId);
            if (existing) return existing;
          }
          // The candidate went to another slot meanwhile (the index lags the table): try the next one.
        }
      }
    }
    return (await this.slotKey(slot.slotId)) ?? undefined;
  }

  async get(key: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { key }, ConsistentRead: true }));
    return toLicense(out.Item);
  }

  async getMany(keys: string[]) {
    const items = await batchGet(this.db, this.table, 'key', keys);
    return items.flatMap((i) => {
      const license = toLicense(i);
      return license ? [license] : [];
    });
  }

  async applyPaymentState(key: string, status: 'active' | 'suspended' | 'revoked', stateKey: string) {
    await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { key },
        UpdateExpression: 'SET #status = :status, statusAt = :key, lastEvent = :event ADD rev :one',
        // Revocation (a refund) is final and beats any time; other states only move forward in time.
        ConditionExpression:
          status === 'revoked'
            ? 'attribute_exists(customerId) AND #status <> :revoked'
            : 'attribute_exists(customerId) AND statusAt < :key AND #status <> :revoked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':key': stateKey,
          ':revoked': 'revoked',
          ':one': 1,
          ':event': eventOf({ kind: 'payment', at: stateKey.split('#')[0] ?? stateKey, status }),
        },
      }),
    );
  }

  async importPool(productId: string, keys: string[], now: string) {
    const existing = await batchGet(this.db, this.table, 'key', keys);
    const conflicts = existing.filter((i) => i.poolProductId !== productId).map((i) => String(i.key));
    if (conflicts.length > 0) return { imported: 0, alreadyImported: 0, conflicts };
    const known = new Set(existing.map((i) => String(i.key)));
    let imported = 0;
    const raced: string[] = [];
    await inBatches(
      keys.filter((k) => !known.has(k)),
      8,
      async (key) => {
        const put = await conditionally(
          this.db,
          new PutCommand({
            TableName: this.table,
            Item: {
              key,
              productId,
              source: 'pool',
              status: 'available',
              activationLimit: 0,
              activations: {},
              activationCount: 0,
              importedAt: now,
              poolProductId: productId,
              poolKey: `available#${now}#${key}`,
              rev: 1,
              lastEvent: eventOf({ kind: 'imported', at: now }),
            },
            ConditionExpression: 'attribute_not_exists(#key)',
            ExpressionAttributeNames: { '#key': 'key' },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        if (put.ok) imported++;
        else if (put.old?.poolProductId !== productId) raced.push(key);
      },
    );
    return { imported, alreadyImported: keys.length - imported - raced.length, conflicts: raced };
  }

  async listPool(productId: string, status: 'available' | 'assigned', page: PageRequest): Promise<Page<License>> {
    const start = decodeCursor(page.cursor, POOL_CURSOR);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byPool',
        KeyConditionExpression: 'poolProductId = :p AND begins_with(poolKey, :status)',
        ExpressionAttributeValues: { ':p': productId, ':status': `${status}#` },
        // Available keys in the order they are handed out; assigned ones newest first.
        ScanIndexForward: status === 'available',
        Limit: page.limit,
        ExclusiveStartKey: start ? { ...start, poolProductId: productId } : undefined,
      }),
    );
    return { items: (out.Items ?? []).flatMap((i) => toLicense(i) ?? []), nextCursor: encodeCursor(out.LastEvaluatedKey, POOL_CURSOR) };
  }

  async countPool(productId: string) {
    const count = async (status: string) => {
      let total = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'byPool',
            KeyConditionExpression: 'poolProductId = :p AND begins_with(poolKey, :status)',
            ExpressionAttributeValues: { ':p': productId, ':status': `${status}#` },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        );
        total += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return total;
    };
    const [available, assigned] = await Promise.all([count('available'), count('assigned')]);
    return { available, assigned };
  }

  async listByCustomer(customerId: string, page: PageRequest): Promise<Page<License>> {
    const start = decodeCursor(page.cursor, CUSTOMER_CURSOR);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCustomer',
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': customerId },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: start ? { ...start, customerId } : undefined,
      }),
    );
    return { items: (out.Items ?? []).flatMap((i) => toLicense(i) ?? []), nextCursor: encodeCursor(out.LastEvaluatedKey, CUSTOMER_CURSOR) };
  }

  async activate(key: string, instanceId: string, activationId: string, meta: LicenseActionMeta): Promise<ActivationResult> {
    const result = await conditionally<{ Attributes?: Item }>(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { key },
        UpdateExpression: 'SET activations.#instance = :activation, lastEvent = :event ADD activationCount :one, rev :one',
        // The one write that decides the seat: sold, active, this instance not yet seated, a seat free.
        ConditionExpression:
          'attribute_exists(customerId) AND #status = :active AND attribute_not_exists(activations.#instance) AND (activationLimit = :zero OR activationCount < activationLimit) AND activationCount < :cap',
        ExpressionAttributeNames: { '#status': 'status', '#instance': instanceId },
        ExpressionAttributeValues: {
          ':activation': { activationId, at: meta.now },
          ':active': 'active',
          ':zero': 0,
          ':one': 1,
          ':cap': MAX_ACTIVATIONS_PER_KEY,
          ':event': eventOf({ kind: 'activated', at: meta.now, instanceId, ip: meta.requester?.ip, userAgent: meta.requester?.userAgent }),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    if (result.ok) return { outcome: 'activated', license: toLicense(result.out.Attributes) as License };
    const license = toLicense(result.old);
    // The same instance again: its seat, as it was (the write changed nothing).
    if (license?.status === 'active' && license.customerId && Object.hasOwn(license.activations, instanceId)) return { outcome: 'already-active', license };
    return { outcome: 'refused', license };
  }

  /** One conditional write on a sold key: an unknown key costs this one request, and the item is never created. */
  private async soldUpdate(key: string, input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key' | 'ReturnValues'>) {
    const result = await conditionally<{ Attributes?: Item }>(
      this.db,
      new UpdateCommand({ TableName: this.table, Key: { key }, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ...input }),
    );
    return result.ok ? toLicense(result.out.Attributes) : result.old?.customerId ? toLicense(result.old) : undefined;
  }

  async recordValidation(key: string, instanceId: string | null, meta: LicenseActionMeta) {
    return this.soldUpdate(key, {
      UpdateExpression: 'SET lastValidatedAt = :now, lastEvent = :event ADD rev :one, validationCount :one',
      ConditionExpression: 'attribute_exists(customerId)',
      ExpressionAttributeValues: {
        ':now': meta.now,
        ':one': 1,
        ':event': eventOf({ kind: 'validated', at: meta.now, instanceId, ip: meta.requester?.ip, userAgent: meta.requester?.userAgent }),
      },
    });
  }

  async deactivate(key: string, instanceId: string, meta: LicenseActionMeta) {
    return this.soldUpdate(key, {
      UpdateExpression: 'REMOVE activations.#instance SET lastEvent = :event ADD activationCount :minus, rev :one',
      // Nothing to free is an answer too (the old item comes back): the seat is free either way.
      ConditionExpression: 'attribute_exists(customerId) AND attribute_exists(activations.#instance)',
      ExpressionAttributeNames: { '#instance': instanceId },
      ExpressionAttributeValues: {
        ':minus': -1,
        ':one': 1,
        ':event': eventOf({ kind: 'deactivated', at: meta.now, instanceId, ip: meta.requester?.ip, userAgent: meta.requester?.userAgent }),
      },
    });
  }

  async resetActivations(key: string, meta: LicenseActionMeta) {
    return this.soldUpdate(key, {
      UpdateExpression: 'SET activations = :none, activationCount = :zero, lastEvent = :event ADD rev :one',
      ConditionExpression: 'attribute_exists(customerId)',
      ExpressionAttributeValues: { ':none': {}, ':zero': 0, ':one': 1, ':event': eventOf({ kind: 'reset', at: meta.now, actor: meta.actor }) },
    });
  }

  async revoke(key: string, meta: LicenseActionMeta) {
    return this.soldUpdate(key, {
      UpdateExpression: 'SET #status = :revoked, statusAt = :now, lastEvent = :event ADD rev :one',
      ConditionExpression: 'attribute_exists(customerId)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':revoked': 'revoked',
        ':now': meta.now,
        ':one': 1,
        ':event': eventOf({ kind: 'revoked', at: meta.now, actor: meta.actor }),
      },
    });
  }
}

const DAY_SECONDS = 86_400;

/** The license log table: one partition per key, newest first, expired by TTL after the retention period. */
export class DynamoLicenseLog implements LicenseLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays: number,
  ) {}

  async record(entries: LicenseLogEntry[]) {
    const unique = [...new Map(entries.map((e) => [`${e.key}|${e.entryKey}`, e])).values()];
    for (const batch of chunk(unique, 25)) {
      let requests: Record<string, unknown>[] = batch.map((entry) => ({
        PutRequest: { Item: { ...entry, expiresAtEpoch: Math.floor(Date.parse(entry.at) / 1000) + this.retentionDays * DAY_SECONDS } },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error('BatchWriteItem kept returning unprocessed items');
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } }));
        requests = (out.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
      }
    }
  }

  async list(key: string, page: PageRequest) {
    const start = decodeCursor(page.cursor, ['entryKey']);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#key = :key',
        ExpressionAttributeNames: { '#key': 'key' },
        ExpressionAttributeValues: { ':key': key },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: start ? { ...start, key } : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map(({ expiresAtEpoch: _ttl, ...entry }) => entry as LicenseLogEntry),
      nextCursor: encodeCursor(out.LastEvaluatedKey, ['entryKey']),
    };
  }
}
