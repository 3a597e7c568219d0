// Tetris-style alignment (Grandl et al., "Multi-Resource Packing for Cluster Schedulers",
// SIGCOMM 2014; not a kube-scheduler plugin): the dot product of the pod's request vector and
// the node's free vector, both normalised by the node's allocatable, so that a node whose
// free resources are shaped like the pod's demand wins:
//
//   alignment = Σ_r (pod_r / alloc_r) × (free_r / alloc_r),   free_r = alloc_r - requested_r
//
// over the scored resources (cpu and memory by default), free measured before the placement,
// actual requests (as the NodeResourcesFit filter). On a feasible node pod_r <= free_r <=
// alloc_r, so each term is in [0, 1]; the score is 100 × alignment / (number of scored
// resources), in [0, 100]. Resources with allocatable 0 are skipped; a pod without requests
// scores 0 everywhere (a uniform tie-break). Larger free vectors score higher, so on its own
// it leans towards emptier nodes, as Tetris's alignment term does before its other terms.
// Weights of the ResourceSpecs are ignored.

import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { DEFAULT_RESOURCES, scoredAllocatable, type ResourceSpec } from './resource-allocation.js';

export class DotProduct implements ScorePlugin {
  readonly name = 'DotProduct';
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
    const { R, requested } = nodes;
    const resources = this.resources;
    const requests = pod.requests;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      let alignment = 0;
      let scored = 0;
      for (let j = 0; j < resources.length; j++) {
        const dim = resources[j]!.dim;
        const alloc = scoredAllocatable(nodes, pod, n, dim);
        if (alloc === 0) continue;
        scored++;
        const free = alloc - requested[n * R + dim]!;
        if (free > 0) alignment += (requests[dim]! / alloc) * (free / alloc);
      }
      out[i] = scored === 0 ? 0 : (MAX_NODE_SCORE * alignment) / scored;
    }
  }

  /** NOTE: the loop above for cpu and memory, inlined for performance. */
  private scoreCpuMemory(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const { R, allocatable, requested } = this.nodes;
    const podCpu = pod.requests[RESOURCE_CPU]!;
    const podMem = pod.requests[RESOURCE_MEMORY]!;
    for (let i = 0; i < count; i++) {
      const base = feasible[i]! * R;
      const allocCpu = allocatable[base + RESOURCE_CPU]!;
      const allocMem = allocatable[base + RESOURCE_MEMORY]!;
      let alignment = 0;
      let scored = 0;
      if (allocCpu !== 0) {
        scored++;
        const free = allocCpu - requested[base + RESOURCE_CPU]!;
        if (free > 0) alignment += (podCpu / allocCpu) * (free / allocCpu);
      }
      if (allocMem !== 0) {
        scored++;
        const free = allocMem - requested[base + RESOURCE_MEMORY]!;
        if (free > 0) alignment += (podMem / allocMem) * (free / allocMem);
      }
      out[i] = scored === 0 ? 0 : (MAX_NODE_SCORE * alignment) / scored;
    }
  }
}
