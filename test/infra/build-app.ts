import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { DigitalDownloadsApi, type DigitalDownloadsApiProps } from '../../lib/api';
import { readSettings } from '../../lib/settings';
import { DigitalDownloadsData } from '../../lib/storage';
import { DigitalDownloadsWeb } from '../../lib/web';

/** The context `cdk synth` runs with: the defaults and feature flags of cdk.json. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

/**
 * A tiny web build in the layout of `npm run build:web` (web/dist), so the
 * tests do not depend on whether the real one was built.
 */
export const webDistFixture = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-web-dist-'));
  const files: Record<string, string> = {
    'console/index.html': '<!doctype html><script type="module" src="/dd-assets/console-test.js"></script>',
    'account/downloads/index.html': '<!doctype html><script type="module" src="/dd-assets/account-test.js"></script>',
    'dd-assets/console-test.js': 'export {};',
    'dd-assets/account-test.js': 'export {};',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
};

let sharedWebDist: string | undefined;
/** One fixture build for every app a test file synthesizes. */
const sharedWebDistFixture = (): string => {
  sharedWebDist ??= webDistFixture();
  return sharedWebDist;
};

export interface TestApp {
  app: App;
  data: DigitalDownloadsData;
  api: DigitalDownloadsApi;
  dataTemplate: Template;
  web: DigitalDownloadsWeb;
  apiTemplate: Template;
  webTemplate: Template;
}

/**
 * The app as bin/app.ts builds it, with cdk.json's context, but without
 * bundling (no esbuild run): the handler entries must still exist. The web UI
 * is deployed from a fixture build unless `webDist` says otherwise.
 */
export const buildApp = (
  options: { context?: Record<string, unknown>; catalog?: DigitalDownloadsApiProps['catalog']; webDist?: string } = {},
): Omit<TestApp, 'dataTemplate' | 'apiTemplate' | 'webTemplate'> => {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...options.context } });
  const settings = readSettings(app.node);
  const data = new DigitalDownloadsData(app, 'DigitalDownloadsData', { presignedUrlTtlSeconds: settings.presignedUrlTtlSeconds });
  const api = new DigitalDownloadsApi(app, 'DigitalDownloadsApi', { data, ...settings, catalog: options.catalog });
  const web = new DigitalDownloadsWeb(app, 'DigitalDownloadsWeb', {
    apiUrl: api.stage.url,
    apiEndpoint: api.httpApi.apiEndpoint,
    ...settings,
    webDist: options.webDist ?? sharedWebDistFixture(),
  });
  return { app, data, api, web };
};

export const synthApp = (options: Parameters<typeof buildApp>[0] = {}): TestApp => {
  const built = buildApp(options);
  return {
    ...built,
    dataTemplate: Template.fromStack(built.data),
    apiTemplate: Template.fromStack(built.api),
    webTemplate: Template.fromStack(built.web),
  };
};

export const logicalId = (construct: IConstruct): string => {
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(construct.node.defaultChild as never)) as string;
};

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The actions of a statement list that are allowed, flattened. */
export const allowedActions = (statements: Statement[]): string[] => statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action));

/**
 * Every statement that applies to a role of the API stack: its inline
 * policies, and the managed policies it attaches from the data stack (found
 * through the data stack's output the reference reads).
 */
export const roleStatements = (t: TestApp, roleLogicalId: string): Statement[] => {
  const inline = Object.values(t.apiTemplate.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  const role = t.apiTemplate.toJSON().Resources[roleLogicalId];
  const outputs = t.dataTemplate.toJSON().Outputs ?? {};
  const dataResources = t.dataTemplate.toJSON().Resources;
  const managed = ((role?.Properties?.ManagedPolicyArns ?? []) as unknown[]).flatMap((arn) => {
    const outputName = JSON.stringify(arn).match(/"OutputName":"([^"]+)"/)?.[1];
    if (!outputName) throw new Error(`cannot follow managed policy ${JSON.stringify(arn)}`);
    const policyId = outputs[outputName]?.Value?.Ref as string | undefined;
    const policy = policyId ? dataResources[policyId] : undefined;
    if (policy?.Type !== 'AWS::IAM::ManagedPolicy') throw new Error(`managed policy ${JSON.stringify(arn)} is not in the data stack`);
    return policy.Properties.PolicyDocument.Statement as Statement[];
  });
  return [...inline, ...managed];
};
