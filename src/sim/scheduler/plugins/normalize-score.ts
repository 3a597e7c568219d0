// kube: pkg/scheduler/framework/plugins/helper/normalize_score.go.

/**
 * kube: helper.DefaultNormalizeScore. Scales scores[0..count) so the maximum becomes
 * `maxPriority` (int64 arithmetic: `maxPriority * s / max`, truncated), then with `reverse`
 * maps s to `maxPriority - s`. If every score is 0 (max 0): all become `maxPriority` with
 * `reverse`, otherwise they are left unchanged. In place; O(count).
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Float64Array, count: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority, 0, count);
    return;
  }
  for (let i = 0; i < count; i++) {
    const s = Math.trunc((maxPriority * scores[i]!) / max);
    scores[i] = reverse ? maxPriority - s : s;
  }
}
