// NOTE: a fast path, for performance only. prioritizeNodes + selectHost (scheduler.ts) for
// policies whose score plugins read only node resources, fused into the filter pass
// (Scheduler.findFeasibleScored): no per-plugin score arrays, no normalize passes, no totals
// array, and each node's weighted total memoised per pod template until the node's resources
// change (NodeTable.resourceStamp). With one bind per cycle, almost every node's total is
// read back rather than recomputed.
//
// It must choose exactly what the plugin-by-plugin path chooses, with the same random draws;
// test/scheduler/fused-score.test.ts checks that on random clusters. Why it does:
// - The covered resource plugins (NodeResourcesFit's LeastAllocated / MostAllocated,
//   BalancedAllocation, RequestedToCapacityRatio, WorstFit, DotProduct) have no
//   NormalizeScore, a PreScore that reads only the pod, and a Score of node n that reads only
//   the pod and node n's allocatable, requested and non-zero requested sums. A memo miss runs
//   the plugins' own `score` on the one node, so the arithmetic is theirs, bit for bit.
// - A score that is the same on every node only shifts every total by one constant, which
//   changes neither the maximum's position nor the ties (integer totals, so no rounding): TaintToleration when no node has an
//   untolerated PreferNoSchedule taint (DefaultNormalizeScore(reverse) makes every score 100),
//   NodeAffinity when its PreScore Skips (no preferred terms: 0 everywhere), InterPodAffinity
//   and PodTopologySpread when their PreScore Skips for the pod whatever the cluster holds (no
//   preferred terms, no ScheduleAnyway or system default constraint: they contribute nothing).
//   Otherwise `applies` says no and the scheduler runs the plugins one by one.
// - kube: selectHost's reservoir sampling over the nodes tied for the top total, in feasible
//   order: the k-th tied node replaces the choice with probability 1/k, (ties − 1) draws.
//   Collecting the tied nodes in one pass (restarting the list when a higher total appears)
//   visits the same nodes in the same order as selectHost's two passes.

import type { NodeTable } from '../cluster/node-table.js';
import { Status, type ScorePlugin, type WeightedScorePlugin } from './framework.js';
import { BalancedAllocation } from './plugins/balanced-allocation.js';
import { DotProduct } from './plugins/dot-product.js';
import { InterPodAffinityScore } from './plugins/inter-pod-affinity.js';
import { NodeAffinityScore } from './plugins/node-affinity.js';
import { PodTopologySpreadScore } from './plugins/pod-topology-spread.js';
import { RequestedToCapacityRatio } from './plugins/requested-to-capacity-ratio.js';
import { WeightedResourceScore } from './plugins/resource-allocation.js';
import { TaintTolerationScore } from './plugins/taint-toleration.js';
import { WorstFit } from './plugins/worst-fit.js';
import type { SchedPod } from './sched-pod.js';
import { replicationArray } from '../typed-arrays.js';

/** Score plugins whose Score of a node reads only the pod and that node's resource sums. */
function readsOnlyNodeResources(plugin: ScorePlugin): boolean {
  return (
    plugin.normalizeScore === null &&
    (plugin instanceof WeightedResourceScore ||
      plugin instanceof BalancedAllocation ||
      plugin instanceof RequestedToCapacityRatio ||
      plugin instanceof WorstFit ||
      plugin instanceof DotProduct)
  );
}

/** Resource plugins whose scores are integers, so a constant added to every total stays exact. */
function integerValued(plugin: ScorePlugin): boolean {
  return plugin instanceof WeightedResourceScore || plugin instanceof BalancedAllocation || plugin instanceof RequestedToCapacityRatio;
}

const NO_NODES = new Int32Array(0);

export class FusedResourceScore {
  /** Per resource plugin: whether its PreScore Skipped for the pod of the current cycle. */
  private readonly skipped: Uint8Array;
  private readonly one = replicationArray(Int32Array, 1);
  private readonly out = replicationArray(Float64Array, 1);

  private constructor(
    private readonly resourcePlugins: readonly WeightedScorePlugin[],
    private readonly hasTaintToleration: boolean,
    private readonly hasNodeAffinity: boolean,
    private readonly nodes: NodeTable,
    /**
     * Pod-topology score plugins (weighted): the fused path applies only to pods for which they
     * Skip; otherwise `resourcePartApplies` lets the scheduler add them to memoised resource totals.
     */
    readonly podTopologyPlugins: readonly WeightedScorePlugin[],
  ) {
    this.skipped = replicationArray(Uint8Array, resourcePlugins.length);
    this.integerResources = resourcePlugins.every((p) => integerValued(p.plugin) && Number.isInteger(p.weight));
  }

  /** Every resource plugin scores integers with an integer weight (totals are exact integers). */
  private readonly integerResources: boolean;

  /**
   * The fused scorer for `plugins` if each is a resource plugin it covers, TaintToleration or
   * NodeAffinity (each of the last two at most once), and at least one is a resource plugin;
   * otherwise null. With TaintToleration or NodeAffinity present, the resource plugins must
   * score integers with integer weights: the plugin path adds the constant into float totals,
   * which is exact only then.
   */
  static of(nodes: NodeTable, plugins: readonly WeightedScorePlugin[]): FusedResourceScore | null {
    const resource: WeightedScorePlugin[] = [];
    let taint = false;
    let affinity = false;
    const podTopology: WeightedScorePlugin[] = [];
    for (const p of plugins) {
      if (readsOnlyNodeResources(p.plugin)) resource.push(p);
      else if (p.plugin instanceof InterPodAffinityScore || p.plugin instanceof PodTopologySpreadScore) {
        // Their normalised scores are integers (kube: int64), so adding them to exact integer
        // resource totals in another order gives the same sums.
        if (!Number.isInteger(p.weight)) return null;
        podTopology.push(p);
      }
      else if (p.plugin instanceof TaintTolerationScore && !taint) taint = true;
      else if (p.plugin instanceof NodeAffinityScore && !affinity) affinity = true;
      else return null;
    }
    if (resource.length === 0) return null;
    if ((taint || affinity) && !resource.every((p) => integerValued(p.plugin) && Number.isInteger(p.weight))) return null;
    return new FusedResourceScore(resource, taint, affinity, nodes, podTopology);
  }

  /** Whether this cycle may take the fused path (TaintToleration and NodeAffinity are constant). */
  applies(pod: SchedPod): boolean {
    if (!this.resourcePartApplies(pod)) return false;
    for (let i = 0; i < this.podTopologyPlugins.length; i++) {
      if (!(this.podTopologyPlugins[i]!.plugin as InterPodAffinityScore | PodTopologySpreadScore).skipsForPod(pod)) return false;
    }
    return true;
  }

  /**
   * Whether every plugin but the pod-topology ones is a memoisable resource score or a constant
   * for this pod: then the totals are the memoised resource totals plus the pod-topology scores
   * (Scheduler.prioritizeWithMemo), integers all, so the same as the plugin-by-plugin sums up to
   * the constants, which move neither the maximum nor the ties.
   */
  resourcePartApplies(pod: SchedPod): boolean {
    if (this.hasNodeAffinity && pod.preferredTerms.length !== 0) return false;
    if (this.podTopologyPlugins.length !== 0 && !this.integerResources) return false;
    return !this.hasTaintToleration || !pod.cache.anySoftTaint;
  }

  /**
   * Once per cycle: runs the resource plugins' PreScore (they read only the pod) and grows the
   * pod template's memo (StaticCache.scoreStamp / scoreTotal) to the node count. A node's
   * memoised total is valid while scoreStamp[n] === NodeTable.resourceStamp[n].
   */
  prepare(pod: SchedPod): void {
    for (let p = 0; p < this.resourcePlugins.length; p++) {
      this.skipped[p] = this.resourcePlugins[p]!.plugin.preScore(pod, NO_NODES, 0) === Status.Skip ? 1 : 0;
    }
    const c = pod.cache;
    if (c.scoreStamp.length >= this.nodes.count) return;
    const cap = Math.max(16, this.nodes.count, c.scoreStamp.length * 2);
    c.scoreStamp = replicationArray(Float64Array, cap);
    c.scoreTotal = replicationArray(Float64Array, cap);
  }

  /** Σ weight × score of node n over the resource plugins not Skipped (after `prepare(pod)`). */
  total(pod: SchedPod, n: number): number {
    const plugins = this.resourcePlugins;
    const { one, out } = this;
    one[0] = n;
    let total = 0;
    for (let p = 0; p < plugins.length; p++) {
      if (this.skipped[p] !== 0) continue;
      const { plugin, weight } = plugins[p]!;
      plugin.score(pod, one, 1, out);
      total += out[0]! * weight;
    }
    return total;
  }
}
