import { describe, it, expect } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_RULES, HTTP_ROUTES, SCHEDULES, STREAM_CONSUMERS, type FunctionName } from '../../functions/manifest';
import { ADMIN_SCOPE } from '../../functions/manifest';
import { allowedActions, flat, logicalId, roleStatements, SHOP_CONTEXT, synthApp } from './build-app';

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
  },
});
const DOWNLOAD_ROUTE = 'GET /downloads/{token}';
const functionNames = new Set<FunctionName>([
  ...HTTP_ROUTES.map((r) => r.function),
  ...EVENT_RULES.map((r) => r.function),
  ...STREAM_CONSUMERS.map((c) => c.function),
  ...SCHEDULES.map((s) => s.function),
]);

const statementsOf = (name: FunctionName) => roleStatements(t, logicalId(t.api.functions.get(name).role));
/** The app's own functions (not CDK's providers for BucketDeployment and auto-delete). */
const appFunctions = () => t.apiTemplate.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^digital-downloads ') } });

describe('HTTP API', () => {
  it("allows CORS from the shop only: the web UI calls the API on the distribution's own origin", () => {
    t.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [SHOP_CONTEXT.shopUrl] }),
    });
  });

  it('has exactly the catalog routes, each behind the JWT authorizer but the public ones', () => {
    // Prepare
    const routes = t.apiTemplate.findResources('AWS::ApiGatewayV2::Route');
    const publicRoutes = new Set<string>(HTTP_ROUTES.filter((r) => (r.access as string) === 'public').map((r) => r.routeKey));

    // Act
    const keys = Object.values(routes).map((r) => r.Properties.RouteKey as string);

    // Assess
    expect(keys.sort()).toEqual(HTTP_ROUTES.map((r) => r.routeKey).sort());
    for (const route of Object.values(routes)) {
      if (publicRoutes.has(route.Properties.RouteKey)) {
        expect(route.Properties.AuthorizationType).toBe('NONE');
        continue;
      }
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toBeDefined();
    }
  });

  it.each(HTTP_ROUTES.filter((r) => (r.access as string) !== 'public').map((r) => [r.routeKey, r.access] as const))(
    '%s (%s) has the scopes its access requires',
    (routeKey, access) => {
      t.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'JWT',
        AuthorizationScopes: access === 'admin' ? [ADMIN_SCOPE] : Match.absent(),
      });
    },
  );

  it("checks tokens against the issuer, and accepts the web clients' own tokens (Cognito access tokens carry client_id)", () => {
    t.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: SHOP_CONTEXT.jwtIssuer, Audience: [SHOP_CONTEXT.webClientId, SHOP_CONTEXT.customerClientId] },
    });
  });

  it('accepts extra audiences besides the web clients, never instead of them', () => {
    const extra = synthApp({ context: { jwtAudience: 'storefront-app' } });
    extra.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: SHOP_CONTEXT.jwtIssuer, Audience: [SHOP_CONTEXT.webClientId, SHOP_CONTEXT.customerClientId, 'storefront-app'] },
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

  it('gives only the download route and the public routes settings of their own', () => {
    const stage = Object.values(t.apiTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const publicRoutes = HTTP_ROUTES.filter((r) => (r.access as string) === 'public').map((r) => r.routeKey as string);
    expect(Object.keys(stage?.Properties.RouteSettings ?? {}).sort()).toEqual([DOWNLOAD_ROUTE, ...publicRoutes].sort());
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

  it('outputs the API URL and where downloadUrls point', () => {
    t.apiTemplate.hasOutput('ApiUrl', { Value: Match.anyValue() });
    t.apiTemplate.hasOutput('PublicBaseUrl', { Value: Match.anyValue() });
  });
});

describe('functions', () => {
  it('deploys one function per manifest name, on Node.js 24, arm64, traced', () => {
    const functions = appFunctions();
    expect(Object.keys(functions)).toHaveLength(functionNames.size);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'digital-downloads', POWERTOOLS_METRICS_NAMESPACE: 'DigitalDownloads' } },
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
      'EXTERNAL_IDS_TABLE',
      'FILES_TABLE',
      'LINK_LOG_TABLE',
      'DISPATCHES_TABLE',
      'PRODUCT_UPDATES_TABLE',
      'DASHBOARD_TABLE',
      'FILES_BUCKET',
      'PUBLIC_BASE_URL',
      'SIGNING_KEY_SECRET_ID',
      'SENDER_EMAIL',
    ];
    for (const fn of Object.values(appFunctions())) {
      for (const name of required) expect(fn.Properties.Environment.Variables[name], name).toBeDefined();
    }
  });

  it('sizes the download function for the hot path, gives asynchronous work 30 seconds and the PDF stamper room for a large PDF', () => {
    t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { Description: 'digital-downloads download', MemorySize: 1024, Timeout: 10 });
    t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { Description: 'digital-downloads payment-events', MemorySize: 512, Timeout: 30 });
    for (const consumer of STREAM_CONSUMERS.filter((c) => c.function !== 'pdf-stamper')) {
      t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { Description: `digital-downloads ${consumer.function}`, Timeout: 30 });
    }
    // pdf-lib holds the whole document in memory (~4× its size): 3 GB and 5 minutes for PDFs up to MAX_STAMPABLE_BYTES.
    t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { Description: 'digital-downloads pdf-stamper', MemorySize: 3008, Timeout: 300 });
  });

  it('runs the copy sweeper every hour on its own rule, and lets it delete objects only under stamped/', () => {
    // Prepare
    const sweeper = logicalId(t.api.functions.get('copy-sweeper').function);
    const deletes = statementsOf('copy-sweeper').filter((s: { Action: string | string[] }) => [s.Action].flat().some((a) => a.startsWith('s3:')));

    // Assess
    t.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sweeper, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.Action).toBe('s3:DeleteObject');
    expect(JSON.stringify(deletes[0]?.Resource)).toContain('/stamped/*');
  });

  it('passes the presigned lifetime to every function and the per-customer limits to download', () => {
    for (const fn of Object.values(appFunctions())) {
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

  it('keeps each function log for a month in its own log group', () => {
    // One per function, plus the API access log (CDK's BucketDeployment provider has its own).
    const groups = t.apiTemplate.findResources('AWS::Logs::LogGroup');
    const ours = Object.keys(groups).filter((id) => id.startsWith('Functions') || id.startsWith('Api'));
    expect(ours).toHaveLength(functionNames.size + 1);
    for (const id of ours) expect(groups[id]?.Properties.RetentionInDays).toBe(30);
    for (const fn of Object.values(appFunctions())) {
      expect(fn.Properties.LoggingConfig?.LogGroup).toBeDefined();
    }
  });

  it("attaches no managed policy to any function role: every grant is in the role's own inline policy, in this stack", () => {
    for (const fn of functionNames)
      expect(t.apiTemplate.toJSON().Resources[logicalId(t.api.functions.get(fn).role)].Properties.ManagedPolicyArns).toBeUndefined();
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
    const linkWrites = statements.filter((s) =>
      [s.Resource]
        .flat()
        .map(flat)
        .some((arn) => arn.endsWith(':table/DigitalDownloadsData-links')),
    );
    expect(allowedActions(linkWrites)).toEqual(['dynamodb:UpdateItem']);
  });

  it('allows Scan only to admin-catalog, only on products', () => {
    for (const name of functionNames) {
      const scans = statementsOf(name).filter((s) => [s.Action].flat().includes('dynamodb:Scan'));
      if (name === 'admin-catalog') {
        expect(scans).toHaveLength(1);
        expect([scans[0]?.Resource].flat().map(flat)).toEqual([
          'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/DigitalDownloadsData-products',
        ]);
      } else expect(scans, name).toHaveLength(0);
    }
  });

  it("lets no function delete files, and only admin-catalog upload or list them; the stamper writes and deletes only buyers' copies (stamped/*), the copy sweeper only deletes them", () => {
    for (const name of functionNames) {
      const statements = statementsOf(name);
      const copiesOnly = statements.filter((s) => JSON.stringify(s.Resource).includes('/stamped/*'));
      const elsewhere = statements.filter((s) => !copiesOnly.includes(s));
      const actions = allowedActions(elsewhere);
      expect(
        actions.filter((a) => a.startsWith('s3:Delete')),
        name,
      ).toEqual([]);
      const writesOrLists = actions.some((a) => a === 's3:PutObject' || a === 's3:ListBucket');
      expect(writesOrLists, name).toBe(name === 'admin-catalog');
      const onCopies = { 'pdf-stamper': ['s3:DeleteObject', 's3:PutObject'], 'copy-sweeper': ['s3:DeleteObject'] } as Partial<Record<FunctionName, string[]>>;
      expect(allowedActions(copiesOnly).sort(), name).toEqual(onCopies[name] ?? []);
    }
  });

  it('lets only the outbox, the updates (ProductUpdated) and the link log (LinkFlagged) put events (payment-events never publishes), on the default bus', () => {
    for (const name of functionNames) {
      const statements = statementsOf(name).filter((s) => [s.Action].flat().includes('events:PutEvents'));
      expect(statements.length > 0, name).toBe(name === 'invoice-outbox' || name === 'product-updates' || name === 'link-log');
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

describe('email sending', () => {
  const configurationSetId = () => logicalId(t.api.email.configurationSet);

  it('lets only delivery-email and product-updates send, from the sender identity (address or domain) and only through the configuration set', () => {
    for (const name of functionNames) {
      const sends = statementsOf(name).filter((s) => [s.Action].flat().includes('ses:SendEmail'));
      if (name !== 'delivery-email' && name !== 'product-updates') {
        expect(sends, name).toEqual([]);
        continue;
      }
      expect(sends).toHaveLength(1);
      expect([sends[0]?.Resource].flat().map(flat).sort()).toEqual(
        [
          'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/downloads@adas-books.co.uk',
          'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/adas-books.co.uk',
          `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSetId()}>`,
        ].sort(),
      );
    }
    t.apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'digital-downloads delivery-email',
      Environment: { Variables: Match.objectLike({ SES_CONFIGURATION_SET: { Ref: configurationSetId() } }) },
    });
  });

  it('may also mail the sandbox recipients (SES checks the recipient identity while the account is sandboxed)', () => {
    const sandboxed = synthApp({ context: { sandboxRecipients: 'ada@adas-books.co.uk' } });
    const policy = JSON.stringify(sandboxed.apiTemplate.findResources('AWS::IAM::Policy'));
    expect(policy).toContain(':identity/ada@adas-books.co.uk');
  });

  it('publishes every send, delivery, bounce, complaint and rejection to the default bus, and suppresses bouncing and complaining addresses', () => {
    t.apiTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    const destinations = Object.values(t.apiTemplate.findResources('AWS::SES::ConfigurationSetEventDestination'));
    expect(destinations).toHaveLength(1);
    expect(destinations[0]?.Properties.ConfigurationSetName).toEqual({ Ref: configurationSetId() });
    expect(flat(destinations[0]?.Properties.EventDestination.EventBridgeDestination.EventBusArn)).toBe(
      'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/default',
    );
    expect([...(destinations[0]?.Properties.EventDestination.MatchingEventTypes ?? [])].sort()).toEqual(['bounce', 'complaint', 'delivery', 'reject', 'send']);
  });
});

describe('storefronts in other accounts', () => {
  it('get no bus policy unless storefrontAccountIds is set', () => {
    t.apiTemplate.resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });

  it('may put storefront.payments events on the default bus, and nothing else', () => {
    const cross = synthApp({ context: { storefrontAccountIds: '111122223333,444455556666' } });
    const [policy] = Object.values(cross.apiTemplate.findResources('AWS::Events::EventBusPolicy'));
    expect(policy?.Properties).toMatchObject({ EventBusName: 'default', StatementId: 'DigitalDownloadsApi-storefronts' });
    expect(policy?.Properties.Statement).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'events:source': ['storefront.payments'] } },
    });
    expect(policy?.Properties.Statement.Principal.AWS.map(flat)).toEqual([
      'arn:<AWS::Partition>:iam::111122223333:root',
      'arn:<AWS::Partition>:iam::444455556666:root',
    ]);
  });
});
