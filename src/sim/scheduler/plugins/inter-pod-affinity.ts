// kube: pkg/scheduler/framework/plugins/interpodaffinity (filtering.go PreFilter / Filter,
// scoring.go PreScore / Score / NormalizeScore).
//
// Per cycle, PreFilter turns the per-(node, slot) pod counts of PodTopology into counts per
// topology domain, O(nodes × terms); Filter then reads one array cell per term. Terminating pods
// count (they stay in NodeInfo until removed). No allocation except when a scratch array grows.

import { MAX_NODE_SCORE, Status, type FilterPlugin, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import type { PodTopology, TopologyPlan } from '../topology/pod-topology.js';
import { scratchF64, scratchI32, sumByDomain } from '../topology/scratch.js';
import type { SlotDelta } from '../topology/slot-delta.js';
import { replicationArray } from '../../typed-arrays.js';

/** kube: ErrReasonAffinityRulesNotMatch (UnschedulableAndUnresolvable). */
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
/** kube: ErrReasonAntiAffinityRulesNotMatch. */
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
/** kube: ErrReasonExistingAntiAffinityRulesNotMatch. */
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

const Code = { Affinity: 1, AntiAffinity: 2, ExistingAntiAffinity: 3 } as const;

export class InterPodAffinityFilter implements FilterPlugin {
  readonly name = 'InterPodAffinity';
  private plan: TopologyPlan | null = null;
  /** Per required affinity term / anti-affinity term / existing anti-affinity entry: pods per domain. */
  private readonly affinity: Int32Array[] = [];
  private readonly anti: Int32Array[] = [];
  private readonly existing: Int32Array[] = [];
  /** kube: len(state.affinityCounts) == 0 (no pod matching all terms in any domain). */
  private affinityEmpty = true;
  /** Per required affinity term: Σ over its domains (pods matching all terms on nodes with the key). */
  private affinityTotal = replicationArray(Int32Array, 0);

  constructor(private readonly topo: PodTopology | null) {}

  /**
   * kube: InterPodAffinity.PreFilter: existing pods' anti-affinity counts against this pod,
   * this pod's affinity and anti-affinity counts; Skip when it has no required terms and no
   * existing pod's required anti-affinity selects it.
   */
  preFilter(pod: SchedPod): Status {
    const topo = this.topo;
    if (topo === null || pod.topologyId < 0) return Status.Skip;
    const plan = topo.plans[pod.topologyId]!;
    if (!plan.hasAffinityFilter) return Status.Skip;
    const totals = topo.counts.totals;
    let existingPods = false;
    for (let e = 0; e < plan.existingAntiSlots.length; e++) if (totals[plan.existingAntiSlots[e]!]! > 0) existingPods = true;
    if (plan.affinitySlot < 0 && plan.antiSlots.length === 0 && !existingPods) return Status.Skip;
    topo.sync();
    this.plan = plan;
    const numDomains = topo.domains.numDomains;
    // kube: getIncomingAffinityAntiAffinityCounts, updateWithAffinityTerms (a pod counts for
    // every term's topology pair only if it matches all the terms).
    this.affinityEmpty = true;
    if (this.affinityTotal.length < plan.affinityKeys.length) this.affinityTotal = replicationArray(Int32Array, plan.affinityKeys.length);
    for (let i = 0; i < plan.affinityKeys.length; i++) {
      const k = plan.affinityKeys[i]!;
      const out = scratchI32(this.affinity, i, numDomains[k]!);
      let total = 0;
      if (sumByDomain(topo, plan.affinitySlot, k, out, 1)) {
        this.affinityEmpty = false;
        for (let d = 0; d < numDomains[k]!; d++) total += out[d]!;
      }
      this.affinityTotal[i] = total;
    }
    // kube: updateWithAntiAffinityTerms.
    for (let j = 0; j < plan.antiSlots.length; j++) {
      const k = plan.antiKeys[j]!;
      sumByDomain(topo, plan.antiSlots[j]!, k, scratchI32(this.anti, j, numDomains[k]!), 1);
    }
    // kube: getExistingAntiAffinityCounts.
    for (let e = 0; e < plan.existingAntiSlots.length; e++) {
      const k = plan.existingAntiKeys[e]!;
      sumByDomain(topo, plan.existingAntiSlots[e]!, k, scratchI32(this.existing, e, numDomains[k]!), 1);
    }
    return Status.Success;
  }

  /** kube: InterPodAffinity.Filter: satisfyPodAffinity, satisfyPodAntiAffinity, satisfyExistingPodsAntiAffinity. */
  filter(_pod: SchedPod, n: number): number {
    const plan = this.plan!;
    const domainOf = this.topo!.domains.domainOf;
    const keys = plan.affinityKeys;
    if (keys.length > 0) {
      let podsExist = true;
      for (let i = 0; i < keys.length; i++) {
        const d = domainOf[keys[i]!]![n]!;
        // kube: "All topology labels must exist on the node."
        if (d < 0) return Code.Affinity;
        if (this.affinity[i]![d]! <= 0) podsExist = false;
      }
      // kube: "This pod may be the first pod in a series that have affinity to themselves":
      // allowed when no pod matches anywhere and the pod matches its own terms.
      if (!podsExist && !(this.affinityEmpty && plan.affinitySelfMatch)) return Code.Affinity;
    }
    for (let j = 0; j < plan.antiKeys.length; j++) {
      const d = domainOf[plan.antiKeys[j]!]![n]!;
      if (d >= 0 && this.anti[j]![d]! > 0) return Code.AntiAffinity;
    }
    for (let e = 0; e < plan.existingAntiKeys.length; e++) {
      const d = domainOf[plan.existingAntiKeys[e]!]![n]!;
      if (d >= 0 && this.existing[e]![d]! > 0) return Code.ExistingAntiAffinity;
    }
    return 0;
  }

  /**
   * kube: Filter after PreFilterExtensions AddPod / RemovePod (preFilterState.updateWithPod
   * with +1 / -1): each pod added to (removed from) node n of a template that slot s selects
   * raises (lowers) by one the count of n's domain under every term reading s: the incoming
   * pod's affinity terms (updateWithAffinityTerms, pods matching all of them), its
   * anti-affinity terms (updateWithAntiAffinityTerms) and the existing pods' anti-affinity
   * terms selecting it (existingAntiAffinityCounts). The checks are those of `filter`, read at
   * n's domains, which are the only ones that move; affinityCounts is empty when every term's
   * total is 0 (upstream deletes pairs whose count reaches 0).
   */
  filterWithDelta(_pod: SchedPod, n: number, delta: SlotDelta): number {
    const plan = this.plan!;
    const by = delta.bySlot;
    const domainOf = this.topo!.domains.domainOf;
    const keys = plan.affinityKeys;
    if (keys.length > 0) {
      const da = by[plan.affinitySlot]!;
      let podsExist = true;
      let empty = true;
      for (let i = 0; i < keys.length; i++) {
        const d = domainOf[keys[i]!]![n]!;
        if (d < 0) return Code.Affinity;
        if (this.affinity[i]![d]! + da <= 0) podsExist = false;
        if (this.affinityTotal[i]! + da !== 0) empty = false;
      }
      if (!podsExist && !(empty && plan.affinitySelfMatch)) return Code.Affinity;
    }
    for (let j = 0; j < plan.antiKeys.length; j++) {
      const d = domainOf[plan.antiKeys[j]!]![n]!;
      if (d >= 0 && this.anti[j]![d]! + by[plan.antiSlots[j]!]! > 0) return Code.AntiAffinity;
    }
    for (let e = 0; e < plan.existingAntiKeys.length; e++) {
      const d = domainOf[plan.existingAntiKeys[e]!]![n]!;
      if (d >= 0 && this.existing[e]![d]! + by[plan.existingAntiSlots[e]!]! > 0) return Code.ExistingAntiAffinity;
    }
    return 0;
  }

  /**
   * kube: InterPodAffinity.Filter returns UnschedulableAndUnresolvable for
   * ErrReasonAffinityRulesNotMatch and Unschedulable for the two anti-affinity reasons (an
   * evicted pod can lift them).
   */
  resolvable(code: number): boolean {
    return code !== Code.Affinity;
  }

  reasons(_pod: SchedPod, _n: number, code: number): string[] {
    if (code === Code.Affinity) return [ERR_REASON_AFFINITY];
    if (code === Code.AntiAffinity) return [ERR_REASON_ANTI_AFFINITY];
    return [ERR_REASON_EXISTING_ANTI_AFFINITY];
  }
}

/**
 * kube: InterPodAffinity PreScore / Score / NormalizeScore. Each existing pod adds, to the
 * domain of its node under a term's topology key: +weight for the incoming pod's preferred
 * affinity terms it matches, -weight for preferred anti-affinity ones; and for its own terms
 * that match the incoming pod: +hardPodAffinityWeight (1) per required affinity term, +weight /
 * -weight per preferred affinity / anti-affinity term. A node scores the sum over keys of its
 * domains' totals; NormalizeScore maps [min, max] to [0, 100].
 */
export class InterPodAffinityScore implements ScorePlugin {
  readonly name = 'InterPodAffinity';
  /** Per key id: summed weight per domain this cycle. */
  private readonly byKey: Float64Array[] = [];
  /** Keys that got a contribution this cycle: used[0..usedLen). */
  private used = replicationArray(Int32Array, 0);
  private usedLen = 0;
  private mark = replicationArray(Uint8Array, 0);

  constructor(private readonly topo: PodTopology | null) {}

  /** Whether PreScore Skips for `pod` whatever the cluster holds (no scoring terms to count). */
  skipsForPod(pod: SchedPod): boolean {
    return this.topo === null || pod.topologyId < 0 || this.topo.plans[pod.topologyId]!.scoreSlots.length === 0;
  }

  preScore(pod: SchedPod, _feasible: Int32Array, _count: number): Status {
    const topo = this.topo;
    if (topo === null || pod.topologyId < 0) return Status.Skip;
    const plan = topo.plans[pod.topologyId]!;
    if (plan.scoreSlots.length === 0) return Status.Skip;
    topo.sync();
    const K = topo.domains.keys.length;
    if (this.mark.length < K) {
      this.mark = replicationArray(Uint8Array, K);
      this.used = replicationArray(Int32Array, K);
    }
    this.mark.fill(0);
    this.usedLen = 0;
    for (let e = 0; e < plan.scoreSlots.length; e++) {
      const k = plan.scoreKeys[e]!;
      if (this.mark[k] === 0) {
        scratchF64(this.byKey, k, topo.domains.numDomains[k]!);
        this.mark[k] = 1;
        this.used[this.usedLen++] = k;
      }
    }
    let any = false;
    for (let e = 0; e < plan.scoreSlots.length; e++) {
      if (sumByDomain(topo, plan.scoreSlots[e]!, plan.scoreKeys[e]!, this.byKey[plan.scoreKeys[e]!]!, plan.scoreWeights[e]!)) any = true;
    }
    // kube: "if len(state.topologyScore) == 0 { return Skip }".
    if (!any) return Status.Skip;
    return Status.Success;
  }

  score(_pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const domainOf = this.topo!.domains.domainOf;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      let s = 0;
      for (let u = 0; u < this.usedLen; u++) {
        const k = this.used[u]!;
        const d = domainOf[k]![n]!;
        if (d >= 0) s += this.byKey[k]![d]!;
      }
      out[i] = s;
    }
  }

  /** kube: InterPodAffinity.NormalizeScore: int64(100 * (s - min) / (max - min)); all 0 when max == min. */
  readonly normalizeScore = (scores: Float64Array, count: number): void => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const s = scores[i]!;
      if (s > max) max = s;
      if (s < min) min = s;
    }
    const diff = max - min;
    for (let i = 0; i < count; i++) {
      scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0;
    }
  };
}
