// kube: pkg/scheduler/framework/plugins/noderesources/least_allocated.go (NodeResourcesFit's
// default scoring strategy).

import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { DEFAULT_RESOURCES, scoredAllocatable, scoredRequested, type ResourceSpec } from './resource-allocation.js';

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
export class LeastAllocated implements ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly normalizeScore = null;
  constructor(
    private readonly nodes: NodeTable,
    private readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES,
  ) {}

  preScore(): Status {
    return Status.Success;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    if (this.resources === DEFAULT_RESOURCES) return this.scoreCpuMemory(pod, feasible, count, out);
    const nodes = this.nodes;
    const resources = this.resources;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      let nodeScore = 0;
      let weightSum = 0;
      for (let j = 0; j < resources.length; j++) {
        const { dim, weight } = resources[j]!;
        const alloc = scoredAllocatable(nodes, pod, n, dim);
        if (alloc === 0) continue;
        nodeScore += leastRequestedScore(scoredRequested(nodes, pod, n, dim, false), alloc) * weight;
        weightSum += weight;
      }
      out[i] = weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
    }
  }

  /** NOTE: the loop above for cpu and memory with weight 1, inlined for performance. */
  private scoreCpuMemory(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const { R, allocatable, nonZeroCpu, nonZeroMem } = this.nodes;
    const podCpu = pod.nonZeroCpuMilli;
    const podMem = pod.nonZeroMemoryBytes;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      const allocCpu = allocatable[n * R + RESOURCE_CPU]!;
      const allocMem = allocatable[n * R + RESOURCE_MEMORY]!;
      const cpu = leastRequestedScore(nonZeroCpu[n]! + podCpu, allocCpu);
      const mem = leastRequestedScore(nonZeroMem[n]! + podMem, allocMem);
      const weightSum = (allocCpu === 0 ? 0 : 1) + (allocMem === 0 ? 0 : 1);
      out[i] = weightSum === 0 ? 0 : Math.floor((cpu + mem) / weightSum);
    }
  }
}
