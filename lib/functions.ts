import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { TABLE_ENV, type TableName } from '../adapters/dynamo/tables';
import type { EventRule, FunctionName, HttpRoute, PartnerEventRule, ScheduledRun, StreamConsumer } from '../functions/manifest';
import { ApiFunction, FUNCTION_TIMEOUTS, type TableAccess } from './constructs/api-function';
import type { DataBinding } from './data-binding';
import { FUNCTION_ACCESS } from './function-access';
import type { ResourceNames } from './names';

export interface FunctionsProps {
  readonly names: ResourceNames;
  readonly data: DataBinding;
  readonly routes: readonly HttpRoute[];
  readonly eventRules: readonly EventRule[];
  readonly streamConsumers: readonly StreamConsumer[];
  /** The storefronts' partner-bus rules this deployment has (the ones whose bus the settings name). */
  readonly partnerEventRules?: readonly PartnerEventRule[];
  /** The functions run on a schedule (lib/schedules.ts). */
  readonly schedules?: readonly ScheduledRun[];
  /** The token the distribution's function sends with every API request (EDGE_TOKEN). */
  readonly edgeToken: string;
  /** Where `downloadUrl`s point. */
  readonly publicBaseUrl: string;
  readonly senderEmail: string;
  readonly shopName?: string;
  /** How long a link's download log is kept. @default 365 */
  readonly linkLogRetentionDays?: number;
  readonly presignedUrlTtlSeconds: number;
  readonly downloadRateLimitPerCustomer: number;
  readonly downloadBurstLimitPerCustomer: number;
  /** Reserved concurrency per function; none by default (see DeploymentSettings.paymentEventsConcurrency). */
  readonly reservedConcurrency?: Partial<Record<FunctionName, number>>;
}

const pascal = (name: string) => name.replace(/(^|[-_])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());

/**
 * One function per name the manifest routes, triggers or streams to, each
 * with exactly the access `FUNCTION_ACCESS` gives it (in its own role's
 * inline policy) and the configuration functions/shared/config.ts requires.
 * Functions no route, rule or stream uses are not deployed.
 */
export class Functions extends Construct {
  private readonly byName = new Map<FunctionName, ApiFunction>();

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { data, names } = props;
    const asyncFunctions = new Set<FunctionName>([
      ...props.eventRules.map((r) => r.function),
      ...(props.partnerEventRules ?? []).map((r) => r.function),
      ...props.streamConsumers.map((c) => c.function),
      ...(props.schedules ?? []).map((s) => s.function),
    ]);
    const deployed = new Set<FunctionName>([...props.routes.map((r) => r.function), ...asyncFunctions]);

    // functions/shared/config.ts validates every resource name at cold start, so each function gets
    // all of them; names grant nothing, the role decides what a function may touch.
    const environment: Record<string, string> = {
      ...Object.fromEntries((Object.keys(TABLE_ENV) as TableName[]).map((name) => [TABLE_ENV[name], names.table(name)])),
      FILES_BUCKET: names.filesBucket,
      // A name, not an ARN: a named secret's ARN ends in a random suffix; GetSecretValue takes the name.
      SIGNING_KEY_SECRET_ID: names.signingKeySecret,
      LICENSE_KEY_SECRET_ID: names.licenseKeySecret,
      PUBLIC_BASE_URL: props.publicBaseUrl,
      EDGE_TOKEN: props.edgeToken,
      EVENT_BUS_NAME: 'default',
      LINK_LOG_RETENTION_DAYS: String(props.linkLogRetentionDays ?? 365),
      SENDER_EMAIL: props.senderEmail,
      ...(props.shopName ? { SHOP_NAME: props.shopName } : {}),
      // The files bucket refuses GETs signed longer ago than this plus a minute, whichever function presigns them.
      PRESIGNED_URL_TTL_SECONDS: String(props.presignedUrlTtlSeconds),
    };
    const functionEnvironment: Partial<Record<FunctionName, Record<string, string>>> = {
      download: {
        DOWNLOAD_RATE_LIMIT_PER_MINUTE: String(props.downloadRateLimitPerCustomer),
        DOWNLOAD_RATE_LIMIT_BURST: String(props.downloadBurstLimitPerCustomer),
      },
    };
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');

    for (const name of deployed) {
      const access = FUNCTION_ACCESS[name];
      const fn = new ApiFunction(this, pascal(name), {
        name,
        functionName: names.function(name),
        environment: { ...environment, ...functionEnvironment[name] },
        memorySize: access.memorySize,
        timeout: access.timeoutSeconds ? Duration.seconds(access.timeoutSeconds) : asyncFunctions.has(name) ? FUNCTION_TIMEOUTS.async : FUNCTION_TIMEOUTS.http,
        reservedConcurrentExecutions: props.reservedConcurrency?.[name],
      });
      for (const [table, level] of Object.entries(access.tables ?? {}) as [TableName, TableAccess][]) {
        fn.bindTable(table, data.tables[table], level);
      }
      if (access.files) fn.grantFiles(data.filesBucket, access.files);
      // GetSecretValue only (grantRead adds DescribeSecret, which no function calls); `-??????` is the ARN's random suffix.
      if (access.signingKey) fn.allow(['secretsmanager:GetSecretValue'], [`${data.signingKey.secretArn}-??????`]);
      if (access.licenseKey) fn.allow(['secretsmanager:GetSecretValue'], [`${data.licenseKey.secretArn}-??????`]);
      if (access.publishEvents) defaultBus.grantPutEventsTo(fn.role);
      this.byName.set(name, fn);
    }
  }

  /** The function of a manifest name; throws for a name this deployment has no function for. */
  get(name: FunctionName): ApiFunction {
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`no function ${name} is deployed (no route, rule or stream uses it)`);
    return fn;
  }

  /** Functions whose access includes sending email. */
  get senders(): ApiFunction[] {
    return this.all.filter((fn) => FUNCTION_ACCESS[fn.name].sendEmail);
  }

  get all(): ApiFunction[] {
    return [...this.byName.values()];
  }
}
