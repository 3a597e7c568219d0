// How many new nodes of one template a set of pending pods needs.
//
// kube (cluster-autoscaler): estimator.BinpackingNodeEstimator.Estimate with the default
// DecreasingPodOrderer — pods in decreasing order of their "size" on the template
// (Σ over cpu and memory of request / allocatable), each placed first on a node the estimate
// has already opened (the last one opened first, then the others in order:
// tryToScheduleOnExistingNodes), else on a newly opened node while the node limit allows
// (tryToScheduleOnNewNodes). A pod that does not fit an empty node is never helped.

import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../scenario/model.js';
import type { SchedPod } from '../scheduler/scheduler.js';
import type { TemplateNode } from './template-node.js';

export interface Estimate {
  /** New nodes needed (<= limit). */
  nodes: number;
  /** Pods that fit on those nodes, in placement order. */
  placed: number[];
}

/** DecreasingPodOrderer's score of one pod on the template. */
export function podSize(pod: SchedPod, t: TemplateNode): number {
  const cpu = t.allocatable[RESOURCE_CPU]! > 0 ? pod.requests[RESOURCE_CPU]! / t.allocatable[RESOURCE_CPU]! : 0;
  const mem = t.allocatable[RESOURCE_MEMORY]! > 0 ? pod.requests[RESOURCE_MEMORY]! / t.allocatable[RESOURCE_MEMORY]! : 0;
  return cpu + mem;
}

/**
 * Binpacks `pods` (pod ids; `podOf(id)` gives the compiled template) onto at most `limit` new
 * nodes of `t`. O(pods × nodes opened × R). Allocates per call (a scan), not per event.
 */
export function binpack(pods: readonly number[], podOf: (p: number) => SchedPod, t: TemplateNode, limit: number): Estimate {
  const candidates = pods.filter((p) => t.admits(podOf(p)));
  const size = new Map<number, number>();
  for (const p of candidates) size.set(p, podSize(podOf(p), t));
  // Stable: equal sizes keep their (creation) order.
  candidates.sort((a, b) => size.get(b)! - size.get(a)!);
  const R = t.allocatable.length;
  const used: Float64Array[] = [];
  const podsUsed: number[] = [];
  const placed: number[] = [];
  const empty = new Float64Array(R);
  for (const p of candidates) {
    const pod = podOf(p);
    let at = -1;
    const last = used.length - 1;
    if (last >= 0 && t.fitsResources(pod, used[last]!, podsUsed[last]!)) at = last;
    for (let i = 0; at < 0 && i < last; i++) if (t.fitsResources(pod, used[i]!, podsUsed[i]!)) at = i;
    if (at < 0) {
      if (used.length >= limit) continue;
      const dsPods = t.reset(empty);
      if (!t.fitsResources(pod, empty, dsPods)) continue;
      const u = new Float64Array(R);
      podsUsed.push(t.reset(u));
      used.push(u);
      at = used.length - 1;
    }
    const u = used[at]!;
    for (let r = 0; r < R; r++) u[r] += pod.requests[r]!;
    podsUsed[at]!++;
    placed.push(p);
  }
  return { nodes: used.length, placed };
}
