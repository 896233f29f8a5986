import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Link, LinkStatus } from '../../core/link';
import type { ExpiredCopy, LinkStore, Page, PageRequest, Requester } from '../../core/ports';
import type { UpdateTarget } from '../../core/product-update';
import { inBatches } from '../../core/concurrency';
import { batchGet, cancellationReasons, conditionally } from './client';
import { itemReader } from './items';
import { redeemRequest, toItem, toLink } from './link-items';
import { chunk } from '../../core/concurrency';
import { decodeCursor, encodeCursor } from '../cursor';

export { toLink } from './link-items';

const LIST_CURSOR = ['listKey', 'id'] as const;
const PRODUCT_CURSOR = ['customerId', 'id'] as const;
const COPY_EXPIRY_CURSOR = ['expiresAt', 'id'] as const;
/** The one partition of the sparse `byCopyExpiry` index: set on a link when its stamped copy is made, removed when its copies are. */
export const COPY_EXPIRY_PARTITION = 'stamped';
const TRANSACTION_SIZE = 100;

export class DynamoLinkStore implements LinkStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async redeem(linkId: string, customerId: string, now: string, requester: Requester) {
    const result = await conditionally<{ Attributes?: Record<string, unknown> }>(
      this.db,
      new UpdateCommand(redeemRequest(this.table, linkId, customerId, now, requester)),
    );
    if (!result.ok) return { served: false as const, link: toLink(result.old) };
    const link = toLink(result.out.Attributes);
    if (!link) throw new Error('DynamoDB served a download without returning the link');
    return { served: true as const, link };
  }

  async createMissing(links: Link[]): Promise<number> {
    let written = 0;
    await inBatches(chunk(links, TRANSACTION_SIZE), 4, async (batch) => {
      const count = await this.createBatch(batch); // not `written += await …`: that reads `written` before the await
      written += count;
    });
    return written;
  }

  /** One transaction for a fresh batch; if some links already exist (a replay), each is written on its own, conditionally. */
  private async createBatch(batch: Link[]): Promise<number> {
    const put = (link: Link) => ({ TableName: this.table, Item: toItem(link), ConditionExpression: 'attribute_not_exists(id)' });
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: batch.map((link) => ({ Put: put(link) })) }));
      return batch.length;
    } catch (error) {
      if (!cancellationReasons(error)?.some((r) => r.Code === 'ConditionalCheckFailed')) throw error;
    }
    let written = 0;
    for (const link of batch) if ((await conditionally(this.db, new PutCommand(put(link)))).ok) written++;
    return written;
  }

  async get(linkId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { id: linkId }, ConsistentRead: true }));
    return toLink(out.Item);
  }

  async getMany(linkIds: string[]) {
    return (await batchGet(this.db, this.table, 'id', linkIds)).map((item) => toLink(item) as Link);
  }

  listByCustomer(customerId: string, page: PageRequest) {
    return this.list('byCustomer', 'customerId', customerId, page);
  }

  listByInvoice(invoiceId: string, page: PageRequest) {
    return this.list('byInvoice', 'invoiceId', invoiceId, page);
  }

  async listByProduct(productId: string, page: PageRequest & { customerId?: string | undefined }): Promise<Page<Link>> {
    const start = decodeCursor(page.cursor, PRODUCT_CURSOR);
    const one = page.customerId !== undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byProduct',
        KeyConditionExpression: one ? 'productId = :pk AND customerId = :customer' : 'productId = :pk',
        ExpressionAttributeValues: { ':pk': productId, ...(one ? { ':customer': page.customerId } : {}) },
        Limit: page.limit,
        // A forged cursor names a key inside this product's partition only (and, for one customer, theirs).
        ExclusiveStartKey: start ? { ...start, productId, ...(one ? { customerId: page.customerId } : {}) } : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => toLink(item) as Link),
      nextCursor: encodeCursor(out.LastEvaluatedKey, PRODUCT_CURSOR),
    };
  }

  async repoint(linkId: string, change: { from: string; to: UpdateTarget; updateId: string; at: string }) {
    const result = await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id: linkId },
        UpdateExpression:
          'SET fileId = :fileId, fileName = :fileName, contentType = :contentType, objectKey = :objectKey, ' +
          'fileVersion = if_not_exists(fileVersion, :one) + :one, updatedAt = :at, updateId = :updateId',
        // The old file still in place is what makes a re-run change nothing: the version goes up once.
        ConditionExpression: 'attribute_exists(id) AND fileId = :from AND #status <> :revoked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':fileId': change.to.fileId,
          ':fileName': change.to.fileName,
          ':contentType': change.to.contentType,
          ':objectKey': change.to.objectKey,
          ':one': 1,
          ':at': change.at,
          ':updateId': change.updateId,
          ':from': change.from,
          ':revoked': 'revoked',
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    if (result.ok) return 'repointed' as const;
    return result.old?.updateId === change.updateId ? ('already' as const) : ('skipped' as const);
  }

  async settleCopy(linkId: string, copy: { copyKey: string; fileVersion: number; outcome: 'stamped' | 'original' }) {
    const result = await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id: linkId },
        // A made copy puts the link in the sweep's index (it is there only while it also has an expiry, the index's sort key).
        UpdateExpression:
          copy.outcome === 'stamped' ? 'SET copyVersion = :version, copyExpiryPartition = :partition REMOVE copiesRemovedAt' : 'REMOVE stampText, copyVersion',
        ConditionExpression: 'copyKey = :key AND fileVersion = :version',
        ExpressionAttributeValues: {
          ':key': copy.copyKey,
          ':version': copy.fileVersion,
          ...(copy.outcome === 'stamped' ? { ':partition': COPY_EXPIRY_PARTITION } : {}),
        },
      }),
    );
    return result.ok;
  }

  async listExpiredCopies(before: string, page: PageRequest): Promise<Page<ExpiredCopy>> {
    const start = decodeCursor(page.cursor, COPY_EXPIRY_CURSOR);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCopyExpiry',
        KeyConditionExpression: 'copyExpiryPartition = :pk AND expiresAt < :before',
        ExpressionAttributeValues: { ':pk': COPY_EXPIRY_PARTITION, ':before': before },
        Limit: page.limit,
        ExclusiveStartKey: start ? { ...start, copyExpiryPartition: COPY_EXPIRY_PARTITION } : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => {
        const read = itemReader('links', item);
        return { id: read.string('id'), copyKey: read.string('copyKey'), fileVersion: read.number('fileVersion', 1), expiresAt: read.string('expiresAt') };
      }),
      nextCursor: encodeCursor(out.LastEvaluatedKey, COPY_EXPIRY_CURSOR),
    };
  }

  async markCopiesRemoved(linkId: string, copy: { copyKey: string; fileVersion: number; at: string }) {
    const result = await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id: linkId },
        UpdateExpression: 'SET copiesRemovedAt = :at REMOVE copyVersion, copyExpiryPartition',
        ConditionExpression: 'copyKey = :key AND fileVersion = :version',
        ExpressionAttributeValues: { ':key': copy.copyKey, ':version': copy.fileVersion, ':at': copy.at },
      }),
    );
    return result.ok;
  }

  private async list(index: string, partitionKey: string, value: string, page: PageRequest): Promise<Page<Link>> {
    const start = decodeCursor(page.cursor, LIST_CURSOR);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey },
        ExpressionAttributeValues: { ':pk': value },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: start ? { ...start, [partitionKey]: value } : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => toLink(item) as Link),
      nextCursor: encodeCursor(out.LastEvaluatedKey, LIST_CURSOR),
    };
  }

  async reset(linkId: string, change: { resetCount: boolean; expiresAt?: string | null | undefined }) {
    const sets: string[] = [];
    const values: Record<string, unknown> = {};
    let remove = '';
    if (change.resetCount) {
      sets.push('downloadCount = :zero');
      values[':zero'] = 0;
    }
    if (change.expiresAt === null) remove = ' REMOVE expiresAt';
    else if (change.expiresAt !== undefined) {
      sets.push('expiresAt = :expiresAt');
      values[':expiresAt'] = change.expiresAt;
    }
    if (sets.length === 0 && !remove) return this.get(linkId);
    return this.updateExisting(linkId, `${sets.length ? `SET ${sets.join(', ')}` : ''}${remove}`, values);
  }

  async revoke(linkId: string, meta: { at: string; reason: string; hide: boolean }) {
    return this.updateExisting(
      linkId,
      `SET #status = :revoked, revokedAt = :at, revokedReason = :reason${meta.hide ? ' REMOVE listKey' : ''}`,
      { ':revoked': 'revoked', ':at': meta.at, ':reason': meta.reason },
      { '#status': 'status' },
    );
  }

  async flagShared(linkId: string, flag: { at: string; networks: number; suspend: boolean }) {
    const result = await conditionally<{ Attributes?: Record<string, unknown> }>(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id: linkId },
        UpdateExpression: `SET flaggedAt = :at, flaggedNetworks = :networks${flag.suspend ? ', sharingSuspendedAt = :at' : ''}`,
        // Once: the dashboard and LinkFlagged both follow flaggedAt going from absent to present. A reset after
        // the crossing (a replayed stream record) does not bring the flag back.
        ConditionExpression: 'attribute_exists(id) AND attribute_not_exists(flaggedAt) AND (attribute_not_exists(sharingResetAt) OR sharingResetAt < :at)',
        ExpressionAttributeValues: { ':at': flag.at, ':networks': flag.networks },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    if (result.ok) return toLink(result.out.Attributes);
    const old = toLink(result.old);
    return old?.flaggedAt ? old : undefined;
  }

  async clearSharingFlag(linkId: string, change: { flaggedAt: string; at: string }) {
    const result = await conditionally<{ Attributes?: Record<string, unknown> }>(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id: linkId },
        UpdateExpression: 'SET sharingResetAt = :at REMOVE flaggedAt, flaggedNetworks, sharingSuspendedAt',
        ConditionExpression: 'flaggedAt = :flaggedAt',
        ExpressionAttributeValues: { ':at': change.at, ':flaggedAt': change.flaggedAt },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return result.ok ? toLink(result.out.Attributes) : toLink(result.old);
  }

  private async updateExisting(linkId: string, expression: string, values: Record<string, unknown>, names?: Record<string, string>) {
    const result = await conditionally<{ Attributes?: Record<string, unknown> }>(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id: linkId },
        UpdateExpression: expression.trim(),
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.ok ? toLink(result.out.Attributes) : undefined;
  }

  async applyPaymentState(linkId: string, status: LinkStatus, stateKey: string) {
    await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id: linkId },
        UpdateExpression: 'SET #status = :status, statusAt = :key',
        // Revocation (a refund) is final and beats any time; other states only move forward in time.
        ConditionExpression:
          status === 'revoked' ? 'attribute_exists(id) AND #status <> :revoked' : 'attribute_exists(id) AND statusAt < :key AND #status <> :revoked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':key': stateKey, ':revoked': 'revoked' },
      }),
    );
  }
}
