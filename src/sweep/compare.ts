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
// Tasks run in-process, sequentially, in a fixed order (point, policy, replication): the
// result is a pure function of (scenario, policies, seed, replications).

import type { LoadedScenario } from '../scenario/load.js';
import { runReplication } from '../sim/simulation.js';
import { replicationSeed } from '../sim/random/streams.js';
import { summarize } from '../stats/summary.js';
import { differenceRange } from './metric-ranges.js';

export interface CompareOptions {
  /** Policy names, already validated against POLICY_NAMES; the first is the baseline. */
  policies: readonly string[];
  /** Overrides the scenario's replications. */
  replications?: number;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Called after each task (progress). */
  onTaskDone?: (done: number, total: number) => void;
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
}

/**
 * Runs every point x policy x replication and pairs the replications by index. Rows are
 * ordered by point, then the metrics in the recorder's order (first appearance), then policy
 * in the order given. Throws with the policy, point, replication and seed if a task fails.
 */
export function comparePolicies(loaded: LoadedScenario, opts: CompareOptions): CompareResult {
  const { policies } = opts;
  if (policies.length === 0) throw new Error('Expected at least one policy, got none');
  const rows: CompareRow[] = [];
  const seeds: CompareResult['seeds'] = [];
  let eventsProcessed = 0;
  const total = loaded.points.reduce((s, p) => s + (opts.replications ?? p.scenario.replications) * policies.length, 0);
  let done = 0;
  for (const point of loaded.points) {
    const base = point.scenario;
    const reps = opts.replications ?? base.replications;
    const scenarioSeed = opts.seed ?? base.seed;
    const params = loaded.sweepParamNames.map((name) => point.params[name] ?? '');
    const pointSeeds = Array.from({ length: reps }, (_, r) => replicationSeed(scenarioSeed, point.index, r));
    pointSeeds.forEach((seed, replication) => seeds.push({ point: point.index, replication, seed }));

    // key (subject kind, subject, metric) -> per policy, the value of each replication (NaN if absent)
    const groups = new Map<string, { subjectKind: string; subject: string; metric: string; values: Float64Array[] }>();
    policies.forEach((policy, pi) => {
      const scenario = { ...base, scheduler: { ...base.scheduler, policy } };
      for (let r = 0; r < reps; r++) {
        const seed = pointSeeds[r]!;
        let result;
        try {
          result = runReplication(scenario, seed, { timeseries: false }); // compare writes no timeseries.csv
        } catch (err) {
          throw new Error(
            `policy ${policy}, replication ${r} of point ${point.index} failed (seed ${seed}): ` +
              (err instanceof Error ? err.message : String(err)),
            { cause: err },
          );
        }
        eventsProcessed += result.eventsProcessed;
        for (const m of result.metrics) {
          const key = `${m.subjectKind}\u0000${m.subject}\u0000${m.metric}`;
          let g = groups.get(key);
          if (g === undefined) {
            g = {
              subjectKind: m.subjectKind,
              subject: m.subject,
              metric: m.metric,
              values: policies.map(() => new Float64Array(reps).fill(NaN)),
            };
            groups.set(key, g);
          }
          g.values[pi]![r] = m.value;
        }
        opts.onTaskDone?.(++done, total);
      }
    });

    // Map iteration is in insertion order, which is the deterministic task order above.
    const diffs = new Float64Array(reps);
    for (const g of groups.values()) {
      const baseline = g.values[0]!;
      const range = differenceRange(g.metric);
      policies.forEach((policy, pi) => {
        const values = g.values[pi]!;
        // NaN - x and x - NaN are NaN: summarize leaves the unpaired replications out.
        for (let r = 0; r < reps; r++) diffs[r] = values[r]! - baseline[r]!;
        const d = summarize(diffs, range);
        rows.push({
          point: point.index,
          params,
          subjectKind: g.subjectKind,
          subject: g.subject,
          metric: g.metric,
          policy,
          mean: summarize(values).mean,
          diff: d.mean,
          diffCi95Low: d.ci95Low,
          diffCi95High: d.ci95High,
          n: d.n,
        });
      });
    }
  }
  return { rows, seeds, eventsProcessed };
}
