// `compare`: one scenario run once per scheduler policy with common random numbers, and the
// paired difference of every metric to the first policy.
//
// Common random numbers: replication r of point p gets the seed replicationSeed(seed, p, r)
// whatever the policy, and inside a replication every source of randomness has its own named
// stream (src/sim/random/streams.ts): each (failure entry, node) pair draws its crash times
// from its own stream, so node failures happen at the same instants under every policy; only
// the scheduler's tie-break stream is consumed differently. The replications of two policies
// are therefore paired, and the variance of the difference is far below the sum of the two
// variances: the difference per replication is summarised by the same `summarize` as
// summary.csv (mean and 95% CI: Student's t, or for a share the bounded interval on [-1, 1], see
// metric-ranges.ts), rather than the two means compared.
//
// Tasks run in-process or on worker threads (runTasks, as `run` does) in a fixed order (point,
// policy, replication), and their values are gathered in that order whatever order they finish
// in: the result is a pure function of (scenario, policies, seed, replications), the same bytes
// for any number of workers. Each (point, policy) is one scenario for the pool (the point's, with
// the policy set); a task fails alone, the others finish, and every failure is reported with its
// policy, replication and seed.
//
// The scenario is loaded with compareOverrides: compare sets scheduler.policy itself, as
// `--set scheduler.policy=NAME` does for `run`, so a sweep axis over the policy is dropped with a
// warning in both, and a failed task's point is the point of the `run --only` that re-runs it.

import type { LoadedScenario, Override } from '../scenario/load.js';
import type { Scenario } from '../scenario/model.js';
import { replicationSeed } from '../sim/random/streams.js';
import { summarize } from '../stats/summary.js';
import { differenceRange } from './metric-ranges.js';
import type { MetricKey } from './execute.js';
import { runTasks } from './pool.js';
import { TaskError, TaskFailures } from './run.js';
import type { Task, TaskList } from './tasks.js';

export interface CompareOptions {
  /** Policy names, already validated against POLICY_NAMES; the first is the baseline. */
  policies: readonly string[];
  /** Overrides the scenario's replications. */
  replications?: number;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** --workers: 1 = in-process; 'auto' = the available cores for runs long enough (see runTasks). Default 1. */
  workers?: number | 'auto';
  /** Called after each task (progress). */
  onTaskDone?: (done: number, total: number) => void;
}

/**
 * The overrides to load a scenario for `compare` with: the --set flags, then scheduler.policy set
 * to the baseline. A sweep axis over scheduler.policy (or over `scheduler`) would label points
 * with a policy they did not run, and number them unlike the `run --only P:R --set
 * scheduler.policy=NAME` a failure names; this pins it, so the loader drops it with a warning
 * (or refuses an axis of which the policy is only a part), exactly as that `run` does.
 */
export function compareOverrides(sets: readonly Override[], policies: readonly string[]): Override[] {
  if (policies.length === 0) throw new Error('Expected at least one policy, got none');
  return [...sets, { path: 'scheduler.policy', value: policies[0]!, source: 'compare (it runs every point under each of --policies)' }];
}

/** One metric of one policy at one sweep point, against the baseline (the first policy). */
export interface CompareRow {
  point: number;
  /** Values of the swept parameters, in the order of LoadedScenario.sweepParamNames. */
  params: string[];
  subjectKind: string;
  subject: string;
  metric: string;
  policy: string;
  /** Mean over the replications where the metric is defined (NaN values left out). */
  mean: number;
  /** Mean of (this policy - baseline) over the replications where both are defined; 0 for the baseline. */
  diff: number;
  /** 95% CI of the paired difference: Student's t, or inside [-1, 1] for a share (metric-ranges.ts). */
  diffCi95Low: number;
  diffCi95High: number;
  /** Replications where both this policy's and the baseline's values are defined. */
  n: number;
}

export interface CompareResult {
  rows: CompareRow[];
  /** The seed of each (point, replication), the same for every policy. */
  seeds: { point: number; replication: number; seed: number }[];
  eventsProcessed: number;
  /** Threads the tasks ran on (1 = in-process). */
  workers: number;
}

/** The metric of every replication of one point, per policy (NaN where a replication lacks it). */
interface Group {
  key: MetricKey;
  values: Float64Array[];
}

/**
 * Runs every point x policy x replication and pairs the replications by index. `loaded` comes
 * from loading with compareOverrides (so no sweep axis sets the policy). Rows are
 * ordered by point, then the metrics in the recorder's order (first appearance), then policy
 * in the order given. Throws TaskFailures, after every other task has finished, if any failed.
 */
export async function comparePolicies(loaded: LoadedScenario, opts: CompareOptions): Promise<CompareResult> {
  const { policies } = opts;
  if (policies.length === 0) throw new Error('Expected at least one policy, got none');
  const P = policies.length;
  const points = loaded.points;
  const reps = points.map((p) => opts.replications ?? p.scenario.replications);
  const baseSeeds = points.map((p) => opts.seed ?? p.scenario.seed);
  const tasks = new CompareTasks(points.map((p) => p.index), reps, baseSeeds, P);
  // Scenario k * P + i: point k under policy i.
  const scenarios: Scenario[] = points.flatMap((p) => policies.map((policy) => ({ ...p.scenario, scheduler: { ...p.scenario.scheduler, policy } })));
  const pointParams = points.map((p) => loaded.sweepParamNames.map((name) => p.params[name] ?? ''));

  const seeds: CompareResult['seeds'] = [];
  points.forEach((p, k) => {
    for (let r = 0; r < reps[k]!; r++) seeds.push({ point: p.index, replication: r, seed: replicationSeed(baseSeeds[k]!, p.index, r) });
  });
  // Per point: the groups in first-appearance order (key "kind\0subject\0metric"), and per
  // metric key list (one per pool scenario and thread) the groups aligned with it.
  const groups = points.map(() => new Map<string, Group>());
  const aligned = new Map<MetricKey[], Group[]>();
  const failures: TaskError[] = [];
  let eventsProcessed = 0;
  const workers = await runTasks(
    {
      scenarioName: loaded.name,
      paramNames: loaded.sweepParamNames,
      pointParams: scenarios.map((_, v) => pointParams[Math.floor(v / P)]!),
      scenarios,
      tasks,
      workers: opts.workers ?? 1,
      trace: false,
      timeseries: false, // compare writes no timeseries.csv
      metricsCsv: false, // nor metrics.csv: only the values are read
    },
    {
      onOutcome: (o) => {
        const k = Math.floor(o.task.point / P);
        const pi = o.task.point % P;
        if (!o.ok) {
          const cause = o.error.cause;
          failures.push(new TaskError(points[k]!.index, o.task.replication, o.task.seed, cause, policies[pi], opts.seed));
          return;
        }
        eventsProcessed += o.eventsProcessed;
        let row = aligned.get(o.keys);
        if (row === undefined) {
          row = o.keys.map((key) => {
            const id = `${key.subjectKind}\u0000${key.subject}\u0000${key.metric}`;
            let g = groups[k]!.get(id);
            if (g === undefined) groups[k]!.set(id, (g = { key, values: policies.map(() => new Float64Array(reps[k]!).fill(NaN)) }));
            return g;
          });
          aligned.set(o.keys, row);
        }
        const r = o.task.replication;
        for (let m = 0; m < row.length; m++) row[m]!.values[pi]![r] = o.values[m]!;
      },
      onDone: opts.onTaskDone,
    },
  );
  if (failures.length > 0) throw new TaskFailures(failures, tasks.length, 'compare.csv');

  const rows: CompareRow[] = [];
  points.forEach((point, k) => {
    const params = pointParams[k]!;
    // Map iteration is in insertion order, which is the deterministic task order above.
    const diffs = new Float64Array(reps[k]!);
    for (const g of groups[k]!.values()) {
      const baseline = g.values[0]!;
      const range = differenceRange(g.key.metric);
      policies.forEach((policy, pi) => {
        const values = g.values[pi]!;
        // NaN - x and x - NaN are NaN: summarize leaves the unpaired replications out.
        for (let r = 0; r < diffs.length; r++) diffs[r] = values[r]! - baseline[r]!;
        const d = summarize(diffs, range);
        rows.push({
          point: point.index,
          params,
          subjectKind: g.key.subjectKind,
          subject: g.key.subject,
          metric: g.key.metric,
          policy,
          mean: summarize(values).mean,
          diff: d.mean,
          diffCi95Low: d.ci95Low,
          diffCi95High: d.ci95High,
          n: d.n,
        });
      });
    }
  });
  return { rows, seeds, eventsProcessed, workers };
}

/**
 * compare's tasks in order (point, policy, replication), computed when asked. A task's `point`
 * is its pool scenario, k * policies + i for point k under policy i; its seed is the
 * (point, replication)'s, the same under every policy (common random numbers).
 */
class CompareTasks implements TaskList {
  readonly length: number;
  /** Index of each point's first task. */
  private readonly starts: number[] = [];

  constructor(
    private readonly pointIndex: number[],
    private readonly reps: number[],
    private readonly baseSeeds: number[],
    private readonly policies: number,
  ) {
    let start = 0;
    for (const n of reps) {
      this.starts.push(start);
      start += n * policies;
    }
    this.length = start;
  }

  at(i: number): Task {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`Expected a task index in [0, ${this.length}), got ${i}`);
    let k = this.starts.length - 1;
    while (this.starts[k]! > i) k--;
    const within = i - this.starts[k]!;
    const n = this.reps[k]!;
    const policy = Math.floor(within / n);
    const replication = within - policy * n;
    return { index: i, point: k * this.policies + policy, replication, seed: replicationSeed(this.baseSeeds[k]!, this.pointIndex[k]!, replication) };
  }
}
