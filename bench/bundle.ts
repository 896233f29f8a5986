import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { dummyFunctionEnv } from './support/events';
import { atMost, figure, kib, median, round, type Figure } from './support/report';

/**
 * esbuild options of the deployed functions, as lib/constructs/api-function.ts
 * hands them to NodejsFunction (which adds --bundle --platform=node): an ESM
 * bundle for Node 24, minified, with the whole AWS SDK inside.
 */
export const LAMBDA_BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  alias: { '@aws-sdk/credential-provider-node': './lib/bundling/env-credentials.ts' },
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  external: [],
  metafile: true,
  logLevel: 'error',
};

/** The same settings read back from the construct, so a drift there shows up here. */
const constructAgrees = (root: string): string => {
  const file = join(root, 'lib/constructs/api-function.ts');
  if (!existsSync(file)) return 'lib/constructs/api-function.ts not found: options are the bench defaults';
  const source = readFileSync(file, 'utf8');
  const expected = [
    'OutputFormat.ESM',
    'target: `node',
    'NODE_MAJOR = 24',
    'minify: true',
    'externalModules: []',
    "mainFields: ['module', 'main']",
    'sourcesContent: false',
    "'--alias:@aws-sdk/credential-provider-node': ENV_CREDENTIALS_SHIM",
  ];
  const missing = expected.filter((s) => !source.includes(s));
  const unknown = ['define:', 'loader:', 'keepNames', 'nodeModules:', 'inject:'].filter((s) => source.includes(s));
  if (missing.length === 0 && unknown.length === 0) return 'same as lib/constructs/api-function.ts';
  return `lib/constructs/api-function.ts differs from the bench's copy (${[...missing.map((m) => `no ${m}`), ...unknown.map((u) => `has ${u}`)].join(', ')}): update LAMBDA_BUNDLE_OPTIONS`;
};

export interface BundleInfo {
  file: string;
  bytes: number;
  mapBytes: number;
  inputs: { path: string; bytes: number }[];
  packages: { name: string; bytes: number }[];
}

const packageOf = (path: string): string => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? `(app) ${path.split('/')[0]}/`;

export const bundleDownloadFunction = async (root: string, outDir: string): Promise<BundleInfo> => {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'index.mjs');
  const result = await build({ ...LAMBDA_BUNDLE_OPTIONS, absWorkingDir: root, entryPoints: ['functions/download/handler.ts'], outfile });
  const meta = result.metafile as Metafile;
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith('index.mjs'));
  if (!output) throw new Error('esbuild wrote no index.mjs');
  const inputs = Object.entries(output[1].inputs)
    .map(([path, v]) => ({ path, bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  const packages = new Map<string, number>();
  for (const input of inputs) packages.set(packageOf(input.path), (packages.get(packageOf(input.path)) ?? 0) + input.bytes);
  return {
    file: outfile,
    bytes: output[1].bytes,
    mapBytes: existsSync(`${outfile}.map`) ? statSync(`${outfile}.map`).size : 0,
    inputs,
    packages: [...packages.entries()].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
};

export const bundleSizeFigure = (bundle: BundleInfo, root: string): Figure =>
  figure({
    id: '5',
    name: 'Bundled download Lambda (index.mjs, minified)',
    value: kib(bundle.bytes),
    unit: 'KiB',
    target: atMost(150),
    note: `esbuild ${constructAgrees(root)}; largest packages: ${bundle.packages
      .slice(0, 4)
      .map((p) => `${p.name} ${kib(p.bytes)} KiB`)
      .join(', ')}`,
    data: {
      bytes: bundle.bytes,
      sourceMapBytes: bundle.mapBytes,
      topInputs: bundle.inputs.slice(0, 10),
      topPackages: bundle.packages.slice(0, 15),
    },
  });

const wallMs = (args: string[], env: NodeJS.ProcessEnv): number => {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.toString().slice(0, 500)}`);
  return ms;
};

/**
 * Cold init: a fresh `node` importing the bundle (its top level runs: config
 * parsed, clients built) minus a bare `node -e ''`, runs interleaved, medians.
 * Also with --enable-source-maps, which the other functions set in NODE_OPTIONS
 * (the download function goes without: that is what this figure shows).
 */
export const coldInitFigures = (bundle: BundleInfo, runs: number): Figure[] => {
  // What a Lambda sandbox has: the function's variables, no NODE_OPTIONS, nothing of this shell.
  const env: NodeJS.ProcessEnv = { ...(process.env.PATH ? { PATH: process.env.PATH } : {}), ...dummyFunctionEnv() };
  const importIt = ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(bundle.file).href)})`];
  const withMaps = ['--enable-source-maps', ...importIt];
  // One unmeasured round: the first spawn pays for the disk cache.
  wallMs(['-e', ''], env);
  wallMs(importIt, env);
  wallMs(withMaps, env);
  const bare: number[] = [];
  const plain: number[] = [];
  const mapped: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(wallMs(['-e', ''], env));
    plain.push(wallMs(importIt, env));
    mapped.push(wallMs(withMaps, env));
  }
  const base = median(bare);
  const init = round(median(plain) - base, 1);
  const initMapped = round(median(mapped) - base, 1);
  return [
    figure({
      id: '6',
      name: 'Cold init of the bundled download handler (import − bare node)',
      value: init,
      unit: 'ms',
      target: atMost(60),
      note: `median of ${runs}: bare node ${round(base, 1)} ms, node + import ${round(median(plain), 1)} ms`,
      data: { runs, bareMs: bare, importMs: plain },
    }),
    figure({
      id: '6b',
      name: 'Cold init with NODE_OPTIONS=--enable-source-maps (not set on the download function)',
      value: initMapped,
      unit: 'ms',
      target: null,
      note: `median of ${runs}: node --enable-source-maps + import ${round(median(mapped), 1)} ms; source map ${kib(bundle.mapBytes)} KiB`,
      data: { runs, importWithSourceMapsMs: mapped },
    }),
  ];
};
