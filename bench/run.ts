/**
 * `npm run bench`: the download path's figures (and an activation's, an update's,
 * stamping's), all measured in one run and
 * reported met or not, as a table and in bench/results.json. Exits 1 when a
 * target is not met.
 *
 * `npm run bench -- --quick`: the same figures with fewer iterations, for CI:
 * indicative values, no thresholds (exits 0 unless it crashes). Its floor is
 * DynamoDB Local's start and the 1,000-line invoice: about half a minute on
 * two cores.
 *
 * Order matters on a small machine: the bundle figures first, then the local
 * runtime (its JVM and background stream polling would disturb CPU figures),
 * then the hot path in a process of its own once the runtime is stopped.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDownloadFunction, bundleSizeFigure, coldInitFigures, type BundleInfo } from './bundle';
import type { HotPathOutput } from './hot-path';
import { buildHotPath, runBenchScript, runHotPath } from './hot-path-runner';
import type { RedeemClientsInput, RedeemClientsOutput } from './redeem-clients';
import { TABLES } from '../adapters/dynamo/tables';
import { FUNCTION_ACCESS } from '../lib/function-access';
import { measureLocalSystem } from './local-system';
import { costPerMillion, PRICES_AS_OF, type CostInputs } from './support/cost';
import { atLeast, atMost, exactly, failedFigure, figure, kib, markdownTable, round, textTable, type Figure, type Target } from './support/report';

// The SDK's notice about Node 20 support says nothing about these figures; other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  const text = `${warning.name}: ${warning.message}`;
  if (!text.includes('NodeVersionSupportWarning')) process.stderr.write(`${text}\n`);
});

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results.json');
const quick = process.argv.includes('--quick');
const started = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

const HOT = quick
  ? { warmup: 200, iterations: 300, rounds: 3, profileIterations: 300 }
  : { warmup: 2000, iterations: 5000, rounds: 5, profileIterations: 4000 };

const figures: Figure[] = [];
/** What the local-runtime part reports, to keep their places if the runtime cannot start. */
const LOCAL_FIGURES: [string, string, string, Target][] = [
  ['1', 'DynamoDB requests per successful download', '', exactly(1)],
  ['2', 'DynamoDB requests for forged or malformed tokens', '', exactly(0)],
  ['4', 'Local e2e downloads/s ÷ DynamoDB Local conditional updates/s (16 in flight)', '', atLeast(0.9)],
  ['4b', 'Local e2e downloads/s ÷ DynamoDB Local conditional updates/s (1 in flight)', '', atLeast(0.9)],
  ['4c', 'Downloads/s through the local runtime at 50 connections (autocannon) ÷ DynamoDB Local conditional updates/s', '', atLeast(0.8)],
  ['7', '50 concurrent downloads of a link limited to 5: served', '', exactly(5)],
  ['8', 'Invoice with 1,000 digital lines → all links written, settled', 's', atMost(2)],
  ['12', 'DynamoDB requests per license activation (new instance)', '', exactly(1)],
];
const extra: Record<string, unknown> = {};
const hotOutputs: Partial<Record<HotPathOutput['mode'], HotPathOutput>> = {};
const work = mkdtempSync(join(tmpdir(), 'dd-bench-'));
// The hot-path script imports packages from node_modules: it has to live under the repository.
// Worktrees may share one node_modules: one directory per checkout.
const hotPathDir = join(ROOT, 'node_modules', '.cache', `digital-downloads-bench-${basename(ROOT.replace(/\/$/, ''))}`);

try {
  // 5 and 6: the deployable bundle, before anything else runs on this machine.
  let bundle: BundleInfo | undefined;
  try {
    log('bundling functions/download/handler.ts with the Lambda options…');
    bundle = await bundleDownloadFunction(ROOT, join(work, 'download'));
    figures.push(bundleSizeFigure(bundle, ROOT));
  } catch (error) {
    figures.push(failedFigure('5', 'Bundled download Lambda (index.mjs, minified)', 'KiB', atMost(150), error));
  }
  try {
    if (!bundle) throw new Error('no bundle');
    log('cold init: node importing the bundle vs bare node…');
    figures.push(...coldInitFigures(bundle, quick ? 3 : 11));
  } catch (error) {
    figures.push(failedFigure('6', 'Cold init of the bundled download handler (import − bare node)', 'ms', atMost(60), error));
  }

  // 1, 2, 4, 7, 8: the local runtime.
  let local: Awaited<ReturnType<typeof measureLocalSystem>> = { figures: [], recordedItem: undefined, rates: {} };
  try {
    local = await measureLocalSystem({ quick, log, root: ROOT, workDir: hotPathDir });
    figures.push(...local.figures);
  } catch (error) {
    for (const [id, name, unit, target] of LOCAL_FIGURES) figures.push(failedFigure(id, name, unit, target, error));
  }

  // 3: the handler's CPU per download, in a process of its own, after the runtime is gone.
  const hotName = (mode: string) => `Handler CPU per download ÷ (HMAC verify + presign), ${mode}`;
  const HOT_FIGURES: [string, HotPathOutput['mode'], string, Target | null][] = [
    ['3a', 'mock', 'DynamoDB answered in memory (no client work)', atMost(1.3)],
    ['3b', 'recorded-http', 'wire client, only the socket replaced', atMost(2)],
    ['3c', 'loopback', 'wire client over a keep-alive socket to a stand-in DynamoDB', null],
  ];
  try {
    if (!local.recordedItem) throw new Error('no redeem response was recorded (figure 1 failed)');
    log('hot path: building and running the CPU measurement…');
    const script = await buildHotPath(ROOT, hotPathDir);
    const describe = (o: HotPathOutput) =>
      `handler ${round(o.handlerCpuUs, 1)} µs CPU (wall ${round(o.handlerWallUs, 1)} µs), floor ${round(o.floorCpuUs, 1)} µs; median of ${o.rounds.length} × ${o.iterations}${o.unexpected ? `; ${o.unexpected} answers were not 302` : ''}`;
    for (const [id, mode, label, target] of HOT_FIGURES) {
      try {
        const o = await runHotPath(ROOT, script, hotPathDir, {
          mode,
          item: local.recordedItem,
          ...HOT,
          profileIterations: mode === 'loopback' ? 0 : HOT.profileIterations,
        });
        figures.push(
          figure({
            id,
            name: hotName(label),
            value: round(o.ratio, 2),
            unit: '×',
            target,
            note: `${describe(o)}${mode === 'loopback' ? '; the stand-in answers from another process, so its CPU is not counted' : ''}`,
            data: { ...o, profile: undefined },
          }),
        );
        if (mode === 'recorded-http') extra.profile = o.profile;
        if (mode === 'mock') extra.mockProfile = o.profile;
        hotOutputs[mode] = o;
      } catch (error) {
        figures.push(failedFigure(id, hotName(label), '×', target, error));
      }
    }
  } catch (error) {
    for (const [id, , label, target] of HOT_FIGURES) figures.push(failedFigure(id, hotName(label), '×', target, error));
  }

  // 3d: the candidate clients for the redeem, side by side, each over a real socket.
  try {
    if (!local.recordedItem) throw new Error('no redeem response was recorded (figure 1 failed)');
    log('redeem clients: SDK, aws-lite and wire side by side…');
    const script = await buildHotPath(ROOT, hotPathDir, 'redeem-clients');
    const out = await runBenchScript<RedeemClientsOutput>(ROOT, script, hotPathDir, 'redeem-clients', {
      item: local.recordedItem,
      warmup: HOT.warmup / 2,
      iterations: HOT.iterations / 2,
      rounds: HOT.rounds,
    } satisfies RedeemClientsInput);
    const sdk = out.candidates[0];
    const kept = out.candidates.find((c) => c.name.startsWith('wire'));
    const best = [...out.candidates].filter((c) => c.correct).sort((a, b) => a.cpuUs - b.cpuUs)[0];
    figures.push(
      figure({
        id: '3d',
        name: 'Redeem client CPU per call, kept (wire) ÷ AWS SDK, over a real socket',
        value: sdk && kept ? round(kept.cpuUs / sdk.cpuUs, 2) : null,
        unit: '×',
        target: null,
        note: `${out.candidates.map((c) => `${c.name} ${round(c.cpuUs, 1)} µs CPU (wall ${round(c.wallUs, 1)} µs)${c.correct ? '' : ' **wrong answers**'}`).join('; ')}; best correct: ${best?.name ?? 'none'}; median of ${out.rounds} × ${out.iterations}`,
        data: { ...out },
      }),
    );
  } catch (error) {
    figures.push(failedFigure('3d', 'Redeem client CPU per call, kept (wire) ÷ AWS SDK, over a real socket', '×', null, error));
  }
  // 9: the cost of a million downloads, from the measured handler CPU and the deployed settings.
  try {
    const measured = hotOutputs.loopback ?? hotOutputs['recorded-http'];
    if (!measured) throw new Error('no handler CPU measured (figure 3 failed)');
    const inputs: CostInputs = {
      memoryMb: FUNCTION_ACCESS.download.memorySize ?? 512,
      handlerCpuUs: measured.handlerCpuUs,
      dynamoRoundTripMs: 5,
      // The item, and every index that projects what a redeem changes (all but those with an `include` list).
      redeemWru: 1 + Object.values(TABLES.links.indexes as Record<string, { include?: readonly string[] }>).filter((i) => !i.include).length,
      logWru: 1,
      logBatch: 100,
      logMemoryMb: FUNCTION_ACCESS['link-log'].memorySize ?? 512,
      logBatchMs: 50,
    };
    const cost = costPerMillion(inputs);
    extra.cost = { inputs, ...cost };
    figures.push(
      figure({
        id: '9',
        name: 'Cost per million downloads (us-east-1, data transfer apart)',
        value: round(cost.total, 2),
        unit: 'USD',
        target: null,
        note: `handler ${round(measured.handlerCpuUs, 0)} µs CPU (figure ${hotOutputs.loopback ? '3c' : '3b'}) at ${inputs.memoryMb} MB → ${cost.billedMs} ms billed with an assumed ${inputs.dynamoRoundTripMs} ms DynamoDB round trip; data transfer $${cost.transferPerGb}/GB apart; prices as of ${PRICES_AS_OF}`,
        data: { inputs, lines: cost.lines },
      }),
    );
  } catch (error) {
    figures.push(failedFigure('9', 'Cost per million downloads (us-east-1, data transfer apart)', 'USD', null, error));
  }

  // 10 and 11 (issue 18): an update's throughput and stamping time per MB, each in a process of its own.
  const script = async <O>(file: string, args: string[], timeoutMs: number): Promise<O> => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--expose-gc', join(ROOT, 'bench', file), ...args, '--json'], {
      cwd: ROOT,
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(line) as O;
  };
  try {
    const links = quick ? 400 : 3000;
    log(`update throughput: ${links} links repointed…`);
    const u = await script<{ links: number; repointed: number; steps: number; seconds: number; rate: number; engineRate: number }>(
      'updates.ts',
      [String(links)],
      600_000,
    );
    figures.push(
      figure({
        id: '10',
        name: "Update for past buyers: links repointed/s ÷ the engine's conditional UpdateItems/s (16 in flight)",
        value: round(u.rate / u.engineRate, 2),
        unit: '×',
        target: null,
        note: `${u.repointed} of ${u.links} links in ${u.steps} steps, ${round(u.seconds, 1)} s: ${round(u.rate, 0)} links/s against the engine's ${round(u.engineRate, 0)} updates/s on the same links (DynamoDB Local bounds both)`,
        data: u,
      }),
    );
  } catch (error) {
    figures.push(failedFigure('10', "Update for past buyers: links repointed/s ÷ the engine's conditional UpdateItems/s (16 in flight)", '×', null, error));
  }
  try {
    const sizes = quick ? ['1', '20'] : [];
    log(`stamping: PDFs of ${sizes.length ? sizes.join(', ') : '1, 20, 100 and 250'} MB…`);
    const st = await script<{ maxStampableMb: number; rows: { megabytes: number; pages: number; ms: number; msPerMb: number; rssMb: number }[] }>(
      'stamping.ts',
      sizes,
      900_000,
    );
    const largest = st.rows.at(-1);
    figures.push(
      figure({
        id: '11',
        name: `PDF stamping time per MB, largest PDF measured (${largest ? round(largest.megabytes, 0) : '?'} MB; the limit is ${st.maxStampableMb} MB)`,
        value: largest ? round(largest.msPerMb, 1) : null,
        unit: 'ms/MB',
        target: null,
        note: st.rows
          .map(
            (r) => `${round(r.megabytes, 0)} MB (${r.pages} pages) ${round(r.ms / 1000, 2)} s, ${round(r.msPerMb, 1)} ms/MB, resident ${round(r.rssMb, 0)} MB`,
          )
          .join('; '),
        data: st,
      }),
    );
  } catch (error) {
    figures.push(failedFigure('11', 'PDF stamping time per MB, largest PDF measured', 'ms/MB', null, error));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function trimProfile(p: HotPathOutput['profile']) {
  return p && { ...p, iterations: HOT.profileIterations, functions: p.functions.slice(0, 40), areas: p.areas.slice(0, 25) };
}

const order = ['1', '2', '3a', '3b', '3c', '3d', '4', '4b', '4c', '5', '6', '6b', '7', '8', '8b', '8c', '9', '10', '11', '12', '12b', '12c', '12d'];
figures.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
const enforced = !quick;

const lines: string[] = [];
lines.push('', `## Download path figures${quick ? ' (--quick: indicative, no thresholds)' : ''}`, '');
lines.push(markdownTable(figures, enforced), '');
for (const f of figures) if (f.note) lines.push(`- **${f.id}**: ${f.note}`);
const bundleData = figures.find((f) => f.id === '5')?.data as
  | { topInputs?: { path: string; bytes: number }[]; topPackages?: { name: string; bytes: number }[] }
  | undefined;
if (bundleData?.topInputs) {
  lines.push('', 'Bundle: top 10 inputs by bytes in index.mjs', '```');
  lines.push(
    textTable(
      ['input', 'KiB'],
      bundleData.topInputs.map((i) => [i.path, kib(i.bytes)]),
    ),
  );
  lines.push('```', '', 'Bundle: by package', '```');
  lines.push(
    textTable(
      ['package', 'KiB'],
      (bundleData.topPackages ?? []).slice(0, 10).map((p) => [p.name, kib(p.bytes)]),
    ),
  );
  lines.push('```');
}
const cost = extra.cost as ReturnType<typeof costPerMillion> | undefined;
if (cost) {
  lines.push('', `Cost per million downloads (AWS list prices, us-east-1, as of ${PRICES_AS_OF}; data transfer apart: $${cost.transferPerGb}/GB)`, '');
  lines.push('| item | formula | USD |', '|---|---|---|');
  for (const l of cost.lines) lines.push(`| ${l.item} | ${l.formula} | ${l.usd.toFixed(3)} |`);
  lines.push(`| **total** | | **${cost.total.toFixed(2)}** |`);
}
const profile = extra.profile as HotPathOutput['profile'];
const mockProfile = extra.mockProfile as HotPathOutput['profile'];
if (profile) {
  const perDownload = (ms: number) => round((ms * 1000) / HOT.profileIterations, 1);
  lines.push(
    '',
    `Where the handler's CPU goes: V8 sampling profiler over ${HOT.profileIterations} downloads, self time per download (the profiler inflates absolute times: read the shares)`,
    '',
  );
  lines.push('3b (wire client, socket replaced), top functions:', '```');
  lines.push(
    textTable(
      ['function', 'where', 'µs/dl', 'share'],
      profile.functions.slice(0, 12).map((f) => [f.name.slice(0, 40), f.where.slice(0, 60), perDownload(f.selfMs), `${round(f.share * 100, 1)}%`]),
    ),
  );
  lines.push('```', 'By area, 3a (DynamoDB in memory) and 3b (wire client):', '```');
  const areas = new Map<string, [number, number]>();
  for (const a of mockProfile?.areas ?? []) areas.set(a.area, [a.selfMs, 0]);
  for (const a of profile.areas) areas.set(a.area, [areas.get(a.area)?.[0] ?? 0, a.selfMs]);
  const rows = [...areas.entries()].sort((a, b) => b[1][1] + b[1][0] - (a[1][1] + a[1][0])).slice(0, 14);
  lines.push(
    textTable(
      ['area', '3a µs/dl', '3b µs/dl'],
      rows.map(([area, [m, f]]) => [area, perDownload(m), perDownload(f)]),
    ),
  );
  lines.push('```');
}
const unmet = figures.filter((f) => f.met === false);
lines.push(
  '',
  `${figures.length} figures, ${unmet.length} not met${unmet.length ? ` (${unmet.map((f) => f.id).join(', ')})` : ''}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs; ${round((performance.now() - started) / 1000, 1)} s.`,
);
process.stdout.write(`${lines.join('\n')}\n`);

writeFileSync(
  RESULTS,
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      mode: quick ? 'quick' : 'full',
      thresholdsEnforced: enforced,
      machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavg: loadavg() },
      seconds: round((performance.now() - started) / 1000, 1),
      figures,
      profile: { wire: trimProfile(profile), inMemory: trimProfile(mockProfile) },
    },
    null,
    2,
  )}\n`,
);
log(`wrote ${RESULTS}`);
process.exit(enforced && unmet.length > 0 ? 1 : 0);
