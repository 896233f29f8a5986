import { describe, it, expect } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_RULES, HTTP_ROUTES, STREAM_CONSUMERS, type FunctionName } from '../../functions/manifest';
import { ADMIN_SCOPE } from '../../functions/manifest';
import { allowedActions, logicalId, roleStatements, synthApp } from './build-app';

const t = synthApp();
/** The app deployed with every tunable set away from its default, as `-c key=value` passes them (strings). */
const tuned = synthApp({
  context: {
    presignedUrlTtlSeconds: '300',
    apiRateLimit: '300',
    apiBurstLimit: '600',
    downloadRateLimit: '50',
    downloadBurstLimit: '80',
    downloadRateLimitPerCustomer: '30',
    downloadBurstLimitPerCustomer: '5',
    paymentEventsConcurrency: '0',
  },
});
const DOWNLOAD_ROUTE = 'GET /downloads/{token}';
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
  it('allows CORS from the shop and, once known, from where the web UI is served', () => {
    const withWeb = synthApp({ context: { webOrigins: 'https://d1.cloudfront.net' } });
    withWeb.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://shop.example.com', 'https://d1.cloudfront.net'] }),
    });
    t.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://shop.example.com'] }),
    });
  });

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

  it('takes the stage throttling from context', () => {
    tuned.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 300, ThrottlingBurstLimit: 600 },
    });
  });

  it('throttles the download route below the others, so a download flood cannot take their share', () => {
    t.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      RouteSettings: { [DOWNLOAD_ROUTE]: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } },
    });
    tuned.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: { [DOWNLOAD_ROUTE]: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80 } },
    });
  });

  it('gives only the download route settings of its own', () => {
    const stage = Object.values(t.apiTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(Object.keys(stage?.Properties.RouteSettings ?? {})).toEqual([DOWNLOAD_ROUTE]);
  });

  it('creates the stage after the download route (API Gateway rejects settings for an unknown route)', () => {
    // Prepare
    const [routeId] = Object.keys(t.apiTemplate.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: DOWNLOAD_ROUTE } }));

    // Act
    const stage = Object.values(t.apiTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0];

    // Assess
    expect(routeId).toBeDefined();
    expect(stage?.DependsOn).toContain(routeId);
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
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'digital-downloads' } },
      });
      expect(fn.Properties.Environment.Variables.AWS_REGION).toBeUndefined();
      // Source maps cost the download's cold start; the others keep readable stack traces.
      const isDownload = fn.Properties.Environment.Variables.DOWNLOAD_RATE_LIMIT_PER_MINUTE !== undefined;
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe(isDownload ? undefined : '--enable-source-maps');
    }
  });

  it('gives every function every variable its configuration requires', () => {
    const required = [
      'LINKS_TABLE',
      'INVOICES_TABLE',
      'PRODUCTS_TABLE',
      'FILES_TABLE',
      'LINK_LOG_TABLE',
      'FILES_BUCKET',
      'PUBLIC_BASE_URL',
      'SIGNING_KEY_SECRET_ID',
    ];
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

  it('passes the presigned lifetime to every function and the per-customer limits to download', () => {
    for (const fn of Object.values(t.apiTemplate.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables.PRESIGNED_URL_TTL_SECONDS).toBe('120');
    }
    t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'digital-downloads download',
      Environment: {
        Variables: Match.objectLike({ PRESIGNED_URL_TTL_SECONDS: '120', DOWNLOAD_RATE_LIMIT_PER_MINUTE: '120', DOWNLOAD_RATE_LIMIT_BURST: '60' }),
      },
    });
  });

  it('takes the presigned lifetime and the per-customer limits from context', () => {
    tuned.apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'digital-downloads download',
      Environment: {
        Variables: Match.objectLike({ PRESIGNED_URL_TTL_SECONDS: '300', DOWNLOAD_RATE_LIMIT_PER_MINUTE: '30', DOWNLOAD_RATE_LIMIT_BURST: '5' }),
      },
    });
  });

  it('reserves concurrency for payment-events only, 10 as cdk.json sets it', () => {
    for (const fn of Object.values(t.apiTemplate.findResources('AWS::Lambda::Function'))) {
      const expected = fn.Properties.Description === 'digital-downloads payment-events' ? 10 : undefined;
      expect(fn.Properties.ReservedConcurrentExecutions, fn.Properties.Description).toBe(expected);
    }
  });

  it('reserves no concurrency when paymentEventsConcurrency is 0', () => {
    for (const fn of Object.values(tuned.apiTemplate.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.ReservedConcurrentExecutions, fn.Properties.Description).toBeUndefined();
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
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 's3:GetObject', 'secretsmanager:GetSecretValue']));
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
      expect(
        actions.filter((a) => a.startsWith('s3:Delete')),
        name,
      ).toEqual([]);
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
    for (const name of functionNames)
      expect(
        allowedActions(statementsOf(name)).filter((a) => a.includes('*')),
        name,
      ).toEqual([]);
  });
});
