// Summary of one metric across replications: mean, sample standard deviation, a 95% confidence
// interval for the mean, and type-7 percentiles.
//
//   mean   = sum(x) / n                     (Welford's single pass, in input order)
//   stddev = sqrt(sum((x - mean)^2) / (n - 1)); NaN (an empty cell) when n = 1, as pandas' std()
//            and R's sd() give: one value has no sample variance
//   CI95   = without a range: Student's t, mean -/+ t(0.975, n - 1) * stddev / sqrt(n). It is not
//            clipped: for a non-negative metric it can reach below 0 when the values are skewed
//            and few, which says the normal approximation is poor there.
//            with a range (shares in [0, 1], differences of shares in [-1, 1]): the
//            effective-sample-size Wilson interval of bounded-interval.ts, inside the range.
//            n < 2 gives [NaN, NaN] (no variance estimate) either way.
//
// NaN values mean "undefined in that replication" (for example a latency when no pod was
// scheduled) and are left out: n counts the defined values. With none, n = 0 and every other
// field is NaN. Results are deterministic for a given input order (Welford is not
// order-independent in the last bits).

import { quantileSorted } from './percentile.js';
import { boundedInterval, tInterval, type Range } from './bounded-interval.js';

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

/**
 * Summary of `values`, NaN excluded; `range` (when the metric's values are known to lie in it)
 * selects the bounded interval. O(n log n) for the sort behind the percentiles, which sorts a
 * copy: in `scratch` when given and long enough (a caller summarising many long series reuses
 * one buffer rather than allocating one per series), else in a new array.
 */
export function summarize(values: ArrayLike<number>, range?: Range, scratch?: Float64Array): Summary {
  const sorted = scratch !== undefined && scratch.length >= values.length ? scratch : new Float64Array(values.length);
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
  const stddev = n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
  const [ci95Low, ci95High] = range === undefined ? tInterval(mean, stddev, n) : boundedInterval(mean, stddev, n, range);
  return {
    n,
    mean,
    stddev,
    ci95Low,
    ci95High,
    p50: quantileSorted(defined, 0.5),
    p95: quantileSorted(defined, 0.95),
    p99: quantileSorted(defined, 0.99),
    min: defined[0]!,
    max: defined[n - 1]!,
  };
}
