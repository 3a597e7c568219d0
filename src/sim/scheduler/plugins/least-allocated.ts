// kube: pkg/scheduler/framework/plugins/noderesources/least_allocated.go (NodeResourcesFit's
// default scoring strategy).

import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE } from '../framework.js';
import { DEFAULT_RESOURCES, WeightedResourceScore, type ResourceSpec } from './resource-allocation.js';

/**
 * kube: leastRequestedScore: `((capacity - requested) * 100) / capacity` in int64 (truncation),
 * 0 when requested > capacity or capacity is 0. Exact in doubles while capacity * 100 < 2^53.
 */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * kube: NodeResourcesFit Score with strategy LeastAllocated: Σ(score_r × w_r) / Σw_r with
 * integer division over the resources with allocatable > 0; requested = NonZeroRequested +
 * the pod's non-zero request. Emptiest node wins.
 */
export class LeastAllocated extends WeightedResourceScore {
  constructor(nodes: NodeTable, resources: readonly ResourceSpec[] = DEFAULT_RESOURCES) {
    super(nodes, resources, leastRequestedScore);
  }
}
