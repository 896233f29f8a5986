import { describe, it, expect } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { TABLES, type TableDefinition, type TableName } from '../../adapters/dynamo/tables';
import { logicalId, synthApp } from './build-app';

const t = synthApp();
const definitions = Object.entries(TABLES) as [TableName, TableDefinition][];

describe('tables', () => {
  it('are exactly the ones TABLES defines', () => {
    expect(Object.keys(t.dataTemplate.findResources('AWS::DynamoDB::Table'))).toHaveLength(definitions.length);
  });

  it.each(definitions)('%s has its keys, on-demand billing, PITR and deletion protection, and is retained', (name, definition) => {
    const id = logicalId(t.data.storage.tables[name]);
    const table = t.dataTemplate.toJSON().Resources[id];
    expect(table).toMatchObject({ Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: definition.partitionKey, KeyType: 'HASH' },
        ...(definition.sortKey ? [{ AttributeName: definition.sortKey, KeyType: 'RANGE' }] : []),
      ],
    });
  });

  it.each(definitions)('%s streams and expires items as its definition says', (name, definition) => {
    const properties = t.dataTemplate.toJSON().Resources[logicalId(t.data.storage.tables[name])].Properties;
    expect(properties.StreamSpecification).toEqual(definition.stream ? { StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined);
    expect(properties.TimeToLiveSpecification).toEqual(
      definition.timeToLiveAttribute ? { AttributeName: definition.timeToLiveAttribute, Enabled: true } : undefined,
    );
  });

  it.each(definitions)('%s has its indexes, projecting every attribute or the few its definition names', (name, definition) => {
    const properties = t.dataTemplate.toJSON().Resources[logicalId(t.data.storage.tables[name])].Properties;
    const expected = Object.entries(definition.indexes ?? {}).map(([indexName, index]) => ({
      IndexName: indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: 'include' in index && index.include ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] } : { ProjectionType: 'ALL' },
    }));
    expect(properties.GlobalSecondaryIndexes ?? []).toEqual(expected);
  });
});

describe('files bucket', () => {
  const bucketId = () => logicalId(t.data.storage.filesBucket);

  it('blocks public access, encrypts, versions and is retained', () => {
    const bucket = t.dataTemplate.toJSON().Resources[bucketId()];
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(t.data.storage.accessLogsBucket) } },
    });
  });

  it('refuses requests without TLS', () => {
    t.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('refuses downloads signed longer ago than the presigned lifetime plus a minute', () => {
    t.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/*']] },
            // (120 s default lifetime + 60 s) in milliseconds.
            Condition: { NumericGreaterThan: { 's3:signatureAge': 180_000 } },
          }),
        ]),
      },
    });
  });

  it('derives the signature age limit from the presigned lifetime in context', () => {
    // Prepare
    const longest = synthApp({ context: { presignedUrlTtlSeconds: '300' } });

    // Act
    const policy = Object.values(
      longest.dataTemplate.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: logicalId(longest.data.storage.filesBucket) } } }),
    )[0];
    const statements = policy?.Properties.PolicyDocument.Statement as {
      Effect: string;
      Action: unknown;
      Condition?: Record<string, Record<string, unknown>>;
    }[];
    const ageLimits = statements.filter((s) => s.Condition?.NumericGreaterThan?.['s3:signatureAge'] !== undefined);

    // Assess: (300 s + 60 s) in milliseconds, on downloads only (upload URLs live longer and are PUTs).
    expect(ageLimits).toHaveLength(1);
    expect(ageLimits[0]).toMatchObject({ Effect: 'Deny', Action: 's3:GetObject', Condition: { NumericGreaterThan: { 's3:signatureAge': 360_000 } } });
  });

  it('aborts multipart uploads left incomplete for 7 days', () => {
    t.dataTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' })]),
      },
    });
  });

  it('lets browsers upload and download from any origin and read ETags', () => {
    t.dataTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ['PUT', 'GET'], AllowedOrigins: ['*'], ExposedHeaders: ['ETag'] })],
      },
    });
  });

  it('access-log bucket is private, TLS-only and retained too', () => {
    const bucket = t.dataTemplate.toJSON().Resources[logicalId(t.data.storage.accessLogsBucket)];
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    t.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(t.data.storage.accessLogsBucket) },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('signing key', () => {
  // Changing GenerateSecretString makes Secrets Manager generate a new key set, which breaks every link ever issued:
  // this pins it on purpose.
  it('is generated by Secrets Manager in the key-set shape the functions read, and retained', () => {
    const secret = t.dataTemplate.toJSON().Resources[logicalId(t.data.storage.signingKey)];
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(secret.Properties.GenerateSecretString).toEqual({
      SecretStringTemplate: '{"currentKid":"k1"}',
      GenerateStringKey: 'k1',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });
});

describe('SES sender identity (data stack: its verification and DKIM keys outlive the stateless stack)', () => {
  it('verifies the sender address by default, and says so', () => {
    t.dataTemplate.resourceCountIs('AWS::SES::EmailIdentity', 1);
    t.dataTemplate.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'downloads@adas-books.co.uk' });
    t.dataTemplate.hasOutput('SenderVerification', { Value: Match.stringLikeRegexp('verification link') });
  });

  it("verifies the sender's domain with Easy DKIM, and outputs the three records to add when no zone is given", () => {
    const domain = synthApp({ context: { senderIdentity: 'domain' } });
    domain.dataTemplate.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'adas-books.co.uk' });
    for (const i of [1, 2, 3]) domain.dataTemplate.hasOutput(`SenderDkimRecord${i}`, { Value: Match.anyValue() });
    domain.dataTemplate.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('writes the DKIM records into the hosted zone when one is given', () => {
    const zoned = synthApp({ context: { senderIdentity: 'domain', hostedZoneId: 'Z0123456789ABC' } });
    zoned.dataTemplate.resourceCountIs('AWS::Route53::RecordSet', 3);
    for (const record of Object.values(zoned.dataTemplate.findResources('AWS::Route53::RecordSet'))) {
      expect(record.Properties).toMatchObject({ HostedZoneId: 'Z0123456789ABC', Type: 'CNAME' });
    }
  });

  it('creates nothing for an identity made outside this app', () => {
    synthApp({ context: { senderIdentity: 'existing' } }).dataTemplate.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('verifies the sandbox recipients too, so a sandboxed account can mail them', () => {
    const sandboxed = synthApp({ context: { sandboxRecipients: 'ada@adas-books.co.uk,grace@adas-books.co.uk' } });
    for (const address of ['downloads@adas-books.co.uk', 'ada@adas-books.co.uk', 'grace@adas-books.co.uk']) {
      sandboxed.dataTemplate.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: address });
    }
  });
});
