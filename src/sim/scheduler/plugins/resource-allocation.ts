// kube: pkg/scheduler/framework/plugins/noderesources/resource_allocation.go, the part shared by
// LeastAllocated, MostAllocated, RequestedToCapacityRatio and BalancedAllocation.

import { RESOURCE_CPU, RESOURCE_EPHEMERAL, RESOURCE_MEMORY } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import type { SchedPod } from '../sched-pod.js';

/** kube: config.ResourceSpec: a resource dimension and its weight in the weighted mean. */
export interface ResourceSpec {
  readonly dim: number;
  readonly weight: number;
}

/** kube: the default NodeResourcesFit / BalancedAllocation resources: cpu and memory, weight 1. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { dim: RESOURCE_CPU, weight: 1 },
  { dim: RESOURCE_MEMORY, weight: 1 },
];

/**
 * kube: resourceAllocationScorer.calculateResourceAllocatableRequest, the allocatable half:
 * 0 means "skip this resource on this node", which is also returned for an extended resource
 * the pod does not request.
 */
export function scoredAllocatable(nodes: NodeTable, pod: SchedPod, n: number, dim: number): number {
  if (dim > RESOURCE_EPHEMERAL && pod.requests[dim] === 0) return 0;
  return nodes.allocatable[n * nodes.R + dim]!;
}

/**
 * kube: calculateResourceAllocatableRequest, the requested half: node's requested plus the
 * pod's request. `useRequested` false (Least/MostAllocated, RequestedToCapacityRatio): cpu and
 * memory use NonZeroRequested and the pod's non-zero request; true (BalancedAllocation): actual
 * requests. Ephemeral storage and extended resources always use actual requests.
 */
export function scoredRequested(nodes: NodeTable, pod: SchedPod, n: number, dim: number, useRequested: boolean): number {
  if (!useRequested) {
    if (dim === RESOURCE_CPU) return nodes.nonZeroCpu[n]! + pod.nonZeroCpuMilli;
    if (dim === RESOURCE_MEMORY) return nodes.nonZeroMem[n]! + pod.nonZeroMemoryBytes;
  }
  return nodes.requested[n * nodes.R + dim]! + pod.requests[dim]!;
}
