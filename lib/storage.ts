import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TABLES, type TableDefinition, type TableName } from '../adapters/dynamo/tables';
import type { ResourceNames } from './names';

/** Clock skew a presigned download is allowed beyond its own lifetime before the bucket refuses it. */
export const PRESIGNED_URL_SKEW_SECONDS = 60;

/** The oldest signature (ms, as `s3:signatureAge` counts) the files bucket accepts for a download of a URL living `ttlSeconds`. */
export const maxSignatureAgeMs = (ttlSeconds: number): number => (ttlSeconds + PRESIGNED_URL_SKEW_SECONDS) * 1000;

/**
 * What every table stream carries. Changing it replaces the stream (a new ARN),
 * so the stream consumers' event source mappings are named after it (see
 * DataBinding) and follow in the same deploy.
 */
export const STREAM_VIEW_TYPE = dynamodb.StreamViewType.NEW_AND_OLD_IMAGES;

export interface StorageProps {
  readonly names: ResourceNames;
  /** Life of the presigned download URLs the functions issue (the `presignedUrlTtlSeconds` setting). */
  readonly presignedUrlTtlSeconds: number;
}

/** Every key attribute of the app is a string (ids, `listKey`, `entryKey`). */
const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

const pascal = (name: string) => `${name[0]?.toUpperCase()}${name.slice(1)}`;

/**
 * The data: the tables (built from `TABLES`, the same definitions the local
 * runtime uses), the files bucket and the link-signing key. It guarantees
 * that none of them is ever deleted or replaced by a deploy: RETAIN, deletion
 * protection, point-in-time recovery, versioning, and fixed names (a change
 * that would replace a named resource fails instead). The files bucket serves
 * a presigned download only within its lifetime plus a minute, however long
 * the URL claims to live.
 */
export class Storage extends Construct {
  readonly tables: Readonly<Record<TableName, dynamodb.Table>>;
  readonly filesBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly signingKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { names } = props;

    const entries = Object.entries(TABLES) as [TableName, TableDefinition][];
    this.tables = Object.fromEntries(entries.map(([name, definition]) => [name, this.table(names.table(name), name, definition)])) as Record<
      TableName,
      dynamodb.Table
    >;

    // The only record of what was actually fetched with a presigned URL (the app sees the redemption, not the transfer).
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Server access log delivery writes only to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop, and into another bucket would only move the finding.',
    });

    this.filesBucket = new s3.Bucket(this, 'FilesBucket', {
      bucketName: names.filesBucket,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'files-bucket/',
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(90) },
      ],
      // Browsers upload straight to presigned URLs (multipart reads each part's ETag) and fetch presigned downloads.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET],
          allowedOrigins: ['*'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });

    // A URL that leaked (a log, a shared link) stops working soon after its lifetime, even if it was signed to live
    // longer; the functions' own header-signed requests are always seconds old. Uploads are not concerned: their
    // URLs live longer (UPLOAD_URL_TTL_SECONDS) and are PUTs.
    this.filesBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyStalePresignedDownloads',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [this.filesBucket.arnForObjects('*')],
        conditions: { NumericGreaterThan: { 's3:signatureAge': maxSignatureAgeMs(props.presignedUrlTtlSeconds) } },
      }),
    );

    this.signingKey = new secretsmanager.Secret(this, 'SigningKey', {
      secretName: names.signingKeySecret,
      description: 'Digital downloads: HMAC keys that sign download-link tokens. currentKid names the signing key; every other kN still verifies.',
      // Changing this template makes Secrets Manager generate a new key set: every link ever issued would stop working.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ currentKid: 'k1' }),
        generateStringKey: 'k1',
        passwordLength: 64,
        excludePunctuation: true,
      },
      // Losing the key would invalidate every link ever issued.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.signingKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation is an operator step, not a rotation Lambda: add kN+1 and point currentKid at it; tokens signed with older keys keep verifying while those keys stay in the secret, so issued links never break. Automatic rotation would need the same two-step and is not part of v1.',
    });

    new CfnOutput(scope, 'FilesBucketName', { value: this.filesBucket.bucketName, description: 'The files bucket (uploads, imports)' });
    new CfnOutput(scope, 'SigningKeySecretArn', { value: this.signingKey.secretArn, description: 'The link-signing key set (rotation: README)' });
  }

  private table(tableName: string, name: TableName, definition: TableDefinition): dynamodb.Table {
    const table = new dynamodb.Table(this, `${pascal(name)}Table`, {
      tableName,
      partitionKey: stringKey(definition.partitionKey),
      sortKey: definition.sortKey ? stringKey(definition.sortKey) : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: definition.stream ? STREAM_VIEW_TYPE : undefined,
      timeToLiveAttribute: definition.timeToLiveAttribute,
    });
    for (const [indexName, index] of Object.entries(definition.indexes ?? {})) {
      table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        ...(index.include
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : { projectionType: dynamodb.ProjectionType.ALL }),
      });
    }
    return table;
  }
}
