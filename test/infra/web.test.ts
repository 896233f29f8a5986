import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, it, expect } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { HTTP_ROUTES } from '../../functions/manifest';
import { API_PATH_PATTERNS, BROWSER_PATH_FUNCTION, CONFIG_KEY, MISSING_BUILD_WARNING, PAGE_ROUTER } from '../../lib/web';
import { BROWSER_PATH_CASES } from '../support/browser-path-cases';
import { buildApp, flat, logicalId, SHOP_CONTEXT, synthApp } from './build-app';

const t = synthApp();
const web = t.api.web;
const all = t.apiTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const resource = (id: string) => {
  const found = all[id];
  if (!found) throw new Error(`no resource ${id} in the API stack`);
  return found;
};
const distributionId = logicalId(web.distribution);
const bucketId = logicalId(web.bucket);
const config = resource(distributionId).Properties.DistributionConfig;
const behaviors: Record<string, any>[] = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
const behaviorOf = (pattern: string) => config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === pattern);
const originOf = (behavior: Record<string, any>) => config.Origins.find((o: { Id: string }) => o.Id === behavior.TargetOriginId);
const cspOf = (policy: { node: { defaultChild?: unknown } }) =>
  JSON.stringify(resource(logicalId(policy as never)).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
/** CloudFront's managed policies (ids from AWS's documentation). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

/** How API Gateway would match a request path against a CloudFront path pattern (`*` is any run of characters). */
const matches = (pattern: string, path: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(path);

describe('one distribution for the pages and the API', () => {
  it('sends every route of the manifest to the HTTP API, uncached, with every method and the Authorization header', () => {
    // Prepare: a sample path of each route, its parameters filled in.
    const paths = HTTP_ROUTES.map((r) => r.routeKey.split(' ')[1]?.replace(/\{[^}]+\}/g, 'x') ?? '');

    // Act
    const patternsOfRoutes = paths.map((path) => API_PATH_PATTERNS.find((pattern) => matches(pattern, path)));

    // Assess
    expect(patternsOfRoutes.every(Boolean), `routes outside the API behaviours: ${paths.filter((_, i) => !patternsOfRoutes[i]).join(', ')}`).toBe(true);
    for (const pattern of API_PATH_PATTERNS) {
      const behavior = behaviorOf(pattern);
      expect(behavior, pattern).toBeDefined();
      expect(behavior).toMatchObject({
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ViewerProtocolPolicy: 'https-only',
      });
      // The API Gateway endpoint's host, over TLS 1.2.
      expect(originOf(behavior)).toMatchObject({
        DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId(t.api.api.httpApi), 'ApiEndpoint'] }] }] },
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      });
    }
  });

  it('points downloadUrls at the distribution when publicBaseUrl is not set', () => {
    for (const fn of Object.values(t.apiTemplate.findResources('AWS::Lambda::Function'))) {
      if (!fn.Properties.Environment?.Variables?.LINKS_TABLE) continue;
      expect(fn.Properties.Environment.Variables.PUBLIC_BASE_URL).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] });
    }
  });

  it("points downloadUrls at the shop's address when publicBaseUrl is set, and answers for a custom domain with its certificate", () => {
    // Prepare
    const custom = synthApp({
      context: {
        publicBaseUrl: 'https://downloads.adas-books.co.uk',
        domainName: 'downloads.adas-books.co.uk',
        certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab',
      },
    });

    // Act
    const distribution = Object.values(custom.apiTemplate.findResources('AWS::CloudFront::Distribution'))[0]?.Properties.DistributionConfig;

    // Assess
    expect(distribution).toMatchObject({
      Aliases: ['downloads.adas-books.co.uk'],
      ViewerCertificate: {
        AcmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      },
    });
    custom.apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://downloads.adas-books.co.uk' }) },
    });
  });

  it('reads the bucket through Origin Access Control, never an OAI', () => {
    const oac = Object.keys(t.apiTemplate.findResources('AWS::CloudFront::OriginAccessControl'));
    expect(oac).toHaveLength(1);
    const s3Origins = config.Origins.filter((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oac[0], 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    t.apiTemplate.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('serves the pages with GET and HEAD only, the customer page with its own headers', () => {
    const pageBehaviors = behaviors.filter((b) => originOf(b)?.S3OriginConfig);
    expect(pageBehaviors.map((b) => b.PathPattern)).toEqual([undefined, '/account/downloads*']);
    for (const behavior of pageBehaviors) expect(behavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: logicalId(web.consolePolicy) });
    expect(behaviorOf('/account/downloads*').ResponseHeadersPolicyId).toEqual({ Ref: logicalId(web.customerPolicy) });
  });

  it('runs the page router on the pages and the browser-path function on every API behaviour', () => {
    const functions = t.apiTemplate.findResources('AWS::CloudFront::Function');
    const idOf = (matches: (code: string) => boolean) => Object.keys(functions).find((id) => matches(functions[id]?.Properties.FunctionCode));
    const association = (matches: (code: string) => boolean) => [
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [idOf(matches), 'FunctionARN'] } },
    ];
    const browserPath = (code: string) => code.includes('x-dd-viewer-address') && code.includes('#download=');
    for (const behavior of behaviors) {
      const isPage = Boolean(originOf(behavior)?.S3OriginConfig);
      if (isPage) expect(behavior.FunctionAssociations).toEqual(association((code) => code === PAGE_ROUTER));
      else expect(behavior.FunctionAssociations, behavior.PathPattern).toEqual(association(browserPath));
    }
    for (const fn of Object.values(functions)) expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
  });

  it('names its account-wide CloudFront resources after the stack and the Region, so a second Region does not clash', () => {
    const names = [
      ...Object.values(t.apiTemplate.findResources('AWS::CloudFront::ResponseHeadersPolicy')).map((p) => p.Properties.ResponseHeadersPolicyConfig.Name),
      ...Object.values(t.apiTemplate.findResources('AWS::CloudFront::OriginAccessControl')).map((p) => p.Properties.OriginAccessControlConfig.Name),
      ...Object.values(t.apiTemplate.findResources('AWS::CloudFront::Function')).map((p) => p.Properties.Name),
    ];
    expect(names.length).toBe(6);
    for (const name of names) expect(flat(name)).toMatch(/^DigitalDownloadsApi-<AWS::Region>-[a-z-]+$/);
    expect(new Set(names.map(flat)).size).toBe(names.length);
  });

  it('outputs the console and customer page URLs on the distribution', () => {
    const domain = { 'Fn::GetAtt': [distributionId, 'DomainName'] };
    t.apiTemplate.hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', ['https://', domain, '/console/']] } });
    t.apiTemplate.hasOutput('CustomerPageUrl', { Value: { 'Fn::Join': ['', ['https://', domain, '/account/downloads']] } });
  });
});

describe('browser path (the CloudFront Function of /downloads/*)', () => {
  type CfHeaders = Record<string, { value: string }>;
  type CfResult = { uri?: string; statusCode?: number; headers?: CfHeaders };
  /** The function's own code, run as CloudFront runs it: a global `handler(event)`. */
  const run = (method: string, uri: string, headers: Record<string, string | undefined>): CfResult => {
    const cfHeaders: CfHeaders = Object.fromEntries(
      Object.entries(headers)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([k, v]) => [k.toLowerCase(), { value: v }]),
    );
    const event = {
      version: '1.0',
      context: { eventType: 'viewer-request' },
      viewer: { ip: '203.0.113.7' },
      request: { method, uri, querystring: {}, headers: cfHeaders, cookies: {} },
    };
    return runInNewContext(`${BROWSER_PATH_FUNCTION}\nhandler(event);`, { event }) as CfResult;
  };

  it.each(BROWSER_PATH_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Act
    const result = run(c.method, c.path, c.headers);

    // Assess: a redirect to the customer page, or the request passed on untouched.
    if (c.expected === null) {
      expect(result.statusCode).toBeUndefined();
      expect(result.uri).toBe(c.path);
    } else {
      expect(result.statusCode).toBe(302);
      expect(result.headers?.location?.value).toBe(c.expected);
      expect(result.headers?.['cache-control']?.value).toBe('no-store');
    }
  });

  it("stamps the viewer's address and the edge token on every request it passes on, over whatever the client sent", () => {
    const result = run('GET', '/admin/products', { authorization: 'Bearer x', 'x-dd-viewer-address': '10.0.0.1', 'x-dd-edge': 'forged' });
    expect(result.headers?.['x-dd-viewer-address']?.value).toBe('203.0.113.7');
    expect(result.headers?.['x-dd-edge']?.value).toBe('test-edge-token-0123456789');
  });

  it('runs on every API behaviour, and the functions know its token', () => {
    for (const behavior of behaviors.filter((b) => originOf(b)?.CustomOriginConfig)) {
      expect(behavior.FunctionAssociations?.[0]?.EventType, behavior.PathPattern).toBe('viewer-request');
    }
    const tokens = new Set(
      Object.values(t.apiTemplate.findResources('AWS::Lambda::Function'))
        .map((fn) => (fn as { Properties: { Environment?: { Variables?: { EDGE_TOKEN?: string } } } }).Properties.Environment?.Variables?.EDGE_TOKEN)
        .filter((token) => token !== undefined),
    );
    expect(tokens.size).toBe(1);
    const [token] = [...tokens];
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const code = JSON.stringify(
      Object.values(t.apiTemplate.findResources('AWS::CloudFront::Function')).map(
        (f) => (f as { Properties: { FunctionCode: string } }).Properties.FunctionCode,
      ),
    );
    expect(code).toContain(token);
  });

  it('fits CloudFront Functions (10 KB of code)', () => {
    expect(Buffer.byteLength(BROWSER_PATH_FUNCTION)).toBeLessThan(10 * 1024);
  });
});

describe('page router (CloudFront Function)', () => {
  type Request = { uri: string; querystring: Record<string, { value: string; multiValue?: { value: string }[] }> };
  const handler = new Function(`${PAGE_ROUTER}; return handler;`)() as (event: { request: Request }) => Request & {
    statusCode?: number;
    headers?: Record<string, { value: string }>;
  };
  const route = (uri: string, querystring: Request['querystring'] = {}) => handler({ request: { uri, querystring } });

  it.each([
    ['/console/', '/console/index.html'],
    ['/console/orders/42', '/console/index.html'],
    ['/console/callback', '/console/index.html'],
    ['/account/downloads', '/account/downloads/index.html'],
    ['/account/downloads/', '/account/downloads/index.html'],
    ['/account/downloads/callback', '/account/downloads/index.html'],
    ['/console/config.json', '/console/config.json'],
    ['/dd-assets/console-B47PX2b4.js', '/dd-assets/console-B47PX2b4.js'],
    ['/account/other', '/account/other'],
  ])('serves %s from %s', (uri, key) => {
    expect(route(uri).uri).toBe(key);
  });

  it('adds the console slash and sends / to the console, keeping the query', () => {
    expect(route('/console', { a: { value: '1' } })).toEqual({
      statusCode: 308,
      statusDescription: 'Permanent Redirect',
      headers: { location: { value: '/console/?a=1' } },
    });
    expect(route('/').headers?.location?.value).toBe('/console/');
  });
});

describe('web bucket', () => {
  it('blocks public access, encrypts with S3-managed keys and is deleted with its objects (the build is redeployable)', () => {
    expect(resource(bucketId)).toMatchObject({
      Type: 'AWS::S3::Bucket',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      },
    });
    expect(t.apiTemplate.toJSON().Resources[bucketId]).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    t.apiTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  it('lets only this distribution read objects, refuses plain HTTP, and otherwise allows only the auto-delete provider', () => {
    const policies = Object.values(t.apiTemplate.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }));
    expect(policies).toHaveLength(1);
    const statements = policies[0]?.Properties.PolicyDocument.Statement as Record<string, any>[];

    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    const cloudFront = allows.filter((s) => s.Principal.Service === 'cloudfront.amazonaws.com');
    expect(cloudFront).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId }]],
            },
          },
        },
      },
    ]);
    // autoDeleteObjects empties the bucket when the stack is deleted; nothing else, and nobody public, is allowed.
    for (const other of allows.filter((s) => !cloudFront.includes(s))) {
      expect(JSON.stringify(other.Principal)).toMatch(/^\{"AWS":\{"Fn::GetAtt":\["CustomS3AutoDeleteObjectsCustomResourceProviderRole[0-9A-F]+","Arn"\]\}\}$/);
    }
  });
});

describe('response headers', () => {
  it.each([
    ['console', web.consolePolicy],
    ['customer page', web.customerPolicy],
    ['API', web.apiPolicy],
  ])('the %s gets HSTS, nosniff and no-referrer, overriding the origin', (_name, policy) => {
    const headers = resource(logicalId(policy)).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      ContentSecurityPolicy: { Override: true },
    });
  });

  it.each([
    ['console', web.consolePolicy],
    ['customer page', web.customerPolicy],
  ])('the %s gets a strict CSP: own scripts and styles, connections to its own origin (the API), AWS and the issuer only', (_name, policy) => {
    const csp = cspOf(policy);
    for (const directive of ["default-src 'self'", "img-src 'self' data:", "style-src 'self'", "script-src 'self'", "object-src 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toContain("connect-src 'self' https://*.amazonaws.com https://cognito-idp.eu-west-1.amazonaws.com https://*.amazoncognito.com;");
    expect(csp).not.toContain('unsafe');
  });

  it('denies framing the console and the API', () => {
    expect(cspOf(web.consolePolicy)).toContain("frame-ancestors 'none'");
    for (const policy of [web.consolePolicy, web.apiPolicy]) {
      expect(resource(logicalId(policy)).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions).toEqual({
        FrameOption: 'DENY',
        Override: true,
      });
    }
  });

  it('lets only the shop frame the customer page', () => {
    expect(cspOf(web.customerPolicy)).toMatch(/frame-ancestors https:\/\/shop\.adas-books\.co\.uk"/);
    expect(resource(logicalId(web.customerPolicy)).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions).toBeUndefined();
  });

  it('allows no Cognito hosted-UI domain for an issuer that is not Cognito', () => {
    const other = synthApp({ context: { jwtIssuer: 'https://login.adas-books.co.uk/realms/shop' } });
    const csp = JSON.stringify(other.apiTemplate.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(csp).toContain(' https://*.amazonaws.com https://login.adas-books.co.uk;');
    expect(csp).not.toContain('amazoncognito');
  });
});

describe('web deployments', () => {
  const deployments = Object.values(t.apiTemplate.findResources('Custom::CDKBucketDeployment'));

  it('copies the pages (revalidated, invalidated) and the hashed bundles (immutable, never pruned)', () => {
    expect(deployments).toContainEqual(
      expect.objectContaining({
        Properties: expect.objectContaining({
          DestinationBucketName: { Ref: bucketId },
          Prune: true,
          Exclude: ['dd-assets/*', CONFIG_KEY],
          SystemMetadata: { 'cache-control': 'no-cache' },
          DistributionId: { Ref: distributionId },
        }),
      }),
    );
    expect(deployments).toContainEqual(
      expect.objectContaining({
        Properties: expect.objectContaining({
          DestinationBucketKeyPrefix: 'dd-assets/',
          Prune: false,
          SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
        }),
      }),
    );
  });

  it('writes console/config.json from this deployment without pruning the pages', () => {
    const configs = deployments.filter((d) => JSON.stringify(d.Properties.DistributionPaths) === JSON.stringify([`/${CONFIG_KEY}`]));
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toMatchObject({ Prune: false, DestinationBucketName: { Ref: bucketId }, SystemMetadata: { 'cache-control': 'no-cache' } });
  });

  it('warns and deploys only config.json when the web build is missing, so synth works on a fresh clone', () => {
    const { api } = buildApp({ webDist: '/nonexistent/web/dist' });
    const template = Template.fromStack(api);

    Annotations.fromStack(api).hasWarning('/DigitalDownloadsApi/Web', Match.stringLikeRegexp(MISSING_BUILD_WARNING));
    expect(api.web.pagesDeployment).toBeUndefined();
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: [`/${CONFIG_KEY}`] });
  });

  it('does not warn when the build is there', () => {
    Annotations.fromStack(t.api).hasNoWarning('/DigitalDownloadsApi/Web', Match.stringLikeRegexp(MISSING_BUILD_WARNING));
  });

  it('writes the issuer, both client ids, an empty apiUrl (the API is on the same origin) and the shop as the only embedder into config.json', () => {
    // Prepare: Source.jsonData writes the file into a folder it stages as an asset (in cdk.out).
    const staging = web.configDeployment.node
      .findAll()
      .map((c) => (c as { absoluteStagedPath?: unknown }).absoluteStagedPath)
      .find((path): path is string => typeof path === 'string' && existsSync(join(path, CONFIG_KEY)));
    expect(staging).toBeDefined();

    // Act
    const written = JSON.parse(readFileSync(join(staging ?? '', CONFIG_KEY), 'utf8'));

    // Assess
    expect(written).toEqual({
      mode: 'oidc',
      issuer: SHOP_CONTEXT.jwtIssuer,
      clientId: SHOP_CONTEXT.webClientId,
      customerClientId: SHOP_CONTEXT.customerClientId,
      apiUrl: '',
      embedOrigins: [SHOP_CONTEXT.shopUrl],
    });
  });
});
