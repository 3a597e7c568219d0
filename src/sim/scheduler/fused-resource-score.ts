// NOTE: a fast path, for performance only. prioritizeNodes + selectHost (scheduler.ts) for the
// score plugins of kube's default profile that read only cpu and memory, fused into the filter
// pass (Scheduler.findFeasibleScored) with no per-plugin score arrays, no normalize passes and
// no totals array, and each node's total memoised per pod template until the node's resources
// change: NodeResourcesFit's LeastAllocated and NodeResourcesBalancedAllocation on their default
// resources, plus TaintToleration and NodeAffinity when their scores are the same on every node.
//
// It must choose exactly what the plugin-by-plugin path chooses, with the same random draws;
// test/scheduler/fused-score.test.ts checks that on random clusters. Why it does:
// - Each node's total is the same integers: LeastAllocated `⌊(⌊(a−r)·100/a⌋_cpu +
//   ⌊(a−r)·100/a⌋_mem) / weightSum⌋` (kube: leastRequestedScore, resourceAllocationScorer.score)
//   and BalancedAllocation `int64((1 − |f_cpu − f_mem| / 2) · 100)` (kube:
//   balancedResourceScorer) with the same float64 expressions as the plugins, times their
//   weights.
// - A score that is the same on every node only shifts every total by one constant, which
//   changes neither the maximum's position nor the ties: TaintToleration when no node has an
//   untolerated PreferNoSchedule taint (DefaultNormalizeScore(reverse) makes every score 100),
//   NodeAffinity when its PreScore Skips (no preferred terms: 0 everywhere).
//   Otherwise `applies` says no and the scheduler runs the plugins one by one.
// - kube: selectHost's reservoir sampling over the nodes tied for the top total, in feasible
//   order: the k-th tied node replaces the choice with probability 1/k, (ties − 1) draws.
//   Collecting the tied nodes in one pass (restarting the list when a higher total appears)
//   visits the same nodes in the same order as selectHost's two passes.

import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../scenario/model.js';
import type { NodeTable } from '../cluster/node-table.js';
import { MAX_NODE_SCORE, type WeightedScorePlugin } from './framework.js';
import { BalancedAllocation } from './plugins/balanced-allocation.js';
import { LeastAllocated } from './plugins/least-allocated.js';
import { NodeAffinityScore } from './plugins/node-affinity.js';
import { DEFAULT_RESOURCES } from './plugins/resource-allocation.js';
import { TaintTolerationScore } from './plugins/taint-toleration.js';
import type { SchedPod } from './sched-pod.js';

export class FusedResourceScore {
  private constructor(
    private readonly nodes: NodeTable,
    /** Weight of LeastAllocated, 0 if absent. */
    private readonly wLeast: number,
    /** Weight of BalancedAllocation, 0 if absent. */
    private readonly wBalanced: number,
    private readonly hasTaintToleration: boolean,
    private readonly hasNodeAffinity: boolean,
  ) {}

  /**
   * The fused scorer for `plugins` if each is one of the four it covers (at most once, with
   * the default cpu / memory resources and a positive weight); otherwise null.
   */
  static of(nodes: NodeTable, plugins: readonly WeightedScorePlugin[]): FusedResourceScore | null {
    let wLeast = 0;
    let wBalanced = 0;
    let taint = false;
    let affinity = false;
    for (const { plugin, weight } of plugins) {
      if (!(weight > 0)) return null;
      if (plugin instanceof LeastAllocated && plugin.resources === DEFAULT_RESOURCES && wLeast === 0) wLeast = weight;
      else if (plugin instanceof BalancedAllocation && plugin.resources === DEFAULT_RESOURCES && wBalanced === 0) wBalanced = weight;
      else if (plugin instanceof TaintTolerationScore && !taint) taint = true;
      else if (plugin instanceof NodeAffinityScore && !affinity) affinity = true;
      else return null;
    }
    if (wLeast === 0 && wBalanced === 0) return null;
    return new FusedResourceScore(nodes, wLeast, wBalanced, taint, affinity);
  }

  /** Whether this cycle may take the fused path (TaintToleration and NodeAffinity are constant). */
  applies(pod: SchedPod): boolean {
    if (this.hasNodeAffinity && pod.preferredTerms.length !== 0) return false;
    return !this.hasTaintToleration || !pod.cache.anySoftTaint;
  }

  /**
   * Grows the pod template's memo (StaticCache.scoreStamp / scoreTotal) to the node count.
   * A node's memoised total is valid while scoreStamp[n] === NodeTable.resourceStamp[n]: the
   * total reads only the node's allocatable and requested sums and the pod's requests.
   */
  prepare(pod: SchedPod): void {
    const c = pod.cache;
    if (c.scoreStamp.length >= this.nodes.count) return;
    const cap = Math.max(16, this.nodes.count, c.scoreStamp.length * 2);
    c.scoreStamp = new Float64Array(cap);
    c.scoreTotal = new Float64Array(cap);
  }

  /** wLeast × LeastAllocated + wBalanced × BalancedAllocation of node n for `pod`. */
  total(pod: SchedPod, n: number): number {
    const { R, allocatable, requested, nonZeroCpu, nonZeroMem } = this.nodes;
    const base = n * R;
    const allocCpu = allocatable[base + RESOURCE_CPU]!;
    const allocMem = allocatable[base + RESOURCE_MEMORY]!;
    const podCpu = pod.requests[RESOURCE_CPU]!;
    const podMem = pod.requests[RESOURCE_MEMORY]!;
    let total = 0;
    if (this.wLeast !== 0) {
      // kube: leastRequestedScore per resource, then Σ / weightSum over allocatable > 0.
      const reqCpu = nonZeroCpu[n]! + pod.nonZeroCpuMilli;
      const reqMem = nonZeroMem[n]! + pod.nonZeroMemoryBytes;
      const cpu = allocCpu === 0 || reqCpu > allocCpu ? 0 : Math.floor(((allocCpu - reqCpu) * MAX_NODE_SCORE) / allocCpu);
      const mem = allocMem === 0 || reqMem > allocMem ? 0 : Math.floor(((allocMem - reqMem) * MAX_NODE_SCORE) / allocMem);
      const weightSum = (allocCpu === 0 ? 0 : 1) + (allocMem === 0 ? 0 : 1);
      if (weightSum !== 0) total = this.wLeast * Math.floor((cpu + mem) / weightSum);
    }
    // kube: BalancedAllocation PreScore Skips best-effort pods (no cpu and no memory request).
    if (this.wBalanced !== 0 && (podCpu !== 0 || podMem !== 0)) {
      // kube: balancedResourceScorer over cpu and memory; one or none scored: std 0.
      let balanced = MAX_NODE_SCORE;
      if (allocCpu !== 0 && allocMem !== 0) {
        let fCpu = (requested[base + RESOURCE_CPU]! + podCpu) / allocCpu;
        let fMem = (requested[base + RESOURCE_MEMORY]! + podMem) / allocMem;
        if (fCpu > 1) fCpu = 1;
        if (fMem > 1) fMem = 1;
        balanced = Math.trunc((1 - Math.abs((fCpu - fMem) / 2)) * MAX_NODE_SCORE);
      }
      total += this.wBalanced * balanced;
    }
    return total;
  }
}
