// Worst fit (classic bin packing, not a kube-scheduler plugin): the node left with the most
// remaining capacity after the placement wins. The mirror image of best-fit.ts, with the same
// dominant-resource measure: remaining capacity = 1 - max_r (requested_r + pod_r) /
// allocatable_r, the headroom of the node's tightest resource (actual requests, shares capped
// at 1, allocatable-0 resources skipped). It spreads like LeastAllocated but never prefers a
// node that would be nearly out of one resource because it has plenty of the other.

import type { NodeTable } from '../../cluster/node-table.js';
import { DominantShareScore } from './best-fit.js';
import { DEFAULT_RESOURCES, type ResourceSpec } from './resource-allocation.js';

/** Score = 100 × (1 - dominant share after placement) (a float): the emptiest node wins. */
export class WorstFit extends DominantShareScore {
  readonly name = 'WorstFit';
  constructor(nodes: NodeTable, resources: readonly ResourceSpec[] = DEFAULT_RESOURCES) {
    super(nodes, resources, false);
  }
}
