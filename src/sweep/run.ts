// Runs every (sweep point, replication) task of a loaded scenario and aggregates the results.
// `runScenario` is the sequential, in-memory form (for library callers); the `run` command uses
// tasks.ts + pool.ts + results.ts (worker threads, streamed files, shards) with the same seeds,
// task order and summaries (`summaryRow`), hence the same bytes.
//
// Tasks run in a fixed order and each has its own seed, derived from (scenario seed, point,
// replication), so any task can be re-run alone and gives the same numbers. Output rows are
// ordered by point, replication, then the recorder's metric order: byte-identical output for
// the same scenario and seed.

import type { LoadedScenario } from '../scenario/load.js';
import { runReplication } from '../sim/simulation.js';
import { replicationSeed } from '../sim/random/streams.js';
import type { MetricRow, SummaryRow } from '../output/csv.js';
import type { TraceRow } from '../sim/trace.js';
import { summarize } from '../stats/summary.js';
import { valueRange } from './metric-ranges.js';

export interface RunOptions {
  /** Overrides the scenario's replications. */
  replications?: number;
  /** Overrides the scenario's seed. */
  seed?: number;
  trace?: boolean;
  /** Called after each task (progress). */
  onTaskDone?: (done: number, total: number) => void;
}

export interface TaskSeed {
  point: number;
  replication: number;
  seed: number;
}

export interface TraceRecord extends TraceRow {
  point: number;
  replication: number;
}

export interface RunResult {
  metricRows: MetricRow[];
  summaryRows: SummaryRow[];
  seeds: TaskSeed[];
  eventsProcessed: number;
  trace: TraceRecord[];
}

/**
 * A task failed: carries what reproduces it. From `compare`: `policy`, the scheduler policy it
 * ran under, and `seedFlag`, compare's --seed if given; `run --only` with the same scenario and
 * --set flags, plus `--set scheduler.policy=...` and that --seed, runs the same task (the seed of
 * a (point, replication) does not depend on the policy).
 */
export class TaskError extends Error {
  constructor(
    readonly point: number,
    readonly replication: number,
    readonly seed: number,
    override readonly cause: unknown,
    readonly policy?: string,
    seedFlag?: number,
  ) {
    const rerun =
      `--only ${point}:${replication}` +
      (policy !== undefined ? ` --set scheduler.policy=${policy}` : '') +
      (seedFlag !== undefined ? ` --seed ${seedFlag}` : '');
    super(
      `${policy !== undefined ? `policy ${policy}, ` : ''}replication ${replication} of point ${point} failed ` +
        `(seed ${seed}; re-run it alone with ${rerun}): ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

export function runScenario(loaded: LoadedScenario, opts: RunOptions = {}): RunResult {
  const metricRows: MetricRow[] = [];
  const seeds: TaskSeed[] = [];
  const trace: TraceRecord[] = [];
  let eventsProcessed = 0;
  const total = loaded.points.reduce((s, p) => s + (opts.replications ?? p.scenario.replications), 0);
  let done = 0;
  for (const point of loaded.points) {
    const s = point.scenario;
    const reps = opts.replications ?? s.replications;
    const baseSeed = opts.seed ?? s.seed;
    const params = loaded.sweepParamNames.map((name) => point.params[name] ?? '');
    for (let r = 0; r < reps; r++) {
      const seed = replicationSeed(baseSeed, point.index, r);
      seeds.push({ point: point.index, replication: r, seed });
      let result;
      try {
        result = runReplication(s, seed, { trace: opts.trace === true });
      } catch (err) {
        throw new TaskError(point.index, r, seed, err);
      }
      eventsProcessed += result.eventsProcessed;
      for (const m of result.metrics) {
        metricRows.push({ point: point.index, params, replication: r, seed, subjectKind: m.subjectKind, subject: m.subject, metric: m.metric, value: m.value });
      }
      for (const t of result.trace) trace.push({ point: point.index, replication: r, ...t });
      opts.onTaskDone?.(++done, total);
    }
  }
  return { metricRows, summaryRows: summarizeRows(metricRows), seeds, eventsProcessed, trace };
}

/** Groups metric rows by (point, subject, metric), in first-appearance order, and summarises. */
export function summarizeRows(rows: MetricRow[]): SummaryRow[] {
  const groups = new Map<string, { head: MetricRow; values: number[] }>();
  for (const r of rows) {
    const key = `${r.point}\u0000${r.subjectKind}\u0000${r.subject}\u0000${r.metric}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { head: r, values: [] };
      groups.set(key, g);
    }
    g.values.push(r.value);
  }
  const out: SummaryRow[] = [];
  for (const { head, values } of groups.values()) out.push(summaryRow(head, values));
  return out;
}

/** The summary row of one (point, subject, metric) from its values in replication order (scratch: see summarize). */
export function summaryRow(
  head: { point: number; params: string[]; subjectKind: string; subject: string; metric: string },
  values: ArrayLike<number>,
  scratch?: Float64Array,
): SummaryRow {
  // Shares get the bounded interval, every other metric the unclipped t (metric-ranges.ts).
  const summary = summarize(values, valueRange(head.metric), scratch);
  return {
    point: head.point,
    params: head.params,
    subjectKind: head.subjectKind,
    subject: head.subject,
    metric: head.metric,
    summary,
  };
}

/** Some tasks failed (the others finished): each failure with what reproduces it. */
export class TaskFailures extends Error {
  constructor(
    readonly failures: TaskError[],
    readonly total: number,
    /** The files left unwritten because of them (for the message). */
    readonly unwritten = 'metrics.csv, summary.csv or run.json',
  ) {
    super(`${failures.length} of ${total} tasks failed`);
  }
}
