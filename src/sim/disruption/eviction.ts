// The eviction subresource (reference section 2.2; kube: pkg/registry/core/pod/storage/
// eviction.go, EvictionREST.Create and checkAndDecrement). API calls take no time here.

import type { SimContext } from '../context.js';
import { PodPhase } from '../cluster/pods.js';
import { DeleteReason } from '../cluster/pod-lifecycle.js';
import type { Cause } from '../metrics/causes.js';

export const EvictionResult = {
  /** The pod was deleted (through the PDB or with no PDB involved). */
  Evicted: 0,
  /** 429 TooManyRequests: the budget is spent; kubectl retries after 5 s. */
  TooManyRequests: 1,
  /** 500: more than one PDB selects the pod; kubectl does not retry. */
  MultiplePdbs: 2,
} as const;
export type EvictionResult = (typeof EvictionResult)[keyof typeof EvictionResult];

/** `cause`: the disruption asking, charged for the downtime of an evicted pod. */
export function evictPod(ctx: SimContext, p: number, cause: Cause): EvictionResult {
  const { pods } = ctx;
  // kube: canIgnorePDB — Succeeded, Failed, Pending, or already being deleted: delete at once.
  const phase = pods.phase[p]!;
  if (pods.terminating[p] === 1 || phase !== PodPhase.Running) {
    ctx.lifecycle.delete(p, DeleteReason.Eviction, cause);
    return EvictionResult.Evicted;
  }
  const pdbs = ctx.pdbs.pdbsOfTemplate[pods.tmpl[p]!]!;
  if (pdbs.length > 1) return EvictionResult.MultiplePdbs;
  if (pdbs.length === 0) {
    ctx.lifecycle.delete(p, DeleteReason.Eviction, cause);
    return EvictionResult.Evicted;
  }
  const i = pdbs[0]!;
  const st = ctx.pdbs.status(i);
  if (pods.apiReady[p] === 0) {
    // Unhealthy pod: AlwaysAllow deletes without touching the budget; IfHealthyBudget (the
    // default) only when the budget is currently met, else falls through to checkAndDecrement.
    const policy = ctx.scenario.pdbs[i]!.unhealthyPodEvictionPolicy;
    if (policy === 'AlwaysAllow' || (st.currentHealthy >= st.desiredHealthy && st.desiredHealthy > 0)) {
      ctx.lifecycle.delete(p, DeleteReason.Eviction, cause);
      return EvictionResult.Evicted;
    }
  }
  // kube: checkAndDecrement — disruptionsAllowed == 0 -> 429 ("Cannot evict pod as it would
  // violate the pod's disruption budget."). Otherwise decrement and delete; the decrement is
  // the pod leaving the healthy count as it becomes terminating.
  if (st.disruptionsAllowed <= 0) return EvictionResult.TooManyRequests;
  ctx.lifecycle.delete(p, DeleteReason.Eviction, cause);
  return EvictionResult.Evicted;
}
