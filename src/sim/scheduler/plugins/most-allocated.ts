// kube: pkg/scheduler/framework/plugins/noderesources/most_allocated.go (NodeResourcesFit
// scoring strategy MostAllocated, bin packing).

import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { DEFAULT_RESOURCES, scoredAllocatable, scoredRequested, type ResourceSpec } from './resource-allocation.js';

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
export class MostAllocated implements ScorePlugin {
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
        nodeScore += mostRequestedScore(scoredRequested(nodes, pod, n, dim, false), alloc) * weight;
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
      const cpu = mostRequestedScore(nonZeroCpu[n]! + podCpu, allocCpu);
      const mem = mostRequestedScore(nonZeroMem[n]! + podMem, allocMem);
      const weightSum = (allocCpu === 0 ? 0 : 1) + (allocMem === 0 ? 0 : 1);
      out[i] = weightSum === 0 ? 0 : Math.floor((cpu + mem) / weightSum);
    }
  }
}
