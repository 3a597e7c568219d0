// kube-scheduler's DefaultPreemption PostFilter plugin, the acting half (kube:
// plugins/defaultpreemption/default_preemption.go PostFilter and
// framework/preemption/preemption.go Evaluator.Preempt, prepareCandidate): run after a pod
// failed the filters, it checks eligibility, dry-runs preemption (preemption.ts), deletes the
// chosen node's victims gracefully and nominates the preemptor to that node. The preemptor stays
// unschedulable; the victims' removal requeues it.
//
// Simplifications: no extenders; the API calls (victim deletion, nominatedNodeName updates)
// take no simulated time, so the async-preemption window of v1.33+ collapses to an instant;
// DaemonSet pods are placed by their controller through Scheduler.scheduleOn and never preempt.

import { Cause } from '../metrics/causes.js';
import type { SimContext } from '../context.js';
import { DeleteReason } from '../cluster/pod-lifecycle.js';
import type { Rng } from '../random/streams.js';
import {
  calculateNumCandidates,
  Eligibility,
  ELIGIBILITY_MESSAGES,
  PreemptionEvaluator,
} from './preemption.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

const Outcome = { Nominated: 0, NotEligible: 1, NoCandidates: 2, NoCandidatesCached: 3 } as const;
type Outcome = (typeof Outcome)[keyof typeof Outcome];

export class DefaultPreemption {
  readonly evaluator: PreemptionEvaluator;
  /**
   * kube: DefaultPreemption.GetOffsetAndNumCandidates draws the dry run's starting offset with
   * rand.Int31n from its own source; here a dedicated stream, so preemption does not shift the
   * scheduler's tie-break draws.
   */
  private readonly random: Rng;
  private potential = replicationArray(Int32Array, 16);
  private readonly pdbAllowed: Int32Array;
  /** Per template: some workload has a lower priority, so a pod of it may find victims. */
  private readonly mayFindVictims: Uint8Array;
  /**
   * Per template, the cluster state in which its last dry run found no candidate: queue
   * version (pods removed, nodes changed, nominations cleared), NodeTable podVersion (pods
   * bound: new potential victims) and topologyVersion (taints, cordons). While all three are
   * unchanged, another non-nominated pod of the template finds none either (the outcome does
   * not depend on the random offset: every potential node is examined when none qualifies),
   * as the queue's failedAtVersion shortcut reasons for the filters. Without it an over-full
   * cluster would pay a dry run per failed attempt.
   */
  private readonly noCandidateAt: Float64Array[];
  private lastPod = -1;
  private outcome: Outcome = Outcome.Nominated;
  private eligibility: Eligibility = Eligibility.Eligible;
  /** The message of the last run, as a lazily evaluated PostFilter result for the Scheduler. */
  private readonly result = { message: () => this.message() };

  constructor(private readonly ctx: SimContext) {
    const { scenario, pdbs } = ctx;
    // kube: filterPodsWithPDBViolation — "A pod with no labels will not match any PDB" and "A
    // PDB with a nil or empty selector matches nothing" (unlike the disruption controller).
    const pdbsOfTemplate = packedMap(scenario.workloads, (w, t) =>
      Object.keys(w.template.labels).length === 0
        ? []
        : pdbs.pdbsOf(t).filter((i) => {
            const sel = scenario.pdbs[i]!.selector;
            return Object.keys(sel.matchLabels).length > 0 || sel.matchExpressions.length > 0;
          }),
    );
    this.evaluator = new PreemptionEvaluator({
      nodes: ctx.nodes,
      pods: ctx.pods,
      templates: ctx.templates,
      pdbsOfTemplate,
      overlay: ctx.scheduler.overlay,
      dryRun: ctx.scheduler.dryRun,
    });
    this.pdbAllowed = replicationArray(Int32Array, scenario.pdbs.length);
    const lowest = Math.min(...scenario.workloads.map((w) => w.template.priority));
    this.mayFindVictims = Uint8Array.from(scenario.workloads, (w) => (w.template.priority > lowest ? 1 : 0));
    this.noCandidateAt = packedMap([0, 1, 2], () => replicationArray(Float64Array, scenario.workloads.length).fill(-1));
    this.random = ctx.streams.stream('scheduler/preemption');
  }

  /** kube: DefaultPreemption.PostFilter -> Evaluator.Preempt for pod p, which just failed the filters. */
  postFilter(p: number): void {
    const { pods, templates, scheduler, queue, metrics, nodes } = this.ctx;
    metrics.onPreemptionAttempt();
    const t = pods.tmpl[p]!;
    const pod = templates[t]!;
    scheduler.setPostFilterResult(this.result);
    this.lastPod = p;
    const nominated = queue.nominator.nodeOf(p);
    const [atQueue, atPods, atTopology] = this.noCandidateAt as [Float64Array, Float64Array, Float64Array];
    if (
      nominated < 0 &&
      atQueue[t] === queue.version &&
      atPods[t] === nodes.podVersion &&
      atTopology[t] === nodes.topologyVersion &&
      pod.template.preemptionPolicy !== 'Never'
    ) {
      this.outcome = Outcome.NoCandidatesCached;
      return;
    }
    scheduler.preparePostFilter(pod, p);

    // 1) kube: PodEligibleToPreemptOthers. Not eligible: the nomination is left as it is.
    const unresolvable = nominated >= 0 && !scheduler.preemptionMayHelp(pod, nominated);
    this.eligibility = this.evaluator.eligibleToPreemptOthers(pod, nominated, unresolvable);
    if (this.eligibility !== Eligibility.Eligible) {
      this.outcome = Outcome.NotEligible;
      return;
    }

    // 2) kube: findCandidates — nodes whose status is Unschedulable (not ...AndUnresolvable),
    // then the dry run from a random offset over a bounded number of candidates.
    const found = this.findCandidates(p, true);
    if (found === 0) {
      // kube: NewPostFilterResultWithNominatedNode("") clears an earlier nomination.
      this.outcome = Outcome.NoCandidates;
      queue.clearNomination(p);
      atQueue[t] = queue.version;
      atPods[t] = nodes.podVersion;
      atTopology[t] = nodes.topologyVersion;
      return;
    }

    // 3) kube: SelectCandidate, then prepareCandidate.
    const c = this.evaluator.selectCandidate();
    this.prepareCandidate(p, c);
    this.outcome = Outcome.Nominated;
  }

  /**
   * kube: findCandidates for pod p (prepared by preparePostFilter): the number found. With
   * `draw` false the offset is 0 and the random stream untouched (for re-running a dry run
   * whose outcome is known to be "none", where the offset cannot matter).
   */
  private findCandidates(p: number, draw: boolean): number {
    const { pods, templates, scheduler } = this.ctx;
    const pod = templates[pods.tmpl[p]!]!;
    const all = scheduler.postFilterNodes(pod);
    const numAll = scheduler.postFilterNodeCount(pod);
    if (this.potential.length < numAll) this.potential = replicationArray(Int32Array, Math.max(16, numAll));
    let len = 0;
    // A PreFilter rejection (NodeAffinity's conflicting terms) marks every node
    // UnschedulableAndUnresolvable: nothing to examine.
    for (let i = 0; i < numAll && !pod.preFilterConflict; i++) {
      const n = all[i]!;
      if (scheduler.preemptionMayHelp(pod, n)) this.potential[len++] = n;
    }
    let found = 0;
    if (len === 0) this.evaluator.clearOutcomes();
    else if (this.mayFindVictims[pods.tmpl[p]!] === 0) {
      // No pod anywhere has a lower priority: every dry run would end in "No preemption victims
      // found" (the offset draw is skipped too; it could not change the outcome).
      this.evaluator.recordNoVictims(this.potential, len);
    } else {
      const offset = draw ? Math.floor(this.random() * len) : 0; // kube: rand.Int31n(numNodes)
      for (let i = 0; i < this.pdbAllowed.length; i++) this.pdbAllowed[i] = this.ctx.pdbs.status(i).disruptionsAllowed;
      found = this.evaluator.findCandidates(pod, this.potential, len, offset, calculateNumCandidates(len), this.pdbAllowed);
    }
    return found;
  }

  /**
   * kube: prepareCandidate — delete each victim gracefully (a victim already being deleted
   * needs no API call), clear the nominations of lower-priority pods nominated to the node,
   * and nominate the preemptor there.
   */
  private prepareCandidate(p: number, c: number): void {
    const { pods, queue, lifecycle, metrics, trace } = this.ctx;
    const t = this.evaluator.candidates;
    const n = t.node[c]!;
    const from = t.victimsAt[c]!;
    const to = from + t.numVictims[c]!;
    for (let i = from; i < to; i++) {
      const v = t.victims[i]!;
      if (pods.terminating[v] === 1) continue;
      this.evaluator.markDeletedByPreemption(v);
      metrics.onPreempted(v);
      lifecycle.delete(v, DeleteReason.Preemption, Cause.Preemption);
    }
    // kube: getLowerPriorityNominatedPods + clearNominatedNodeName.
    const prio = this.ctx.templates[pods.tmpl[p]!]!.template.priority;
    const nominatedThere = queue.nominator.podsOn(n);
    for (let i = nominatedThere.length - 1; i >= 0; i--) {
      const q = nominatedThere[i]!;
      if (queue.nominator.priorityOf(q) < prio) queue.clearNomination(q);
    }
    queue.nominate(p, n);
    if (trace.enabled) {
      const w = this.ctx.scenario.workloads[pods.owner[p]!]!;
      trace.add(this.ctx.engine.now, 'pod-nominated', this.ctx.nodes.names[n]!, lifecycle.podName(p), w.key, `victims=${t.numVictims[c]}`);
    }
  }

  /**
   * The PostFilter status message (kube: DefaultPreemption.PostFilter prefixes "preemption: "),
   * '' when a node was nominated. Cold path; valid until the next postFilter.
   */
  message(): string {
    switch (this.outcome) {
      case Outcome.Nominated:
        return '';
      case Outcome.NotEligible:
        return `preemption: ${ELIGIBILITY_MESSAGES[this.eligibility as Exclude<Eligibility, 0>]}`;
      case Outcome.NoCandidatesCached:
      case Outcome.NoCandidates:
        if (this.outcome === Outcome.NoCandidatesCached) {
          // Redo the dry run the cache skipped, for its per-node statuses (same state, same result).
          const pod = this.ctx.templates[this.ctx.pods.tmpl[this.lastPod]!]!;
          this.ctx.scheduler.preparePostFilter(pod, this.lastPod);
          this.findCandidates(this.lastPod, false);
          this.outcome = Outcome.NoCandidates;
        }
        return `preemption: ${this.evaluator.noCandidateMessage(
          this.ctx.scheduler.numAllNodes,
          this.ctx.scenario.resourceNames,
          this.ctx.nodes.names,
        )}`;
    }
  }
}
