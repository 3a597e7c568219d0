// One scheduling cycle over the NodeTable, like kube-scheduler's schedulePod
// (pkg/scheduler/schedule_one.go): snapshot, PreFilter, findNodesThatPassFilters with node
// sampling from a rotating start, prioritizeNodes, selectHost.
//
// What the scheduler sees: nodes with `exists` set, their labels, static and dynamic taints,
// allocatable, requested and pod count. It never reads `up`: a dead machine looks healthy until
// the node lifecycle controller taints it.
//
// Cost per cycle (steady state, no allocation): O(examined nodes × requested resources) for
// filtering plus O(feasible × score plugins) for scoring. Per pod template, the static
// filters (NodeName, static taints, NodeAffinity) and static score inputs are computed once
// per node and recomputed lazily, O(nodes), when a node's static facts change (see
// snapshot.ts; dynamic taint flips do not invalidate them).
//
// Fast paths, each checked against the plain path by a contract test: sampled cycles skip the
// nodes the static filters reject without visiting them, and when the policy's score plugins
// read only node resources, filter and score in one pass over memoised per-node totals
// (fused-resource-score.ts); first-fit descends the NodeTable's free-capacity index.
//
// Deviations from upstream, all deliberate:
// - Filtering is sequential, so exactly the nodes up to the k-th feasible one count as
//   processed (upstream's 16 parallel workers may examine a few more).
// - A PreFilterResult's nodes are examined in index order (upstream: Go map order).
// - RunFilterPluginsWithNominatedPods: NodeResourcesFit sees the nominated pods through the
//   NominatedOverlay (nominator.ts), the extra filters through their AddPod extension
//   (filters-with-pods.ts), then without them; GpuShareFit's devices are not held for a
//   nominated pod (only its whole-GPU count, by NodeResourcesFit).
//
// PostFilter (DefaultPreemption) lives in preemption.ts / default-preemption.ts; it reads the
// pod's static verdicts from here (`preparePostFilter`, `preemptionMayHelp`) and its message
// is appended to the FitError message, as upstream's Diagnosis.PostFilterMsg.

import type { PodTemplate } from '../../scenario/model.js';
import type { FreeCapacityIndex } from '../cluster/free-capacity-index.js';
import { BestFitIndex } from './best-fit-index.js';
import { passesDynamicFilters } from './dynamic-filters.js';
import { dominantShareAfter } from './plugins/dominant-share.js';
import { DEFAULT_RESOURCES } from './plugins/resource-allocation.js';
import { CHANGE_LOG_SIZE, type NodeTable } from '../cluster/node-table.js';
import { fitErrorMessage, NO_NODES_AVAILABLE, withPostFilterMessage } from './fit-error.js';
import { Status, type FilterPlugin, type Policy, type TargetPod } from './framework.js';
import { NodeAffinityFilter, ERR_REASON_CONFLICT, preferredNodeAffinityScore, requiredNodeAffinityMatches } from './plugins/node-affinity.js';
import { NodeName, nodeNameFits } from './plugins/node-name.js';
import { NodeResourcesFitFilter } from './plugins/node-resources-fit.js';
import { GpuShareFit } from './plugins/gpu-share-fit.js';
import { GPU_RESOURCE, GpuTable } from '../cluster/gpu-table.js';
import { NodeUnschedulable } from './plugins/node-unschedulable.js';
import {
  countIntolerableTaintsPreferNoSchedule,
  firstUntoleratedHardTaint,
  TaintTolerationFilter,
} from './plugins/taint-toleration.js';
import { NominatedOverlay, type Nominator } from './nominator.js';
import { FiltersWithPods } from './filters-with-pods.js';
import type { DryRunFilters } from './preemption.js';
import { InterPodAffinityFilter } from './plugins/inter-pod-affinity.js';
import { PodTopologySpreadFilter } from './plugins/pod-topology-spread.js';
import { FusedResourceScore } from './fused-resource-score.js';
import { createPolicy } from './policies/index.js';
import type { PodTopology } from './topology/pod-topology.js';
import { numFeasibleNodesToFind } from './sampling.js';
import { Snapshot } from './snapshot.js';
import { INCLUSION_AFFINITY, INCLUSION_TAINTS, SchedPod, type PodKind, type StaticCache } from './sched-pod.js';
import { pickTied, selectHost } from './select-host.js';
import { replicationArray } from '../typed-arrays.js';

export { POLICY_NAMES } from './policies/index.js';
export { SchedPod, type PodKind } from './sched-pod.js';

export interface SchedulerOptions {
  /** One of POLICY_NAMES, or the absolute path of a user policy module already loaded (user/registry.ts). */
  policy: string;
  /** kube: percentageOfNodesToScore; 0 = adaptive, 1..100 = that percentage. */
  percentageOfNodesToScore: number;
  /** Resource dimension names for FitError messages (Scenario.resourceNames). */
  resourceNames?: readonly string[];
  /**
   * Placed pods per topology domain for InterPodAffinity and PodTopologySpread (built from every
   * template of the replication); null or absent: those plugins Skip every pod.
   */
  podTopology?: PodTopology | null;
  /**
   * Filters run after the built-in ones on every node that passes them (kube's order puts
   * PodTopologySpread and InterPodAffinity after NodeResourcesFit).
   */
  extraFilters?: readonly FilterPlugin[];
  /** The pod mix the fgd policy measures fragmentation against (framework.ts TargetPod); default: the pod being scheduled. */
  targetPods?: readonly TargetPod[];
  /**
   * Default true: score with the one-pass FusedResourceScore when it covers the policy's
   * plugins, and skip the nodes the static filters reject without visiting them. false: the
   * plain path, every node visited and every score plugin run one by one (tests compare the
   * two).
   */
  fastPaths?: boolean;
}

/** Why the last cycle failed. */
const Fail = {
  None: 0,
  NoNodes: 1,
  PreFilter: 2,
  Filter: 3,
} as const;
type Fail = (typeof Fail)[keyof typeof Fail];

/** FusedResourceScore memo entry of a node whose free resources cannot hold the pod. */
const NO_FIT = -Infinity;

/**
 * kube's processed-node count of a search over the snapshot order that examined `processed`
 * positions of StaticCache.okOrder from j0 (a search started at snapshot position `start` of
 * `len`): every node when it ran out of nodes (`exhausted`), else up to and including the last
 * examined node's snapshot position, the statically rejected nodes skipped on the way counted.
 */
function okProcessed(c: StaticCache, j0: number, processed: number, exhausted: boolean, start: number, len: number): number {
  if (exhausted) return len;
  const last = c.okPos[(j0 + processed - 1) % c.okLen]!;
  return ((last - start + len) % len) + 1;
}
/** syncOkTotals recomputes up to this many changed nodes at once; beyond it, marks them stale. */
const EAGER_REPLAY = 32;
/** The search loops over okTotal refresh stale entries a block of this many positions at a time. */
const OK_BLOCK = 64;

/** kube: the absent-nodes status when a PreFilterResult narrowed the nodes (NodeAffinity here). */
const ABSENT_REASON = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
const DEFAULT_RESOURCE_NAMES = ['cpu', 'memory', 'ephemeral-storage'];

/** Who a compiled template is: `name` for user policies (`KIND/NAME`), `topologyId` for the pod topology index (the workload index). */
export interface TemplateId {
  name?: string;
  topologyId?: number;
}

export class Scheduler {
  readonly policy: Policy;
  /** GPU devices per node; null when the scenario has no `nvidia.com/gpu` resource. */
  readonly gpu: GpuTable | null;
  /** Pod counts per topology domain; the pod lifecycle keeps them up to date on bind and removal. */
  readonly podTopology: PodTopology | null;
  private readonly nodes: NodeTable;
  private readonly percentageOfNodesToScore: number;
  private readonly random: () => number;

  /** The built-in filters in kube's default order, then the extra ones. */
  private readonly filters: readonly FilterPlugin[];
  private readonly builtinFilterCount: number;
  private readonly resourcesFit: NodeResourcesFitFilter;
  private readonly gpuFit: GpuShareFit;
  /** The pod-dependent filters re-run with pods added or removed (nominated pods, preemption's dry run). */
  private readonly withPods: FiltersWithPods;
  /** Preemption's view of `withPods` for the pod of the last preparePostFilter. */
  readonly dryRun: DryRunFilters;
  /** PodStore id of this cycle's pod (-1: none): its own nomination does not count. */
  private cycleSelf = -1;
  /** Code of the failure firstFailingFilter found (it may come from the nominated pass). */
  private lastFailCode = 0;
  private readonly extraFilters: readonly FilterPlugin[];
  /** Extra filters whose PreFilter did not Skip this cycle: activeExtra[0..activeExtraLen). */
  private readonly activeExtra: FilterPlugin[];
  private activeExtraLen = 0;

  private readonly fastPaths: boolean;
  /** The one-pass prioritize + selectHost for the policy's score plugins, if it covers them. */
  private readonly fused: FusedResourceScore | null;
  /** first-fit only: the NodeTable's index over free capacity. */
  private readonly freeIndex: FreeCapacityIndex | null;
  /** best-fit: the per-template-group trees of fill bounds (null: scan, with fastPaths off). */
  private readonly bestFitIndex: BestFitIndex | null;

  /** kube: the scheduler cache's snapshot of the nodes. */
  private readonly snapshot: Snapshot;
  /** The scheduling queue's nominated pods (null: none are ever nominated). */
  private nominator: Nominator | null = null;
  /** Nominated pods that count for the current cycle's pod (kube: addGENominatedPods). */
  readonly overlay: NominatedOverlay;
  /** The PostFilter outcome of the last failure, whose message ends the FitError message. */
  private postFilter: { message(): string } | null = null;
  /** kube: Scheduler.nextStartNodeIndex. */
  private nextStart = 0;
  /** Nodes examined by the last findFeasible. */
  private processed = 0;

  // Scratch, sized to the node count; reused by every cycle.
  private feasible = replicationArray(Int32Array, 0);
  /** findFeasibleScored: the nodes tied for the top total so far, and the node chosen. */
  private ties = replicationArray(Int32Array, 0);
  private chosen = -1;
  private scores = replicationArray(Float64Array, 0);
  private totals = replicationArray(Float64Array, 0);
  private readonly single = replicationArray(Int32Array, 1);
  /** bestFit: the pod whose leaves `acceptBestFit` filters (set around the index search). */
  private bestFitPod: SchedPod | null = null;
  /** Whether node n passes every filter for bestFitPod; allocated once, not per search. */
  private readonly acceptBestFit = (n: number): boolean => {
    this.single[0] = n;
    return this.findFeasible(this.bestFitPod!, this.single, 1, 0, 1) === 1;
  };

  // The last failure, kept so the message can be built lazily.
  private fail: Fail = Fail.None;
  private failPod: SchedPod | null = null;
  private failCandidates: Int32Array = this.single;
  private failCandidatesLen = 0;
  private failNumAllNodes = 0;

  constructor(nodes: NodeTable, opts: SchedulerOptions, random: () => number) {
    const pct = opts.percentageOfNodesToScore;
    if (!Number.isInteger(pct) || pct < 0 || pct > 100) {
      throw new Error(`Expected percentageOfNodesToScore to be an integer in [0, 100], got ${pct}`);
    }
    this.nodes = nodes;
    this.snapshot = new Snapshot(nodes);
    this.overlay = new NominatedOverlay(nodes);
    this.percentageOfNodesToScore = pct;
    this.random = random;
    const podTopology = opts.podTopology ?? null;
    this.podTopology = podTopology;
    const resourceNames = opts.resourceNames ?? DEFAULT_RESOURCE_NAMES;
    const gpuDim = resourceNames.indexOf(GPU_RESOURCE);
    this.gpu = gpuDim >= 0 ? new GpuTable(nodes, gpuDim) : null;
    this.policy = createPolicy(opts.policy, { nodes, resourceNames, gpu: this.gpu, targetPods: opts.targetPods ?? null, podTopology });
    this.fastPaths = opts.fastPaths !== false;
    this.fused = !this.fastPaths ? null : FusedResourceScore.of(nodes, this.policy.scorePlugins);
    const search = this.policy.search;
    this.freeIndex = search === 'first-fit' ? nodes.freeCapacityIndex() : null;
    this.bestFitIndex = search === 'best-fit' && this.fastPaths ? new BestFitIndex(nodes) : null;
    // kube: default_plugins.go Filter order.
    this.resourcesFit = new NodeResourcesFitFilter(nodes, resourceNames, this.overlay);
    this.gpuFit = new GpuShareFit(this.gpu);
    const builtin: FilterPlugin[] = [
      new NodeUnschedulable(nodes),
      new NodeName(nodes),
      new TaintTolerationFilter(nodes),
      new NodeAffinityFilter(nodes),
      this.resourcesFit,
      this.gpuFit,
    ];
    // kube: default_plugins.go puts PodTopologySpread, then InterPodAffinity, after NodeResourcesFit;
    // both have a per-cycle PreFilter, so they run as extra filters. SPEC 3: every policy honours them.
    this.extraFilters = [
      new PodTopologySpreadFilter(nodes, podTopology),
      new InterPodAffinityFilter(podTopology),
      ...(opts.extraFilters ?? []),
    ];
    this.activeExtra = new Array<FilterPlugin>(this.extraFilters.length);
    this.builtinFilterCount = builtin.length;
    this.filters = [...builtin, ...this.extraFilters];
    this.withPods = new FiltersWithPods(this.gpu, podTopology, this.filters, builtin.indexOf(this.gpuFit));
    const withPods = this.withPods;
    this.dryRun = {
      begin: (pod, n) => withPods.beginDryRun(pod, this.cycleSelf, n, this.activeExtra, this.activeExtraLen, this.nominator),
      remove: (q, t, victim) => withPods.remove(q, t, victim),
      add: (q, t, victim) => withPods.add(q, t, victim),
      filter: (n) => withPods.dryRunFilter(n),
      reasons: (pod, n, failure) => withPods.reasons(pod, n, failure),
    };
  }

  /** Resolves a pod template once; every pod of the template can share the result. */
  compile(template: PodTemplate, kind: PodKind, id: TemplateId = {}): SchedPod {
    return new SchedPod(template, kind, this.nodes.R, id.name ?? '', id.topologyId ?? -1);
  }

  /** Lets the filters see the queue's nominated pods (called once, by the scheduling queue). */
  useNominator(nominator: Nominator): void {
    this.nominator = nominator;
  }

  /**
   * One scheduling cycle: the chosen node index, or -1 if no node fits. Does not bind (the
   * caller calls nodes.addPod). Draws from `random` only to break ties. `podId` (a PodStore
   * id, -1 for none) identifies the pod among the nominated ones: its own nomination does not
   * count against it, and its nominated node is tried first.
   */
  scheduleOne(pod: SchedPod, podId = -1): number {
    this.fail = Fail.None;
    this.postFilter = null;
    this.syncSnapshot();
    const numAll = this.snapshot.numAllNodes;
    if (numAll === 0) return this.recordFail(Fail.NoNodes, pod, this.single, 0);
    if (pod.preFilterConflict) return this.recordFail(Fail.PreFilter, pod, this.single, 0);
    this.syncStatic(pod);
    this.runPreFilters(pod);
    this.overlay.build(this.nominator, pod.template.priority, podId);
    this.cycleSelf = podId;

    // kube: schedulePod -> evaluateNominatedNode: "NominatedNodeName can potentially be set in
    // a previous scheduling cycle as a result of preemption. This node is likely the only
    // candidate that will fit the pod, and hence we try it first before iterating over all
    // nodes." A feasible nominated node is used without scoring; its examination advances
    // nextStartNodeIndex by one (findNodesThatPassFilters over that single node).
    const nominated = podId >= 0 && this.nominator !== null ? this.nominator.nodeOf(podId) : -1;
    if (nominated >= 0 && this.nodes.exists[nominated] === 1) {
      this.single[0] = nominated;
      const found = this.findFeasible(pod, this.single, 1, 0, 1);
      this.nextStart = (this.nextStart + this.processed) % numAll;
      if (found === 1) return nominated;
    }

    const search = this.policy.search;
    let candidates: Int32Array = search === 'sampled' ? this.snapshot.order : this.snapshot.byIndex;
    let candidatesLen = numAll;
    if (pod.preFilterNodeNames !== null) {
      this.syncPinned(pod);
      candidates = pod.cache.pinned;
      candidatesLen = pod.cache.pinnedLen;
    }
    return search === 'first-fit'
      ? this.firstFit(pod, candidates, candidatesLen)
      : search === 'best-fit'
        ? this.bestFit(pod, candidates, candidatesLen)
        : this.sampled(pod, candidates, candidatesLen);
  }

  /**
   * Schedules a pod pinned to node `n`, as kube-scheduler does a DaemonSet pod whose required
   * affinity the controller replaced with `metadata.name In [node]`
   * (ReplaceDaemonSetPodNodeNameNodeAffinity): only `n` is filtered, nothing is scored.
   * Returns `n` or -1. Advances the rotating start index by one like upstream.
   */
  scheduleOn(pod: SchedPod, n: number): number {
    this.fail = Fail.None;
    this.postFilter = null;
    this.syncSnapshot();
    const numAll = this.snapshot.numAllNodes;
    if (numAll === 0) return this.recordFail(Fail.NoNodes, pod, this.single, 0);
    this.syncStatic(pod);
    this.runPreFilters(pod);
    this.overlay.build(this.nominator, pod.template.priority, -1);
    this.cycleSelf = -1;
    if (n < 0 || n >= this.nodes.count || this.nodes.exists[n] === 0) {
      return this.recordFail(Fail.Filter, pod, this.single, 0);
    }
    this.nextStart = (this.nextStart + 1) % numAll;
    if (this.firstFailingFilter(pod, n) < 0) return n;
    this.single[0] = n;
    return this.recordFail(Fail.Filter, pod, this.single, 1);
  }

  /**
   * Whether the pod passes every filter on node n as the cluster is now; nothing is scored,
   * the rotating start index is untouched (cluster-autoscaler's PredicateChecker on a real
   * node, used to simulate moving pods off a scale-down candidate).
   */
  fits(pod: SchedPod, n: number): boolean {
    if (this.nodes.exists[n] !== 1) return false;
    this.syncSnapshot();
    this.runPreFilters(pod);
    return this.firstFailingFilter(pod, n) < 0;
  }

  /**
   * Why the last scheduleOne / scheduleOn returned -1, as kube's FitError message
   * ("0/12 nodes are available: 3 Insufficient cpu, 9 node(s) were unschedulable."); '' if it
   * succeeded. Built on demand by re-running the filters, so call it before changing the
   * NodeTable.
   */
  lastFailureMessage(): string {
    return withPostFilterMessage(this.filterFailureMessage(), this.postFilter?.message() ?? '');
  }

  /** Records the PostFilter run after the last failure (kube: Diagnosis.PostFilterMsg). */
  setPostFilterResult(result: { message(): string } | null): void {
    this.postFilter = result;
  }

  private filterFailureMessage(): string {
    switch (this.fail) {
      case Fail.None:
        return '';
      case Fail.NoNodes:
        return NO_NODES_AVAILABLE;
      case Fail.PreFilter:
        return fitErrorMessage(this.failNumAllNodes, ERR_REASON_CONFLICT, new Map());
      case Fail.Filter: {
        const pod = this.failPod!;
        const reasons = new Map<string, number>();
        for (let i = 0; i < this.failCandidatesLen; i++) {
          const n = this.failCandidates[i]!;
          const f = this.firstFailingFilter(pod, n);
          if (f < 0) continue;
          const plugin = this.filters[f]!;
          for (const reason of plugin.reasons(pod, n, this.lastFailCode)) {
            reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          }
        }
        const absent = this.failNumAllNodes - this.failCandidatesLen;
        if (absent > 0) reasons.set(ABSENT_REASON, (reasons.get(ABSENT_REASON) ?? 0) + absent);
        return fitErrorMessage(this.failNumAllNodes, null, reasons);
      }
    }
  }

  /**
   * Pod p (template `pod`) was bound to node n: its GPU devices are taken, on the device the
   * policy picks for a shared request (Policy.gpuDevice; default best fit). No-op without GPUs.
   * Call it before NodeTable.addPod: the policy sees the node as it was when it was scored.
   */
  bindGpus(p: number, n: number, pod: SchedPod): void {
    const gpu = this.gpu;
    if (pod.gpuCount === 0 || gpu === null) return;
    gpu.sync();
    const device = !pod.gpuShared ? -1 : this.policy.gpuDevice !== undefined ? this.policy.gpuDevice(pod, n) : gpu.bestFitDevice(n, pod.gpuMilli);
    gpu.allocate(p, n, pod, device);
  }

  /** Pod p left node n: its GPU devices are freed. */
  unbindGpus(p: number, n: number, pod: SchedPod): void {
    if (pod.gpuCount !== 0 && this.gpu !== null) this.gpu.release(p, n, pod);
  }

  // -------------------------------------------------------------------------------------------
  // PostFilter support (preemption.ts)

  /**
   * Brings the snapshot, the pod's static verdicts and the nominated overlay up to date for a
   * PostFilter run on `pod` (id `podId`), whichever pod the last cycle was for (the queue may
   * skip the filter pass of a pod whose template just failed).
   */
  preparePostFilter(pod: SchedPod, podId: number): void {
    this.syncSnapshot();
    this.syncStatic(pod);
    if (pod.preFilterNodeNames !== null) this.syncPinned(pod);
    this.runPreFilters(pod);
    this.overlay.build(this.nominator, pod.template.priority, podId);
    this.cycleSelf = podId;
  }

  /**
   * The nodes the last filter pass could have given a status, in snapshot order (kube:
   * NodeInfos().List()); with a NodeAffinity PreFilterResult only its nodes, the others
   * being absent (UnschedulableAndUnresolvable). Valid after preparePostFilter.
   */
  postFilterNodes(pod: SchedPod): Int32Array {
    return pod.preFilterNodeNames !== null ? pod.cache.pinned : this.snapshot.order;
  }

  postFilterNodeCount(pod: SchedPod): number {
    return pod.preFilterNodeNames !== null ? pod.cache.pinnedLen : this.snapshot.numAllNodes;
  }

  /** kube: len(allNodes) for the FitError preemption builds. */
  get numAllNodes(): number {
    return this.snapshot.numAllNodes;
  }

  /**
   * Whether node n's filter status for `pod` is Unschedulable rather than
   * UnschedulableAndUnresolvable (kube: nodesWherePreemptionMightHelp / NodesForStatusCode):
   * the status is the first failing filter's (RunFilterPlugins stops there).
   * NodeUnschedulable, NodeName, TaintToleration and NodeAffinity reject with
   * UnschedulableAndUnresolvable; NodeResourcesFit with Unschedulable (the later filters never
   * ran); GpuShareFit, PodTopologySpread and InterPodAffinity say per code (`resolvable`).
   * A node passing every filter counts too (the dry run then finds no victim needed). Valid
   * after preparePostFilter. No allocation.
   */
  preemptionMayHelp(pod: SchedPod, n: number): boolean {
    if (this.nodes.exists[n] === 0) return false;
    if (pod.cache.staticFail[n] !== 0) return false;
    if ((this.nodes.dynTaints[n]! & ~pod.toleratedDynTaints) !== 0) return false;
    if (this.resourcesFit.filter(pod, n) !== 0) return true;
    const gpuCode = this.gpuFit.filter(pod, n);
    if (gpuCode !== 0) return this.gpuFit.resolvable(gpuCode);
    for (let i = 0; i < this.activeExtraLen; i++) {
      const plugin = this.activeExtra[i]!;
      const code = plugin.filter(pod, n);
      if (code !== 0) return plugin.resolvable?.(code) === true;
    }
    if (this.nominator !== null && this.overlay.active && this.overlay.pods[n]! > 0) {
      const failure = this.withPods.nominatedPass(pod, this.cycleSelf, n, this.activeExtra, this.activeExtraLen, this.nominator);
      if (failure !== 0) return this.filters[(failure >> 8) - 1]!.resolvable?.(failure & 0xff) === true;
    }
    return true;
  }

  /** kube: Scheduler.nextStartNodeIndex, where the next sampled search starts in the snapshot. */
  get nextStartNodeIndex(): number {
    return this.nextStart;
  }

  /** The snapshot's node order (kube: nodeTree.list), for tests and diagnostics. */
  snapshotNodes(): Int32Array {
    this.syncSnapshot();
    return this.snapshot.order.slice(0, this.snapshot.numAllNodes);
  }

  // -------------------------------------------------------------------------------------------
  // Search

  /**
   * kube: findNodesThatPassFilters: examine candidates from the rotating start until
   * numFeasibleNodesToFind feasible nodes are found, then advance the start by the number of
   * nodes examined; then prioritizeNodes + selectHost.
   */
  private sampled(pod: SchedPod, candidates: Int32Array, len: number): number {
    const k = numFeasibleNodesToFind(this.percentageOfNodesToScore, len);
    const start = len === 0 ? 0 : this.nextStart % len;
    // The memoised totals check neither GPU devices nor nominated pods: those cycles take the
    // plain path. `scored`: the resource plugins are the whole score (filter, score and select
    // in one pass); `resourceMemo`: pod-topology plugins score too, on top of memoised totals.
    const fused = this.fused;
    const memo = fused !== null && pod.gpuCount === 0 && !this.overlay.active;
    const scored = memo && fused.applies(pod);
    const resourceMemo = memo && !scored && fused.resourcePartApplies(pod);
    if (scored || resourceMemo) fused!.prepare(pod);
    const overSnapshot = this.fastPaths && candidates === this.snapshot.order;
    const found =
      overSnapshot && scored
        ? this.findFeasibleOkTotals(pod, len, start, k)
        : overSnapshot && resourceMemo
          ? this.collectFeasibleOkTotals(pod, len, start, k)
          : overSnapshot && pod.cache.okLen < len
            ? this.findFeasibleStaticOk(pod, len, start, k, false)
            : scored
              ? this.findFeasibleScored(pod, candidates, len, start, k)
              : this.findFeasible(pod, candidates, len, start, k);
    // kube: nextStartNodeIndex = (nextStartNodeIndex + processedNodes) % len(allNodes)
    this.nextStart = (this.nextStart + this.processed) % this.snapshot.numAllNodes;
    if (found === 0) return this.recordFail(Fail.Filter, pod, candidates, len);
    // With one feasible node the tie list held only it and nothing was drawn, as upstream.
    if (scored) return this.chosen;
    // kube: schedulePod "When only one node after predicate, just use it." (no scoring, no draw)
    if (found === 1) return this.feasible[0]!;
    if (resourceMemo) {
      // collectFeasibleOkTotals already put the resource totals beside the feasible nodes.
      return this.feasible[overSnapshot ? this.addTopologyScores(pod, found) : this.prioritizeWithMemo(pod, found)]!;
    }
    return this.feasible[this.prioritize(pod, found)]!;
  }

  /**
   * The first candidate (in the order given) that passes the filters. Over all nodes (index
   * order) the free-capacity index skips the nodes without room for the pod: it yields, in
   * increasing index, only nodes passing the resource test, and each is then run through the
   * whole filter chain (findFeasible on that one node) until one passes, so the node chosen is
   * the one the plain scan would choose. A PreFilterResult's short list is scanned directly.
   */
  private firstFit(pod: SchedPod, candidates: Int32Array, len: number): number {
    const index = this.freeIndex;
    if (index === null || candidates !== this.snapshot.byIndex) {
      if (this.findFeasible(pod, candidates, len, 0, 1) === 0) return this.recordFail(Fail.Filter, pod, candidates, len);
      return this.feasible[0]!;
    }
    const requests = pod.requests;
    const dims = pod.requestedDims;
    const one = this.single;
    const c = pod.cache;
    const topology = this.nodes.topologyVersion;
    const epoch = this.snapshot.staticEpoch;
    // Nodes only fill up while nothing was freed or retainted: resume where the last search of
    // this template ended instead of re-walking the nodes that failed it.
    const from =
      this.activeExtraLen === 0 &&
      !this.overlay.active &&
      c.firstFitFreed === index.freedClock &&
      c.firstFitTopology === topology &&
      c.firstFitEpoch === epoch
        ? c.firstFitFrom
        : 0;
    let n = index.next(from, requests, dims);
    while (n >= 0) {
      one[0] = n;
      if (this.findFeasible(pod, one, 1, 0, 1) === 1) break;
      n = index.next(n + 1, requests, dims);
    }
    c.firstFitFrom = n >= 0 ? n : this.nodes.count;
    // A verdict reached with extra filters (other pods' placement) or nominated pods holding
    // room (they can go away without a node being freed) is not kept.
    c.firstFitFreed = this.activeExtraLen === 0 && !this.overlay.active ? index.freedClock : -1;
    c.firstFitTopology = topology;
    c.firstFitEpoch = epoch;
    return n >= 0 ? n : this.recordFail(Fail.Filter, pod, candidates, len);
  }

  /**
   * The feasible node fullest on its dominant resource after the placement, the lowest index on
   * a tie (policies/best-fit.ts). Over all nodes the best-fit index searches branch and bound
   * over the template's tree and runs the whole filter chain only on leaves that would improve it
   * (`acceptBestFit`); a PreFilterResult's short list, or fastPaths off, is scanned: every
   * feasible node's `dominantShareAfter`, the same numbers. The two agree (a contract test).
   */
  private bestFit(pod: SchedPod, candidates: Int32Array, len: number): number {
    const index = this.bestFitIndex;
    let n: number;
    if (index !== null && candidates === this.snapshot.byIndex) {
      this.bestFitPod = pod;
      n = index.fullest(pod, this.snapshot.staticEpoch, this.acceptBestFit);
      this.bestFitPod = null;
    } else {
      const found = this.findFeasible(pod, candidates, len, 0, len);
      let best = -Infinity;
      n = -1;
      for (let i = 0; i < found; i++) {
        const m = this.feasible[i]!;
        const fill = dominantShareAfter(this.nodes, pod, m, DEFAULT_RESOURCES);
        if (fill > best || (fill === best && m < n)) {
          best = fill;
          n = m;
        }
      }
    }
    return n >= 0 ? n : this.recordFail(Fail.Filter, pod, candidates, len);
  }

  /**
   * prioritize for a pod that the pod-topology plugins score (default spreading, preferred pod
   * affinity) under a policy whose other plugins FusedResourceScore covers: each feasible
   * node's resource total comes from the per-template memo (recomputed only when the node's
   * resources changed), then InterPodAffinity / PodTopologySpread score, normalise and add as
   * in `prioritize`. Integer totals, so the sums, the maximum and the ties are those of
   * `prioritize` (up to a constant), and selectHost makes the same draws.
   */
  private prioritizeWithMemo(pod: SchedPod, count: number): number {
    const fused = this.fused!;
    fused.prepare(pod);
    const feasible = this.feasible;
        const totals = this.totals;
    const resourceStamp = this.nodes.resourceStamp;
    const stamp = pod.cache.scoreStamp;
    const memo = pod.cache.scoreTotal;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      // A feasible node fits, so a memo entry at its current stamp is a total, never NO_FIT.
      if (stamp[n] === resourceStamp[n] && memo[n] !== NO_FIT) {
        totals[i] = memo[n]!;
      } else {
        const t = fused.total(pod, n);
        memo[n] = t;
        stamp[n] = resourceStamp[n]!;
        totals[i] = t;
      }
    }
    return this.addTopologyScores(pod, count);
  }

  /**
   * The second half of prioritizeWithMemo: totals[0..count) hold the resource totals of
   * feasible[0..count); InterPodAffinity / PodTopologySpread score, normalise and add, then
   * selectHost draws as upstream.
   */
  private addTopologyScores(pod: SchedPod, count: number): number {
    const feasible = this.feasible;
    const scores = this.scores;
    const totals = this.totals;
    const plugins = this.fused!.podTopologyPlugins;
    for (let p = 0; p < plugins.length; p++) {
      const { plugin, weight } = plugins[p]!;
      if (plugin.preScore(pod, feasible, count) === Status.Skip) continue;
      plugin.score(pod, feasible, count, scores);
      if (plugin.normalizeScore !== null) plugin.normalizeScore(scores, count);
      for (let i = 0; i < count; i++) totals[i]! += scores[i]! * weight;
    }
    return selectHost(totals, count, this.random);
  }

  /**
   * kube: prioritizeNodes + selectHost: Σ weight × (normalised) score per feasible node, then
   * the top total with a uniform random tie-break. Returns an index into `feasible`.
   */
  private prioritize(pod: SchedPod, count: number): number {
    const plugins = this.policy.scorePlugins;
    const feasible = this.feasible;
    const scores = this.scores;
    const totals = this.totals;
    // kube: "If no priority configs are provided, then all nodes will have a score of one."
    totals.fill(plugins.length === 0 ? 1 : 0, 0, count);
    for (let p = 0; p < plugins.length; p++) {
      const { plugin, weight } = plugins[p]!;
      if (plugin.preScore(pod, feasible, count) === Status.Skip) continue;
      plugin.score(pod, feasible, count, scores);
      if (plugin.normalizeScore !== null) plugin.normalizeScore(scores, count);
      for (let i = 0; i < count; i++) totals[i]! += scores[i]! * weight;
    }
    return selectHost(totals, count, this.random);
  }

  // -------------------------------------------------------------------------------------------
  // Filters

  /**
   * Examines candidates[start], candidates[start + 1], ... (wrapping) until `k` nodes pass every
   * filter or all `len` were examined; writes the passing ones to `feasible` and returns how
   * many, leaving the number examined in `processed`.
   *
   * NOTE: the built-in filters are fused and inlined here for speed, reading the pod's static
   * cache; this must agree with running `filters` in order (firstFailingFilter), which the
   * contract test in test/scheduler/filters.test.ts checks on random clusters.
   */
  private findFeasible(pod: SchedPod, candidates: Int32Array, len: number, start: number, k: number): number {
    const { R, exists, dynTaints, podCount, maxPods, allocatable, requested } = this.nodes;
    const staticFail = pod.cache.staticFail;
    const intolerableDyn = ~pod.toleratedDynTaints;
    const requests = pod.requests;
    const dims = pod.requestedDims;
    const numDims = dims.length;
    const extra = this.activeExtra;
    const numExtra = this.activeExtraLen;
    const feasible = this.feasible;
    const gpu = pod.gpuCount > 0 ? this.gpu : null;
    const gpuFail = pod.gpuCount > 0 && gpu === null;
    const overlayOn = this.overlay.active;
    const ovPods = this.overlay.pods;
    const ovReq = this.overlay.req;
    let found = 0;
    let processed = 0;
    let i = start;
    while (processed < len && found < k) {
      const n = candidates[i]!;
      if (++i === len) i = 0;
      processed++;
      // Guard for a node removed without a topologyVersion bump (then the snapshot is stale).
      if (exists[n] === 0) continue;
      // NodeName, static taints, NodeAffinity.
      if (staticFail[n] !== 0) continue;
      // NodeUnschedulable and the dynamic taints of TaintToleration.
      if ((dynTaints[n]! & intolerableDyn) !== 0) continue;
      // NodeResourcesFit.
      if (podCount[n]! + 1 > maxPods[n]!) continue;
      const base = n * R;
      let fits = true;
      for (let d = 0; d < numDims; d++) {
        const r = dims[d]!;
        if (requests[r]! > allocatable[base + r]! - requested[base + r]!) {
          fits = false;
          break;
        }
      }
      // kube: RunFilterPluginsWithNominatedPods, first pass: the nominated pods that count.
      if (fits && overlayOn && ovPods[n]! > 0) {
        if (podCount[n]! + ovPods[n]! + 1 > maxPods[n]!) continue;
        for (let d = 0; d < numDims; d++) {
          const r = dims[d]!;
          if (requests[r]! > allocatable[base + r]! - (requested[base + r]! + ovReq[base + r]!)) {
            fits = false;
            break;
          }
        }
      }
      // GpuShareFit.
      if (gpu !== null && fits) fits = gpu.modelFits(pod, n) && gpu.canHost(n, pod.gpuCount, pod.gpuMilli);
      if (gpuFail) fits = false;
      for (let e = 0; fits && e < numExtra; e++) fits = extra[e]!.filter(pod, n) === 0;
      // kube: RunFilterPluginsWithNominatedPods, the extra filters' pass with the nominated pods.
      if (fits && numExtra > 0 && overlayOn && ovPods[n]! > 0) {
        fits = this.withPods.nominatedPass(pod, this.cycleSelf, n, extra, numExtra, this.nominator!) === 0;
      }
      if (fits) feasible[found++] = n;
    }
    this.processed = processed;
    return found;
  }

  /**
   * findFeasible fused with FusedResourceScore's prioritizeNodes + selectHost: the same filter
   * loop (keep the two in step; test/scheduler/fused-score.test.ts compares the results and
   * the draws with the plugin-by-plugin path), except that the resource-fit verdict is read
   * from the per-template memo with the node's total; each passing node's total is compared
   * with the best so far. Leaves the chosen node in `chosen` (kube:
   * selectHost's reservoir sampling over the tied nodes, in feasible order, (ties - 1) draws).
   */
  private findFeasibleScored(pod: SchedPod, candidates: Int32Array, len: number, start: number, k: number): number {
    const { R, exists, dynTaints, podCount, maxPods, allocatable, requested, resourceStamp } = this.nodes;
    const fused = this.fused!;
    const staticFail = pod.cache.staticFail;
    const stamp = pod.cache.scoreStamp;
    const memo = pod.cache.scoreTotal;
    const intolerableDyn = ~pod.toleratedDynTaints;
    const requests = pod.requests;
    const dims = pod.requestedDims;
    const numDims = dims.length;
    const extra = this.activeExtra;
    const numExtra = this.activeExtraLen;
    const ties = this.ties;
    let best = -Infinity;
    let tied = 0;
    let found = 0;
    let processed = 0;
    let i = start;
    while (processed < len && found < k) {
      const n = candidates[i]!;
      if (++i === len) i = 0;
      processed++;
      if (exists[n] === 0) continue;
      if (staticFail[n] !== 0) continue;
      if ((dynTaints[n]! & intolerableDyn) !== 0) continue;
      if (podCount[n]! + 1 > maxPods[n]!) continue;
      // The memo holds the node's total, or NO_FIT when the requests do not fit its free
      // resources: both read only what resourceStamp guards.
      let total: number;
      if (stamp[n] === resourceStamp[n]) {
        total = memo[n]!;
      } else {
        const base = n * R;
        total = fused.total(pod, n);
        for (let d = 0; d < numDims; d++) {
          const r = dims[d]!;
          if (requests[r]! > allocatable[base + r]! - requested[base + r]!) {
            total = NO_FIT;
            break;
          }
        }
        memo[n] = total;
        stamp[n] = resourceStamp[n]!;
      }
      if (total === NO_FIT) continue;
      let fits = true;
      for (let e = 0; fits && e < numExtra; e++) fits = extra[e]!.filter(pod, n) === 0;
      if (!fits) continue;
      found++;
      if (total > best) {
        best = total;
        tied = 0;
        ties[tied++] = n;
      } else if (total === best) {
        ties[tied++] = n;
      }
    }
    this.processed = processed;
    if (found !== 0) this.chosen = pickTied(ties, tied, this.random);
    return found;
  }

  /**
   * findFeasibleScored over the snapshot order, reading the per-template totals in okOrder's
   * positions (StaticCache.okTotal) instead of visiting each node's arrays: the nodes the
   * static filters reject are not there, and a node failing a dynamic filter holds NO_FIT, so
   * the pass is one sequential read per examined node. The same feasible nodes in the same
   * order, the same ties and the same draws as findFeasibleScored; `processed` is translated
   * back to the snapshot order as findFeasibleStaticOk does. Valid after fused.prepare(pod).
   */
  private findFeasibleOkTotals(pod: SchedPod, len: number, start: number, k: number): number {
    const c = pod.cache;
    const m = c.okLen;
    if (m === 0) {
      this.processed = len;
      return 0;
    }
    this.syncOkTotals(pod);
    const totals = c.okTotal;
    const okOrder = c.okOrder;
    const extra = this.activeExtra;
    const numExtra = this.activeExtraLen;
    const ties = this.ties;
    const j0 = c.okRank[start]! % m;
    let best = -Infinity;
    let tied = 0;
    let found = 0;
    let processed = 0;
    let j = j0;
    // In blocks of positions, each freed of stale totals first, so the loop itself never calls out.
    while (processed < m && found < k) {
      const end = Math.min(m, j + OK_BLOCK, j + (m - processed));
      if (c.okStale !== 0) this.refreshOkTotals(pod, j, end);
      for (; j < end && found < k; j++) {
        const total = totals[j]!;
        processed++;
        if (total === NO_FIT) continue;
        if (numExtra !== 0) {
          const n = okOrder[j]!;
          let fits = true;
          for (let e = 0; fits && e < numExtra; e++) fits = extra[e]!.filter(pod, n) === 0;
          if (!fits) continue;
        }
        found++;
        if (total > best) {
          best = total;
          tied = 0;
          ties[tied++] = j;
        } else if (total === best) {
          ties[tied++] = j;
        }
      }
      if (j === m) j = 0;
    }
    if (found !== 0) this.chosen = okOrder[pickTied(ties, tied, this.random)]!;
    this.processed = okProcessed(c, j0, processed, found < k, start, len);
    return found;
  }

  /**
   * findFeasible over the snapshot order from the per-template totals, as findFeasibleOkTotals
   * examines nodes, for a pod whose score adds pod-topology plugins: feasible[0..found) are the
   * feasible nodes in examination order (those findFeasible would find) and totals[i] the
   * resource total of feasible[i], for addTopologyScores. Valid after fused.prepare(pod).
   * NOTE: the same walk as findFeasibleOkTotals, kept apart for speed: one loop with a "collect"
   * flag ran the scheduler benchmark about 10% slower.
   */
  private collectFeasibleOkTotals(pod: SchedPod, len: number, start: number, k: number): number {
    const c = pod.cache;
    const m = c.okLen;
    if (m === 0) {
      this.processed = len;
      return 0;
    }
    this.syncOkTotals(pod);
    const okTotals = c.okTotal;
    const okOrder = c.okOrder;
    const extra = this.activeExtra;
    const numExtra = this.activeExtraLen;
    const feasible = this.feasible;
    const totals = this.totals;
    const j0 = c.okRank[start]! % m;
    let found = 0;
    let processed = 0;
    let j = j0;
    while (processed < m && found < k) {
      const end = Math.min(m, j + OK_BLOCK, j + (m - processed));
      if (c.okStale !== 0) this.refreshOkTotals(pod, j, end);
      for (; j < end && found < k; j++) {
        const total = okTotals[j]!;
        processed++;
        if (total === NO_FIT) continue;
        const n = okOrder[j]!;
        let fits = true;
        for (let e = 0; fits && e < numExtra; e++) fits = extra[e]!.filter(pod, n) === 0;
        if (!fits) continue;
        feasible[found] = n;
        totals[found++] = total;
      }
      if (j === m) j = 0;
    }
    this.processed = okProcessed(c, j0, processed, found < k, start, len);
    return found;
  }

  /**
   * Brings StaticCache.okTotal up to NodeTable.changeSeq: marks stale (NaN) the positions of
   * the nodes changed since okSeq, or every position after a new okOrder or when the journal no
   * longer reaches back that far. A stale total is recomputed when a search reaches it, so a
   * template pays only for the changed nodes it examines. O(changes) per cycle.
   */
  private syncOkTotals(pod: SchedPod): void {
    const c = pod.cache;
    const nodes = this.nodes;
    const m = c.okLen;
    const seq = nodes.changeSeq;
    if (c.okSeq >= 0 && seq - c.okSeq <= CHANGE_LOG_SIZE) {
      const log = nodes.changeLog;
      // A few changes (templates taking turns) are recomputed at once, keeping the search loop
      // free of stale entries; many (a template that waited) only marked.
      const eager = seq - c.okSeq <= EAGER_REPLAY;
      for (let s = c.okSeq; s < seq; s++) {
        const n = log[s & (CHANGE_LOG_SIZE - 1)]!;
        const j = n < c.okIndex.length ? c.okIndex[n]! : -1;
        if (j < 0) continue;
        const before = c.okTotal[j]!;
        if (eager) {
          c.okTotal[j] = this.okTotalOf(pod, n);
          if (before !== before) c.okStale--;
        } else if (before === before) {
          c.okTotal[j] = NaN;
          c.okStale++;
        }
      }
    } else {
      if (c.okTotal.length < m || c.okIndex.length < nodes.count) {
        c.okTotal = replicationArray(Float64Array, Math.max(16, c.okOrder.length));
        c.okIndex = replicationArray(Int32Array, Math.max(16, nodes.count, c.staticFail.length));
      }
      c.okIndex.fill(-1);
      for (let j = 0; j < m; j++) c.okIndex[c.okOrder[j]!] = j;
      c.okTotal.fill(NaN, 0, m);
      c.okStale = m;
    }
    c.okSeq = seq;
  }

  /** Recomputes the stale okTotal entries at positions [from, to) (a search is about to read them). */
  private refreshOkTotals(pod: SchedPod, from: number, to: number): void {
    const c = pod.cache;
    const totals = c.okTotal;
    for (let j = from; j < to; j++) {
      if (totals[j] === totals[j]) continue; // not NaN: current
      totals[j] = this.okTotalOf(pod, c.okOrder[j]!);
      c.okStale--;
    }
  }

  /** Node n's weighted total for the pod, or NO_FIT when a dynamic filter rejects it. */
  private okTotalOf(pod: SchedPod, n: number): number {
    if (!passesDynamicFilters(this.nodes, pod, n)) return NO_FIT;
    return this.fused!.total(pod, n);
  }

  /**
   * findFeasible over the snapshot order without visiting the nodes the static filters reject
   * (StaticCache.okOrder): the same feasible nodes in the same order, and `processed` set to
   * what the plain scan would have examined: up to and including the k-th feasible node's
   * position, or every node when fewer than k are found.
   */
  private findFeasibleStaticOk(pod: SchedPod, len: number, start: number, k: number, scored: boolean): number {
    const c = pod.cache;
    const m = c.okLen;
    if (m === 0) {
      this.processed = len;
      return 0;
    }
    const j0 = c.okRank[start]! % m;
    const found = scored ? this.findFeasibleScored(pod, c.okOrder, m, j0, k) : this.findFeasible(pod, c.okOrder, m, j0, k);
    this.processed = okProcessed(c, j0, this.processed, found < k, start, len);
    return found;
  }

  /**
   * The generic filter chain (kube: RunFilterPlugins, which stops at the first failure):
   * index into `filters` of the first plugin rejecting node n, or -1. Uncached, no allocation.
   */
  private firstFailingFilter(pod: SchedPod, n: number): number {
    for (let f = 0; f < this.builtinFilterCount; f++) {
      const code = this.filters[f]!.filter(pod, n);
      if (code !== 0) {
        this.lastFailCode = code;
        return f;
      }
    }
    for (let i = 0; i < this.activeExtraLen; i++) {
      const plugin = this.activeExtra[i]!;
      const code = plugin.filter(pod, n);
      if (code !== 0) {
        this.lastFailCode = code;
        return this.filters.indexOf(plugin);
      }
    }
    // kube: RunFilterPluginsWithNominatedPods, the extra filters' pass with the nominated pods.
    if (this.activeExtraLen > 0 && this.nominator !== null && this.overlay.active && this.overlay.pods[n]! > 0) {
      const failure = this.withPods.nominatedPass(pod, this.cycleSelf, n, this.activeExtra, this.activeExtraLen, this.nominator);
      if (failure !== 0) {
        this.lastFailCode = failure & 0xff;
        return (failure >> 8) - 1;
      }
    }
    return -1;
  }

  /** kube: RunPreFilterPlugins for the extra filters: those returning Skip sit this cycle out. */
  private runPreFilters(pod: SchedPod): void {
    let len = 0;
    for (let i = 0; i < this.extraFilters.length; i++) {
      const plugin = this.extraFilters[i]!;
      if (plugin.preFilter === undefined || plugin.preFilter(pod) !== Status.Skip) this.activeExtra[len++] = plugin;
    }
    this.activeExtraLen = len;
  }

  private recordFail(kind: Fail, pod: SchedPod, candidates: Int32Array, len: number): number {
    this.fail = kind;
    this.failPod = pod;
    this.failCandidates = candidates;
    this.failCandidatesLen = len;
    this.failNumAllNodes = this.snapshot.numAllNodes;
    return -1;
  }

  // -------------------------------------------------------------------------------------------
  // Snapshot and caches

  /** kube: Cache.UpdateSnapshot, plus growing the scratch arrays with the node count. */
  private syncSnapshot(): void {
    this.snapshot.sync();
    this.gpu?.sync();
    const count = this.nodes.count;
    if (this.feasible.length < count) {
      const cap = Math.max(16, count, this.feasible.length * 2);
      this.feasible = replicationArray(Int32Array, cap);
      this.scores = replicationArray(Float64Array, cap);
      this.totals = replicationArray(Float64Array, cap);
      this.ties = replicationArray(Int32Array, cap);
    }
  }

  /**
   * Recomputes the pod's static per-node results if a node's static facts changed since: NodeName,
   * static taints and NodeAffinity verdicts, the untolerated PreferNoSchedule count and the
   * preferred-affinity sum. O(nodes × (taints + selector terms)).
   */
  private syncStatic(pod: SchedPod): void {
    const nodes = this.nodes;
    const c = pod.cache;
    if (c.owner === this.snapshot && c.epoch === this.snapshot.staticEpoch) return;
    if (c.staticFail.length < nodes.count) {
      const cap = Math.max(16, nodes.count, c.staticFail.length * 2);
      c.staticFail = replicationArray(Uint8Array, cap);
      c.softTaints = replicationArray(Int32Array, cap);
      c.affinityScore = replicationArray(Int32Array, cap);
      c.inclusion = replicationArray(Uint8Array, cap);
    }
    const scorePreferred = pod.preferredTerms.length > 0;
    let anySoftTaint = false;
    for (let n = 0; n < nodes.count; n++) {
      const name = nodes.names[n]!;
      const labels = nodes.labels[n]!;
      const taints = nodes.staticTaints[n]!;
      const taintFail = taints.length !== 0 && firstUntoleratedHardTaint(taints, pod.tolerations) >= 0;
      const affinityFail = !requiredNodeAffinityMatches(pod, name, labels);
      c.staticFail[n] = !nodeNameFits(pod, name) || taintFail || affinityFail ? 1 : 0;
      c.inclusion[n] = (affinityFail ? INCLUSION_AFFINITY : 0) | (taintFail ? INCLUSION_TAINTS : 0);
      c.softTaints[n] =
        taints.length !== 0 ? countIntolerableTaintsPreferNoSchedule(taints, pod.tolerationsPreferNoSchedule) : 0;
      if (c.softTaints[n] !== 0) anySoftTaint = true;
      c.affinityScore[n] = scorePreferred ? preferredNodeAffinityScore(pod, name, labels) : 0;
    }
    c.anySoftTaint = anySoftTaint;
    const { order, numAllNodes } = this.snapshot;
    if (c.okRank.length < numAllNodes + 1) {
      const cap = Math.max(16, numAllNodes + 1, c.okRank.length * 2);
      c.okOrder = replicationArray(Int32Array, cap);
      c.okPos = replicationArray(Int32Array, cap);
      c.okRank = replicationArray(Int32Array, cap);
    }
    let ok = 0;
    for (let p = 0; p < numAllNodes; p++) {
      c.okRank[p] = ok;
      const n = order[p]!;
      if (c.staticFail[n] !== 0) continue;
      c.okOrder[ok] = n;
      c.okPos[ok++] = p;
    }
    c.okRank[numAllNodes] = ok;
    c.okLen = ok;
    c.epoch = this.snapshot.staticEpoch;
    c.owner = this.snapshot;
    c.pinnedEpoch = -1;
    c.okSeq = -1;
  }

  /** Resolves the pod's PreFilterResult names to existing node indices, ascending. */
  private syncPinned(pod: SchedPod): void {
    const c = pod.cache;
    if (c.pinnedEpoch === this.snapshot.staticEpoch) return; // owner already checked by syncStatic
    const indices: number[] = [];
    for (const name of pod.preFilterNodeNames!) {
      const n = this.snapshot.nameToIndex.get(name);
      if (n !== undefined) indices.push(n);
    }
    indices.sort((a, b) => a - b);
    c.pinned = Int32Array.from(indices);
    c.pinnedLen = indices.length;
    c.pinnedEpoch = this.snapshot.staticEpoch;
  }
}
