// kube: pkg/scheduler/framework/plugins/noderesources/most_allocated.go (NodeResourcesFit
// scoring strategy MostAllocated, bin packing).

import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE } from '../framework.js';
import { DEFAULT_RESOURCES, WeightedResourceScore, type ResourceSpec } from './resource-allocation.js';

/**
 * kube: mostRequestedScore: requested is capped at capacity (pods without requests count with
 * their non-zero defaults and can overshoot), then `(requested * 100) / capacity`, truncated;
 * 0 when capacity is 0.
 */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.floor((requested * MAX_NODE_SCORE) / capacity);
}

/**
 * kube: NodeResourcesFit Score with strategy MostAllocated: weighted mean of
 * mostRequestedScore with integer division; requested uses the non-zero defaults like
 * LeastAllocated. Fullest node wins.
 */
export class MostAllocated extends WeightedResourceScore {
  constructor(nodes: NodeTable, resources: readonly ResourceSpec[] = DEFAULT_RESOURCES) {
    super(nodes, resources, mostRequestedScore);
  }
}
