/**
 * One measured figure: computed in every run, met or not. A figure whose
 * measurement failed keeps its place with `value: null` and the error.
 */
export interface Figure {
  id: string;
  name: string;
  value: number | null;
  unit: string;
  target: Target | null;
  met: boolean | null;
  /** One line shown under the table: how it was measured, what else was seen. */
  note?: string;
  data?: Record<string, unknown>;
}

export interface Target {
  op: '==' | '<=' | '>=';
  value: number;
}

export const exactly = (value: number): Target => ({ op: '==', value });
export const atMost = (value: number): Target => ({ op: '<=', value });
export const atLeast = (value: number): Target => ({ op: '>=', value });

export const meets = (value: number | null, target: Target | null): boolean | null => {
  if (!target) return null;
  if (value === null || !Number.isFinite(value)) return false;
  if (target.op === '==') return value === target.value;
  return target.op === '<=' ? value <= target.value : value >= target.value;
};

export const figure = (f: Omit<Figure, 'met'>): Figure => ({ ...f, met: meets(f.value, f.target) });

/** A figure whose measurement threw: reported, never dropped. */
export const failedFigure = (id: string, name: string, unit: string, target: Target | null, error: unknown): Figure => ({
  id,
  name,
  value: null,
  unit,
  target,
  met: target ? false : null,
  note: `not measured: ${(error as Error)?.message ?? String(error)}`,
});

export const median = (values: number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
};

export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

const formatNumber = (value: number): string => {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3 });
};

export const formatValue = (value: number | null, unit: string): string => (value === null ? 'n/a' : `${formatNumber(value)}${unit ? ` ${unit}` : ''}`);

const formatTarget = (target: Target | null, unit: string): string => {
  if (!target) return '—';
  const op = target.op === '==' ? '=' : target.op === '<=' ? '≤' : '≥';
  return `${op} ${formatNumber(target.value)}${unit ? ` ${unit}` : ''}`;
};

const verdict = (f: Figure, enforced: boolean): string => {
  if (f.met === null) return '—';
  if (f.met) return 'met';
  return enforced ? '**not met**' : 'not met';
};

/** The figures as a Markdown table (it reads fine in a terminal and pastes into the README). */
export const markdownTable = (figures: Figure[], enforced: boolean): string => {
  const rows = figures.map((f) => `| ${f.id} | ${f.name} | ${formatValue(f.value, f.unit)} | ${formatTarget(f.target, f.unit)} | ${verdict(f, enforced)} |`);
  return ['| # | figure | measured | target | |', '|---|---|---|---|---|', ...rows].join('\n');
};

/** A plain table for secondary data (profiles, bundle inputs). */
export const textTable = (header: string[], rows: (string | number)[][]): string => {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
};

export const kib = (bytes: number): number => round(bytes / 1024, 1);
