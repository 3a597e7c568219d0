// `run --target-ci METRIC=HALFWIDTH --max-replications M`: replications run in deterministic
// batches (B = --replications or the scenario's, per point: replications 0..B-1, then B..2B-1,
// ...) until, at every sweep point and for every subject that has METRIC, the half-width of its
// 95% CI (as summary.csv reports it) is at most HALFWIDTH, or M replications per point are done.
// Seeds depend only on (seed, point, replication), so a run that stops at n replications writes
// the bytes of `run --replications n`.

import { summaryRow } from './run.js';
import type { MetricKey } from './execute.js';

export interface TargetCi {
  metric: string;
  halfWidth: number;
}

/** Parses METRIC=HALFWIDTH; throws a RangeError with the usage on bad input. */
export function parseTargetCi(text: string): TargetCi {
  const m = /^([A-Za-z0-9_]+)=(.+)$/.exec(text.trim());
  const halfWidth = m === null ? NaN : Number(m[2]);
  if (m === null || !Number.isFinite(halfWidth) || halfWidth < 0) {
    throw new RangeError(`--target-ci: expected METRIC=HALFWIDTH with HALFWIDTH >= 0 (e.g. availability=0.001), got "${text}"`);
  }
  return { metric: m[1]!, halfWidth };
}

/** The replication count per point after the batch that follows `done`. */
export function nextBatchEnd(done: number, batch: number, max: number): number {
  return Math.min(max, done + batch);
}

/** One point's finished replications: the metric keys and each replication's values, in order. */
export interface PointValues {
  point: number;
  keys: MetricKey[];
  values: Float64Array[];
}

export interface Widest {
  /** The widest half-width of METRIC over points and subjects (Infinity when a subject has < 2 defined values). */
  halfWidth: number;
  /** Where it is, e.g. "point 0, workload web"; null when no subject has the metric. */
  where: string | null;
}

/** The widest 95% CI half-width of `metric` over every point and subject that has it. */
export function widestHalfWidth(points: PointValues[], metric: string): Widest {
  let widest: Widest = { halfWidth: -Infinity, where: null };
  for (const p of points) {
    p.keys.forEach((key, k) => {
      if (key.metric !== metric) return;
      const s = summaryRow({ point: p.point, params: [], ...key }, p.values.map((v) => v[k]!)).summary;
      if (s.n === 0) return; // never defined (e.g. no outage to recover from): nothing to estimate
      const hw = s.n < 2 || !Number.isFinite(s.ci95High - s.ci95Low) ? Infinity : (s.ci95High - s.ci95Low) / 2;
      if (hw > widest.halfWidth) widest = { halfWidth: hw, where: `point ${p.point}, ${key.subjectKind} ${key.subject}`.replace(/ $/, '') };
    });
  }
  return widest;
}
