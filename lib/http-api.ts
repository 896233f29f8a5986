import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type Access, ADMIN_SCOPE, type FunctionName, type HttpRoute } from '../functions/manifest';
import type { Functions } from './functions';

export interface DownloadsHttpApiProps {
  readonly jwtIssuer: string;
  /** Every accepted `aud`/`client_id`: the web clients' ids included (DeploymentSettings.jwtAudience). */
  readonly jwtAudience: readonly string[];
  /** Origins allowed by CORS (the shop's, whose pages may call the API with their own tokens); the web UI needs none, it is same-origin. */
  readonly corsAllowOrigins: readonly string[];
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  readonly downloadRateLimit: number;
  readonly downloadBurstLimit: number;
}

const pascal = (name: string) => name.replace(/(^|[-_])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());

const splitRouteKey = (routeKey: HttpRoute['routeKey']) => {
  const [method, path] = routeKey.split(' ') as [keyof typeof apigw.HttpMethod, string];
  return { method: apigw.HttpMethod[method], path };
};

/**
 * The functions whose routes get their own, lower throttling: a flood of
 * downloads is cut at API Gateway before it takes the account's Lambda
 * concurrency that the admin routes and payment events also run on.
 */
const ROUTE_THROTTLED: readonly FunctionName[] = ['download'];

/**
 * The HTTP API: every route but the public ones behind the JWT authorizer (issuer, audience, and
 * the admin scope on admin routes), stage throttling with a lower limit on
 * the download route, and access logs that name the route, never the path
 * (paths carry tokens). Routes are added once the functions exist.
 */
export class DownloadsHttpApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  private readonly authorizer: HttpJwtAuthorizer;
  private readonly props: DownloadsHttpApiProps;

  constructor(scope: Construct, id: string, props: DownloadsHttpApiProps) {
    super(scope, id);
    this.props = props;
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: 'digital-downloads',
      description: 'Digital downloads: customer downloads and the admin API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.corsAllowOrigins],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // The default of each route (not a pool they share); the download route has its own below.
      throttle: { rateLimit: props.apiRateLimit, burstLimit: props.apiBurstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // The route key, never the path: a path can carry a download token.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, { jwtAudience: [...props.jwtAudience] });
  }

  /** Adds the manifest's routes, each to its function. */
  addRoutes(routes: readonly HttpRoute[], functions: Functions): void {
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const throttledRoutes = new Map<HttpRoute['routeKey'], apigw.CfnRoute[]>();
    for (const route of routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, functions.get(route.function).function);
        integrations.set(route.function, integration);
      }
      const { method, path } = splitRouteKey(route.routeKey);
      const added = this.httpApi.addRoutes({
        path,
        methods: [method],
        integration,
        // A public route carries its own credential (a license key, a webhook signature), checked by its handler.
        authorizer: (route.access as Access) === 'public' ? new apigw.HttpNoneAuthorizer() : this.authorizer,
        ...(route.access === 'admin' ? { authorizationScopes: [ADMIN_SCOPE] } : {}),
      });
      if ((route.access as Access) === 'public') {
        for (const r of added) {
          Validations.of(r).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `${route.routeKey} is public by the contract: the seller's software (a license key) or a storefront webhook (its signature) calls it without a JWT, and its handler checks that credential; it is throttled like the download route.`,
          });
        }
      }
      // Routes anyone can call without a token get the download route's lower limits too.
      if (ROUTE_THROTTLED.includes(route.function) || (route.access as Access) === 'public') {
        throttledRoutes.set(
          route.routeKey,
          added.map((r) => r.node.defaultChild as apigw.CfnRoute),
        );
      }
    }

    // HttpStage has no per-route settings; the L1 stage does. API Gateway rejects settings for a route it does not
    // know yet, so the stage waits for those routes.
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    if (throttledRoutes.size > 0) {
      cfnStage.routeSettings = Object.fromEntries(
        [...throttledRoutes.keys()].map((routeKey) => [
          routeKey,
          { ThrottlingRateLimit: this.props.downloadRateLimit, ThrottlingBurstLimit: this.props.downloadBurstLimit },
        ]),
      );
      for (const route of [...throttledRoutes.values()].flat()) cfnStage.addResourceDependency(route);
    }
  }
}
