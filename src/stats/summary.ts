// Summary of one metric across replications: mean, sample standard deviation, a 95% confidence
// interval for the mean, and type-7 percentiles.
//
//   mean   = sum(x) / n                     (Welford's single pass, in input order)
//   stddev = sqrt(sum((x - mean)^2) / (n - 1)), 0 when n = 1
//   CI95   = mean -/+ t(0.975, n - 1) * stddev / sqrt(n)   (Student's t; n = 1 gives [mean, mean])
//
// NaN values mean "undefined in that replication" (for example a latency when no pod was
// scheduled) and are left out: n counts the defined values. With none, n = 0 and every other
// field is NaN. Results are deterministic for a given input order (Welford is not
// order-independent in the last bits).

import { quantileSorted } from './percentile.js';
import { tQuantile } from './t-distribution.js';

export interface Summary {
  /** Number of defined (non-NaN) values. */
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n - 1). */
  stddev: number;
  ci95Low: number;
  ci95High: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

// t(0.975, df) by df; the map is only looked up, never iterated, so it cannot affect order.
const t975Cache = new Map<number, number>();

function t975(df: number): number {
  let t = t975Cache.get(df);
  if (t === undefined) {
    t = tQuantile(0.975, df);
    t975Cache.set(df, t);
  }
  return t;
}

/** Summary of `values`, NaN excluded. O(n log n) for the sort behind the percentiles. */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = new Float64Array(values.length);
  let n = 0;
  let mean = 0;
  let m2 = 0; // sum of squared deviations from the running mean
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    sorted[n] = x;
    n++;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  if (n === 0) {
    return { n: 0, mean: NaN, stddev: NaN, ci95Low: NaN, ci95High: NaN, p50: NaN, p95: NaN, p99: NaN, min: NaN, max: NaN };
  }
  const defined = sorted.subarray(0, n).sort(); // typed-array sort is numeric
  const stddev = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
  const halfWidth = n > 1 ? (t975(n - 1) * stddev) / Math.sqrt(n) : 0;
  return {
    n,
    mean,
    stddev,
    ci95Low: mean - halfWidth,
    ci95High: mean + halfWidth,
    p50: quantileSorted(defined, 0.5),
    p95: quantileSorted(defined, 0.95),
    p99: quantileSorted(defined, 0.99),
    min: defined[0]!,
    max: defined[n - 1]!,
  };
}

/**
 * Summary of a share in [0, 1] (availability, dropped fraction): as `summarize`, with the t
 * interval clamped to [0, 1]. Clamping keeps the bounds meaningful but is a stopgap: near 0 or 1
 * the t interval is not a good interval for a share (it can be [1, 1] when every replication
 * reads 1); a Wilson or bootstrap interval is the planned replacement.
 */
export function summarizeBounded01(values: ArrayLike<number>): Summary {
  const s = summarize(values);
  if (s.n > 0) {
    s.ci95Low = Math.max(0, s.ci95Low);
    s.ci95High = Math.min(1, s.ci95High);
  }
  return s;
}
