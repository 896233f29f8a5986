import { describe, it, expect } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_RULES, HTTP_ROUTES, STREAM_CONSUMERS, type FunctionName } from '../../functions/catalog';
import { ADMIN_SCOPE } from '../../lib/api';
import { allowedActions, logicalId, roleStatements, synthApp } from './build-app';

const t = synthApp();
const functionNames = new Set<FunctionName>([
  ...HTTP_ROUTES.map((r) => r.function),
  ...EVENT_RULES.map((r) => r.function),
  ...STREAM_CONSUMERS.map((c) => c.function),
]);

const statementsOf = (name: FunctionName) => {
  const fn = t.api.functions.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  return roleStatements(t, logicalId(fn.role));
};

describe('HTTP API', () => {
  it('has exactly the catalog routes, each behind the JWT authorizer', () => {
    // Prepare
    const routes = t.apiTemplate.findResources('AWS::ApiGatewayV2::Route');

    // Act
    const keys = Object.values(routes).map((r) => r.Properties.RouteKey as string);

    // Assess
    expect(keys.sort()).toEqual(HTTP_ROUTES.map((r) => r.routeKey).sort());
    for (const route of Object.values(routes)) {
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toBeDefined();
    }
  });

  it.each(HTTP_ROUTES.map((r) => [r.routeKey, r.access] as const))('%s (%s) has the scopes its access requires', (routeKey, access) => {
    t.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      AuthorizationType: 'JWT',
      AuthorizationScopes: access === 'admin' ? [ADMIN_SCOPE] : Match.absent(),
    });
  });

  it('checks tokens against the configured issuer and audience', () => {
    t.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE',
        Audience: ['digital-downloads'],
      },
    });
  });

  it('throttles the default stage and writes access logs that name the route, not the path', () => {
    t.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.routeKey') },
    });
    const stage = Object.values(t.apiTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(stage?.Properties.AccessLogSettings.Format).not.toContain('$context.path');
  });

  it('outputs the API URL', () => {
    t.apiTemplate.hasOutput('ApiUrl', { Value: Match.anyValue() });
  });
});

describe('functions', () => {
  it('deploys one function per catalog name, on Node.js 22, arm64, traced', () => {
    const functions = t.apiTemplate.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(functionNames.size);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'digital-downloads' } },
      });
      expect(fn.Properties.Environment.Variables.AWS_REGION).toBeUndefined();
    }
  });

  it('gives every function every variable its configuration requires', () => {
    const required = ['LINKS_TABLE', 'INVOICES_TABLE', 'PRODUCTS_TABLE', 'FILES_TABLE', 'LINK_EVENTS_TABLE', 'FILES_BUCKET', 'PUBLIC_BASE_URL', 'SIGNING_KEY_SECRET_ID'];
    for (const fn of Object.values(t.apiTemplate.findResources('AWS::Lambda::Function'))) {
      for (const name of required) expect(fn.Properties.Environment.Variables[name], name).toBeDefined();
      expect(fn.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe('https://shop.example.com');
    }
  });

  it('sizes the download function for the hot path and gives asynchronous work 30 seconds', () => {
    t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { Description: 'digital-downloads download', MemorySize: 1024, Timeout: 10 });
    t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { Description: 'digital-downloads payment-events', MemorySize: 512, Timeout: 30 });
    for (const consumer of STREAM_CONSUMERS) {
      t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { Description: `digital-downloads ${consumer.function}`, Timeout: 30 });
    }
  });

  it('keeps each function log for a month in its own log group', () => {
    const groups = t.apiTemplate.findResources('AWS::Logs::LogGroup');
    // One per function, plus the API access log.
    expect(Object.keys(groups)).toHaveLength(functionNames.size + 1);
    for (const group of Object.values(groups)) expect(group.Properties.RetentionInDays).toBe(30);
    for (const fn of Object.values(t.apiTemplate.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.LoggingConfig?.LogGroup).toBeDefined();
    }
  });

  it('attaches no AWS managed policy to any function role', () => {
    for (const role of Object.values(t.apiTemplate.findResources('AWS::IAM::Role'))) {
      expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toContain('iam::aws:policy');
    }
  });
});

describe('least privilege', () => {
  it('lets the download function update links, append to the link log, read objects and the signing key, and nothing else', () => {
    // Prepare
    const statements = statementsOf('download');

    // Act
    const actions = allowedActions(statements);

    // Assess
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:Query', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 'events:PutEvents'])
      expect(actions).not.toContain(forbidden);
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 's3:GetObject', 'secretsmanager:GetSecretValue']),
    );
    const linkWrites = statements.filter((s) => JSON.stringify(s.Resource).includes('LinksTable'));
    expect(allowedActions(linkWrites)).toEqual(['dynamodb:UpdateItem']);
  });

  it('allows Scan only to admin-catalog, only on products', () => {
    for (const name of functionNames) {
      const scans = statementsOf(name).filter((s) => [s.Action].flat().includes('dynamodb:Scan'));
      if (name === 'admin-catalog') {
        expect(scans).toHaveLength(1);
        expect(JSON.stringify(scans[0]?.Resource)).toContain('ProductsTable');
        expect(JSON.stringify(scans[0]?.Resource)).not.toMatch(/LinksTable|InvoicesTable|FilesTable/);
      } else expect(scans, name).toHaveLength(0);
    }
  });

  it('lets no function delete files, and only admin-catalog upload or list them', () => {
    for (const name of functionNames) {
      const actions = allowedActions(statementsOf(name));
      expect(actions.filter((a) => a.startsWith('s3:Delete')), name).toEqual([]);
      const writesOrLists = actions.some((a) => a === 's3:PutObject' || a === 's3:ListBucket');
      expect(writesOrLists, name).toBe(name === 'admin-catalog');
    }
  });

  it('lets only the functions that publish put events, on the default bus', () => {
    for (const name of functionNames) {
      const statements = statementsOf(name).filter((s) => [s.Action].flat().includes('events:PutEvents'));
      expect(statements.length > 0, name).toBe(name === 'payment-events' || name === 'invoice-outbox');
      for (const s of statements) expect(JSON.stringify(s.Resource)).toContain('event-bus/default');
    }
  });

  it('never grants a wildcard action', () => {
    for (const name of functionNames) expect(allowedActions(statementsOf(name)).filter((a) => a.includes('*')), name).toEqual([]);
  });
});
