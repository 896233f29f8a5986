import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredFile } from '../../core/file';
import type { CatalogStore, PageRequest } from '../../core/ports';
import type { DigitalProduct } from '../../core/product';
import { batchGet, conditionally } from './client';
import { decodeCursor, encodeCursor } from '../cursor';

/** Products and files: the admin-side catalog, read by payment handling to plan links. */
export class DynamoCatalogStore implements CatalogStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { products: string; files: string },
  ) {}

  async getProduct(productId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.tables.products, Key: { productId }, ConsistentRead: true }));
    return out.Item as DigitalProduct | undefined;
  }

  async getProducts(productIds: string[]) {
    return (await batchGet(this.db, this.tables.products, 'productId', productIds)) as unknown as DigitalProduct[];
  }

  async putProduct(product: DigitalProduct) {
    await this.db.send(new PutCommand({ TableName: this.tables.products, Item: product }));
  }

  async listProducts(page: PageRequest) {
    const start = decodeCursor(page.cursor, ['productId']);
    const out = await this.db.send(new ScanCommand({ TableName: this.tables.products, Limit: page.limit, ExclusiveStartKey: start }));
    const items = ((out.Items ?? []) as DigitalProduct[]).sort((a, b) => a.productId.localeCompare(b.productId));
    return { items, nextCursor: encodeCursor(out.LastEvaluatedKey, ['productId']) };
  }

  async getFile(fileId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.tables.files, Key: { fileId }, ConsistentRead: true }));
    return out.Item as StoredFile | undefined;
  }

  async getFiles(fileIds: string[]) {
    return (await batchGet(this.db, this.tables.files, 'fileId', fileIds)) as unknown as StoredFile[];
  }

  async putFile(file: StoredFile) {
    await this.db.send(new PutCommand({ TableName: this.tables.files, Item: file, ConditionExpression: 'attribute_not_exists(fileId)' }));
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
