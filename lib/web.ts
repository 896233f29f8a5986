import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Where `npm run build:web` puts the console and the customer page (local/static.ts serves the same folder). */
export const WEB_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

/** Vite's `build.assetsDir`: hashed bundles both pages share. */
export const ASSETS_PREFIX = 'dd-assets/';

/** The runtime configuration's key: the pages read `/console/config.json` at start. */
export const CONFIG_KEY = 'console/config.json';

/** The customer page, where the browser path of a download link lands. */
export const CUSTOMER_PAGE_PATH = '/account/downloads';

export const MISSING_BUILD_WARNING = 'run npm run build:web before deploying the web UI';

/**
 * The paths the distribution sends to the HTTP API (every route of the
 * manifest and the other issues' public endpoints); everything else is the
 * pages. test/infra/web.test.ts checks that every route falls under one.
 */
export const API_PATH_PATTERNS = ['/downloads/*', '/admin/*', '/licenses/*', '/webhooks/*', '/.well-known/*'] as const;

/** The CloudFront Function of /downloads/*: a browser opening a link goes to the customer page (lib/cloudfront/browser-path.js). */
const BROWSER_PATH_SOURCE = readFileSync(fileURLToPath(new URL('./cloudfront/browser-path.js', import.meta.url)), 'utf8');

/** The CloudFront Function of every API behaviour, with the edge token the functions check (see EDGE_TOKEN in functions/shared/config.ts). */
export const browserPathFunction = (edgeToken: string): string => {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(edgeToken)) throw new Error('the edge token must be 16 to 128 URL-safe characters');
  return BROWSER_PATH_SOURCE.replace('__EDGE_TOKEN__', edgeToken);
};

/** The function's code as tests run it. */
export const BROWSER_PATH_FUNCTION = browserPathFunction('test-edge-token-0123456789');

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
  else if (uri === '${CUSTOMER_PAGE_PATH}' || uri.startsWith('${CUSTOMER_PAGE_PATH}/')) request.uri = '${CUSTOMER_PAGE_PATH}/index.html';
  return request;
}
`;

export interface WebProps {
  /** The HTTP API's endpoint, `https://<id>.execute-api.<region>.<suffix>`: the origin of the API behaviours. */
  readonly apiEndpoint: string;
  /** The identity provider's issuer: config.json's `issuer`; its origin is allowed by the CSP. */
  readonly jwtIssuer: string;
  /** The shop: the only origin that may frame the customer page, and hand it a token by `postMessage`. */
  readonly shopUrl: string;
  readonly webClientId: string;
  readonly customerClientId: string;
  /** A custom domain (and its us-east-1 certificate) the distribution answers for. */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** The built pages. @default web/dist of this project */
  readonly webDist?: string;
  /** Tells the functions a request came through this distribution (see EDGE_TOKEN). */
  readonly edgeToken: string;
}

/**
 * One CloudFront distribution for the browser: the operator console at
 * `/console/` and the customer page at `/account/downloads` from a private
 * bucket (Origin Access Control), and the HTTP API under `API_PATH_PATTERNS`
 * (uncached, every method, the Authorization header forwarded). The pages
 * therefore call the API on their own origin (no CORS, no second deploy to
 * learn the distribution's domain), and a download link opened in a browser
 * is turned to the customer page by a CloudFront Function. Names of
 * account-wide CloudFront resources carry the stack and Region.
 */
export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly consolePolicy: cloudfront.ResponseHeadersPolicy;
  readonly customerPolicy: cloudfront.ResponseHeadersPolicy;
  readonly apiPolicy: cloudfront.ResponseHeadersPolicy;
  readonly browserPath: cloudfront.Function;
  /** Undefined when the build is missing at synth. */
  readonly pagesDeployment?: BucketDeployment;
  readonly configDeployment: BucketDeployment;
  /** `https://<custom domain or distribution domain>`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const webDist = props.webDist ?? WEB_DIST;
    const shopOrigin = new URL(props.shopUrl).origin;
    const issuer = new URL(props.jwtIssuer);
    // CloudFront policies, access controls and functions are account-wide, not regional: a second Region would clash.
    const named = (what: string) => `${stack.stackName}-${stack.region}-${what}`;

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

    // The pages call the API on their own origin, S3 (presigned uploads) and the identity provider; Cognito's token endpoint is on its own domain.
    const connectSources = ["'self'", 'https://*.amazonaws.com', issuer.origin];
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
    const securityHeaders = (contentSecurityPolicy: string, denyFraming: boolean): cloudfront.ResponseSecurityHeadersBehavior => ({
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      contentSecurityPolicy: { contentSecurityPolicy, override: true },
      ...(denyFraming ? { frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true } } : {}),
    });
    this.consolePolicy = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      responseHeadersPolicyName: named('console'),
      comment: 'Digital downloads console: never framed',
      securityHeadersBehavior: securityHeaders(csp("'none'"), true),
    });
    // No X-Frame-Options here: it cannot name an origin, and the shop frames this page.
    this.customerPolicy = new cloudfront.ResponseHeadersPolicy(this, 'CustomerHeaders', {
      responseHeadersPolicyName: named('customer-page'),
      comment: 'Digital downloads customer page: framed by the shop only',
      securityHeadersBehavior: securityHeaders(csp(shopOrigin), false),
    });
    // JSON and redirects: nothing to render, nothing to frame.
    this.apiPolicy = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      responseHeadersPolicyName: named('api'),
      comment: 'Digital downloads API: JSON only',
      securityHeadersBehavior: securityHeaders("default-src 'none'; frame-ancestors 'none'", true),
    });

    const router = new cloudfront.Function(this, 'PageRouter', {
      functionName: named('page-router'),
      comment: 'Serves each page index.html for every path under it',
      code: cloudfront.FunctionCode.fromInline(PAGE_ROUTER),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    this.browserPath = new cloudfront.Function(this, 'BrowserPath', {
      functionName: named('browser-path'),
      comment: 'A download link opened in a browser goes to the customer page',
      code: cloudfront.FunctionCode.fromInline(browserPathFunction(props.edgeToken)),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    const originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccess', {
      originAccessControlName: named('web'),
      description: 'Digital downloads: CloudFront reads the web bucket',
    });
    const pages = S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessControl });
    const pageBehavior = (responseHeadersPolicy: cloudfront.IResponseHeadersPolicy): cloudfront.BehaviorOptions => ({
      origin: pages,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      compress: true,
      responseHeadersPolicy,
      functionAssociations: [{ function: router, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    });
    // `https://<id>.execute-api.<region>.<suffix>` → its host.
    const api = new HttpOrigin(Fn.select(2, Fn.split('/', props.apiEndpoint)), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const apiBehavior = (functions: cloudfront.FunctionAssociation[] = []): cloudfront.BehaviorOptions => ({
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // Nothing of the API is cacheable (per-caller answers, no-store); with caching off, this managed policy forwards
      // the Authorization header, the query string and every viewer header but Host (API Gateway routes on its own host).
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.apiPolicy,
      functionAssociations: functions,
    });
    const apiBehaviors = Object.fromEntries(
      API_PATH_PATTERNS.map((pattern) => [
        pattern,
        // Every API behaviour: the viewer's address for the link log and the sharing signals, the browser path on /downloads/*.
        apiBehavior([{ function: this.browserPath, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }]),
      ]),
    );

    const certificate = props.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Digital downloads: pages and API',
      // The console, its config.json and the shared bundles.
      defaultBehavior: pageBehavior(this.consolePolicy),
      additionalBehaviors: { ...apiBehaviors, [`${CUSTOMER_PAGE_PATH}*`]: pageBehavior(this.customerPolicy) },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(props.domainName && certificate
        ? { domainNames: [props.domainName], certificate, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
    });
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The pages and downloads are sold and used worldwide wherever the shop sells; there is no country to exclude, and the API, not the edge, decides who may do what.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'API Gateway throttles every route (the download route lower still) and each function answers a forged token without I/O; a WAF web ACL costs per month and per request, and can be attached to the distribution by a shop that wants bot rules.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'The requests that matter are logged behind the edge: the API access log (route, status, caller), the link log (every download attempt) and S3 server access logs (the transfers); CloudFront standard logs would repeat them.',
      },
    );
    if (!certificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without domainName/certificateArn the distribution uses the default *.cloudfront.net certificate, with which CloudFront fixes the viewer policy at TLSv1; with a custom domain it requires TLSv1.2_2021.',
      });
    }

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
        distributionPaths: ['/console/*', `${CUSTOMER_PAGE_PATH}*`],
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
          // The API is on the pages' own origin (API_PATH_PATTERNS).
          apiUrl: '',
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

    this.acknowledgeDeploymentProvider();

    new CfnOutput(stack, 'ConsoleUrl', { value: `${this.url}/console/`, description: 'The operator console' });
    new CfnOutput(stack, 'CustomerPageUrl', {
      value: `${this.url}${CUSTOMER_PAGE_PATH}`,
      description: 'The customer downloads page: the shop frames or links it',
    });
    new CfnOutput(stack, 'DistributionDomainName', {
      value: this.distribution.distributionDomainName,
      description: 'Point a custom domain (CNAME) or the shop proxy at this',
    });
  }

  /** The provider CDK adds for BucketDeployment (one per stack): its code and grants are aws-cdk-lib's. */
  private acknowledgeDeploymentProvider(): void {
    const stack = Stack.of(this);
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    // As cdk-nag prints it: literal where the environment is known, <AWS::X> where it is not.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const assetsBucket = `arn:${shown(stack.partition, 'Partition')}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${shown(stack.account, 'AccountId')}-${shown(stack.region, 'Region')}/*`;
    for (const provider of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
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
  }
}
