import { Annotations, type App, CfnRule, Fn, type Stack } from 'aws-cdk-lib';
import { TABLES, type TableName } from '../adapters/dynamo/tables';
import { EVENT_RULES, type EventRule, HTTP_ROUTES, type HttpRoute, STREAM_CONSUMERS, type StreamConsumer } from '../functions/manifest';
import { DigitalDownloadsApi } from './api-stack';
import { DigitalDownloadsData } from './data-stack';
import { ResourceNames } from './names';
import { type DeploymentSettings, placeholderMessage } from './settings';

export interface DeploymentOptions {
  /** What to deploy. @default the manifest (functions/manifest.ts) */
  readonly manifest?: { routes?: readonly HttpRoute[]; eventRules?: readonly EventRule[]; streamConsumers?: readonly StreamConsumer[] };
  /** @default the names derived from STACK_NAMES */
  readonly names?: ResourceNames;
  /** The built pages. @default web/dist */
  readonly webDist?: string;
}

export interface Deployment {
  readonly data: DigitalDownloadsData;
  readonly api: DigitalDownloadsApi;
}

/**
 * Every stack refuses to deploy while a required setting is a placeholder:
 * a CloudFormation rule that can never hold (BootstrapVersion, a number, is
 * never this text), so `cdk deploy` fails before it changes anything, naming
 * the settings to give; `cdk synth` still works (CI, a fresh clone).
 */
const refuseDeploymentOf = (stack: Stack, settings: DeploymentSettings): void => {
  const message = placeholderMessage(settings.placeholders);
  new CfnRule(stack, 'RefuseExampleConfiguration', {
    assertions: [{ assert: Fn.conditionEquals(Fn.ref('BootstrapVersion'), 'example-configuration'), assertDescription: message }],
  });
  stack.templateOptions.description = `[NOT DEPLOYABLE: example configuration] ${stack.templateOptions.description ?? ''}`.trim();
  Annotations.of(stack).addWarningV2('digital-downloads:example-configuration', message);
};

/**
 * The whole app, as bin/app.ts deploys it and the infra tests build it: the
 * data stack, then the stateless stack bound to it by name. Region and
 * account are the environment's (the stacks are environment-agnostic), so
 * the templates synthesized without AWS credentials (CI) bind to whatever
 * account and Region deploy them.
 */
export const buildDeployment = (app: App, settings: DeploymentSettings, options: DeploymentOptions = {}): Deployment => {
  const names = options.names ?? new ResourceNames();
  const routes = options.manifest?.routes ?? HTTP_ROUTES;
  const eventRules = options.manifest?.eventRules ?? EVENT_RULES;
  const streamConsumers = options.manifest?.streamConsumers ?? STREAM_CONSUMERS;

  const data = new DigitalDownloadsData(app, names.dataStack, {
    description: 'Digital downloads: tables, files bucket, link-signing key, queues, alarm topic, SES identity (stateful, retained, termination-protected)',
    names,
    eventRules,
    streamConsumers,
    presignedUrlTtlSeconds: settings.presignedUrlTtlSeconds,
    senderEmail: settings.senderEmail,
    senderIdentity: settings.senderIdentity,
    hostedZoneId: settings.hostedZoneId,
    sandboxRecipients: settings.sandboxRecipients,
    alarmEmail: settings.alarmEmail,
  });
  const streamArns = Object.fromEntries(
    (Object.keys(TABLES) as TableName[]).flatMap((name) => {
      const arn = data.storage.tables[name].tableStreamArn;
      return arn ? [[name, arn]] : [];
    }),
  );
  const { placeholders: _placeholders, ...apiSettings } = settings;
  const api = new DigitalDownloadsApi(app, names.apiStack, {
    description: 'Digital downloads: HTTP API, CloudFront, functions, event rules, alarms, dashboard (stateless, re-creatable)',
    ...apiSettings,
    names,
    streamArns,
    routes,
    eventRules,
    streamConsumers,
    webDist: options.webDist,
  });
  // Its names refer to the data stack's resources without a CDK reference for most of them: deploy that one first.
  api.addStackDependency(data);

  if (settings.placeholders.length > 0) for (const stack of [data, api]) refuseDeploymentOf(stack, settings);
  return { data, api };
};
