// A 95% confidence interval for the mean of per-replication values that lie, by definition, in a
// known range [lo, hi] (a share in [0, 1]; the paired difference of two shares in [-1, 1]). The
// interval stays inside the range by construction; nothing is clipped.
//
// Method: the Wilson score interval at an effective sample size, with Student's t in place of the
// normal quantile. On the unit scale p = (mean - lo) / (hi - lo), s = stddev / (hi - lo):
//
//   n_eff  = p (1 - p) n / s^2          (Kish's effective sample size: the n of Bernoulli trials
//                                         whose proportion has the variance s^2 / n of our mean)
//   z      = t(0.975, n - 1)
//   centre = (p + z^2 / (2 n_eff)) / (1 + z^2 / n_eff)
//   half   = z / (1 + z^2 / n_eff) * sqrt(s^2 / n + z^2 / (4 n_eff^2))     [p (1 - p) / n_eff = s^2 / n]
//   CI     = lo + (hi - lo) * [centre - half, centre + half]
//
// Why this one: the per-replication shares are continuous values, not Bernoulli outcomes, so the
// plain Wilson interval (n_eff = n) would use the Bernoulli variance p (1 - p) instead of the
// observed one. With n_eff the interval uses the observed variance: far from the bounds
// (n_eff >> z^2) it is the Student-t interval mean -/+ t s / sqrt(n) to first order, and near a
// bound it bends inward the way the Wilson interval does (the interval is inside [0, 1] for every
// p in [0, 1] and n_eff > 0, which is what the score-test construction guarantees). This is the
// effective-sample-size Wilson interval used for proportions from complex surveys. A bootstrap
// would also respect the range but needs every value and thousands of resamples per metric.
//
// Bhatia-Davis: for values in [0, 1] with mean p, the population variance is at most p (1 - p),
// so s^2 <= p (1 - p) n / (n - 1) and n_eff >= n - 1. The floor n_eff >= n - 1 below only acts
// when rounding (or a value outside the range) breaks that inequality.
//
// Degenerate cases:
//   n = 0           -> [NaN, NaN]
//   n = 1           -> [NaN, NaN]: one replication says nothing about the variance (the t
//                      interval has 0 degrees of freedom); summary.csv leaves the cells empty
//   s = 0, n >= 2   -> [mean, mean]: every replication gave the same value (for example a
//                      workload that never went down: availability 1 in every replication).
//                      It is the limit of the interval as s -> 0 and what the t interval gives;
//                      it reports that no variation was seen, not that none is possible.

import { tQuantile } from './t-distribution.js';

/** The known range of a metric's per-replication values. */
export interface Range {
  lo: number;
  hi: number;
}

export const UNIT_RANGE: Range = { lo: 0, hi: 1 };

// t(0.975, df) by df; the map is only looked up, never iterated, so it cannot affect order.
const t975Cache = new Map<number, number>();

/** Student's t quantile t(0.975, df), cached per df. */
export function t975(df: number): number {
  let t = t975Cache.get(df);
  if (t === undefined) {
    t = tQuantile(0.975, df);
    t975Cache.set(df, t);
  }
  return t;
}

/** Student-t 95% CI of the mean: mean -/+ t(0.975, n - 1) s / sqrt(n); may leave any range. */
export function tInterval(mean: number, stddev: number, n: number): [number, number] {
  if (n < 2) return [NaN, NaN];
  const half = (t975(n - 1) * stddev) / Math.sqrt(n);
  return [mean - half, mean + half];
}

/** Effective-sample-size Wilson 95% CI of the mean of n values in `range` (see the header). */
export function boundedInterval(mean: number, stddev: number, n: number, range: Range): [number, number] {
  if (n < 2 || Number.isNaN(mean)) return [NaN, NaN];
  if (stddev === 0) return [mean, mean];
  const width = range.hi - range.lo;
  // Rounding guard only: a mean of values in the range is in the range.
  const p = Math.min(1, Math.max(0, (mean - range.lo) / width));
  const s = stddev / width;
  const nEff = Math.max(n - 1, (p * (1 - p) * n) / (s * s));
  const z = t975(n - 1);
  const z2 = z * z;
  const denom = 1 + z2 / nEff;
  const centre = (p + z2 / (2 * nEff)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / nEff + z2 / (4 * nEff * nEff));
  // The exact interval is inside [0, 1]; max/min only absorb the last bit of rounding.
  const low = Math.max(0, centre - half);
  const high = Math.min(1, centre + half);
  return [range.lo + width * low, range.lo + width * high];
}
