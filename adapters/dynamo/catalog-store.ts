import { GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredFile } from '../../core/file';
import type { CatalogStore, ExternalIdChanges, Page, PageRequest } from '../../core/ports';
import { compareSortKeys, externalIdTaken, matchesFilter, productSortKey, type DigitalProduct, type ProductFilter } from '../../core/product';
import { batchGet, cancellationReasons, conditionally, isConditionFailure } from './client';
import { decodeCursor, encodeCursor } from '../cursor';

/** The file library's index (`TABLES.files.indexes.byCreated`): one constant partition, `listKey` = `<createdAt>#<fileId>`. */
const LIBRARY = { index: 'byCreated', partition: 'files' } as const;
const FILE_CURSOR = ['listKey', 'fileId'] as const;
const PRODUCT_CURSOR = ['sortName', 'productId'] as const;
/** A name search reads at most this many index pages per request, then hands back a cursor. */
const MAX_SEARCH_READS = 10;

/** Products written before versions, archiving and external ids existed read as version 0, on sale, named by none. */
const toProduct = (item: Record<string, unknown>): DigitalProduct => {
  const { version, archivedAt, externalIds, licenseKeys, stamping, suspendOnSharing, ...rest } = item as Partial<DigitalProduct>;
  return {
    ...(rest as DigitalProduct),
    externalIds: Array.isArray(externalIds) ? externalIds : [],
    version: typeof version === 'number' ? version : 0,
    archivedAt: archivedAt ?? null,
    // Products written before license keys existed have none.
    stamping: stamping ?? null,
    // Products written before sharing signals existed only flag shared links.
    suspendOnSharing: suspendOnSharing === true,
    licenseKeys: licenseKeys && typeof licenseKeys === 'object' ? { mode: licenseKeys.mode, activationLimit: Number(licenseKeys.activationLimit) } : null,
  };
};

/** The index attributes ride along with the file, out of the domain's sight. */
const toFileItem = (file: StoredFile) => ({
  ...file,
  listPartition: LIBRARY.partition,
  listKey: `${file.createdAt}#${file.fileId}`,
  nameKey: file.fileName.toLowerCase(),
});

const toFile = (item: Record<string, unknown>): StoredFile => {
  const { listPartition: _p, listKey: _k, nameKey: _n, ...file } = item;
  return file as unknown as StoredFile;
};

/** Products and files: the admin-side catalog, read by payment handling to plan links. */
export class DynamoCatalogStore implements CatalogStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { products: string; files: string; externalIds: string },
  ) {}

  async getProduct(productId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.tables.products, Key: { productId }, ConsistentRead: true }));
    return out.Item ? toProduct(out.Item) : undefined;
  }

  async getProducts(productIds: string[]) {
    return (await batchGet(this.db, this.tables.products, 'productId', productIds)).map(toProduct);
  }

  async saveProduct(product: DigitalProduct, expected: 'absent' | { version: number }, externalIds?: ExternalIdChanges) {
    const condition =
      expected === 'absent'
        ? { ConditionExpression: 'attribute_not_exists(productId)' }
        : expected.version === 0
          ? { ConditionExpression: 'attribute_exists(productId) AND attribute_not_exists(#version)', ExpressionAttributeNames: { '#version': 'version' } }
          : {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': expected.version },
            };
    if (externalIds) return this.saveWithClaims(product, condition, externalIds);
    try {
      await this.db.send(new PutCommand({ TableName: this.tables.products, Item: product, ...condition }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * The product and its external ids' claims (one item per id in the
   * externalIds table, `externalId` → `productId`) in one transaction: a
   * claim is taken only if free or already this product's, released only if
   * this product's, so an id never names two products.
   */
  private async saveWithClaims(
    product: DigitalProduct,
    condition: { ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> },
    changes: ExternalIdChanges,
  ): Promise<boolean> {
    const mine = { ':me': product.productId };
    const items = [
      { Put: { TableName: this.tables.products, Item: product, ...condition } },
      ...changes.claim.map((externalId) => ({
        Put: {
          TableName: this.tables.externalIds,
          Item: { externalId, productId: product.productId, claimedAt: product.updatedAt },
          ConditionExpression: 'attribute_not_exists(externalId) OR productId = :me',
          ExpressionAttributeValues: mine,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      })),
      ...changes.release.map((externalId) => ({
        Delete: {
          TableName: this.tables.externalIds,
          Key: { externalId },
          ConditionExpression: 'attribute_not_exists(externalId) OR productId = :me',
          ExpressionAttributeValues: mine,
        },
      })),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      const taken = reasons.findIndex((r, i) => i > 0 && i <= changes.claim.length && r.Code === 'ConditionalCheckFailed');
      const externalId = changes.claim[taken - 1];
      if (taken > 0 && externalId) {
        const old = reasons[taken]?.Item;
        throw externalIdTaken(externalId, old ? String(unmarshall(old).productId) : undefined);
      }
      throw error;
    }
  }

  async productsOfExternalIds(externalIds: string[]) {
    const claims = await batchGet(this.db, this.tables.externalIds, 'externalId', externalIds);
    return new Map(claims.map((claim) => [String(claim.externalId), String(claim.productId)]));
  }

  /**
   * One Scan of the whole products table, then filtered and sorted here: a
   * shop's digital products are hundreds, and DynamoDB cannot sort a Scan.
   */
  async listProducts(page: PageRequest & ProductFilter): Promise<Page<DigitalProduct>> {
    const after = decodeCursor(page.cursor, PRODUCT_CURSOR);
    const all: DigitalProduct[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new ScanCommand({ TableName: this.tables.products, ExclusiveStartKey: start }));
      all.push(...(out.Items ?? []).map(toProduct));
      start = out.LastEvaluatedKey;
    } while (start);
    const afterKey: [string, string] | undefined = after ? [after.sortName ?? '', after.productId ?? ''] : undefined;
    const sorted = all
      .filter((p) => matchesFilter(p, page))
      .map((p) => ({ p, key: productSortKey(p) }))
      .filter(({ key }) => !afterKey || compareSortKeys(key, afterKey) > 0)
      .sort((a, b) => compareSortKeys(a.key, b.key));
    const items = sorted.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(({ p }) => p),
      nextCursor: sorted.length > page.limit && last ? encodeCursor({ sortName: last.key[0], productId: last.key[1] }, PRODUCT_CURSOR) : null,
    };
  }

  async getFile(fileId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.tables.files, Key: { fileId }, ConsistentRead: true }));
    return out.Item ? toFile(out.Item) : undefined;
  }

  async getFiles(fileIds: string[]) {
    return (await batchGet(this.db, this.tables.files, 'fileId', fileIds)).map(toFile);
  }

  async listFiles(page: PageRequest & { q?: string | undefined }): Promise<Page<StoredFile>> {
    const q = page.q?.trim().toLowerCase();
    const from = decodeCursor(page.cursor, FILE_CURSOR);
    let start: Record<string, unknown> | undefined = from ? { ...from, listPartition: LIBRARY.partition } : undefined;
    const items: Record<string, unknown>[] = [];
    for (let reads = 0; reads < MAX_SEARCH_READS; reads++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tables.files,
          IndexName: LIBRARY.index,
          KeyConditionExpression: 'listPartition = :partition',
          ...(q ? { FilterExpression: 'contains(nameKey, :q)' } : {}),
          ExpressionAttributeValues: { ':partition': LIBRARY.partition, ...(q ? { ':q': q } : {}) },
          ScanIndexForward: false,
          // Without a search, exactly what the page needs; with one, enough to find matches in few reads.
          Limit: q ? Math.max(100, page.limit) : page.limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      const found = out.Items ?? [];
      const room = page.limit - items.length;
      items.push(...found.slice(0, room));
      start = out.LastEvaluatedKey;
      if (found.length > room) {
        const last = items.at(-1);
        return { items: items.map(toFile), nextCursor: encodeCursor(last, FILE_CURSOR) };
      }
      if (!start || items.length >= page.limit) break;
    }
    return { items: items.map(toFile), nextCursor: encodeCursor(start, FILE_CURSOR) };
  }

  async putFile(file: StoredFile) {
    await this.db.send(new PutCommand({ TableName: this.tables.files, Item: toFileItem(file), ConditionExpression: 'attribute_not_exists(fileId)' }));
  }

  async completeFile(fileId: string, update: { size: number; contentType: string; completedAt: string }) {
    const result = await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.tables.files,
        Key: { fileId },
        UpdateExpression: 'SET #state = :ready, #size = :size, contentType = :type, completedAt = :at',
        ConditionExpression: '#state = :pending',
        ExpressionAttributeNames: { '#state': 'state', '#size': 'size' },
        ExpressionAttributeValues: { ':ready': 'ready', ':pending': 'pending', ':size': update.size, ':type': update.contentType, ':at': update.completedAt },
      }),
    );
    return result.ok;
  }
}
