// Sample quantiles.
//
// Hyndman & Fan (1996) type 7, the default of numpy.percentile, R's quantile() and Excel
// PERCENTILE.INC: linear interpolation between the closest ranks.
//   h = (n - 1) * p          (0-based position in the sorted sample)
//   Q(p) = x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])
// so Q(0) is the minimum, Q(1) the maximum, and Q(0.5) the usual median.

/**
 * Type-7 quantile of an ascending-sorted sample, p in [0, 1]. O(1).
 * Returns NaN for an empty sample. The input must be sorted and free of NaN (not checked).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`Expected p in [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const lower = sorted[lo]!;
  const frac = h - lo;
  if (frac === 0) return lower;
  const upper = sorted[lo + 1]!;
  // Equal neighbours return as they are, so [Inf, Inf] gives Inf rather than Inf - Inf = NaN.
  if (upper === lower) return lower;
  return lower + frac * (upper - lower);
}
