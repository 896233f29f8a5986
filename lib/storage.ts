import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLES, type TableDefinition, type TableName } from '../adapters/dynamo/tables';

/**
 * The two ways a function may use the files bucket (no function deletes files):
 * - `presign-get`: s3:GetObject on objects, what a presigned download needs.
 * - `manage`: s3:GetObject, s3:PutObject and the multipart actions on objects,
 *   s3:ListBucket on the bucket (which also makes a missing key a 404, not a 403).
 */
export type FilesAccess = 'presign-get' | 'manage';

/** Clock skew a presigned download is allowed beyond its own lifetime before the bucket refuses it. */
export const PRESIGNED_URL_SKEW_SECONDS = 60;

/** The oldest signature (ms, as `s3:signatureAge` counts) the files bucket accepts for a download of a URL living `ttlSeconds`. */
export const maxSignatureAgeMs = (ttlSeconds: number): number => (ttlSeconds + PRESIGNED_URL_SKEW_SECONDS) * 1000;

export interface DigitalDownloadsDataProps extends StackProps {
  /** Life of the presigned download URLs the functions issue (the `presignedUrlTtlSeconds` setting). */
  readonly presignedUrlTtlSeconds: number;
}

/** The stateful resources the stateless stack binds its functions to. */
export interface StatefulResources {
  readonly tables: Readonly<Record<TableName, dynamodb.ITable>>;
  readonly filesBucket: s3.IBucket;
  readonly signingKey: secretsmanager.ISecret;
  /** Managed policies to attach for each kind of access to the files bucket. */
  readonly filesAccess: Readonly<Record<FilesAccess, iam.IManagedPolicy>>;
}

/** Every key attribute of the app is a string (ids, `listKey`, `entryKey`). */
const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

const buildTable = (scope: Construct, name: TableName, definition: TableDefinition): dynamodb.Table => {
  const table = new dynamodb.Table(scope, `${name[0]?.toUpperCase()}${name.slice(1)}Table`, {
    partitionKey: stringKey(definition.partitionKey),
    sortKey: definition.sortKey ? stringKey(definition.sortKey) : undefined,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    stream: definition.stream ? dynamodb.StreamViewType.NEW_AND_OLD_IMAGES : undefined,
    timeToLiveAttribute: definition.timeToLiveAttribute,
  });
  for (const [indexName, index] of Object.entries(definition.indexes ?? {})) {
    table.addGlobalSecondaryIndex({
      indexName,
      partitionKey: stringKey(index.partitionKey),
      sortKey: stringKey(index.sortKey),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
};

/**
 * The stateful stack: the tables (built from `TABLES`, the same definitions the
 * local runtime uses), the files bucket and the link-signing key. Everything
 * here survives a `cdk destroy`: RETAIN, deletion protection, point-in-time
 * recovery, versioning. The files bucket serves a presigned download only
 * within its lifetime plus a minute, however long the URL claims to live.
 */
export class DigitalDownloadsData extends Stack implements StatefulResources {
  readonly tables: Readonly<Record<TableName, dynamodb.Table>>;
  readonly filesBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly signingKey: secretsmanager.Secret;
  readonly filesAccess: Readonly<Record<FilesAccess, iam.ManagedPolicy>>;

  constructor(scope: Construct, id: string, props: DigitalDownloadsDataProps) {
    super(scope, id, props);

    const entries = Object.entries(TABLES) as [TableName, TableDefinition][];
    this.tables = Object.fromEntries(entries.map(([name, definition]) => [name, buildTable(this, name, definition)])) as Record<TableName, dynamodb.Table>;

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

    // Object access needs "bucket/*"; the policies live next to the bucket, so the wildcard is reviewed (and acknowledged) once, here.
    const objects = this.filesBucket.arnForObjects('*');
    this.filesAccess = {
      'presign-get': new iam.ManagedPolicy(this, 'FilesPresignGetPolicy', {
        description: 'Digital downloads: read file objects, to presign download URLs',
        statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] })],
      }),
      manage: new iam.ManagedPolicy(this, 'FilesManagePolicy', {
        description: 'Digital downloads: upload (single and multipart), inspect and list files; no delete',
        statements: [
          new iam.PolicyStatement({
            actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
            resources: [objects],
          }),
          new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [this.filesBucket.bucketArn] }),
        ],
      }),
    };
    const bucketLogicalId = this.getLogicalId(this.filesBucket.node.defaultChild as s3.CfnBucket);
    for (const policy of Object.values(this.filesAccess)) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
        reason:
          'Files are stored under generated keys anywhere in this one bucket (an import may register any existing key), so object actions apply to all its objects. No policy allows deleting.',
      });
    }

    this.signingKey = new secretsmanager.Secret(this, 'SigningKey', {
      description: 'Digital downloads: HMAC keys that sign download-link tokens. currentKid names the signing key; every other kN still verifies.',
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

    new CfnOutput(this, 'FilesBucketName', { value: this.filesBucket.bucketName });
    new CfnOutput(this, 'SigningKeySecretArn', { value: this.signingKey.secretArn });
  }
}
