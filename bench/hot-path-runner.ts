import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { HotPathInput, HotPathOutput } from './hot-path';

/**
 * Builds bench/hot-path.ts with the app code bundled in (packages stay in
 * node_modules, so the mocks patch the very classes the handler uses) and
 * without minification: functions keep their names in the CPU profile, and
 * source maps bring them back to their files.
 */
export const buildHotPath = async (root: string, workDir: string, entry = 'hot-path'): Promise<string> => {
  mkdirSync(workDir, { recursive: true });
  const outfile = join(workDir, `${entry}.mjs`);
  await build({
    absWorkingDir: root,
    entryPoints: [`bench/${entry}.ts`],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'error',
  });
  return outfile;
};

/** Runs the hot-path measurement in a fresh process and returns what it measured. */
export const runHotPath = (root: string, script: string, workDir: string, input: HotPathInput): Promise<HotPathOutput> =>
  runBenchScript<HotPathOutput>(root, script, workDir, input.mode, input);

/** Runs a built bench script (`<script> <input.json> <output.json>`) in a fresh process. */
export const runBenchScript = async <O>(root: string, script: string, workDir: string, name: string, input: unknown): Promise<O> => {
  const inFile = join(workDir, `${name}.in.json`);
  const outFile = join(workDir, `${name}.out.json`);
  writeFileSync(inFile, JSON.stringify(input));
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--no-warnings', script, inFile, outFile], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`${name} exited ${code}: ${stderr}`);
  return JSON.parse(readFileSync(outFile, 'utf8')) as O;
};
