// kube: pkg/scheduler/framework/plugins/tainttoleration (Filter, PreScore, Score, NormalizeScore).
//
// A node's taints are its static taints (NodeTable.staticTaints, from the scenario) followed
// by the controller-managed taints kept as DynamicTaint bits. The pod's verdict on the bits is
// precomputed once (`SchedPod.toleratedDynTaints`), so the hot filter is one AND.

import type { Taint, Toleration } from '../../../scenario/model.js';
import {
  DynamicTaint,
  TAINT_KEY_NOT_READY,
  TAINT_KEY_UNREACHABLE,
  TAINT_KEY_UNSCHEDULABLE,
  type NodeTable,
} from '../../cluster/node-table.js';
import { tolerationsTolerate } from '../../cluster/tolerations.js';
import { MAX_NODE_SCORE, Status, type FilterPlugin, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { defaultNormalizeScore } from './normalize-score.js';

/** The taint each DynamicTaint bit stands for (value is always ''), in the node's taint order. */
export const DYNAMIC_TAINT_BITS: readonly { bit: number; taint: Taint }[] = [
  { bit: DynamicTaint.Unschedulable, taint: { key: TAINT_KEY_UNSCHEDULABLE, value: '', effect: 'NoSchedule' } },
  { bit: DynamicTaint.UnreachableNoSchedule, taint: { key: TAINT_KEY_UNREACHABLE, value: '', effect: 'NoSchedule' } },
  { bit: DynamicTaint.UnreachableNoExecute, taint: { key: TAINT_KEY_UNREACHABLE, value: '', effect: 'NoExecute' } },
  { bit: DynamicTaint.NotReadyNoSchedule, taint: { key: TAINT_KEY_NOT_READY, value: '', effect: 'NoSchedule' } },
  { bit: DynamicTaint.NotReadyNoExecute, taint: { key: TAINT_KEY_NOT_READY, value: '', effect: 'NoExecute' } },
];

/** The DynamicTaint bits whose taint the tolerations tolerate (all of them are NoSchedule / NoExecute). */
export function toleratedDynamicTaints(tolerations: readonly Toleration[]): number {
  let bits = 0;
  for (const { bit, taint } of DYNAMIC_TAINT_BITS) {
    if (tolerationsTolerate(tolerations, taint.key, taint.value, taint.effect)) bits |= bit;
  }
  return bits;
}

/** kube: tainttoleration getAllTolerationPreferNoSchedule: effect '' (all) or PreferNoSchedule. */
export function preferNoScheduleTolerations(tolerations: readonly Toleration[]): Toleration[] {
  return tolerations.filter((t) => t.effect === '' || t.effect === 'PreferNoSchedule');
}

/**
 * kube: v1helper.FindMatchingUntoleratedTaint with helper.DoNotScheduleTaintsFilterFunc: the
 * index of the first NoSchedule / NoExecute taint not tolerated, or -1.
 */
export function firstUntoleratedHardTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  for (let i = 0; i < taints.length; i++) {
    const t = taints[i]!;
    if (t.effect === 'PreferNoSchedule') continue;
    if (!tolerationsTolerate(tolerations, t.key, t.value, t.effect)) return i;
  }
  return -1;
}

/** kube: countIntolerableTaintsPreferNoSchedule (tolerations already narrowed by PreScore). */
export function countIntolerableTaintsPreferNoSchedule(
  taints: readonly Taint[],
  tolerationsPreferNoSchedule: readonly Toleration[],
): number {
  let count = 0;
  for (let i = 0; i < taints.length; i++) {
    const t = taints[i]!;
    if (t.effect !== 'PreferNoSchedule') continue;
    if (!tolerationsTolerate(tolerationsPreferNoSchedule, t.key, t.value, t.effect)) count++;
  }
  return count;
}

/** Reason codes: 1 + index of an untolerated static taint, or DYN_CODE | the dynamic bit. */
const DYN_CODE = 1 << 24;

/** kube: TaintToleration.Filter: the first untolerated NoSchedule / NoExecute taint rejects. */
export class TaintTolerationFilter implements FilterPlugin {
  readonly name = 'TaintToleration';
  constructor(private readonly nodes: NodeTable) {}

  filter(pod: SchedPod, n: number): number {
    const i = firstUntoleratedHardTaint(this.nodes.staticTaints[n]!, pod.tolerations);
    if (i >= 0) return 1 + i;
    const untolerated = this.nodes.dynTaints[n]! & ~pod.toleratedDynTaints;
    return untolerated === 0 ? 0 : DYN_CODE | (untolerated & -untolerated);
  }

  reasons(pod: SchedPod, n: number, code: number): string[] {
    let taint: Taint | undefined;
    if ((code & DYN_CODE) !== 0) taint = DYNAMIC_TAINT_BITS.find((d) => d.bit === (code & ~DYN_CODE))?.taint;
    else taint = this.nodes.staticTaints[n]![code - 1];
    if (taint === undefined) throw new Error(`TaintToleration: unknown reason code ${code} on node ${n}`);
    // kube: fmt.Sprintf("node(s) had untolerated taint {%s: %s}", taint.Key, taint.Value)
    return [`node(s) had untolerated taint {${taint.key}: ${taint.value}}`];
  }
}

/**
 * kube: TaintToleration Score: the number of PreferNoSchedule taints the pod does not
 * tolerate, normalised with DefaultNormalizeScore(100, reverse = true): fewest wins.
 * Reads the count from the pod's static cache.
 */
export class TaintTolerationScore implements ScorePlugin {
  readonly name = 'TaintToleration';

  preScore(): Status {
    return Status.Success;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const soft = pod.cache.softTaints;
    for (let i = 0; i < count; i++) out[i] = soft[feasible[i]!]!;
  }

  readonly normalizeScore = (scores: Float64Array, count: number): void =>
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores, count);
}
