// kube: pkg/scheduler/framework/plugins/noderesources/resource_allocation.go, the part shared by
// LeastAllocated, MostAllocated, RequestedToCapacityRatio and BalancedAllocation.

import { RESOURCE_CPU, RESOURCE_EPHEMERAL, RESOURCE_MEMORY } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import type { SchedPod } from '../sched-pod.js';
import { Status, type ScorePlugin } from '../framework.js';

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

/**
 * kube: resourceAllocationScorer.score for the NodeResourcesFit strategies whose per-resource
 * `scorer` is combined as Σ(score_r × w_r) / Σw_r with integer division over the resources with
 * allocatable > 0, on non-zero requests (LeastAllocated, MostAllocated).
 */
export class WeightedResourceScore implements ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly normalizeScore = null;
  constructor(
    private readonly nodes: NodeTable,
    readonly resources: readonly ResourceSpec[],
    private readonly scorer: (requested: number, capacity: number) => number,
  ) {}

  preScore(): Status {
    return Status.Success;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    if (this.resources === DEFAULT_RESOURCES) return this.scoreCpuMemory(pod, feasible, count, out);
    const { nodes, resources, scorer } = this;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      let nodeScore = 0;
      let weightSum = 0;
      for (let j = 0; j < resources.length; j++) {
        const { dim, weight } = resources[j]!;
        const alloc = scoredAllocatable(nodes, pod, n, dim);
        if (alloc === 0) continue;
        nodeScore += scorer(scoredRequested(nodes, pod, n, dim, false), alloc) * weight;
        weightSum += weight;
      }
      out[i] = weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
    }
  }

  /** NOTE: the loop above for cpu and memory with weight 1, inlined for performance. */
  private scoreCpuMemory(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const { R, allocatable, nonZeroCpu, nonZeroMem } = this.nodes;
    const scorer = this.scorer;
    const podCpu = pod.nonZeroCpuMilli;
    const podMem = pod.nonZeroMemoryBytes;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      const allocCpu = allocatable[n * R + RESOURCE_CPU]!;
      const allocMem = allocatable[n * R + RESOURCE_MEMORY]!;
      const cpu = scorer(nonZeroCpu[n]! + podCpu, allocCpu);
      const mem = scorer(nonZeroMem[n]! + podMem, allocMem);
      const weightSum = (allocCpu === 0 ? 0 : 1) + (allocMem === 0 ? 0 : 1);
      out[i] = weightSum === 0 ? 0 : Math.floor((cpu + mem) / weightSum);
    }
  }
}
