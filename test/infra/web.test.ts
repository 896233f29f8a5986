import { describe, it, expect } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CONFIG_KEY, MISSING_BUILD_WARNING, PAGE_ROUTER } from '../../lib/web';
import { buildApp, logicalId, synthApp } from './build-app';

const t = synthApp();
const all = t.webTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const resource = (id: string) => {
  const found = all[id];
  if (!found) throw new Error(`no resource ${id} in the web stack`);
  return found;
};
const distributionId = logicalId(t.web.distribution);
const bucketId = logicalId(t.web.bucket);
const config = resource(distributionId).Properties.DistributionConfig;
const behaviors = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
const cspOf = (policy: { node: { defaultChild?: unknown } }) =>
  JSON.stringify(resource(logicalId(policy as never)).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);

describe('web distribution', () => {
  it('reads the bucket through Origin Access Control, never an OAI', () => {
    const oac = Object.keys(t.webTemplate.findResources('AWS::CloudFront::OriginAccessControl'));
    expect(oac).toHaveLength(1);
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oac[0], 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    t.webTemplate.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    t.webTemplate.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('redirects HTTP to HTTPS and allows only GET and HEAD on every behaviour', () => {
    expect(behaviors).toHaveLength(2);
    for (const behavior of behaviors) {
      expect(behavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    }
  });

  it('serves the customer page with its own headers and everything else (console, config.json, bundles) with the console headers', () => {
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: logicalId(t.web.consolePolicy) });
    expect(config.CacheBehaviors).toEqual([
      expect.objectContaining({ PathPattern: '/account/downloads*', ResponseHeadersPolicyId: { Ref: logicalId(t.web.customerPolicy) } }),
    ]);
  });

  it('runs the page router on viewer requests of both behaviours', () => {
    const router = Object.keys(t.webTemplate.findResources('AWS::CloudFront::Function'));
    expect(router).toHaveLength(1);
    t.webTemplate.hasResourceProperties('AWS::CloudFront::Function', { FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
    for (const behavior of behaviors) {
      expect(behavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [router[0], 'FunctionARN'] } }]);
    }
  });

  it('outputs the console and customer page URLs', () => {
    const domain = { 'Fn::GetAtt': [distributionId, 'DomainName'] };
    t.webTemplate.hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', ['https://', domain, '/console/']] } });
    t.webTemplate.hasOutput('CustomerPageUrl', { Value: { 'Fn::Join': ['', ['https://', domain, '/account/downloads']] } });
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
    expect(t.webTemplate.toJSON().Resources[bucketId]).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    t.webTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  it('lets only this distribution read objects, refuses plain HTTP, and otherwise allows only the auto-delete provider', () => {
    const policies = Object.values(t.webTemplate.findResources('AWS::S3::BucketPolicy'));
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
    ['console', t.web.consolePolicy],
    ['customer page', t.web.customerPolicy],
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
    ['console', t.web.consolePolicy],
    ['customer page', t.web.customerPolicy],
  ])('the %s gets a strict CSP: own scripts and styles, connections to the API, AWS and the issuer only', (_name, policy) => {
    const csp = cspOf(policy);
    for (const directive of ["default-src 'self'", "img-src 'self' data:", "style-src 'self'", "script-src 'self'", "object-src 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toContain("connect-src 'self' ");
    expect(csp).toMatch(/ApiEndpoint/);
    expect(csp).toContain(' https://*.amazonaws.com https://cognito-idp.us-east-1.amazonaws.com https://*.amazoncognito.com;');
    expect(csp).not.toContain('unsafe');
  });

  it('denies framing the console', () => {
    expect(cspOf(t.web.consolePolicy)).toContain("frame-ancestors 'none'");
    t.webTemplate.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        Comment: Match.stringLikeRegexp('console'),
        SecurityHeadersConfig: Match.objectLike({ FrameOptions: { FrameOption: 'DENY', Override: true } }),
      }),
    });
  });

  it('lets only the shop frame the customer page', () => {
    expect(cspOf(t.web.customerPolicy)).toMatch(/frame-ancestors https:\/\/shop\.example\.com"/);
    expect(resource(logicalId(t.web.customerPolicy)).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions).toBeUndefined();
  });

  it('allows no Cognito hosted-UI domain for an issuer that is not Cognito', () => {
    const other = synthApp({ context: { jwtIssuer: 'https://login.example.org/realms/shop' } });
    const csp = JSON.stringify(other.webTemplate.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(csp).toContain(' https://*.amazonaws.com https://login.example.org;');
    expect(csp).not.toContain('amazoncognito');
  });
});

describe('web deployments', () => {
  const deployments = Object.values(t.webTemplate.findResources('Custom::CDKBucketDeployment'));

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

  it('writes console/config.json from this deployment (API URL included), without pruning the pages', () => {
    const configs = deployments.filter((d) => JSON.stringify(d.Properties.DistributionPaths) === JSON.stringify([`/${CONFIG_KEY}`]));
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toMatchObject({ Prune: false, DestinationBucketName: { Ref: bucketId }, SystemMetadata: { 'cache-control': 'no-cache' } });
    // The API's id is a token of the API stack, filled in at deploy time.
    expect(JSON.stringify(configs[0]?.Properties.SourceMarkers)).toContain('HttpApi');
  });

  it('warns and deploys only config.json when the web build is missing, so synth works on a fresh clone', () => {
    const { web } = buildApp({ webDist: '/nonexistent/web/dist' });
    const template = Template.fromStack(web);

    Annotations.fromStack(web).hasWarning('/DigitalDownloadsWeb', Match.stringLikeRegexp(MISSING_BUILD_WARNING));
    expect(web.pagesDeployment).toBeUndefined();
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: [`/${CONFIG_KEY}`] });
  });

  it('does not warn when the build is there', () => {
    Annotations.fromStack(t.web).hasNoWarning('/DigitalDownloadsWeb', Match.stringLikeRegexp(MISSING_BUILD_WARNING));
  });
});
