// The dominant share of a node after a placement, the measure of the bin-packing policies
// best-fit (the fullest node wins: best-fit-index.ts) and worst-fit (the emptiest: worst-fit.ts).
//
// Several resources are reduced to one number by the dominant resource, as in DRF: a node's
// fill is the share of its most-used resource, `max_r (requested_r + pod_r) / allocatable_r`
// over the scored resources (cpu and memory by default), so its remaining capacity is the
// headroom of its tightest resource, `1 - fill`. This differs from MostAllocated (the mean of
// the per-resource shares, truncated to integers): a node with cpu 90% and memory 10% used is
// fuller here (0.9) than a node with both at 60% (0.6), where MostAllocated ranks them the
// other way (50 vs 60).
//
// Requests are the actual ones (as the NodeResourcesFit filter and BalancedAllocation use), so
// a pod without requests adds nothing and goes to the fullest node. Shares are capped at 1; a
// resource with allocatable 0 is skipped (resource-allocation.ts), and with none left the
// fill is 0. Weights of the ResourceSpecs are ignored (a maximum has no weights).

import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import type { SchedPod } from '../sched-pod.js';
import { DEFAULT_RESOURCES, scoredAllocatable, scoredRequested, type ResourceSpec } from './resource-allocation.js';

/** The dominant used share of node n once `pod` is on it, in [0, 1]. O(resources). */
export function dominantShareAfter(nodes: NodeTable, pod: SchedPod, n: number, resources: readonly ResourceSpec[]): number {
  let fill = 0;
  for (let j = 0; j < resources.length; j++) {
    const dim = resources[j]!.dim;
    const alloc = scoredAllocatable(nodes, pod, n, dim);
    if (alloc === 0) continue;
    const share = scoredRequested(nodes, pod, n, dim, true) / alloc;
    if (share > fill) fill = share > 1 ? 1 : share;
  }
  return fill;
}

/**
 * fills[i] = dominantShareAfter(feasible[i]) for i < count. O(count × resources), no allocation.
 * NOTE: cpu and memory (DEFAULT_RESOURCES) are inlined for performance; the test in
 * test/scheduler/policies.test.ts checks that they agree with the generic loop.
 */
export function dominantShares(
  nodes: NodeTable,
  pod: SchedPod,
  feasible: Int32Array,
  count: number,
  resources: readonly ResourceSpec[],
  fills: Float64Array,
): void {
  if (resources !== DEFAULT_RESOURCES) {
    for (let i = 0; i < count; i++) fills[i] = dominantShareAfter(nodes, pod, feasible[i]!, resources);
    return;
  }
  const { R, allocatable, requested } = nodes;
  const podCpu = pod.requests[RESOURCE_CPU]!;
  const podMem = pod.requests[RESOURCE_MEMORY]!;
  for (let i = 0; i < count; i++) {
    const base = feasible[i]! * R;
    const allocCpu = allocatable[base + RESOURCE_CPU]!;
    const allocMem = allocatable[base + RESOURCE_MEMORY]!;
    let fill = 0;
    if (allocCpu !== 0) fill = (requested[base + RESOURCE_CPU]! + podCpu) / allocCpu;
    if (allocMem !== 0) {
      const share = (requested[base + RESOURCE_MEMORY]! + podMem) / allocMem;
      if (share > fill) fill = share;
    }
    fills[i] = fill > 1 ? 1 : fill;
  }
}
