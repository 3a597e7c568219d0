// kube: pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go, v1.34 formula.

import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { DEFAULT_RESOURCES, scoredAllocatable, scoredRequested, type ResourceSpec } from './resource-allocation.js';
import { replicationArray } from '../../typed-arrays.js';

/**
 * kube: balancedResourceScorer. `fractions[0..count)` are requested / allocatable per scored
 * resource, already capped at 1. std = |f0 - f1| / 2 for two resources, the population
 * standard deviation for more, 0 for fewer; score = int64((1 - std) × 100).
 */
export function balancedResourceScore(fractions: Float64Array, count: number): number {
  let std = 0;
  if (count === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  } else if (count > 2) {
    let total = 0;
    for (let i = 0; i < count; i++) total += fractions[i]!;
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < count; i++) sum += (fractions[i]! - mean) * (fractions[i]! - mean);
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/**
 * kube: NodeResourcesBalancedAllocation. Favours nodes whose cpu and memory fractions (actual
 * requested incl. this pod, over allocatable) are close. PreScore Skip for best-effort pods
 * (cpu and memory requests both 0; PR #130260, v1.33+).
 */
export class BalancedAllocation implements ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  readonly normalizeScore = null;
  private readonly fractions: Float64Array;

  constructor(
    private readonly nodes: NodeTable,
    readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES,
  ) {
    this.fractions = replicationArray(Float64Array, resources.length);
  }

  preScore(pod: SchedPod): Status {
    // kube: isBestEffortPod over the plugin's resources (cpu, memory by default).
    for (const { dim } of this.resources) if (pod.requests[dim] !== 0) return Status.Success;
    return Status.Skip;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    if (this.resources === DEFAULT_RESOURCES) return this.scoreCpuMemory(pod, feasible, count, out);
    const nodes = this.nodes;
    const resources = this.resources;
    const fractions = this.fractions;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      let k = 0;
      for (let j = 0; j < resources.length; j++) {
        const dim = resources[j]!.dim;
        const alloc = scoredAllocatable(nodes, pod, n, dim);
        if (alloc === 0) continue;
        const f = scoredRequested(nodes, pod, n, dim, true) / alloc;
        fractions[k++] = f > 1 ? 1 : f;
      }
      out[i] = balancedResourceScore(fractions, k);
    }
  }

  /**
   * NOTE: the loop above for cpu and memory, inlined for performance. With one resource
   * skipped (allocatable 0) std is 0 and the score 100; with none, too.
   */
  private scoreCpuMemory(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const { R, allocatable, requested } = this.nodes;
    const podCpu = pod.requests[RESOURCE_CPU]!;
    const podMem = pod.requests[RESOURCE_MEMORY]!;
    for (let i = 0; i < count; i++) {
      const base = feasible[i]! * R;
      const allocCpu = allocatable[base + RESOURCE_CPU]!;
      const allocMem = allocatable[base + RESOURCE_MEMORY]!;
      if (allocCpu === 0 || allocMem === 0) {
        out[i] = MAX_NODE_SCORE;
        continue;
      }
      let fCpu = (requested[base + RESOURCE_CPU]! + podCpu) / allocCpu;
      let fMem = (requested[base + RESOURCE_MEMORY]! + podMem) / allocMem;
      if (fCpu > 1) fCpu = 1;
      if (fMem > 1) fMem = 1;
      out[i] = Math.trunc((1 - Math.abs((fCpu - fMem) / 2)) * MAX_NODE_SCORE);
    }
  }
}
