// Human-readable views of summary rows for the terminal (`--format table`, the default) and for
// scripts (`--format json`). Both are pure: they return a string and touch no stream.
//
// Units in the table follow the metric name:
//   availability, *_fraction  percentage; at least 4 decimals, more when the value is within
//                             0.0001% of 0% or 100%, so the gap keeps 2 significant digits
//                             (99.99% vs 99.999% stay distinct; 100% only when exactly 1)
//   *_s                       duration: 0.42 s, 12.3 s, 3m 20s, 2h 05m, 3d 04h
//   anything else             plain number with at most 2 decimals

import type { SummaryRow } from './csv.js';

export interface TableOptions {
  /** ANSI bold/dim for headings and the header; off by default. */
  color?: boolean;
  /** Names of the swept parameters, to label each point's heading (`replicas=3`). */
  paramNames?: string[];
}

const MISSING = '-';

type Unit = 'percent' | 'duration' | 'number';

function unitOf(metric: string): Unit {
  if (metric === 'availability' || metric.endsWith('_fraction')) return 'percent';
  if (metric.endsWith('_s')) return 'duration';
  return 'number';
}

const PERCENT_MIN_DECIMALS = 4;
const PERCENT_MAX_DECIMALS = 10;

/** Decimals for a share so that its distance to 0% or 100% shows 2 significant digits. */
function percentDecimals(share: number): number {
  const gapPercent = Math.min(share, 1 - share) * 100;
  if (!(gapPercent > 0) || !Number.isFinite(gapPercent)) return PERCENT_MIN_DECIMALS;
  // Leading digit of the gap at decimal ceil(-log10(gap)), one more for the second digit; the
  // 1e-9 absorbs noise such as 1 - 0.99999 = 1.0000000000065512e-5.
  const needed = Math.ceil(-Math.log10(gapPercent) - 1e-9) + 1;
  return Math.min(PERCENT_MAX_DECIMALS, Math.max(PERCENT_MIN_DECIMALS, needed));
}

function formatPercent(share: number, decimals: number): string {
  if (Number.isNaN(share)) return MISSING;
  return `${(share * 100).toFixed(decimals)}%`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Seconds as a duration: 2 significant digits below 1 s, 3 below a minute, then m/s, h/m, d/h. */
export function formatDuration(seconds: number): string {
  if (Number.isNaN(seconds)) return MISSING;
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  if (seconds === Infinity) return 'inf';
  if (seconds === 0) return '0 s';
  if (seconds < 0.995) return `${seconds.toPrecision(2)} s`;
  if (seconds < 59.95) return `${seconds.toPrecision(3)} s`;
  if (seconds < 3599.5) {
    const s = Math.round(seconds);
    return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  }
  if (seconds < 86_370) {
    const m = Math.round(seconds / 60);
    return `${Math.floor(m / 60)}h ${pad2(m % 60)}m`;
  }
  const h = Math.round(seconds / 3600);
  return `${Math.floor(h / 24)}d ${pad2(h % 24)}h`;
}

/** At most 2 decimals, trailing zeros dropped: 3, 2.5, 1234.57. */
export function formatCount(v: number): string {
  if (Number.isNaN(v)) return MISSING;
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  const r = Number(v.toFixed(2));
  return r === 0 ? '0' : String(r);
}

function subjectLabel(row: SummaryRow): string {
  if (row.subject === '' || row.subject === row.subjectKind) return row.subjectKind;
  return `${row.subjectKind} ${row.subject}`;
}

/** The row's cells: subject, metric, mean, 95% CI, n. */
function cells(row: SummaryRow): string[] {
  const s = row.summary;
  const unit = unitOf(row.metric);
  const hasCi = s.n >= 2;
  let fmt: (v: number) => string;
  if (unit === 'percent') {
    // One decimal count for the whole row, so mean and bounds line up.
    let decimals = percentDecimals(s.mean);
    if (hasCi) decimals = Math.max(decimals, percentDecimals(s.ci95Low), percentDecimals(s.ci95High));
    fmt = (v) => formatPercent(v, decimals);
  } else if (unit === 'duration') {
    fmt = formatDuration;
  } else {
    fmt = formatCount;
  }
  const ci = hasCi ? `[${fmt(s.ci95Low)}, ${fmt(s.ci95High)}]` : MISSING;
  return [subjectLabel(row), row.metric, s.n === 0 ? MISSING : fmt(s.mean), ci, String(s.n)];
}

const HEADER = ['subject', 'metric', 'mean', '95% CI', 'n'];
const RIGHT_ALIGNED = [false, false, true, true, true];
const GAP = '  ';

const bold = (text: string, on: boolean): string => (on ? `\x1b[1m${text}\x1b[22m` : text);
const dim = (text: string, on: boolean): string => (on ? `\x1b[2m${text}\x1b[22m` : text);

function line(fields: string[], widths: number[]): string {
  return fields
    .map((f, i) => (RIGHT_ALIGNED[i] ? f.padStart(widths[i]!) : f.padEnd(widths[i]!)))
    .join(GAP)
    .trimEnd();
}

function pointHeading(row: SummaryRow, paramNames: string[] | undefined): string {
  if (row.params.length === 0) return `point ${row.point}`;
  const labels = row.params.map((v, i) => (paramNames?.[i] !== undefined ? `${paramNames[i]}=${v}` : v));
  return `point ${row.point}: ${labels.join(', ')}`;
}

/**
 * A table with columns subject, metric, mean, 95% CI, n. Rows keep their order; with more than
 * one sweep point they are grouped into one block per point (in order of first appearance), each
 * under a heading with the point's parameters. Column widths are shared by all blocks.
 */
export function renderSummaryTable(rows: SummaryRow[], opts: TableOptions = {}): string {
  if (rows.length === 0) return 'no metrics\n';
  const color = opts.color === true;

  const blocks = new Map<number, { heading: string; lines: string[][] }>(); // insertion order = input order
  const widths = HEADER.map((h) => h.length);
  for (const row of rows) {
    const c = cells(row);
    c.forEach((f, i) => (widths[i] = Math.max(widths[i]!, f.length)));
    let block = blocks.get(row.point);
    if (block === undefined) {
      block = { heading: pointHeading(row, opts.paramNames), lines: [] };
      blocks.set(row.point, block);
    }
    block.lines.push(c);
  }

  const out: string[] = [];
  const header = bold(line(HEADER, widths), color);
  const rule = dim(widths.map((w) => '-'.repeat(w)).join(GAP), color);
  for (const block of blocks.values()) {
    if (blocks.size > 1) {
      if (out.length > 0) out.push('');
      out.push(bold(block.heading, color));
    }
    out.push(header, rule);
    for (const c of block.lines) out.push(line(c, widths));
  }
  return `${out.join('\n')}\n`;
}

/**
 * Summary rows as pretty JSON (an array, 2-space indent, trailing newline) for `--format json`.
 * Keys in this order: point, params, subjectKind, subject, metric, n, mean, stddev, ci95Low,
 * ci95High, p50, p95, p99, min, max. `params` is an object `{ name: value }` in sweep order when
 * `paramNames` is given, else the array of values. NaN and infinities become null (JSON has none).
 */
export function renderJson(rows: SummaryRow[], opts: { paramNames?: string[] } = {}): string {
  const names = opts.paramNames;
  const objects = rows.map((row) => {
    const s = row.summary;
    let params: string[] | Record<string, string> = row.params;
    if (names !== undefined) {
      if (names.length !== row.params.length) {
        throw new Error(`Expected ${names.length} parameter values at point ${row.point}, got ${row.params.length}`);
      }
      params = Object.fromEntries(names.map((name, i) => [name, row.params[i]!]));
    }
    return {
      point: row.point,
      params,
      subjectKind: row.subjectKind,
      subject: row.subject,
      metric: row.metric,
      n: s.n,
      mean: s.mean,
      stddev: s.stddev,
      ci95Low: s.ci95Low,
      ci95High: s.ci95High,
      p50: s.p50,
      p95: s.p95,
      p99: s.p99,
      min: s.min,
      max: s.max,
    };
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}
