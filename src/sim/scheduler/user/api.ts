// The documented interface of a user scheduling policy: a JavaScript (ES or CommonJS) module
// named by `scheduler.policy: ./my-policy.js` that exports a `score` function. These types are
// the contract; a policy written in TypeScript can import them:
//
//   import type { ScoreFunction } from 'kubesim-des/dist/sim/scheduler/user/api.js';
//   export const score: ScoreFunction = (pod, node) => 100 - (100 * node.pods) / node.maxPods;
//
// The simulator calls `score` once per feasible node in every scheduling cycle that has more
// than one feasible node (after every filter of section 3 of the SPEC), as kube-scheduler calls
// a Score plugin: the node with the highest score wins, ties are broken at random with the
// scheduler's seeded stream. The views are read-only snapshots that the simulator refreshes and
// reuses between calls (no allocation per call): read what you need during the call, and copy
// anything you want to keep.

/** Resource amounts by resource name: `cpu` in millicores, `memory` and `ephemeral-storage` in bytes, extended resources (`nvidia.com/gpu`) in units. */
export type ResourceAmounts = Readonly<Record<string, number>>;

/** The pod being scheduled (one view per workload template, frozen). */
export interface PolicyPod {
  /** The workload as `KIND/NAME`, e.g. `Deployment/web`. */
  readonly workload: string;
  /** The pod template's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** kube: PodRequests, per resource of the scenario (0 when not requested). */
  readonly requests: ResourceAmounts;
}

/** A feasible node, as the scheduler's snapshot shows it at this cycle. */
export interface PolicyNode {
  readonly name: string;
  /** Node labels (frozen), including `topology.kubernetes.io/zone` when the pool has zones. */
  readonly labels: Readonly<Record<string, string>>;
  /** status.allocatable per resource of the scenario. */
  readonly allocatable: ResourceAmounts;
  /** Sum of the requests of the pods bound to the node (terminating pods included, as kube's NodeInfo). */
  readonly requested: ResourceAmounts;
  /** Pods bound to the node, and the most it accepts (capacity `pods`). */
  readonly pods: number;
  readonly maxPods: number;
}

/**
 * Scores one feasible node for one pod: a finite number in [0, 100] (kube: framework.MinNodeScore
 * .. MaxNodeScore); higher is better. Anything else (a throw, NaN, Infinity, a value out of range,
 * a non-number) fails the replication with an error naming the module, the pod and the node.
 * Must be deterministic: use no `Math.random` and no state that outlives a replication, or the
 * same seed stops giving the same results.
 */
export type ScoreFunction = (pod: PolicyPod, node: PolicyNode) => number;

/** What the module must export. */
export interface UserPolicyModule {
  score: ScoreFunction;
}
