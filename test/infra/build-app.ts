import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import type { IConstruct } from 'constructs';
import type { DigitalDownloadsApi } from '../../lib/api-stack';
import type { DigitalDownloadsData } from '../../lib/data-stack';
import { buildDeployment, type DeploymentOptions } from '../../lib/deployment';
import { readSettings } from '../../lib/settings';

/** The context `cdk synth` runs with: the defaults and feature flags of cdk.json. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

/**
 * A shop's real-looking values for the required settings (nothing here is a
 * placeholder), so the templates are the ones a shop would deploy.
 */
export const SHOP_CONTEXT: Record<string, string> = {
  jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  webClientId: '4s2ab0qcl8p3h1kml5b6c1d7e9',
  customerClientId: '6c0ab0qzk2p7h9mnl4b3c8d1f2',
  shopUrl: 'https://shop.adas-books.co.uk',
  senderEmail: 'downloads@adas-books.co.uk',
};

/** The run's temporary directory (test/support/test-temp.ts), removed when the run ends. */
export const testTemp = (): string => inject('testTemp');

/** A new cloud assembly directory in it: an App without one makes its own in /tmp and leaves it there. */
export const assemblyDir = (): string => mkdtempSync(join(testTemp(), 'cdk.out-'));

/**
 * A tiny web build in the layout of `npm run build:web` (web/dist), so the
 * tests do not depend on whether the real one was built.
 */
export const webDistFixture = (): string => {
  const dir = mkdtempSync(join(testTemp(), 'web-dist-'));
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

export interface BuiltApp {
  app: App;
  data: DigitalDownloadsData;
  api: DigitalDownloadsApi;
}

export interface TestApp extends BuiltApp {
  dataTemplate: Template;
  apiTemplate: Template;
}

export interface BuildOptions extends Omit<DeploymentOptions, 'webDist'> {
  /** Context on top of cdk.json's; `SHOP_CONTEXT` unless `example` is set. */
  context?: Record<string, unknown>;
  /** Build from the example configuration (no shop values) instead of SHOP_CONTEXT. */
  example?: boolean;
  webDist?: string;
  /**
   * aws-cdk-lib's built-in CloudFormation validation (a WASM linter, ~4 s of CPU a synth). Off for the tests that
   * read templates; test/infra/nag.test.ts runs it on the shop's and the example's app and requires it clean.
   */
  cloudFormationValidation?: boolean;
}

/**
 * The app as bin/app.ts builds it (lib/deployment.ts), with cdk.json's
 * context and a shop's values, but without bundling (no esbuild run) and,
 * unless asked, without CloudFormation validation: the handler entries must
 * still exist. The web UI is deployed from a fixture
 * build unless `webDist` says otherwise.
 */
export const buildApp = (options: BuildOptions = {}): BuiltApp => {
  const app = new App({
    outdir: assemblyDir(),
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...(options.example ? {} : SHOP_CONTEXT), ...options.context },
  });
  const { data, api } = buildDeployment(app, readSettings(app.node), {
    manifest: options.manifest,
    names: options.names,
    webDist: options.webDist ?? sharedWebDistFixture(),
  });
  return { app, data, api };
};

let shopApp: TestApp | undefined;

/**
 * The app synthesized, its two templates ready for assertions. The shop's
 * default app (no options) is synthesized once per worker and shared by the
 * files that run in it (the infra files share their module cache, see
 * vitest.config.ts): a test reads it and never adds to it.
 */
export const synthApp = (options: BuildOptions = {}): TestApp => {
  const isDefault = Object.keys(options).length === 0;
  if (isDefault && shopApp) return shopApp;
  const built = buildApp(options);
  const synthesized = { ...built, dataTemplate: Template.fromStack(built.data), apiTemplate: Template.fromStack(built.api) };
  if (isDefault) shopApp = synthesized;
  return synthesized;
};

export const logicalId = (construct: IConstruct): string => {
  const stack = Stack.of(construct);
  const child = construct.node.defaultChild ?? construct;
  return stack.resolve(stack.getLogicalId(child as never)) as string;
};

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The actions of a statement list that are allowed, flattened. */
export const allowedActions = (statements: Statement[]): string[] => statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action));

/** Every statement that applies to a role of the API stack; the test fails if it attaches any managed policy. */
export const roleStatements = (t: TestApp, roleLogicalId: string): Statement[] => {
  const role = t.apiTemplate.toJSON().Resources[roleLogicalId];
  if ((role?.Properties?.ManagedPolicyArns ?? []).length > 0)
    throw new Error(`${roleLogicalId} attaches managed policies: grants belong in its own inline policy`);
  return Object.values(t.apiTemplate.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
};

/** A template value rendered as one string (`Fn::Join` flattened, references as `<Ref>`), for matching names and ARNs. */
export const flat = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flat).join(',');
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flat).join(sep);
    }
    if ('Ref' in v) return `<${v.Ref as string}>`;
    if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    return JSON.stringify(value);
  }
  return String(value);
};
