// kube: schedule_one.go selectHost (v1.34).

/**
 * Index of the highest total score; ties are broken uniformly at random by reservoir
 * sampling: the k-th node tied for the top replaces the current choice with probability 1/k
 * (kube: `rand.Intn(cntOfMaxScore) == 0`). Draws exactly (ties - 1) numbers from `random`,
 * none when the top is unique. Two passes, O(count), no allocation. `count` must be >= 1.
 */
export function selectHost(totals: Float64Array, count: number, random: () => number): number {
  let best = totals[0]!;
  for (let i = 1; i < count; i++) if (totals[i]! > best) best = totals[i]!;
  let selected = -1;
  let tied = 0;
  for (let i = 0; i < count; i++) {
    if (totals[i] !== best) continue;
    tied++;
    if (tied === 1 || Math.floor(random() * tied) === 0) selected = i;
  }
  return selected;
}

/**
 * selectHost's draw when the nodes tied for the top are already listed: one of ties[0..tied),
 * by the same reservoir sampling in list order (the k-th replaces the choice with probability
 * 1/k), so the same (tied - 1) draws. `tied` must be >= 1.
 */
export function pickTied(ties: Int32Array, tied: number, random: () => number): number {
  let selected = ties[0]!;
  for (let k = 1; k < tied; k++) if (Math.floor(random() * (k + 1)) === 0) selected = ties[k]!;
  return selected;
}
