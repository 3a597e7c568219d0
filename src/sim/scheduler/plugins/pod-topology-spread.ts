// kube: pkg/scheduler/framework/plugins/podtopologyspread (filtering.go calPreFilterState /
// Filter / minMatchNum, scoring.go initPreScoreState / PreScore / Score / NormalizeScore,
// common.go matchNodeInclusionPolicies, nodeLabelsMatchSpreadConstraints).
//
// Counts exclude terminating pods and pods of other namespaces (countPodsMatchSelector); they
// come per (node, selector) from PodTopology, so PreFilter and PreScore are O(nodes ×
// constraints). Domains are kept per constraint (upstream keys its match counts by constraint
// too, TpValueToMatchNum[i]).

import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type FilterPlugin, type ScorePlugin } from '../framework.js';
import { INCLUSION_AFFINITY, INCLUSION_TAINTS, type SchedPod } from '../sched-pod.js';
import type { PodTopology, SpreadConstraint } from '../topology/pod-topology.js';
import { scratchF64, scratchI32 } from '../topology/scratch.js';
import type { SlotDelta } from '../topology/slot-delta.js';
import { replicationArray } from '../../typed-arrays.js';

/** kube: ErrReasonConstraintsNotMatch. */
export const ERR_REASON_CONSTRAINTS = "node(s) didn't match pod topology spread constraints";
/** kube: ErrReasonNodeLabelNotMatch (UnschedulableAndUnresolvable). */
export const ERR_REASON_NODE_LABEL = `${ERR_REASON_CONSTRAINTS} (missing required label)`;

const Code = { Constraints: 1, MissingLabel: 2 } as const;

/** kube: nodeLabelsMatchSpreadConstraints: node n has every constraint's topology key. */
function hasAllKeys(topo: PodTopology, cs: readonly SpreadConstraint[], n: number): boolean {
  const domainOf = topo.domains.domainOf;
  for (let i = 0; i < cs.length; i++) if (domainOf[cs[i]!.key]![n]! < 0) return false;
  return true;
}

/** kube: topologySpreadConstraint.matchNodeInclusionPolicies (static facts read from the pod's cache). */
function included(c: SpreadConstraint, pod: SchedPod, nodes: NodeTable, n: number): boolean {
  const inc = pod.cache.inclusion[n]!;
  if (c.honorNodeAffinity && (inc & INCLUSION_AFFINITY) !== 0) return false;
  if (c.honorNodeTaints && ((inc & INCLUSION_TAINTS) !== 0 || (nodes.dynTaints[n]! & ~pod.toleratedDynTaints) !== 0)) return false;
  return true;
}

/**
 * True when per-domain counts can be read as they are (PodTopology.domainCounts): no inclusion
 * policy leaves a node out for this pod, and, when a node must have every constraint's key to
 * count (`allKeys`), all constraints use the same key. Otherwise the counts are summed node by node.
 */
function wholeDomains(cs: readonly SpreadConstraint[], pod: SchedPod, allKeys: boolean): boolean {
  const narrowsByAffinity = pod.hasNodeSelector || pod.requiredTerms !== null;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if ((allKeys && c.key !== cs[0]!.key) || c.honorNodeTaints || (c.honorNodeAffinity && narrowsByAffinity)) return false;
  }
  return true;
}

export class PodTopologySpreadFilter implements FilterPlugin {
  readonly name = 'PodTopologySpread';
  private constraints: readonly SpreadConstraint[] = [];
  /** Per DoNotSchedule constraint: matching pods per domain, whether the domain counts, and the global minimum. */
  private readonly counts: Int32Array[] = [];
  private readonly present: Int32Array[] = [];
  private minMatch = replicationArray(Int32Array, 0);
  /** Per constraint, this cycle: `counts[i]` or the shared per-domain counts. */
  private readonly view: Int32Array[] = [];
  /** This cycle's counts cover every domain (`present` not filled). */
  private whole = true;
  private pod: SchedPod | null = null;
  /**
   * kube: criticalPaths — per constraint the smallest count over counted domains, its domain
   * (-1: none), and the second smallest (MaxInt32 when fewer than two). Computed on the first
   * filterWithDelta of a cycle (`pathsValid`), not by PreFilter.
   */
  private min1 = replicationArray(Int32Array, 0);
  private min1Domain = replicationArray(Int32Array, 0);
  private min2 = replicationArray(Int32Array, 0);
  private numCounted = replicationArray(Int32Array, 0);
  private pathsValid = false;

  constructor(
    private readonly nodes: NodeTable,
    private readonly topo: PodTopology | null,
  ) {}

  /** kube: calPreFilterState; Skip without DoNotSchedule constraints. */
  preFilter(pod: SchedPod): Status {
    const topo = this.topo;
    if (topo === null || pod.topologyId < 0) return Status.Skip;
    const cs = topo.plans[pod.topologyId]!.spreadFilter;
    if (cs.length === 0) return Status.Skip;
    topo.sync();
    this.constraints = cs;
    this.pod = pod;
    this.pathsValid = false;
    const { domainOf, numDomains } = topo.domains;
    const { counts, S } = topo.counts;
    if (this.minMatch.length < cs.length) this.minMatch = replicationArray(Int32Array, cs.length);
    this.whole = wholeDomains(cs, pod, true);
    if (this.whole) {
      // Every domain id belongs to an existing node with the key, so every domain counts.
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i]!;
        const view = topo.domainCounts.perPair[c.pair]!;
        const size = numDomains[c.key]!;
        let min = 0x7fffffff;
        for (let d = 0; d < size; d++) if (view[d]! < min) min = view[d]!;
        this.view[i] = view;
        this.minMatch[i] = size < c.minDomains ? 0 : min;
      }
      return Status.Success;
    }
    for (let i = 0; i < cs.length; i++) {
      const size = numDomains[cs[i]!.key]!;
      this.view[i] = scratchI32(this.counts, i, size);
      scratchI32(this.present, i, size);
    }
    const numNodes = topo.domains.numNodes;
    for (let n = 0; n < numNodes; n++) {
      // Nodes lacking any constraint's key are no domain at all (absent nodes have no key).
      if (!hasAllKeys(topo, cs, n)) continue;
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i]!;
        if (!included(c, pod, this.nodes, n)) continue;
        const d = domainOf[c.key]![n]!;
        this.present[i]![d] = 1;
        this.counts[i]![d]! += counts[n * S + c.slot]!;
      }
    }
    // kube: criticalPaths (the global minimum over counted domains) and minMatchNum: when fewer
    // domains than minDomains exist, the global minimum is taken as 0.
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      const size = numDomains[c.key]!;
      const present = this.present[i]!;
      const count = this.counts[i]!;
      let domains = 0;
      let min = 0x7fffffff; // kube: math.MaxInt32 before any domain
      for (let d = 0; d < size; d++) {
        if (present[d] === 0) continue;
        domains++;
        if (count[d]! < min) min = count[d]!;
      }
      this.minMatch[i] = domains < c.minDomains ? 0 : min;
    }
    return Status.Success;
  }

  /** kube: PodTopologySpread.Filter: count_in_domain + selfMatch - global_min must be <= maxSkew. */
  filter(_pod: SchedPod, n: number): number {
    const cs = this.constraints;
    const domainOf = this.topo!.domains.domainOf;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      const d = domainOf[c.key]![n]!;
      if (d < 0) return Code.MissingLabel;
      const skew = this.view[i]![d]! + (c.selfMatch ? 1 : 0) - this.minMatch[i]!;
      if (skew > c.maxSkew) return Code.Constraints;
    }
    return 0;
  }

  /**
   * kube: Filter after PreFilterExtensions AddPod / RemovePod, i.e. updateWithPod(±1): when n
   * has every constraint's key (nodeLabelsMatchSpreadConstraints) and passes a constraint's
   * inclusion policies, each pod added (removed) there that the constraint's selector selects
   * in the pod's namespace moves the count of n's domain by one, and criticalPaths.update
   * moves the global minimum with it. Only n's domain moves, so the new minimum is
   * min(new count, smallest count among the other domains): the second critical path when n's
   * domain held the first (upstream's two-path update gives exactly that when one domain
   * changes). With fewer domains than minDomains the minimum stays 0 (minMatchNum).
   */
  filterWithDelta(_pod: SchedPod, n: number, delta: SlotDelta): number {
    const topo = this.topo!;
    if (!this.pathsValid) this.criticalPaths();
    const cs = this.constraints;
    const domainOf = topo.domains.domainOf;
    const moves = hasAllKeys(topo, cs, n);
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      const d = domainOf[c.key]![n]!;
      if (d < 0) return Code.MissingLabel;
      let count = this.view[i]![d]!;
      let min = this.minMatch[i]!;
      const dd = delta.bySlot[c.slot]!;
      if (dd !== 0 && moves && included(c, this.pod!, this.nodes, n)) {
        count += dd;
        if (this.numCounted[i]! >= c.minDomains) {
          const others = d === this.min1Domain[i] ? this.min2[i]! : this.min1[i]!;
          min = count < others ? count : others;
        }
      }
      if (count + (c.selfMatch ? 1 : 0) - min > c.maxSkew) return Code.Constraints;
    }
    return 0;
  }

  /** The two smallest counts per constraint over the counted domains. O(constraints × domains), once per cycle. */
  private criticalPaths(): void {
    const cs = this.constraints;
    const numDomains = this.topo!.domains.numDomains;
    if (this.min1.length < cs.length) {
      this.min1 = replicationArray(Int32Array, cs.length);
      this.min1Domain = replicationArray(Int32Array, cs.length);
      this.min2 = replicationArray(Int32Array, cs.length);
      this.numCounted = replicationArray(Int32Array, cs.length);
    }
    for (let i = 0; i < cs.length; i++) {
      const view = this.view[i]!;
      const present = this.whole ? null : this.present[i]!;
      let m1 = 0x7fffffff;
      let m2 = 0x7fffffff;
      let d1 = -1;
      let counted = 0;
      for (let d = 0; d < numDomains[cs[i]!.key]!; d++) {
        if (present !== null && present[d] === 0) continue;
        counted++;
        const v = view[d]!;
        if (v < m1) {
          m2 = m1;
          m1 = v;
          d1 = d;
        } else if (v < m2) m2 = v;
      }
      this.min1[i] = m1;
      this.min1Domain[i] = d1;
      this.min2[i] = m2;
      this.numCounted[i] = counted;
    }
    this.pathsValid = true;
  }

  /**
   * kube: PodTopologySpread.Filter returns Unschedulable for ErrReasonConstraintsNotMatch (an
   * evicted pod can lower the skew) and UnschedulableAndUnresolvable for a missing topology
   * label (ErrReasonNodeLabelNotMatch).
   */
  resolvable(code: number): boolean {
    return code === Code.Constraints;
  }

  reasons(_pod: SchedPod, _n: number, code: number): string[] {
    return [code === Code.MissingLabel ? ERR_REASON_NODE_LABEL : ERR_REASON_CONSTRAINTS];
  }
}

/**
 * kube: PodTopologySpread PreScore / Score / NormalizeScore for ScheduleAnyway constraints (or
 * the system defaults): a node scores Σ_c cnt_c × log(size_c + 2) + (maxSkew_c - 1), where cnt_c
 * is the matching pods in its domain (on the node itself for kubernetes.io/hostname) and size_c
 * the number of domains among the feasible nodes; fewer pods is better after NormalizeScore.
 */
export class PodTopologySpreadScore implements ScorePlugin {
  readonly name = 'PodTopologySpread';
  private constraints: readonly SpreadConstraint[] = [];
  /** Per constraint: pods per domain (index numDomains = nodes without the label, kube's value ""). */
  private readonly podCounts: Float64Array[] = [];
  private readonly present: Int32Array[] = [];
  /** Per constraint, this cycle: `podCounts[c]` or the shared per-domain counts. */
  private readonly view: (Float64Array | Int32Array)[] = [];
  private weight = replicationArray(Float64Array, 0);
  /** kube: IgnoredNodes, by index into the feasible list. */
  private ignored = replicationArray(Uint8Array, 0);

  constructor(
    private readonly nodes: NodeTable,
    private readonly topo: PodTopology | null,
  ) {}

  /** kube: PreScore + initPreScoreState. */
  /** Whether PreScore Skips for `pod` whatever the cluster holds (no ScheduleAnyway constraint, no system default). */
  skipsForPod(pod: SchedPod): boolean {
    return this.topo === null || pod.topologyId < 0 || this.topo.plans[pod.topologyId]!.spreadScore.length === 0;
  }

  preScore(pod: SchedPod, feasible: Int32Array, count: number): Status {
    const topo = this.topo;
    if (topo === null || pod.topologyId < 0 || count === 0) return Status.Skip;
    const plan = topo.plans[pod.topologyId]!;
    const cs = plan.spreadScore;
    if (cs.length === 0) return Status.Skip;
    topo.sync();
    this.constraints = cs;
    const requireAll = plan.spreadScoreRequireAll;
    const { domainOf, numDomains } = topo.domains;
    const { counts, S } = topo.counts;
    if (this.ignored.length < count) this.ignored = replicationArray(Uint8Array, Math.max(16, count * 2));
    if (this.weight.length < cs.length) this.weight = replicationArray(Float64Array, cs.length);
    for (let i = 0; i < cs.length; i++) {
      const size = numDomains[cs[i]!.key]! + 1;
      scratchF64(this.podCounts, i, size);
      scratchI32(this.present, i, size);
    }
    let ignoredCount = 0;
    const ignored = this.ignored;
    for (let i = 0; i < count; i++) {
      // kube: nodes without all the keys are ignored when scoring (not with the system defaults).
      ignored[i] = requireAll && !hasAllKeys(topo, cs, feasible[i]!) ? 1 : 0;
      ignoredCount += ignored[i]!;
    }
    for (let c = 0; c < cs.length; c++) {
      if (cs[c]!.hostname) continue; // per-node counts are read in Score
      const k = cs[c]!.key;
      const dom = domainOf[k]!;
      const present = this.present[c]!;
      const none = numDomains[k]!;
      for (let i = 0; i < count; i++) {
        if (ignored[i] === 1) continue;
        const d = dom[feasible[i]!]!;
        present[d < 0 ? none : d] = 1;
      }
    }
    for (let c = 0; c < cs.length; c++) {
      const k = cs[c]!.key;
      let size = 0;
      if (cs[c]!.hostname) size = count - ignoredCount;
      else for (let d = 0; d <= numDomains[k]!; d++) size += this.present[c]![d]!;
      // kube: topologyNormalizingWeight = log(size + 2).
      this.weight[c] = Math.log(size + 2);
    }
    // With whole domains (and, when nodes lacking a key are ignored, a single key) the shared
    // per-domain counts are exactly what the node loop below would sum for the present domains.
    if (wholeDomains(cs, pod, requireAll)) {
      for (let c = 0; c < cs.length; c++) if (!cs[c]!.hostname) this.view[c] = topo.domainCounts.perPair[cs[c]!.pair]!;
      return Status.Success;
    }
    for (let c = 0; c < cs.length; c++) this.view[c] = this.podCounts[c]!;
    const numNodes = topo.domains.numNodes;
    const exists = this.nodes.exists;
    for (let n = 0; n < numNodes; n++) {
      if (exists[n] === 0) continue;
      if (requireAll && !hasAllKeys(topo, cs, n)) continue;
      for (let c = 0; c < cs.length; c++) {
        const con = cs[c]!;
        if (con.hostname || !included(con, pod, this.nodes, n)) continue;
        const d0 = domainOf[con.key]![n]!;
        const d = d0 < 0 ? numDomains[con.key]! : d0;
        // kube: "If current topology pair is not associated with any candidate node, continue".
        if (this.present[c]![d] === 0) continue;
        this.podCounts[c]![d]! += counts[n * S + con.slot]!;
      }
    }
    return Status.Success;
  }

  /** kube: PodTopologySpread.Score: round(Σ scoreForCount(cnt, maxSkew, weight)); 0 for ignored nodes. */
  score(_pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const topo = this.topo!;
    const cs = this.constraints;
    const domainOf = topo.domains.domainOf;
    const { counts, S } = topo.counts;
    const ignored = this.ignored;
    out.fill(0, 0, count);
    // Constraint by constraint, so each inner loop reads one domain array; per node the terms
    // are still added in constraint order, as upstream's loop does.
    for (let c = 0; c < cs.length; c++) {
      const con = cs[c]!;
      const dom = domainOf[con.key]!;
      const view = this.view[c]!;
      const w = this.weight[c]!;
      const base = con.maxSkew - 1;
      for (let i = 0; i < count; i++) {
        if (ignored[i] === 1) continue;
        const n = feasible[i]!;
        if (dom[n]! < 0) continue; // kube: only "if tpVal, ok := node.Labels[c.TopologyKey]; ok"
        const cnt = con.hostname ? counts[n * S + con.slot]! : view[dom[n]!]!;
        // kube: scoreForCount = cnt × tpWeight + (maxSkew - 1).
        out[i]! += cnt * w + base;
      }
    }
    for (let i = 0; i < count; i++) out[i] = Math.round(out[i]!); // kube: int64(math.Round(score)); scores are >= 0
  }

  /**
   * kube: PodTopologySpread.NormalizeScore: over non-ignored nodes, 100 × (max + min - s) / max
   * (int64), all 100 when max is 0; ignored nodes score 0.
   */
  readonly normalizeScore = (scores: Float64Array, count: number): void => {
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < count; i++) {
      if (this.ignored[i] === 1) continue;
      const s = scores[i]!;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let i = 0; i < count; i++) {
      if (this.ignored[i] === 1) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
    }
  };
}
