// A pod template resolved once for scheduling. Every pod of a workload shares one SchedPod.
//
// Holds what kube-scheduler's PreFilter computes per cycle but which, for a fixed template,
// never changes (request vector, toleration bits, NodeAffinity's PreFilterResult), plus the
// per-node static cache the Scheduler fills lazily (see `StaticCache`).

import type { NodeSelectorTerm, PodTemplate, PreferredSchedulingTerm, Toleration } from '../../scenario/model.js';
import { isEmptyNodeSelectorTerm } from '../cluster/selectors.js';
import { withDefaultTolerations } from '../cluster/tolerations.js';
import { nodeAffinityPreFilter } from './plugins/node-affinity.js';
import { preferNoScheduleTolerations, toleratedDynamicTaints } from './plugins/taint-toleration.js';
import { replicationArray } from '../typed-arrays.js';

export type PodKind = 'pod' | 'daemonset';

const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);

export class SchedPod {
  readonly template: PodTemplate;
  readonly kind: PodKind;
  /** The workload as `KIND/NAME`, for messages ('' when built outside a scenario). */
  readonly name: string;

  /** kube: PodRequests (actual requests) per resource dimension of the NodeTable. */
  readonly requests: Float64Array;
  /** Dimensions with a request > 0: the only ones fitsRequest checks. */
  readonly requestedDims: Int32Array;
  /** Requests with the scheduler's non-zero defaults (100m / 200Mi), for LeastAllocated etc. */
  readonly nonZeroCpuMilli: number;
  readonly nonZeroMemoryBytes: number;

  /** GPU devices needed (0 = none) and milli-GPU on each (1000 = whole); see GpuRequest. */
  readonly gpuCount: number;
  readonly gpuMilli: number;
  /** One device, part of it (openb "GPU-sharing" pod). */
  readonly gpuShared: boolean;
  /** openb GPU affinity class: 0 shared, k = k whole GPUs; -1 = no GPU. */
  readonly gpuClass: number;
  /** Allowed GPU models; empty = any. */
  readonly gpuModels: readonly string[];
  /** GPUs a shared request holds (milli / 1000), for gpu_alloc_mean; 0 otherwise (whole GPUs are in `requests`). */
  readonly gpuShareUnits: number;

  /** Effective tolerations: the template's plus admission / DaemonSet defaults. */
  readonly tolerations: Toleration[];
  /** kube: TaintToleration getAllTolerationPreferNoSchedule (effect '' or PreferNoSchedule). */
  readonly tolerationsPreferNoSchedule: Toleration[];
  /** DynamicTaint bits (node-table.ts) this pod tolerates. */
  readonly toleratedDynTaints: number;

  /** spec.nodeName, null when empty. */
  readonly nodeName: string | null;
  readonly nodeSelector: Record<string, string>;
  readonly hasNodeSelector: boolean;
  /**
   * Required node affinity terms (ORed); null = none. Always null for DaemonSet pods: the
   * controller replaces them with a metadata.name pin per node (kube:
   * ReplaceDaemonSetPodNodeNameNodeAffinity), which `Scheduler.scheduleOn` applies.
   */
  readonly requiredTerms: readonly NodeSelectorTerm[] | null;
  /** Preferred terms that can score (kube: NewPreferredSchedulingTerms drops weight 0 and empty terms). */
  readonly preferredTerms: readonly PreferredSchedulingTerm[];
  /** kube: NodeAffinity PreFilterResult: node names from matchFields metadata.name In; null = all nodes. */
  readonly preFilterNodeNames: readonly string[] | null;
  /** kube: NodeAffinity PreFilter "pod affinity terms conflict" (every term pins disjoint names). */
  readonly preFilterConflict: boolean;

  /** Index of the template in the scheduler's PodTopology (InterPodAffinity, PodTopologySpread); -1 = none. */
  readonly topologyId: number;

  /** Per-node static results, owned and refreshed by the Scheduler. */
  readonly cache = new StaticCache();

  constructor(template: PodTemplate, kind: PodKind, resourceDims: number, name = '', topologyId = -1) {
    this.template = template;
    this.kind = kind;
    this.name = name;
    this.topologyId = topologyId;

    this.requests = replicationArray(Float64Array, resourceDims);
    const dims: number[] = [];
    for (let r = 0; r < resourceDims; r++) {
      const q = template.requests[r] ?? 0;
      this.requests[r] = q;
      if (q > 0) dims.push(r);
    }
    this.requestedDims = Int32Array.from(dims);
    this.nonZeroCpuMilli = template.nonZeroCpuMilli;
    const gpu = template.gpu ?? null;
    this.gpuCount = gpu === null ? 0 : gpu.count;
    this.gpuMilli = gpu === null ? 0 : gpu.milliPerGpu;
    this.gpuShared = this.gpuCount === 1 && this.gpuMilli < 1000;
    this.gpuClass = this.gpuCount === 0 ? -1 : this.gpuShared ? 0 : this.gpuCount;
    this.gpuModels = gpu === null ? [] : gpu.models;
    this.gpuShareUnits = this.gpuShared ? this.gpuMilli / 1000 : 0;
    this.nonZeroMemoryBytes = template.nonZeroMemoryBytes;

    this.tolerations = withDefaultTolerations(template.tolerations, kind);
    this.tolerationsPreferNoSchedule = preferNoScheduleTolerations(this.tolerations);
    this.toleratedDynTaints = toleratedDynamicTaints(this.tolerations);

    this.nodeName = template.nodeName === null || template.nodeName === '' ? null : template.nodeName;
    this.nodeSelector = template.nodeSelector;
    this.hasNodeSelector = Object.keys(template.nodeSelector).length > 0;
    this.requiredTerms = kind === 'daemonset' ? null : template.requiredNodeAffinity;
    this.preferredTerms = template.preferredNodeAffinity.filter(
      (t) => t.weight !== 0 && !isEmptyNodeSelectorTerm(t.preference),
    );
    const pre = nodeAffinityPreFilter(this.requiredTerms);
    this.preFilterNodeNames = pre.nodeNames;
    this.preFilterConflict = pre.conflict;
  }
}

/**
 * Results that depend only on the pod template and on the nodes' static facts (name, labels,
 * static taints), so they are computed once per node and reused by every cycle until the
 * scheduler snapshot's `staticEpoch` changes (a node added, removed, relabelled or retainted).
 */
export const INCLUSION_AFFINITY = 1;
export const INCLUSION_TAINTS = 2;

export class StaticCache {
  /** The scheduler snapshot (and its staticEpoch) the arrays were computed for. */
  owner: object | null = null;
  epoch = -1;
  /** 0: passes NodeName, static taints and NodeAffinity; 1: fails one of them. */
  staticFail: Uint8Array = replicationArray(Uint8Array, 0);
  /** TaintToleration score input: untolerated PreferNoSchedule static taints. */
  softTaints: Int32Array = EMPTY_I32;
  /** Whether any node has softTaints > 0 (if not, TaintToleration scores 100 everywhere). */
  anySoftTaint = false;
  /** NodeAffinity score input: Σ weights of matching preferred terms. */
  affinityScore: Int32Array = EMPTY_I32;
  /**
   * PodTopologySpread node inclusion (kube: matchNodeInclusionPolicies): INCLUSION_AFFINITY set
   * when the node fails the pod's nodeSelector / required node affinity, INCLUSION_TAINTS when it
   * has a static NoSchedule / NoExecute taint the pod does not tolerate.
   */
  inclusion: Uint8Array = replicationArray(Uint8Array, 0);

  /**
   * first-fit: every node below `firstFitFrom` failed a filter at the last search, which stays
   * true while the free-capacity index's freedClock, the NodeTable's topologyVersion and the
   * snapshot's staticEpoch recorded with it are unchanged (and no extra filter runs).
   */
  firstFitFrom = 0;
  firstFitFreed = -1;
  firstFitTopology = -1;
  firstFitEpoch = -1;

  /**
   * The snapshot order (Snapshot.order) narrowed to the nodes passing the static filters:
   * okOrder[0..okLen) are those nodes, okPos[j] the position of okOrder[j] in the snapshot
   * order, okRank[p] the number of them at positions < p (p in 0..numAllNodes).
   */
  okOrder: Int32Array = EMPTY_I32;
  okPos: Int32Array = EMPTY_I32;
  okRank: Int32Array = EMPTY_I32;
  okLen = 0;

  /**
   * FusedResourceScore's memo of each node's total (LeastAllocated + BalancedAllocation for
   * this pod), valid while scoreStamp[n] equals NodeTable.resourceStamp[n].
   */
  scoreStamp: Float64Array = EMPTY_F64;
  scoreTotal: Float64Array = EMPTY_F64;

  /**
   * The same totals in okOrder's positions, for the sampled search over the snapshot:
   * okTotal[j] is node okOrder[j]'s total, or -Infinity when the node fails a dynamic filter
   * (an untolerated dynamic taint, no pod slot, resources that do not fit), or NaN when stale
   * (recomputed when a search reaches it). Current up to
   * NodeTable.changeSeq = okSeq: later changes are replayed from NodeTable.changeLog (-1 =
   * rebuild; syncStatic sets it with every new okOrder). okIndex[n] is node n's position in
   * okOrder, -1 when it is not there.
   */
  okTotal: Float64Array = EMPTY_F64;
  okIndex: Int32Array = EMPTY_I32;
  okSeq = -1;
  /** How many okTotal entries are stale (NaN). */
  okStale = 0;

  /** NodeAffinity PreFilterResult resolved to node indices (ascending), when the pod has one. */
  pinned: Int32Array = EMPTY_I32;
  pinnedLen = 0;
  /** Snapshot.staticEpoch `pinned` was resolved in; -1 = never. */
  pinnedEpoch = -1;
}
