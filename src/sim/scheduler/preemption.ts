// kube-scheduler's DefaultPreemption, the selection half: which pods a preemptor would evict and
// on which node. Pure over the NodeTable, the PodStore and the live PDB budgets; deleting the
// victims and nominating the preemptor is default-preemption.ts's job.
//
// Mirrors pkg/scheduler/framework/preemption/preemption.go (Evaluator.findCandidates,
// DryRunPreemption, SelectCandidate, pickOneNodeForPreemption, util.GetEarliestPodStartTime)
// and pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go
// (SelectVictimsOnNode, PodEligibleToPreemptOthers, isPreemptionAllowed,
// calculateNumCandidates, filterPodsWithPDBViolation), v1.34.
//
// Deviations, all deliberate:
// - The dry run is sequential, so exactly the nodes up to the stopping point are examined
//   (upstream runs 16 workers and may examine a few more).
// - Ties that upstream leaves to Go's unstable sort.Slice or map order are broken
//   deterministically: equally important victims by pod id, and "the first node" of
//   pickOneNodeForPreemption is the first candidate in DryRunPreemption's output order
//   (non-violating candidates, then violating ones, each in examination order from the random
//   offset), where upstream takes the first of a Go map iteration.
// The dry run re-checks the filters that depend on the pods on the node: NodeResourcesFit here
// (the `free` vector), GpuShareFit's devices and the pod-topology filters (PodTopologySpread,
// InterPodAffinity, through their RemovePod / AddPod extensions) in `DryRunFilters`
// (filters-with-pods.ts). Every other built-in filter passed on a potential node and does not
// depend on the pods there.
//
// Cost: O(pods on the node × (log + resources)) per examined node; nothing is allocated per
// node or per victim once the scratch arrays have grown.

import type { NodeTable } from '../cluster/node-table.js';
import type { PodStore } from '../cluster/pods.js';
import { grown } from '../typed-arrays.js';
import { fitErrorMessage } from './fit-error.js';
import type { NominatedOverlay } from './nominator.js';
import type { SchedPod } from './sched-pod.js';
import { replicationArray } from '../typed-arrays.js';

/** kube: DefaultPreemptionArgs defaults (pkg/scheduler/apis/config/v1/defaults.go). */
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

/** kube: int64(math.MaxInt32+1), added to every victim priority in minSumPrioritiesScoreFunc. */
export const PRIORITY_SUM_OFFSET = 2 ** 31;

/**
 * kube: DefaultPreemption.calculateNumCandidates: numNodes × 10 / 100 (integer), at least 100,
 * at most numNodes. The dry run stops once it has this many candidates, one of them without
 * PDB violations.
 */
export function calculateNumCandidates(numNodes: number): number {
  let n = Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
  if (n < MIN_CANDIDATE_NODES_ABSOLUTE) n = MIN_CANDIDATE_NODES_ABSOLUTE;
  if (n > numNodes) n = numNodes;
  return n;
}

/** What SelectVictimsOnNode concluded about one examined node. */
export const NodeOutcome = {
  /** Not a potential node, or not examined: "Preemption is not helpful for scheduling". */
  Absent: 0,
  /** kube: "No preemption victims found for incoming pod" (UnschedulableAndUnresolvable). */
  NoVictims: 1,
  /** The pod does not fit even with every lower-priority pod removed (the filter's status). */
  DoesNotFit: 2,
  /** The pod fits without evicting anyone (kube: "expected at least one victim pod on node"). */
  NoVictimNeeded: 3,
  /** Victims found: a candidate. */
  Candidate: 4,
} as const;
export type NodeOutcome = (typeof NodeOutcome)[keyof typeof NodeOutcome];

/** kube: PodEligibleToPreemptOthers outcomes. */
export const Eligibility = {
  Eligible: 0,
  /** "not eligible due to preemptionPolicy=Never." */
  PolicyNever: 1,
  /** "not eligible due to a terminating pod on the nominated node." */
  TerminatingVictimOnNominatedNode: 2,
} as const;
export type Eligibility = (typeof Eligibility)[keyof typeof Eligibility];

export const ELIGIBILITY_MESSAGES: Record<Exclude<Eligibility, 0>, string> = {
  [Eligibility.PolicyNever]: 'not eligible due to preemptionPolicy=Never.',
  [Eligibility.TerminatingVictimOnNominatedNode]: 'not eligible due to a terminating pod on the nominated node.',
};

const TOO_MANY_PODS = 1; // NodeResourcesFit's reason bits: 1 = pods, 1 << (r + 1) = resource r

/**
 * Candidate nodes with the figures pickOneNodeForPreemption compares (kube: extenderv1.Victims
 * per node). Columns grow on demand; `victims` holds each candidate's victims, most important
 * first, at [victimsAt[c], victimsAt[c] + numVictims[c]).
 */
export class CandidateTable {
  count = 0;
  node = replicationArray(Int32Array, 16);
  numPdbViolations = replicationArray(Int32Array, 16);
  /** Priority of the most important victim (victims are sorted, so victims[0]'s). */
  highestPriority = replicationArray(Float64Array, 16);
  /** Σ (priority + 2^31) over the victims. */
  sumPriorities = replicationArray(Float64Array, 16);
  numVictims = replicationArray(Int32Array, 16);
  /** kube: GetEarliestPodStartTime — earliest start among the highest-priority victims, s. */
  earliestStartOfHighest = replicationArray(Float64Array, 16);
  victimsAt = replicationArray(Int32Array, 16);
  victims = replicationArray(Int32Array, 64);
  victimsLen = 0;

  reset(): void {
    this.count = 0;
    this.victimsLen = 0;
  }

  /** Appends a candidate's summary; returns its index. */
  push(node: number, numPdbViolations: number, highestPriority: number, sumPriorities: number, numVictims: number, earliestStartOfHighest: number): number {
    if (this.count === this.node.length) this.grow(this.count * 2);
    const c = this.count++;
    this.node[c] = node;
    this.numPdbViolations[c] = numPdbViolations;
    this.highestPriority[c] = highestPriority;
    this.sumPriorities[c] = sumPriorities;
    this.numVictims[c] = numVictims;
    this.earliestStartOfHighest[c] = earliestStartOfHighest;
    this.victimsAt[c] = this.victimsLen;
    return c;
  }

  pushVictim(p: number): void {
    if (this.victimsLen === this.victims.length) this.victims = grown(this.victims, this.victimsLen * 2);
    this.victims[this.victimsLen++] = p;
  }

  private grow(c: number): void {
    this.node = grown(this.node, c);
    this.numPdbViolations = grown(this.numPdbViolations, c);
    this.highestPriority = grown(this.highestPriority, c);
    this.sumPriorities = grown(this.sumPriorities, c);
    this.numVictims = grown(this.numVictims, c);
    this.earliestStartOfHighest = grown(this.earliestStartOfHighest, c);
    this.victimsAt = grown(this.victimsAt, c);
  }
}

/**
 * kube: pickOneNodeForPreemption. Among candidates order[0..len), each rule keeps the
 * candidates with the best score and the next rule breaks a tie:
 * 1. fewest PDB violations; 2. lowest highest-victim priority; 3. smallest Σ(priority + 2^31)
 * (the offset keeps a node with a few negative-priority victims from beating one with fewer);
 * 4. fewest victims; 5. latest earliest-start among the highest-priority victims; 6. the first.
 * Returns a candidate index, or -1 when there is none. Reorders nothing; uses `scratch`
 * (length >= len) for the surviving set. O(len × 5).
 */
export function pickOneNodeForPreemption(t: CandidateTable, order: Int32Array, len: number, scratch: Int32Array): number {
  if (len === 0) return -1;
  let n = len;
  for (let i = 0; i < len; i++) scratch[i] = order[i]!;
  for (let rule = 0; rule < 5 && n > 1; rule++) {
    let best = -Infinity;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const c = scratch[i]!;
      const s = score(t, c, rule);
      if (s > best) {
        best = s;
        kept = 0;
      }
      if (s === best) scratch[kept++] = c;
    }
    n = kept;
  }
  return scratch[0]!;
}

/** kube: the score funcs of pickOneNodeForPreemption; higher is better. */
function score(t: CandidateTable, c: number, rule: number): number {
  switch (rule) {
    case 0:
      return -t.numPdbViolations[c]!; // minNumPDBViolatingScoreFunc
    case 1:
      return -t.highestPriority[c]!; // minHighestPriorityScoreFunc
    case 2:
      return -t.sumPriorities[c]!; // minSumPrioritiesScoreFunc
    case 3:
      return -t.numVictims[c]!; // minNumPodsScoreFunc
    default:
      return t.earliestStartOfHighest[c]!; // latestStartTimeScoreFunc
  }
}

/**
 * The dry run's filters besides NodeResourcesFit (kube: removePod / addPod ->
 * RunPreFilterExtensionRemovePod / AddPod, then RunFilterPluginsWithNominatedPods), for the pod
 * of the last Scheduler.preparePostFilter: Scheduler.dryRun.
 */
export interface DryRunFilters {
  /** Starts a dry run on node n: nothing removed. */
  begin(pod: SchedPod, n: number): void;
  /** Pod q (template index t, compiled `victim`) leaves the node. */
  remove(q: number, t: number, victim: SchedPod): void;
  /** Pod q is back on the node (reprieve). */
  add(q: number, t: number, victim: SchedPod): void;
  /** 0 when the pod passes them on n as the dry run stands, else an encoded failure (> 0). */
  filter(n: number): number;
  /** Upstream's reasons for an encoded failure (cold path). */
  reasons(pod: SchedPod, n: number, failure: number): string[];
}

/** What the evaluator reads: the cluster, the live PDB budgets and the nominated overlay. */
export interface PreemptionView {
  readonly nodes: NodeTable;
  readonly pods: PodStore;
  /** Compiled templates (requests, template.priority) by PodStore.tmpl. */
  readonly templates: readonly SchedPod[];
  /**
   * PDB indices each template's pods count against, matched as filterPodsWithPDBViolation
   * does: same namespace, a non-empty selector that matches, and a pod with labels.
   */
  readonly pdbsOfTemplate: readonly (readonly number[])[];
  /** Nominated pods counting for the preemptor (built by Scheduler.preparePostFilter). */
  readonly overlay: NominatedOverlay;
  /**
   * The filters besides NodeResourcesFit that the dry run re-runs (Scheduler.dryRun); absent:
   * they are taken to pass (unit tests of the resource arithmetic).
   */
  readonly dryRun?: DryRunFilters;
}

export class PreemptionEvaluator {
  /** Candidates of the last findCandidates, in DryRunPreemption output order in `order`. */
  readonly candidates = new CandidateTable();
  order = replicationArray(Int32Array, 16);
  orderLen = 0;
  /** Violating victims of the last selectVictimsOnNode (kube: numViolatingVictim). */
  numViolating = 0;
  /** Victims of the last selectVictimsOnNode, most important first: victims[0..victimsLen). */
  victims = replicationArray(Int32Array, 16);
  victimsLen = 0;

  private readonly view: PreemptionView;
  private readonly R: number;
  // Scratch, reused by every call.
  private potential = replicationArray(Int32Array, 16);
  private violating = replicationArray(Int32Array, 16);
  private nonViolating = replicationArray(Int32Array, 16);
  private readonly free: Float64Array;
  private allowed: Int32Array;
  private scratch = replicationArray(Int32Array, 16);
  private nonViolatingCands = replicationArray(Int32Array, 16);
  private violatingCands = replicationArray(Int32Array, 16);
  // Per-node outcome of the last findCandidates, valid where outcomeEpoch[n] === epoch.
  private outcome = replicationArray(Uint8Array, 0);
  private fitCode = replicationArray(Int32Array, 0);
  private outcomeEpoch = replicationArray(Int32Array, 0);
  private epoch = 0;
  /** The pod of the last findCandidates (for the reasons of a dry-run filter failure). */
  private lastPod: SchedPod | null = null;
  /** Pods deleted by preemption: flag and the generation it applies to (ids are reused). */
  private byPreemption = replicationArray(Uint8Array, 0);
  private byPreemptionGen = replicationArray(Int32Array, 0);

  constructor(view: PreemptionView) {
    this.view = view;
    this.R = view.nodes.R;
    this.free = replicationArray(Float64Array, this.R);
    this.allowed = replicationArray(Int32Array, 0);
  }

  private priorityOf(p: number): number {
    return this.view.templates[this.view.pods.tmpl[p]!]!.template.priority;
  }

  /** kube: MoreImportantPod — higher priority, then earlier start time (then lower id here). */
  moreImportant(a: number, b: number): boolean {
    const pa = this.priorityOf(a);
    const pb = this.priorityOf(b);
    if (pa !== pb) return pa > pb;
    const sa = this.view.pods.boundAt[a]!;
    const sb = this.view.pods.boundAt[b]!;
    if (sa !== sb) return sa < sb;
    return a < b;
  }

  /** Insertion sort of xs[0..len) by moreImportant; victim lists are short (<= pods per node). */
  private sortByImportance(xs: Int32Array, len: number): void {
    for (let i = 1; i < len; i++) {
      const x = xs[i]!;
      let j = i - 1;
      while (j >= 0 && this.moreImportant(x, xs[j]!)) {
        xs[j + 1] = xs[j]!;
        j--;
      }
      xs[j + 1] = x;
    }
  }

  /** Records that pod p was deleted by the scheduler to make room (condition DisruptionTarget, reason PreemptionByScheduler). */
  markDeletedByPreemption(p: number): void {
    if (p >= this.byPreemption.length) {
      const cap = Math.max(64, p + 1, this.byPreemption.length * 2);
      this.byPreemption = grown(this.byPreemption, cap);
      this.byPreemptionGen = grown(this.byPreemptionGen, cap);
    }
    this.byPreemption[p] = 1;
    this.byPreemptionGen[p] = this.view.pods.gen[p]!;
  }

  /** kube: podTerminatingByPreemption — deletionTimestamp set and DisruptionTarget/PreemptionByScheduler. */
  terminatingByPreemption(p: number): boolean {
    const { pods } = this.view;
    return pods.terminating[p] === 1 && p < this.byPreemption.length && this.byPreemption[p] === 1 && this.byPreemptionGen[p] === pods.gen[p];
  }

  /**
   * kube: PodEligibleToPreemptOthers. preemptionPolicy Never: no. A pod nominated to a node
   * that still has a lower-priority pod terminating because of preemption waits for it
   * instead of preempting again, unless its nominated node now rejects it unresolvably.
   */
  eligibleToPreemptOthers(pod: SchedPod, nominatedNode: number, nominatedUnresolvable: boolean): Eligibility {
    if (pod.template.preemptionPolicy === 'Never') return Eligibility.PolicyNever;
    if (nominatedNode < 0 || nominatedUnresolvable) return Eligibility.Eligible;
    const { pods } = this.view;
    const prio = pod.template.priority;
    for (let q = pods.nodeHead[nominatedNode] ?? -1; q >= 0; q = pods.nextOnNode[q]!) {
      if (this.priorityOf(q) < prio && this.terminatingByPreemption(q)) return Eligibility.TerminatingVictimOnNominatedNode;
    }
    return Eligibility.Eligible;
  }

  /**
   * kube: SelectVictimsOnNode for `pod` on node n, given the PDBs' disruptionsAllowed
   * (`pdbAllowed`, by PDB index; not modified).
   * 1. Remove every pod of lower priority (terminating ones too: they are still in NodeInfo).
   *    None: NoVictims. If the pod still does not fit: DoesNotFit (fitCode as NodeResourcesFit,
   *    or minus a DryRunFilters failure).
   * 2. Sort them by MoreImportantPod and split them with filterPodsWithPDBViolation.
   * 3. Reprieve, violating ones first, then the others, each from the most important down:
   *    add the pod back and keep it if the preemptor still fits, otherwise it is a victim.
   * On Candidate, victims[0..victimsLen) are the victims, most important first, and
   * numViolating those whose eviction violates a PDB.
   */
  selectVictimsOnNode(pod: SchedPod, n: number, pdbAllowed: Int32Array): NodeOutcome {
    const { nodes, pods, templates, overlay } = this.view;
    const dry = this.view.dryRun ?? null;
    dry?.begin(pod, n);
    const R = this.R;
    const base = n * R;
    const prio = pod.template.priority;
    const free = this.free;
    const nominated = overlay.active && overlay.pods[n]! > 0;
    let count = nodes.podCount[n]! + (nominated ? overlay.pods[n]! : 0);
    for (let r = 0; r < R; r++) free[r] = nodes.allocatable[base + r]! - (nodes.requested[base + r]! + (nominated ? overlay.req[base + r]! : 0));

    // 1. kube: isPreemptionAllowed — strictly lower priority.
    let len = 0;
    for (let q = pods.nodeHead[n] ?? -1; q >= 0; q = pods.nextOnNode[q]!) {
      if (this.priorityOf(q) >= prio) continue;
      if (len === this.potential.length) this.potential = grown(this.potential, len * 2);
      this.potential[len++] = q;
      const t = pods.tmpl[q]!;
      const req = templates[t]!.requests;
      for (let r = 0; r < R; r++) free[r] += req[r]!;
      count--;
      dry?.remove(q, t, templates[t]!);
    }
    this.victimsLen = 0;
    this.numViolating = 0;
    if (len === 0) {
      this.record(n, NodeOutcome.NoVictims, 0);
      return NodeOutcome.NoVictims;
    }
    this.dryCount = count;
    const code = this.fits(pod, n);
    if (code !== 0) {
      this.record(n, NodeOutcome.DoesNotFit, code);
      return NodeOutcome.DoesNotFit;
    }

    // 2. kube: sort.Slice(potentialVictims, MoreImportantPod), filterPodsWithPDBViolation.
    this.sortByImportance(this.potential, len);
    if (this.violating.length < len) {
      this.violating = replicationArray(Int32Array, this.potential.length);
      this.nonViolating = replicationArray(Int32Array, this.potential.length);
    }
    if (this.victims.length < len) this.victims = replicationArray(Int32Array, this.potential.length);
    if (this.allowed.length < pdbAllowed.length) this.allowed = replicationArray(Int32Array, pdbAllowed.length);
    this.allowed.set(pdbAllowed);
    let nv = 0;
    let nn = 0;
    for (let i = 0; i < len; i++) {
      const q = this.potential[i]!;
      let violated = false;
      for (const k of this.view.pdbsOfTemplate[pods.tmpl[q]!]!) {
        // "Only decrement the matched pdb when it's not in its <DisruptedPods>": a pod evicted
        // through the API leaves DisruptedPods as soon as it is terminating, which here is at once.
        if (--this.allowed[k]! < 0) violated = true;
      }
      if (violated) this.violating[nv++] = q;
      else this.nonViolating[nn++] = q;
    }

    // 3. kube: reprievePod.
    for (let i = 0; i < nv; i++) if (!this.reprieve(pod, n, this.violating[i]!)) this.numViolating++;
    for (let i = 0; i < nn; i++) this.reprieve(pod, n, this.nonViolating[i]!);
    // kube: "Sort victims after reprieving pods to keep the pods in the victims sorted in order
    // of priority from high to low."
    if (nv !== 0 && nn !== 0) this.sortByImportance(this.victims, this.victimsLen);
    if (this.victimsLen === 0) {
      this.record(n, NodeOutcome.NoVictimNeeded, 0);
      return NodeOutcome.NoVictimNeeded;
    }
    this.record(n, NodeOutcome.Candidate, 0);
    return NodeOutcome.Candidate;
  }

  /** Pods on the node in the current dry run (after removals and reprieves). */
  private dryCount = 0;

  /** kube: reprievePod — adds q back (addPod); true if the preemptor still fits (q reprieved), else removes it again as a victim. */
  private reprieve(pod: SchedPod, n: number, q: number): boolean {
    const t = this.view.pods.tmpl[q]!;
    const victim = this.view.templates[t]!;
    const req = victim.requests;
    const free = this.free;
    const dry = this.view.dryRun;
    for (let r = 0; r < this.R; r++) free[r] -= req[r]!;
    this.dryCount++;
    dry?.add(q, t, victim);
    if (this.fits(pod, n) === 0) return true;
    for (let r = 0; r < this.R; r++) free[r] += req[r]!;
    this.dryCount--;
    dry?.remove(q, t, victim);
    this.victims[this.victimsLen++] = q;
    return false;
  }

  /**
   * kube: fitsNode (RunFilterPluginsWithNominatedPods) in the dry run on node n: fitsRequest
   * against `free` and `dryCount` (0 or the reason bits), then the DryRunFilters (minus their
   * encoded failure).
   */
  private fits(pod: SchedPod, n: number): number {
    let code = this.dryCount + 1 > this.view.nodes.maxPods[n]! ? TOO_MANY_PODS : 0;
    const dims = pod.requestedDims;
    for (let i = 0; i < dims.length; i++) {
      const r = dims[i]!;
      if (pod.requests[r]! > this.free[r]!) code |= 1 << (r + 1);
    }
    if (code !== 0 || this.view.dryRun === undefined) return code;
    return -this.view.dryRun.filter(n);
  }

  private record(n: number, outcome: NodeOutcome, code: number): void {
    if (this.outcome.length < this.view.nodes.count) {
      const cap = Math.max(16, this.view.nodes.count, this.outcome.length * 2);
      this.outcome = grown(this.outcome, cap);
      this.fitCode = grown(this.fitCode, cap);
      this.outcomeEpoch = grown(this.outcomeEpoch, cap);
    }
    this.outcome[n] = outcome;
    this.fitCode[n] = code;
    this.outcomeEpoch[n] = this.epoch;
  }

  /**
   * kube: findCandidates -> DryRunPreemption over potential[(offset + i) % len] for
   * i = 0..len-1, stopping once there are `numCandidates` candidates of which at least one
   * violates no PDB. Fills `candidates` and `order` (non-violating candidates first, then
   * violating ones, as upstream appends them). Returns the number of candidates.
   */
  findCandidates(pod: SchedPod, potential: Int32Array, len: number, offset: number, numCandidates: number, pdbAllowed: Int32Array): number {
    this.epoch++;
    this.lastPod = pod;
    const t = this.candidates;
    t.reset();
    if (this.nonViolatingCands.length < len) {
      this.nonViolatingCands = replicationArray(Int32Array, Math.max(16, len));
      this.violatingCands = replicationArray(Int32Array, Math.max(16, len));
    }
    let nvc = 0;
    let vc = 0;
    for (let i = 0; i < len; i++) {
      const n = potential[(offset + i) % len]!;
      if (this.selectVictimsOnNode(pod, n, pdbAllowed) !== NodeOutcome.Candidate) continue;
      const c = this.pushCandidate(n);
      if (this.numViolating === 0) this.nonViolatingCands[nvc++] = c;
      else this.violatingCands[vc++] = c;
      if (nvc > 0 && nvc + vc >= numCandidates) break;
    }
    if (this.order.length < nvc + vc) this.order = replicationArray(Int32Array, Math.max(16, nvc + vc));
    this.order.set(this.nonViolatingCands.subarray(0, nvc), 0);
    this.order.set(this.violatingCands.subarray(0, vc), nvc);
    this.orderLen = nvc + vc;
    return this.orderLen;
  }

  /** Stores the last selectVictimsOnNode result as a candidate with its pickOne figures. */
  private pushCandidate(n: number): number {
    const { pods } = this.view;
    const t = this.candidates;
    let sum = 0;
    const highest = this.priorityOf(this.victims[0]!);
    let earliest = Infinity;
    // kube: GetEarliestPodStartTime over the victims of the highest priority.
    for (let i = 0; i < this.victimsLen; i++) {
      const q = this.victims[i]!;
      const pr = this.priorityOf(q);
      sum += pr + PRIORITY_SUM_OFFSET;
      if (pr === highest && pods.boundAt[q]! < earliest) earliest = pods.boundAt[q]!;
    }
    const c = t.push(n, this.numViolating, highest, sum, this.victimsLen, earliest);
    for (let i = 0; i < this.victimsLen; i++) t.pushVictim(this.victims[i]!);
    return c;
  }

  /** kube: SelectCandidate -> pickOneNodeForPreemption over the last findCandidates. Candidate index or -1. */
  selectCandidate(): number {
    if (this.scratch.length < this.orderLen) this.scratch = replicationArray(Int32Array, this.order.length);
    return pickOneNodeForPreemption(this.candidates, this.order, this.orderLen, this.scratch);
  }

  /**
   * kube: the FitError Preempt returns when there is no candidate: "0/N nodes are available:"
   * with the dry run's statuses, and "Preemption is not helpful for scheduling" for the nodes
   * it did not give one (not potential, or not examined). Cold path: builds strings.
   */
  noCandidateMessage(numAllNodes: number, resourceNames: readonly string[], nodeNames: readonly string[]): string {
    const reasons = new Map<string, number>();
    const add = (r: string, k = 1) => reasons.set(r, (reasons.get(r) ?? 0) + k);
    let withStatus = 0;
    for (let n = 0; n < this.outcomeEpoch.length; n++) {
      if (this.outcomeEpoch[n] !== this.epoch) continue;
      withStatus++;
      switch (this.outcome[n] as NodeOutcome) {
        case NodeOutcome.NoVictims:
          add('No preemption victims found for incoming pod');
          break;
        case NodeOutcome.DoesNotFit: {
          const code = this.fitCode[n]!;
          if (code < 0) {
            for (const r of this.view.dryRun!.reasons(this.lastPod!, n, -code)) add(r);
            break;
          }
          if ((code & TOO_MANY_PODS) !== 0) add('Too many pods');
          for (let r = 0; r < this.R; r++) if ((code & (1 << (r + 1))) !== 0) add(`Insufficient ${resourceNames[r] ?? `resource-${r}`}`);
          break;
        }
        case NodeOutcome.NoVictimNeeded:
          // kube: a Code Error status; with no candidate Preempt returns the error itself.
          return `expected at least one victim pod on node ${JSON.stringify(nodeNames[n])}`;
        default:
          break;
      }
    }
    if (numAllNodes > withStatus) add('Preemption is not helpful for scheduling', numAllNodes - withStatus);
    return fitErrorMessage(numAllNodes, null, reasons);
  }

  /** Resets the per-node outcomes (a run that examined no node). */
  clearOutcomes(): void {
    this.epoch++;
    this.candidates.reset();
    this.orderLen = 0;
  }

  /**
   * The outcome of a dry run over potential[0..len) for a pod with no lower-priority pod in
   * the cluster: NoVictims on every node, without walking their pods. O(len).
   */
  recordNoVictims(potential: Int32Array, len: number): void {
    this.clearOutcomes();
    for (let i = 0; i < len; i++) this.record(potential[i]!, NodeOutcome.NoVictims, 0);
  }
}
