// kube: pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio.go
// (NodeResourcesFit scoring strategy RequestedToCapacityRatio).

import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { DEFAULT_RESOURCES, scoredAllocatable, scoredRequested, type ResourceSpec } from './resource-allocation.js';
import { brokenLinear, type FunctionShapePoint } from './shape-score.js';
import { packedMap } from '../../packed.js';

/** kube: config.MaxCustomPriorityScore: shape scores are 0..10 and scaled ×10 to MAX_NODE_SCORE. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
/** kube: requested_to_capacity_ratio.go maxUtilization. */
const MAX_UTILIZATION = 100;

/** kube: config.UtilizationShapePoint, in the user's units (utilization 0..100, score 0..10). */
export interface UtilizationShapePoint {
  readonly utilization: number;
  readonly score: number;
}

/** The shape that behaves like MostAllocated (bin packing): 0% -> 0, 100% -> 10. */
export const MOST_ALLOCATED_SHAPE: readonly UtilizationShapePoint[] = [
  { utilization: 0, score: 0 },
  { utilization: 100, score: 10 },
];

/**
 * kube: scaledUtilization: `requested * 100 / capacity` truncated, with requested clamped to
 * [0, capacity] (0 when capacity or requested is <= 0, 100 when requested >= capacity).
 */
export function scaledUtilization(requested: number, capacity: number): number {
  if (capacity <= 0 || requested <= 0) return 0;
  if (requested >= capacity) return MAX_UTILIZATION;
  return Math.floor((requested * MAX_UTILIZATION) / capacity);
}

/**
 * kube: NodeResourcesFit Score with strategy RequestedToCapacityRatio. Per scored resource
 * (allocatable > 0; requested = NonZeroRequested + the pod's non-zero request, like
 * Least/MostAllocated): f(utilization), where f is the broken-linear shape with scores ×10,
 * and f(100) when requested > capacity. Only resources scoring > 0 enter the weighted mean
 * (upstream: `if resourceScore > 0`), which is rounded with math.Round (half away from zero;
 * scores are non-negative so Math.round agrees). A node with no resource scoring > 0 scores 0.
 */
export class RequestedToCapacityRatio implements ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly normalizeScore = null;
  /** The shape in scheduler units (scores ×10). */
  private readonly shape: readonly FunctionShapePoint[];

  constructor(
    private readonly nodes: NodeTable,
    shape: readonly UtilizationShapePoint[] = MOST_ALLOCATED_SHAPE,
    private readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES,
  ) {
    // kube: validation.validateFunctionShape.
    if (shape.length === 0) throw new Error('Expected at least one shape point, got none');
    shape.forEach((pt, i) => {
      if (!Number.isInteger(pt.utilization) || pt.utilization < 0 || pt.utilization > MAX_UTILIZATION) {
        throw new Error(`Expected shape[${i}].utilization to be an integer in [0, 100], got ${pt.utilization}`);
      }
      if (!Number.isInteger(pt.score) || pt.score < 0 || pt.score > MAX_CUSTOM_PRIORITY_SCORE) {
        throw new Error(`Expected shape[${i}].score to be an integer in [0, 10], got ${pt.score}`);
      }
      if (i > 0 && pt.utilization <= shape[i - 1]!.utilization) {
        throw new Error(`Expected shape utilizations to increase strictly, got ${shape[i - 1]!.utilization} then ${pt.utilization}`);
      }
    });
    const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
    this.shape = packedMap(shape, (pt) => ({ utilization: pt.utilization, score: pt.score * scale }));
  }

  preScore(): Status {
    return Status.Success;
  }

  /** kube: resourceScoringFunction for one resource. */
  resourceScore(requested: number, capacity: number): number {
    if (capacity === 0 || requested > capacity) return brokenLinear(this.shape, MAX_UTILIZATION);
    return brokenLinear(this.shape, scaledUtilization(requested, capacity));
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
        const s = this.resourceScore(scoredRequested(nodes, pod, n, dim, false), alloc);
        if (s > 0) {
          nodeScore += s * weight;
          weightSum += weight;
        }
      }
      out[i] = weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
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
      let nodeScore = 0;
      let weightSum = 0;
      if (allocCpu !== 0) {
        const s = this.resourceScore(nonZeroCpu[n]! + podCpu, allocCpu);
        if (s > 0) {
          nodeScore += s;
          weightSum++;
        }
      }
      if (allocMem !== 0) {
        const s = this.resourceScore(nonZeroMem[n]! + podMem, allocMem);
        if (s > 0) {
          nodeScore += s;
          weightSum++;
        }
      }
      out[i] = weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
    }
  }
}
