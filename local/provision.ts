import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListBucketsCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { TABLES, type TableDefinition, type TableName } from '../adapters/dynamo/tables';
import { serializeKeySet } from '../adapters/aws/signing-keys';
import { newSigningSecret } from '../core/token';
import type { LocalSecrets } from './aws/secrets';

/**
 * Local physical names of the tables, e.g. `dd-links`. `LOCAL_TABLE_PREFIX` (default `dd-`) lets several runtimes
 * share one DynamoDB given by `DYNAMODB_ENDPOINT`, each with tables of its own (the test suites do).
 */
export const localTableName = (name: TableName) => `${process.env.LOCAL_TABLE_PREFIX || 'dd-'}${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

const createInput = (name: string, def: TableDefinition): CreateTableCommandInput => {
  const attributes = new Set<string>([def.partitionKey, ...(def.sortKey ? [def.sortKey] : [])]);
  for (const index of Object.values(def.indexes ?? {})) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  const indexes = Object.entries(def.indexes ?? {});
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: def.partitionKey, KeyType: 'HASH' }, ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' as const }] : [])],
    GlobalSecondaryIndexes: indexes.length
      ? indexes.map(([indexName, index]) => ({
          IndexName: indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: projectionOf(index),
        }))
      : undefined,
    StreamSpecification: def.stream ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
  };
};

/**
 * A DATA_DIR made before an index existed gets it added (DynamoDB fills it
 * from the items already there), so an upgrade needs no reset.
 */
const projectionOf = (index: { include?: readonly string[] }) =>
  index.include ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] } : { ProjectionType: 'ALL' as const };

const addMissingIndexes = async (db: DynamoDBClient, name: string, def: TableDefinition, existing: Set<string>) => {
  for (const [indexName, index] of Object.entries(def.indexes ?? {})) {
    if (existing.has(indexName)) continue;
    await db.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: indexName,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
              Projection: projectionOf(index),
            },
          },
        ],
      }),
    );
    for (let polls = 0; polls < 600; polls++) {
      const { Table } = await db.send(new DescribeTableCommand({ TableName: name }));
      if (Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName)?.IndexStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

/** Creates the tables that are missing, from the same definitions the CDK app deploys, and the indexes missing from older ones. */
export const ensureTables = async (db: DynamoDBClient): Promise<Record<TableName, string>> => {
  const names = {} as Record<TableName, string>;
  for (const [key, def] of Object.entries(TABLES) as [TableName, TableDefinition][]) {
    const name = localTableName(key);
    names[key] = name;
    try {
      const { Table } = await db.send(new DescribeTableCommand({ TableName: name }));
      await addMissingIndexes(db, name, def, new Set((Table?.GlobalSecondaryIndexes ?? []).flatMap((i) => (i.IndexName ? [i.IndexName] : []))));
      // A table whose definition gained a stream (the link log, for the dashboard) gets it: its consumer reads from then on.
      if (def.stream && !Table?.StreamSpecification?.StreamEnabled)
        await db.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
      continue;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    await db.send(new CreateTableCommand(createInput(name, def)));
    if (def.timeToLiveAttribute) {
      await db
        .send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: def.timeToLiveAttribute } }))
        .catch(() => undefined); // engines without TTL keep the items; nothing else depends on it
    }
  }
  return names;
};

/**
 * The files bucket and its CORS, set at every start (browsers upload with presigned PUTs, multipart reads each
 * part's ETag, as lib/storage.ts allows in AWS). ListBuckets rather than HeadBucket: every S3-compatible engine
 * answers it the same way.
 */
export const ensureBucket = async (s3: S3Client, bucket: string) => {
  const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
  if (!Buckets.some((b) => b.Name === bucket)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 }],
      },
    }),
  );
};

export const SIGNING_SECRET_NAME = 'digital-downloads/link-signing-keys';

/** The link-signing key set, created on first start like the CDK app's generated secret. */
/** Where the generated WooCommerce webhook secret is kept locally (unless WOOCOMMERCE_WEBHOOK_SECRET gives one). */
export const WOOCOMMERCE_SECRET_NAME = 'digital-downloads/woocommerce-webhook-secret';

/** The WooCommerce webhook secret, kept in the local Secrets Manager: the environment's, or one generated once per DATA_DIR (printed at start). */
export const ensureWooCommerceSecret = (secrets: LocalSecrets): string => {
  const given = process.env.WOOCOMMERCE_WEBHOOK_SECRET;
  if (given && secrets.get(WOOCOMMERCE_SECRET_NAME) !== given) secrets.put(WOOCOMMERCE_SECRET_NAME, given);
  if (!secrets.get(WOOCOMMERCE_SECRET_NAME)) secrets.put(WOOCOMMERCE_SECRET_NAME, newSigningSecret());
  return secrets.get(WOOCOMMERCE_SECRET_NAME) as string;
};

export const ensureSigningKeys = (secrets: LocalSecrets) => {
  if (!secrets.get(SIGNING_SECRET_NAME)) secrets.put(SIGNING_SECRET_NAME, serializeKeySet({ currentKid: 'k1', keys: { k1: newSigningSecret() } }));
};

export const LICENSE_KEY_SECRET_NAME = 'digital-downloads/license-certificate-keys';

/** The license-certificate keyring (the link keyring's format: each kid's secret seeds an Ed25519 key), created on first start. */
export const ensureLicenseKeys = (secrets: LocalSecrets) => {
  if (!secrets.get(LICENSE_KEY_SECRET_NAME)) secrets.put(LICENSE_KEY_SECRET_NAME, serializeKeySet({ currentKid: 'k1', keys: { k1: newSigningSecret() } }));
};
