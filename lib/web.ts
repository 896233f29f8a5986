import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';

/** Where `npm run build:web` puts the console and the customer page (local/static.ts serves the same folder). */
export const WEB_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

/** Vite's `build.assetsDir`: hashed bundles both pages share. */
export const ASSETS_PREFIX = 'dd-assets/';

/** The runtime configuration's key: the pages read `/console/config.json` at start. */
export const CONFIG_KEY = 'console/config.json';

export const MISSING_BUILD_WARNING = 'run npm run build:web before deploying the web UI';

export interface DigitalDownloadsWebProps extends StackProps {
  /** The HTTP API's base URL (a token of the API stack): config.json's `apiUrl`. */
  readonly apiUrl: string;
  /** The HTTP API's origin, `https://<id>.execute-api.<region>.<suffix>`: allowed by the pages' CSP. */
  readonly apiEndpoint: string;
  /** The identity provider's issuer: config.json's `issuer`; its origin is allowed by the CSP. */
  readonly jwtIssuer: string;
  /** The shop: the only origin that may frame the customer page, and hand it a token by `postMessage`. */
  readonly publicBaseUrl: string;
  /** The console's OIDC client id. */
  readonly webClientId: string;
  /** The customer page's OIDC client id. */
  readonly customerClientId: string;
  /** The built pages. @default web/dist of this project */
  readonly webDist?: string;
}

/**
 * The CloudFront Function of both page behaviours. Both pages are single-page
 * apps, as local/static.ts serves them: every path under a page is that page's
 * index.html (deep links, the OIDC callback), except the console's config.json;
 * `/console` gains its slash and `/` goes to the console.
 */
export const PAGE_ROUTER = `
function query(qs) {
  var parts = [];
  for (var key in qs) {
    var entry = qs[key];
    var values = entry.multiValue ? entry.multiValue : [entry];
    for (var i = 0; i < values.length; i++) parts.push(values[i].value === '' ? key : key + '=' + values[i].value);
  }
  return parts.length > 0 ? '?' + parts.join('&') : '';
}
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/console') {
    return { statusCode: 308, statusDescription: 'Permanent Redirect', headers: { location: { value: '/console/' + query(request.querystring) } } };
  }
  if (uri === '/${CONFIG_KEY}') return request;
  if (uri.startsWith('/console/')) request.uri = '/console/index.html';
  else if (uri === '/account/downloads' || uri.startsWith('/account/downloads/')) request.uri = '/account/downloads/index.html';
  return request;
}
`;

/**
 * The web UI: the operator console at `/console/` and the customer page at
 * `/account/downloads`, from a private bucket behind CloudFront (Origin Access
 * Control). The bucket holds only the build and the generated config.json, both
 * redeployed from this app, so it is destroyed with the stack.
 */
export class DigitalDownloadsWeb extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly consolePolicy: cloudfront.ResponseHeadersPolicy;
  readonly customerPolicy: cloudfront.ResponseHeadersPolicy;
  /** Undefined when the build is missing at synth. */
  readonly pagesDeployment?: BucketDeployment;
  readonly configDeployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: DigitalDownloadsWebProps) {
    super(scope, id, props);
    const webDist = props.webDist ?? WEB_DIST;
    const shopOrigin = new URL(props.publicBaseUrl).origin;
    const issuer = new URL(props.jwtIssuer);

    this.bucket = new s3.Bucket(this, 'WebBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only the build and config.json, both redeployed from this app: nothing here to keep.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public web build and config.json, written by this app; CloudFront (with Origin Access Control) is its only reader, so server access logs would record nothing but CloudFront fetching the pages.',
    });

    // The pages call the API, S3 (presigned uploads) and the identity provider; Cognito's token endpoint is on its own domain.
    const connectSources = ["'self'", props.apiEndpoint, 'https://*.amazonaws.com', issuer.origin];
    if (/^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/.test(issuer.hostname)) connectSources.push('https://*.amazoncognito.com');
    const csp = (frameAncestors: string) =>
      [
        "default-src 'self'",
        `connect-src ${connectSources.join(' ')}`,
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        `frame-ancestors ${frameAncestors}`,
      ].join('; ');
    const securityHeaders = (frameAncestors: string, denyFraming: boolean): cloudfront.ResponseSecurityHeadersBehavior => ({
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      contentSecurityPolicy: { contentSecurityPolicy: csp(frameAncestors), override: true },
      ...(denyFraming ? { frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true } } : {}),
    });
    this.consolePolicy = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      comment: 'Digital downloads console: never framed',
      securityHeadersBehavior: securityHeaders("'none'", true),
    });
    // No X-Frame-Options here: it cannot name an origin, and the shop frames this page.
    this.customerPolicy = new cloudfront.ResponseHeadersPolicy(this, 'CustomerHeaders', {
      comment: 'Digital downloads customer page: framed by the shop only',
      securityHeadersBehavior: securityHeaders(shopOrigin, false),
    });

    const router = new cloudfront.Function(this, 'PageRouter', {
      comment: 'Serves each page index.html for every path under it',
      code: cloudfront.FunctionCode.fromInline(PAGE_ROUTER),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const pageBehavior = (responseHeadersPolicy: cloudfront.IResponseHeadersPolicy): cloudfront.BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      compress: true,
      responseHeadersPolicy,
      functionAssociations: [{ function: router, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Digital downloads web UI',
      // The console, its config.json and the shared bundles.
      defaultBehavior: pageBehavior(this.consolePolicy),
      additionalBehaviors: { '/account/downloads*': pageBehavior(this.customerPolicy) },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The pages are sold and used worldwide wherever the shop sells; there is no country to exclude, and the API, not the pages, decides who may do what.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves only static, cacheable files (no origin logic to attack); a WAF web ACL costs per month and belongs in front of the API if anywhere, which is throttled in API Gateway.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Static pages only: the requests that matter (sign-in, API calls, downloads) are logged by the identity provider and the API access log; CloudFront standard logs can be added with a log bucket if wanted.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, with which CloudFront fixes the viewer policy at TLSv1; a custom domain with an ACM certificate would allow TLSv1.2_2021 as the minimum.',
      },
    );

    const hasBuild = existsSync(webDist);
    if (hasBuild) {
      // Hashed bundles never change: cached for a year, and kept on redeploy (prune off) for pages still open in browsers.
      new BucketDeployment(this, 'DeployAssets', {
        sources: [Source.asset(`${webDist}/${ASSETS_PREFIX}`)],
        destinationBucket: this.bucket,
        destinationKeyPrefix: ASSETS_PREFIX,
        prune: false,
        cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      });
      // The pages are revalidated on every load; config.json and the bundles are left alone (excluded from pruning too).
      this.pagesDeployment = new BucketDeployment(this, 'DeployPages', {
        sources: [Source.asset(webDist, { exclude: [`${ASSETS_PREFIX}**`, CONFIG_KEY] })],
        destinationBucket: this.bucket,
        exclude: [`${ASSETS_PREFIX}*`, CONFIG_KEY],
        cacheControl: [CacheControl.noCache()],
        distribution: this.distribution,
        distributionPaths: ['/console/*', '/account/downloads*'],
      });
    } else {
      Annotations.of(this).addWarning(MISSING_BUILD_WARNING);
    }

    // Written here, from this deployment's settings, not baked into the build: one build serves every stage.
    this.configDeployment = new BucketDeployment(this, 'DeployConfig', {
      sources: [
        Source.jsonData(CONFIG_KEY, {
          mode: 'oidc',
          issuer: props.jwtIssuer,
          clientId: props.webClientId,
          customerClientId: props.customerClientId,
          apiUrl: props.apiUrl,
          embedOrigins: [shopOrigin],
        }),
      ],
      destinationBucket: this.bucket,
      // Only config.json: pruning would delete the pages.
      prune: false,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: [`/${CONFIG_KEY}`],
    });

    // The provider CDK adds for BucketDeployment (one per stack): its code and grants are aws-cdk-lib's.
    const bucketId = this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    // As cdk-nag prints it: literal where the environment is known, <AWS::X> where it is not.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const assetsBucket = `arn:${shown(this.partition, 'Partition')}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${shown(this.account, 'AccountId')}-${shown(this.region, 'Region')}/*`;
    for (const provider of this.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      Validations.of(provider).acknowledge(
        {
          id: 'AwsSolutions-L1',
          reason: "CDK's own BucketDeployment provider: its runtime is chosen by aws-cdk-lib and moves with it, not set by this app.",
        },
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's own BucketDeployment provider attaches AWSLambdaBasicExecutionRole (writing its logs only); no function of this service uses that role.",
        },
        ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `CDK's BucketDeployment provider syncs the staged build into the web bucket (read, list, write, prune): ${action} is its grant, generated by aws-cdk-lib.`,
        })),
        {
          id: `AwsSolutions-IAM5[Resource::${assetsBucket}]`,
          reason: "CDK's BucketDeployment provider reads the build's zip from the bootstrap assets bucket, where the CDK CLI uploaded it under a hashed key.",
        },
        {
          id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
          reason: "CDK's BucketDeployment provider writes and prunes any page or bundle key of the web bucket, which holds nothing else.",
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            "CloudFront invalidations cannot be scoped to a distribution by CDK's BucketDeployment provider policy (cloudfront:CreateInvalidation and GetInvalidation on *); it only invalidates this distribution's page paths.",
        },
      );
    }

    const url = `https://${this.distribution.distributionDomainName}`;
    new CfnOutput(this, 'ConsoleUrl', { value: `${url}/console/`, description: 'The operator console' });
    new CfnOutput(this, 'CustomerPageUrl', { value: `${url}/account/downloads`, description: 'The customer downloads page: the shop frames or links it' });
  }
}
