import { spawn } from 'node:child_process';

/**
 * autocannon in a process of its own (the local runtime serves in the
 * bench's process, so a load tool there would take its CPU): `connections`
 * keep-alive connections for `seconds`, each request to the next of `paths`.
 * Returns the 302s (served downloads) per second and the status counts.
 */
const CHILD = `
const autocannon = require('autocannon');
const { url, paths, headers, connections, seconds } = JSON.parse(process.env.LOAD);
let next = 0;
autocannon({
  url, connections, duration: seconds, headers,
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
}, (error, result) => {
  if (error) { process.stderr.write(String(error)); process.exit(1); }
  process.stdout.write(JSON.stringify({ statusCodeStats: result.statusCodeStats, errors: result.errors, timeouts: result.timeouts, duration: result.duration, latency: { p50: result.latency.p50, p99: result.latency.p99 } }));
});
`;

export interface AutocannonResult {
  rate: number;
  statuses: Record<string, number>;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export const autocannonLoad = async (
  root: string,
  load: { url: string; paths: string[]; headers: Record<string, string>; connections: number; seconds: number },
): Promise<AutocannonResult> => {
  let stdout = '';
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD], { cwd: root, env: { ...process.env, LOAD: JSON.stringify(load) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`autocannon exited ${code}: ${stderr}`);
  const out = JSON.parse(stdout) as {
    statusCodeStats: Record<string, { count: number }>;
    errors: number;
    timeouts: number;
    duration: number;
    latency: { p50: number; p99: number };
  };
  const statuses = Object.fromEntries(Object.entries(out.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)]));
  return { rate: (statuses['302'] ?? 0) / out.duration, statuses, errors: out.errors + out.timeouts, p50Ms: out.latency.p50, p99Ms: out.latency.p99 };
};
