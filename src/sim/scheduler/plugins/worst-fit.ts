// Worst fit (classic bin packing, not a kube-scheduler plugin): the node left with the most
// remaining capacity after the placement wins. The mirror image of best-fit, with the same
// dominant-resource measure (dominant-share.ts): remaining capacity = 1 - max_r (requested_r +
// pod_r) / allocatable_r, the headroom of the node's tightest resource (actual requests, shares
// capped at 1, allocatable-0 resources skipped). It spreads like LeastAllocated but never
// prefers a node that would be nearly out of one resource because it has plenty of the other.

import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { dominantShares } from './dominant-share.js';
import { DEFAULT_RESOURCES, type ResourceSpec } from './resource-allocation.js';

/** Score = 100 × (1 - dominant share after placement) (a float): the emptiest node wins. */
export class WorstFit implements ScorePlugin {
  readonly name = 'WorstFit';
  readonly normalizeScore = null;
  constructor(
    private readonly nodes: NodeTable,
    private readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES,
  ) {}

  preScore(): Status {
    return Status.Success;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    dominantShares(this.nodes, pod, feasible, count, this.resources, out);
    for (let i = 0; i < count; i++) out[i] = MAX_NODE_SCORE * (1 - out[i]!);
  }
}
