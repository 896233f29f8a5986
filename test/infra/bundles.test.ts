import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE_OPTIONS } from '../../bench/bundle';
import { type FunctionName, handlerEntry } from '../../functions/manifest';
import { NODE_MAJOR, REPO_ROOT } from '../../lib/constructs/api-function';
import { synthApp, testTemp } from './build-app';

/**
 * Each function as Lambda runs it: bundled with the construct's esbuild
 * options (bench/bundle.ts keeps a checked copy), then imported by a bare
 * `node` with nothing but the variables the synthesized template gives that
 * function. A bundle that does not load, or a variable functions/shared/config.ts
 * needs and the stack forgot, fails here instead of at the first cold start.
 */
const t = synthApp();
const PSEUDO: Record<string, string> = {
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '111122223333',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::Partition': 'aws',
};

/** A template value as CloudFormation would resolve it, with made-up but well-formed values for resources. */
const resolve = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(resolve).join(sep);
  }
  if ('Ref' in v) return PSEUDO[v.Ref as string] ?? `resolved-${String(v.Ref).toLowerCase()}`;
  if ('Fn::GetAtt' in v) return `d111111abcdef8-${String((v['Fn::GetAtt'] as string[])[0]).toLowerCase()}.cloudfront.net`;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
};

const deployed = Object.values(t.apiTemplate.findResources('AWS::Lambda::Function'))
  .filter((fn) => String(fn.Properties.Description ?? '').startsWith('digital-downloads '))
  .map((fn) => ({
    name: String(fn.Properties.Description).replace('digital-downloads ', '') as FunctionName,
    runtime: fn.Properties.Runtime as string,
    environment: Object.fromEntries(Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([k, v]) => [k, resolve(v)])),
  }));
const outDir = mkdtempSync(join(testTemp(), 'bundles-'));
const outfileOf = (name: string) => join(outDir, name, 'index.mjs');
// One esbuild run for every function: each entry is still bundled on its own (no code splitting), but the SDK and
// the core are parsed once instead of once per function.
let bundled: Awaited<ReturnType<typeof build>>;
beforeAll(async () => {
  bundled = await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    absWorkingDir: REPO_ROOT,
    entryPoints: Object.fromEntries(deployed.map((fn) => [`${fn.name}/index`, handlerEntry(fn.name)])),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
  });
});

describe('function bundles', () => {
  it(`target Node.js ${NODE_MAJOR}, the runtime every function is deployed on`, () => {
    expect(LAMBDA_BUNDLE_OPTIONS.target).toBe(`node${NODE_MAJOR}`);
    expect(deployed.length).toBeGreaterThan(0);
    for (const fn of deployed) expect(fn.runtime, fn.name).toBe(`nodejs${NODE_MAJOR}.x`);
  });

  it('leave every AWS SDK client out of the download function (its three calls go over adapters/aws/wire.ts)', async () => {
    // Prepare
    expect(deployed.map((fn) => fn.name)).toContain('download');

    // Act
    const output = Object.entries(bundled.metafile?.outputs ?? {}).find(([name]) => name.endsWith('/download/index.mjs'))?.[1];

    // Assess
    // What esbuild kept (files it visited and shook off entirely have no bytes in the output).
    const inputs = Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path);
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((path) => /@aws-sdk\/(client-|lib-dynamodb|credential-provider|s3-request-presigner)/.test(path))).toEqual([]);
  });

  it.each(deployed.map((fn) => [fn.name, fn] as const))('%s loads in a bare node with only its deployed environment', async (name, fn) => {
    // Prepare
    const outfile = outfileOf(name);
    // What Lambda adds (its own name, credentials); NODE_OPTIONS as the stack sets it.
    const env = {
      ...fn.environment,
      AWS_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: `DigitalDownloadsApi-${name}`,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE000000000',
      AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
      ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
      // Lambda runs Node 24; the SDK's notice is about this machine's Node 20 only.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };

    // Act
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(typeof m.handler);`],
      { env, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] },
    );

    // Assess
    expect(out.trim().split('\n').at(-1)).toBe('function');
  });
});
