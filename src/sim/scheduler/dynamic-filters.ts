// The filters that read a node's changing state, for one node: NodeUnschedulable's and
// TaintToleration's dynamic taints (cordon, not-ready, unreachable), and NodeResourcesFit's pod
// slot and request test (kube: fitsRequest on actual requests, `podCount + 1 > maxPods` and
// `request > allocatable - requested`). The static filters (StaticCache.staticFail), nominated
// pods and the extra filters are the caller's. The per-template caches (Scheduler.okTotalOf,
// best-fit-index.ts) ask it for one changed node at a time; the search loops inline the same
// tests over many nodes.

import type { NodeTable } from '../cluster/node-table.js';
import type { SchedPod } from './sched-pod.js';

/** Whether node n passes the dynamic filters for `pod`. O(requested dimensions), no allocation. */
export function passesDynamicFilters(nodes: NodeTable, pod: SchedPod, n: number): boolean {
  if ((nodes.dynTaints[n]! & ~pod.toleratedDynTaints) !== 0) return false;
  if (nodes.podCount[n]! + 1 > nodes.maxPods[n]!) return false;
  const { R, allocatable, requested } = nodes;
  const requests = pod.requests;
  const dims = pod.requestedDims;
  const base = n * R;
  for (let d = 0; d < dims.length; d++) {
    const r = dims[d]!;
    if (requests[r]! > allocatable[base + r]! - requested[base + r]!) return false;
  }
  return true;
}
