import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

const post = <T>(session: Session, method: string, params?: object): Promise<T> =>
  new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));

/** Samples the CPU (V8's profiler, through node:inspector) while `work` runs. */
export const profile = async (work: () => Promise<void>, samplingIntervalUs = 200): Promise<CpuProfile> => {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: samplingIntervalUs });
    await post(session, 'Profiler.start');
    await work();
    const { profile: result } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
    return result;
  } finally {
    session.disconnect();
  }
};

/** The repository root (set by the caller: this module may run from a bundle). */
let ROOT = process.cwd();
export const setProfileRoot = (root: string) => {
  ROOT = root;
};

/**
 * A frame of a bundle (the hot-path child runs one, so that functions keep
 * their names) mapped back to its source file and line, when the process runs
 * with --enable-source-maps.
 */
const original = (frame: CallFrame): CallFrame => {
  if (!frame.url.startsWith('file://')) return frame;
  const map = findSourceMap(fileURLToPath(frame.url));
  if (!map) return frame;
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
  if (!('originalSource' in entry)) return frame;
  const source = entry.originalSource.startsWith('file://') ? entry.originalSource : `file://${entry.originalSource}`;
  return { ...frame, url: source, lineNumber: entry.originalLine, columnNumber: entry.originalColumn };
};

/** Where a function lives: an npm package, a folder of this repository, or Node itself. */
export const areaOf = (url: string): string => {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  if (url.startsWith('file://')) {
    const path = relative(ROOT, fileURLToPath(url));
    return `${path
      .split('/')
      .slice(0, path.startsWith('core/use-cases') ? 2 : 1)
      .join('/')}/`;
  }
  return url;
};

const where = (frame: CallFrame): string => {
  if (!frame.url) return '';
  const pkg = /node_modules\/(.*)$/.exec(frame.url);
  const path = pkg
    ? (pkg[1] as string).replace(/\/dist-(cjs|es)\//, '/…/')
    : frame.url.startsWith('file://')
      ? relative(ROOT, fileURLToPath(frame.url))
      : frame.url;
  return `${path}:${frame.lineNumber + 1}`;
};

export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; where: string; area: string; selfMs: number; share: number }[];
  areas: { area: string; selfMs: number; share: number }[];
}

/** Self time per function and per area, largest first. */
export const summarize = (p: CpuProfile): ProfileSummary => {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; the interval after it belongs to sample i.
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? 0));
  }
  const fns = new Map<string, { name: string; where: string; area: string; us: number }>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const frame = original(node.callFrame);
    if (frame.functionName === '(idle)') continue;
    total += us;
    const name = frame.functionName || '(anonymous)';
    const key = `${name}|${frame.url}|${frame.lineNumber}`;
    const area = name.startsWith('(') && !frame.url ? name : areaOf(frame.url);
    const entry = fns.get(key) ?? { name, where: where(frame), area, us: 0 };
    entry.us += us;
    fns.set(key, entry);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const share = (us: number) => (total > 0 ? us / total : 0);
  return {
    totalMs: total / 1000,
    functions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .map((f) => ({ name: f.name, where: f.where, area: f.area, selfMs: f.us / 1000, share: share(f.us) })),
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, selfMs: us / 1000, share: share(us) })),
  };
};
