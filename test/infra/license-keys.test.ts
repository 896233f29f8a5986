import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HTTP_ROUTES } from '../../functions/manifest';
import { allowedActions, flat, logicalId, roleStatements, synthApp } from './build-app';

const t = synthApp();
const PUBLIC_LICENSE_ROUTES = ['POST /licenses/activate', 'POST /licenses/validate', 'POST /licenses/deactivate', 'GET /.well-known/license-keys.json'];

const statementsOf = (name: Parameters<typeof t.api.functions.get>[0]) => roleStatements(t, logicalId(t.api.functions.get(name).role));
const onTable = (statements: ReturnType<typeof statementsOf>, suffix: string) =>
  statements.filter((s) =>
    [s.Resource]
      .flat()
      .map(flat)
      .some((arn) => arn.endsWith(suffix)),
  );

describe('license keys in the CDK app', () => {
  it('serves the activation API and the certificate keys without an authorizer, throttled like the download route', () => {
    // Prepare
    const routes = Object.values(t.apiTemplate.findResources('AWS::ApiGatewayV2::Route'));
    const stage = Object.values(t.apiTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0];

    // Assess
    for (const routeKey of PUBLIC_LICENSE_ROUTES) {
      expect(HTTP_ROUTES.find((r) => r.routeKey === routeKey)?.access).toBe('public');
      const route = routes.find((r) => r.Properties.RouteKey === routeKey);
      expect(route?.Properties.AuthorizationType, routeKey).toBe('NONE');
      expect(route?.Properties.AuthorizerId, routeKey).toBeUndefined();
      expect(stage?.Properties.RouteSettings[routeKey], routeKey).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    }
    const customer = routes.find((r) => r.Properties.RouteKey === 'GET /licenses/customer');
    expect(customer?.Properties.AuthorizationType).toBe('JWT');
  });

  it('has the licenses table with its customer and pool indexes and a stream, and the license log with a TTL, both retained', () => {
    // Prepare
    const tables = t.dataTemplate.findResources('AWS::DynamoDB::Table');
    const byName = (name: string) => Object.values(tables).find((r) => r.Properties.TableName === name);

    // Act
    const licenses = byName('DigitalDownloadsData-licenses');
    const log = byName('DigitalDownloadsData-license-log');

    // Assess
    expect(licenses?.DeletionPolicy).toBe('Retain');
    expect(licenses?.Properties.KeySchema).toEqual([{ AttributeName: 'key', KeyType: 'HASH' }]);
    expect(licenses?.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName).sort()).toEqual(['byCustomer', 'byPool']);
    expect(licenses?.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(log?.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAtEpoch', Enabled: true });
  });

  it('keeps the certificate keyring in the data stack, generated in the key-set shape and retained', () => {
    const secret = t.dataTemplate.toJSON().Resources[logicalId(t.data.licenseKeyring.secret)];
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(secret.Properties.Name).toBe('DigitalDownloadsData/license-certificate-keys');
    expect(secret.Properties.GenerateSecretString).toEqual({
      SecretStringTemplate: '{"currentKid":"k1"}',
      GenerateStringKey: 'k1',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });

  it('lets the activation function update keys and read the keyring, and nothing else', () => {
    // Prepare
    const statements = statementsOf('licenses');

    // Act
    const actions = allowedActions(statements);

    // Assess
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:PutItem', 's3:GetObject', 'events:PutEvents'])
      expect(actions).not.toContain(forbidden);
    expect(allowedActions(onTable(statements, ':table/DigitalDownloadsData-licenses'))).toEqual(['dynamodb:UpdateItem']);
    expect(onTable(statements, ':table/DigitalDownloadsData-links')).toEqual([]);
    const secrets = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(JSON.stringify(secrets)).toContain('license-certificate-keys');
    expect(JSON.stringify(secrets)).not.toContain('link-signing-key');
  });

  it('gives the keyring to no function but the activation API', () => {
    for (const fn of t.api.functions.all) {
      const statements = roleStatements(t, logicalId(fn.role));
      expect(JSON.stringify(statements).includes('license-certificate-keys'), fn.name).toBe(fn.name === 'licenses');
    }
  });

  it('lets payment handling write keys, the customer page and the email read them, and the log consumer only append', () => {
    expect(allowedActions(onTable(statementsOf('payment-events'), ':table/DigitalDownloadsData-licenses'))).toEqual(
      expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:BatchGetItem']),
    );
    // A pool's next key is found on its index, then taken by a conditional write.
    expect(allowedActions(onTable(statementsOf('payment-events'), ':table/DigitalDownloadsData-licenses/index/byPool'))).toEqual(['dynamodb:Query']);
    for (const reader of ['customer-downloads', 'delivery-email'] as const) {
      const actions = allowedActions(onTable(statementsOf(reader), ':table/DigitalDownloadsData-licenses'));
      expect(actions, reader).not.toContain('dynamodb:UpdateItem');
      expect(actions, reader).not.toContain('dynamodb:PutItem');
    }
    const log = allowedActions(onTable(statementsOf('license-log'), ':table/DigitalDownloadsData-license-log'));
    expect(log).not.toContain('dynamodb:GetItem');
    expect(log).toEqual(expect.arrayContaining(['dynamodb:BatchWriteItem']));
  });

  it('alarms when a license pool runs dry, naming its runbook', () => {
    t.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'LicensePoolsEmpty',
      Threshold: 1,
      AlarmDescription: Match.stringLikeRegexp('docs/operations.md#license-pool-empty'),
    });
  });
});
