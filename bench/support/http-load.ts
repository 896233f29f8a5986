import { type Agent, request } from 'node:http';
import { percentile } from './report';

export interface HttpAnswer {
  status: number;
  location: string | undefined;
  ms: number;
}

/** One GET on loopback; the body is drained, redirects are not followed. */
export const httpGet = (agent: Agent, url: URL, headers: Record<string, string>): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'GET', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

export interface LoadResult {
  /** Operations that succeeded, per second of wall time. */
  rate: number;
  ok: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Failures by kind (HTTP status or error name), to see what a failing run hit. */
  failures: Record<string, number>;
}

/**
 * A closed loop: `concurrency` workers, each starting its next operation as
 * soon as the previous one ends, until `seconds` have passed.
 */
export const closedLoop = async (
  concurrency: number,
  seconds: number,
  operation: (worker: number) => Promise<{ ok: boolean; kind?: string }>,
): Promise<LoadResult> => {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (index: number) => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      let outcome: { ok: boolean; kind?: string };
      try {
        outcome = await operation(index);
      } catch (error) {
        outcome = { ok: false, kind: (error as NodeJS.ErrnoException).code ?? (error as Error).name ?? 'Error' };
      }
      latencies.push(performance.now() - t0);
      if (outcome.ok) ok++;
      else {
        failed++;
        const kind = outcome.kind ?? 'failed';
        failures[kind] = (failures[kind] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  const elapsed = (performance.now() - started) / 1000;
  return { rate: ok / elapsed, ok, failed, seconds: elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), failures };
};
