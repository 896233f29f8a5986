import { createHash } from 'node:crypto';
import { CfnOutput, Names, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TableName } from '../adapters/dynamo/tables';
import { type EventRule, type HttpRoute, PARTNER_EVENT_RULES, SCHEDULES, type StreamConsumer } from '../functions/manifest';
import { StorefrontConnectors } from './constructs/storefront-connectors';
import { OperationsDashboard } from './dashboard';
import { DataBinding } from './data-binding';
import { EmailSending, sendingIdentities } from './email';
import { EventConsumers } from './events';
import { Functions } from './functions';
import { DownloadsHttpApi } from './http-api';
import { Monitoring } from './monitoring';
import type { ResourceNames } from './names';
import type { DeploymentSettings } from './settings';
import { Schedules } from './schedules';
import { StorefrontAccess } from './storefront-access';
import { StreamConsumers } from './streams';
import { Web } from './web';

export interface DigitalDownloadsApiProps extends StackProps, Omit<DeploymentSettings, 'placeholders'> {
  readonly names: ResourceNames;
  /** The ARN of each table stream, from the data stack. */
  readonly streamArns: Readonly<Partial<Record<TableName, string>>>;
  readonly routes: readonly HttpRoute[];
  readonly eventRules: readonly EventRule[];
  readonly streamConsumers: readonly StreamConsumer[];
  /** The built pages. @default web/dist */
  readonly webDist?: string;
}

/**
 * The stateless stack: it holds no data and no message, so it can be
 * destroyed and re-created at will (stream consumers then replay up to a day
 * of changes, harmlessly: lib/streams.ts). The functions and their access,
 * the HTTP API, the CloudFront distribution serving the pages and the API,
 * the bus rules and event sources that feed the data stack's queues to the
 * functions, the stream consumers, the schedules, SES's configuration set, the optional
 * storefront bus policy, the alarms and the dashboard.
 */
export class DigitalDownloadsApi extends Stack {
  readonly data: DataBinding;
  readonly api: DownloadsHttpApi;
  readonly web: Web;
  readonly functions: Functions;
  readonly eventConsumers: EventConsumers;
  readonly email: EmailSending;
  readonly storefronts?: StorefrontAccess;
  readonly connectors?: StorefrontConnectors;
  readonly monitoring: Monitoring;
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: DigitalDownloadsApiProps) {
    super(scope, id, props);
    const { names } = props;
    this.data = new DataBinding(this, 'Data', {
      names,
      streamArns: props.streamArns,
      eventRules: props.eventRules,
      streamConsumers: props.streamConsumers,
    });
    this.api = new DownloadsHttpApi(this, 'Api', {
      jwtIssuer: props.jwtIssuer,
      jwtAudience: props.jwtAudience,
      corsAllowOrigins: [new URL(props.shopUrl).origin],
      apiRateLimit: props.apiRateLimit,
      apiBurstLimit: props.apiBurstLimit,
      downloadRateLimit: props.downloadRateLimit,
      downloadBurstLimit: props.downloadBurstLimit,
    });
    // Not a secret unless -c edgeToken=… gives one (it only decides whose address a request's log line records).
    const edgeToken =
      props.edgeToken ??
      createHash('sha256')
        .update(`${Names.uniqueId(this)}#edge`)
        .digest('base64url')
        .slice(0, 32);
    this.web = new Web(this, 'Web', {
      edgeToken,
      apiEndpoint: this.api.httpApi.apiEndpoint,
      jwtIssuer: props.jwtIssuer,
      shopUrl: props.shopUrl,
      webClientId: props.webClientId,
      customerClientId: props.customerClientId,
      domainName: props.domainName,
      certificateArn: props.certificateArn,
      webDist: props.webDist,
    });
    // The distribution depends on the API only (not on its routes), so the functions may name it without a cycle.
    const publicBaseUrl = props.publicBaseUrl ?? this.web.url;
    const partnerEventBuses = { shopify: props.shopifyEventBus, stripe: props.stripeEventBus };
    const partnerEventRules = PARTNER_EVENT_RULES.filter((rule) => partnerEventBuses[rule.provider]);
    this.functions = new Functions(this, 'Functions', {
      edgeToken,
      names,
      data: this.data,
      routes: props.routes,
      eventRules: props.eventRules,
      streamConsumers: props.streamConsumers,
      partnerEventRules,
      schedules: SCHEDULES,
      publicBaseUrl,
      senderEmail: props.senderEmail,
      shopName: props.shopName,
      presignedUrlTtlSeconds: props.presignedUrlTtlSeconds,
      downloadRateLimitPerCustomer: props.downloadRateLimitPerCustomer,
      downloadBurstLimitPerCustomer: props.downloadBurstLimitPerCustomer,
      reservedConcurrency: props.paymentEventsConcurrency ? { 'payment-events': props.paymentEventsConcurrency } : {},
    });
    this.api.addRoutes(props.routes, this.functions);
    this.eventConsumers = new EventConsumers(this, 'Events', { names, eventRules: props.eventRules, data: this.data, functions: this.functions });
    new StreamConsumers(this, 'Streams', { streamConsumers: props.streamConsumers, data: this.data, functions: this.functions });
    new Schedules(this, 'Schedules', { schedules: SCHEDULES, functions: this.functions });
    this.email = new EmailSending(this, 'Email', {
      senders: this.functions.senders,
      identities: sendingIdentities(props.senderEmail, props.sandboxRecipients),
    });
    // The WooCommerce webhook is a route like the others; the partner buses only when the settings name them.
    const wooCommerce = props.routes.some((r) => r.function === 'woocommerce-webhook');
    if (wooCommerce || partnerEventRules.length > 0) {
      this.connectors = new StorefrontConnectors(this, 'StorefrontConnectors', {
        names,
        wooCommerce,
        functions: this.functions,
        partnerEventBuses,
        partnerEventRules,
        alarmTopic: this.data.alarmTopic,
      });
    }
    if (props.storefrontAccountIds.length > 0) this.storefronts = new StorefrontAccess(this, 'Storefronts', { accountIds: props.storefrontAccountIds });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      httpApi: this.api.httpApi,
      functions: this.functions,
      streamConsumers: props.streamConsumers,
      configurationSetName: this.email.configurationSet.configurationSetName,
      alarmTopic: this.data.alarmTopic,
    });
    this.dashboard = new OperationsDashboard(this, 'Dashboard', {
      httpApi: this.api.httpApi,
      functions: this.functions,
      data: this.data,
      streamConsumers: props.streamConsumers,
      alarms: this.monitoring.alarms,
    });

    new CfnOutput(this, 'PublicBaseUrl', { value: publicBaseUrl, description: 'Where downloadUrls point' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'The HTTP API itself (the distribution serves it too, on the pages origin)' });
  }
}
