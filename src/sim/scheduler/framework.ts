// The scheduling framework's extension points, shaped like kube-scheduler's
// (pkg/scheduler/framework/interface.go), trimmed to what a simulator needs.
//
// Differences from upstream, all for the hot path:
// - Nodes are indices into the NodeTable, never objects.
// - Expected outcomes are numbers, not thrown errors and not Status objects: a filter returns
//   0 for Success or a plugin-defined non-zero reason code; the human-readable reasons are
//   produced only when a FitError message is asked for (`FilterPlugin.reasons`).
// - Score plugins score the whole feasible list in one call (upstream calls Score per node):
//   one virtual call per plugin per cycle, and the per-node loop inside is monomorphic.
// - PreFilter work that depends only on the pod template (NodeAffinity's PreFilterResult,
//   NodeResourcesFit's request vector) is done once by `Scheduler.compile`; per-cycle
//   PreFilter is for plugins whose state depends on the cluster (InterPodAffinity,
//   PodTopologySpread).

import type { GpuTable } from '../cluster/gpu-table.js';
import type { NodeTable } from '../cluster/node-table.js';
import type { SchedPod } from './sched-pod.js';
import type { PodTopology } from './topology/pod-topology.js';
import type { SlotDelta } from './topology/slot-delta.js';

/** kube: framework.MaxNodeScore. Every score plugin's normalised output is in [0, MAX_NODE_SCORE]. */
export const MAX_NODE_SCORE = 100;

/** Outcome of PreFilter / PreScore (kube: fwk.Code, the subset used here). */
export const Status = {
  Success: 0,
  /** The plugin has nothing to do for this pod: its Filter / Score is not run this cycle. */
  Skip: 1,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** kube: FilterPlugin (+ optional PreFilterPlugin). */
export interface FilterPlugin {
  readonly name: string;
  /** Once per cycle before any Filter. Skip: the plugin's Filter is not run this cycle. */
  preFilter?(pod: SchedPod): Status;
  /** 0 if node `n` passes, otherwise a plugin-defined non-zero reason code. Must not allocate. */
  filter(pod: SchedPod, n: number): number;
  /** Upstream's Status.Reasons() for a code returned by `filter` on node `n` (cold path). */
  reasons(pod: SchedPod, n: number, code: number): string[];
  /**
   * kube: the Filter status's code: true when failing with `code` is Unschedulable (removing
   * pods may help, so preemption considers the node), false for UnschedulableAndUnresolvable.
   * Absent: every failure is unresolvable.
   */
  resolvable?(code: number): boolean;
  /**
   * kube: Filter after the plugin's PreFilterExtensions AddPod / RemovePod updated its cycle
   * state: node n with the pods in `delta` added or removed (preemption's dry run,
   * RunFilterPluginsWithNominatedPods). Valid after a non-Skip preFilter. Absent: the plugin's
   * verdict does not depend on the pods on the node. Must not allocate.
   */
  filterWithDelta?(pod: SchedPod, n: number, delta: SlotDelta): number;
}

/** kube: PreScorePlugin + ScorePlugin + ScoreExtensions.NormalizeScore, batched over the feasible list. */
export interface ScorePlugin {
  readonly name: string;
  /** Once per cycle, given the feasible nodes. Skip: the plugin contributes 0 to every node. */
  preScore(pod: SchedPod, feasible: Int32Array, count: number): Status;
  /** out[i] = raw score of node feasible[i], for i < count. Must not allocate. */
  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void;
  /** Maps raw scores into [0, MAX_NODE_SCORE] in place; null when scores already are. */
  readonly normalizeScore: ((scores: Float64Array, count: number) => void) | null;
}

export interface WeightedScorePlugin {
  readonly plugin: ScorePlugin;
  /** kube: the plugin's weight in the profile; total = Σ weight × normalised score. */
  readonly weight: number;
}

/**
 * How the feasible set is searched:
 * - `sampled`: kube's findNodesThatPassFilters: start at a rotating index in the snapshot,
 *   stop after numFeasibleNodesToFind feasible nodes, then score them.
 * - `first-fit`: the lowest node index that passes the filters; no scoring, no sampling.
 * - `best-fit`: over every node, the one that passes the filters and is fullest on its dominant
 *   resource after the placement (plugins/best-fit.ts `dominantShareAfter`), the lowest index
 *   on a tie; no sampling, no randomness.
 */
export type SearchMode = 'sampled' | 'first-fit' | 'best-fit';

/** A scheduling policy: which nodes are searched and how feasible ones are scored. */
export interface Policy {
  readonly name: string;
  readonly search: SearchMode;
  /** Empty: every feasible node scores 1 and the tie-break picks uniformly (kube: prioritizeNodes). */
  readonly scorePlugins: readonly WeightedScorePlugin[];
  /**
   * The device a shared-GPU pod takes on the node chosen (openb: the plugin's allocateGpuIdFunc);
   * absent: best fit (GpuTable.bestFitDevice). Called at bind, with the pod known to fit.
   */
  readonly gpuDevice?: (pod: SchedPod, n: number) => number;
}

/**
 * One shape of the workload the cluster is expected to run, with its share of the pods
 * (openb: simontype.TargetPod, the "typical pods" FGD measures fragmentation against).
 */
export interface TargetPod {
  readonly cpuMilli: number;
  readonly gpuCount: number;
  /** Per GPU; 0 for a CPU-only pod. */
  readonly gpuMilli: number;
  readonly gpuModels: readonly string[];
  /** Share of all pods, in [0, 1]. */
  readonly weight: number;
}

/** What a policy factory may use to build its plugins. */
export interface PolicyContext {
  readonly nodes: NodeTable;
  /** Resource dimension names (Scenario.resourceNames). */
  readonly resourceNames: readonly string[];
  /** GPU devices per node; null without an `nvidia.com/gpu` resource. */
  readonly gpu: GpuTable | null;
  /** The expected pod mix (fgd); null = unknown. */
  readonly targetPods: readonly TargetPod[] | null;
  /** For InterPodAffinity and PodTopologySpread scoring; null: they Skip. */
  readonly podTopology: PodTopology | null;
}

export type PolicyFactory = (ctx: PolicyContext) => Policy;
