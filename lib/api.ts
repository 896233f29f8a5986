import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { TABLE_ENV, type TableName } from '../adapters/dynamo/tables';
import {
  ADMIN_SCOPE,
  EVENT_RULES,
  HTTP_ROUTES,
  STREAM_CONSUMERS,
  type EventRule,
  type FunctionName,
  type HttpRoute,
  type StreamConsumer,
} from '../functions/manifest';
import { ApiFunction, type TableAccess } from './constructs/api-function';
import { AsyncTriggers } from './events';
import { FUNCTION_ACCESS } from './function-access';
import { Monitoring } from './monitoring';
import type { DeploymentSettings } from './settings';
import type { StatefulResources } from './storage';

export interface DigitalDownloadsApiProps extends StackProps, DeploymentSettings {
  readonly data: StatefulResources;
  /** How long a link's download log is kept. @default 365 */
  readonly linkLogRetentionDays?: number;
  /** Browser origins allowed to call the API. @default the origin of publicBaseUrl */
  readonly corsAllowOrigins?: string[];
  /** What to deploy. @default the catalog in functions/catalog.ts */
  readonly catalog?: { routes?: readonly HttpRoute[]; eventRules?: readonly EventRule[]; streamConsumers?: readonly StreamConsumer[] };
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
 * The stateless stack: the HTTP API with its JWT authorizer, one function per
 * catalog function name, bus rules and stream consumers, and the alarms. It
 * holds no data (except dead letters) and can be destroyed and redeployed at will.
 */
export class DigitalDownloadsApi extends Stack {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly functions = new Map<FunctionName, ApiFunction>();
  readonly triggers: AsyncTriggers;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: DigitalDownloadsApiProps) {
    super(scope, id, props);
    const routes = props.catalog?.routes ?? HTTP_ROUTES;
    const eventRules = props.catalog?.eventRules ?? EVENT_RULES;
    const streamConsumers = props.catalog?.streamConsumers ?? STREAM_CONSUMERS;
    const { tables, filesBucket, signingKey, filesAccess } = props.data;
    const asyncFunctions = new Set<FunctionName>([...eventRules.map((r) => r.function), ...streamConsumers.map((c) => c.function)]);

    // functions/shared/config.ts validates every resource name at cold start, so each function gets
    // all of them; names grant nothing, the role decides what a function may touch.
    const environment: Record<string, string> = {
      ...Object.fromEntries((Object.keys(TABLE_ENV) as TableName[]).map((name) => [TABLE_ENV[name], tables[name].tableName])),
      FILES_BUCKET: filesBucket.bucketName,
      SIGNING_KEY_SECRET_ID: signingKey.secretArn,
      PUBLIC_BASE_URL: props.publicBaseUrl,
      EVENT_BUS_NAME: 'default',
      LINK_LOG_RETENTION_DAYS: String(props.linkLogRetentionDays ?? 365),
      SENDER_EMAIL: props.senderEmail,
      // The files bucket refuses GETs signed longer ago than this plus a minute, whichever function presigns them.
      PRESIGNED_URL_TTL_SECONDS: String(props.presignedUrlTtlSeconds),
    };
    const functionEnvironment: Partial<Record<FunctionName, Record<string, string>>> = {
      download: {
        DOWNLOAD_RATE_LIMIT_PER_MINUTE: String(props.downloadRateLimitPerCustomer),
        DOWNLOAD_RATE_LIMIT_BURST: String(props.downloadBurstLimitPerCustomer),
      },
    };
    // 0 means none: Lambda keeps 100 of an account's concurrency unreserved (all of it on new accounts limited to 10),
    // so a reservation only deploys where the limit is at least 100 more than it.
    const reservedConcurrency: Partial<Record<FunctionName, number>> =
      props.paymentEventsConcurrency > 0 ? { 'payment-events': props.paymentEventsConcurrency } : {};
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');

    const functionFor = (name: FunctionName): ApiFunction => {
      const existing = this.functions.get(name);
      if (existing) return existing;
      const access = FUNCTION_ACCESS[name];
      const fn = new ApiFunction(this, pascal(name), {
        name,
        environment: { ...environment, ...functionEnvironment[name] },
        memorySize: access.memorySize,
        timeout: Duration.seconds(asyncFunctions.has(name) ? 30 : 10),
        reservedConcurrentExecutions: reservedConcurrency[name],
      });
      for (const [table, level] of Object.entries(access.tables ?? {}) as [TableName, TableAccess][]) {
        fn.bindTable(table, tables[table], level, { scan: access.scan?.includes(table) ?? false });
      }
      if (access.files) fn.role.addManagedPolicy(filesAccess[access.files]);
      if (access.signingKey) signingKey.grantRead(fn.role);
      if (access.publishEvents) defaultBus.grantPutEventsTo(fn.role);
      if (access.sendEmail) {
        const identity = (identityName: string) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: identityName });
        const domain = props.senderEmail.slice(props.senderEmail.indexOf('@') + 1);
        fn.allow(['ses:SendEmail'], [identity(props.senderEmail), identity(domain)]);
      }
      this.functions.set(name, fn);
      return fn;
    };

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const corsOrigins = props.corsAllowOrigins ?? [new URL(props.publicBaseUrl).origin, ...props.webOrigins];

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: 'digital-downloads',
      description: 'Digital downloads: customer downloads and the admin API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: corsOrigins,
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
        destination: new apigw.LogGroupLogDestination(accessLogs),
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

    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, { jwtAudience: props.jwtAudience });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const throttledRoutes = new Map<HttpRoute['routeKey'], apigw.CfnRoute[]>();
    for (const route of routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, functionFor(route.function).function);
        integrations.set(route.function, integration);
      }
      const { method, path } = splitRouteKey(route.routeKey);
      const added = this.httpApi.addRoutes({
        path,
        methods: [method],
        integration,
        authorizer,
        ...(route.access === 'admin' ? { authorizationScopes: [ADMIN_SCOPE] } : {}),
      });
      if (ROUTE_THROTTLED.includes(route.function)) {
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
          { ThrottlingRateLimit: props.downloadRateLimit, ThrottlingBurstLimit: props.downloadBurstLimit },
        ]),
      );
      for (const route of [...throttledRoutes.values()].flat()) cfnStage.addResourceDependency(route);
    }

    this.triggers = new AsyncTriggers(this, 'Async', { eventRules, streamConsumers, tables, functionFor });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      httpApi: this.httpApi,
      functions: this.functions,
      alarms: this.triggers.alarms,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'SNS topic every alarm notifies: subscribe a pager, chat or email to it',
    });
  }
}
