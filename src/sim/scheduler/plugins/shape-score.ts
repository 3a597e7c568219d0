// kube: pkg/scheduler/framework/plugins/helper/shape_score.go.

/** kube: helper.FunctionShapePoint: `score` at `utilization` (both integers). */
export interface FunctionShapePoint {
  readonly utilization: number;
  readonly score: number;
}

/**
 * kube: helper.BuildBrokenLinearFunction. f(p) is shape[0].score for p <= shape[0].utilization,
 * shape[n-1].score for p > shape[n-1].utilization, and linear between neighbouring points with
 * Go's int64 arithmetic: `s[i-1] + (s[i] - s[i-1]) * (p - u[i-1]) / (u[i] - u[i-1])`, the
 * division truncating toward zero (also for a falling segment). `shape` must be non-empty
 * with strictly increasing utilizations (upstream validation; checked by the callers'
 * constructors). O(points), no allocation.
 */
export function brokenLinear(shape: readonly FunctionShapePoint[], p: number): number {
  for (let i = 0; i < shape.length; i++) {
    const cur = shape[i]!;
    if (p <= cur.utilization) {
      if (i === 0) return cur.score;
      const prev = shape[i - 1]!;
      return prev.score + Math.trunc(((cur.score - prev.score) * (p - prev.utilization)) / (cur.utilization - prev.utilization));
    }
  }
  return shape[shape.length - 1]!.score;
}
