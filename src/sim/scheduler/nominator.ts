// Nominated pods: a preemptor that evicted victims on node n is nominated to n (kube:
// status.nominatedNodeName, kept by the scheduling queue's nominator in
// pkg/scheduler/backend/queue/nominator.go) until it is bound or deleted.
//
// While nominated, its requests are treated as already on n by the filters of every pod whose
// priority is not higher (kube: RunFilterPluginsWithNominatedPods / addGENominatedPods adds the
// nominated pods with priority >= the incoming pod's, other than itself, to a copy of the
// NodeInfo), so lower- or equal-priority pods cannot take the room the victims free.
// `NominatedOverlay` is that per-cycle addition, as running sums per node.
//
// Nominations are rare (one per successful preemption), so the per-node lists are plain
// arrays; nothing here runs when there are none (`count === 0`).

import type { PodStore } from '../cluster/pods.js';
import type { NodeTable } from '../cluster/node-table.js';
import { grown } from '../typed-arrays.js';
import type { SchedPod } from './sched-pod.js';
import { replicationArray } from '../typed-arrays.js';

export class Nominator {
  /** Live nominations. */
  count = 0;
  /** Per pod id: nominated node + 1; 0 = none. */
  private nodePlusOne = replicationArray(Int32Array, 0);
  /** Per node: the pods nominated to it, in nomination order (holes for nodes without any). */
  private readonly byNode: number[][] = [];
  /** Nodes with at least one nomination, in the order they first got one. */
  readonly nodesWithNominations: number[] = [];

  constructor(
    private readonly pods: PodStore,
    private readonly templates: readonly SchedPod[],
  ) {}

  /** The node pod p is nominated to, or -1. O(1). */
  nodeOf(p: number): number {
    return p < this.nodePlusOne.length ? this.nodePlusOne[p]! - 1 : -1;
  }

  /** Pods nominated to node n (do not mutate). */
  podsOn(n: number): readonly number[] {
    return this.byNode[n] ?? EMPTY;
  }

  /** kube: nominator.AddNominatedPod (mode Override): replaces any earlier nomination of p. */
  nominate(p: number, n: number): void {
    this.clear(p);
    if (p >= this.nodePlusOne.length) this.nodePlusOne = grown(this.nodePlusOne, Math.max(64, p + 1, this.nodePlusOne.length * 2));
    this.nodePlusOne[p] = n + 1;
    let list = this.byNode[n];
    if (list === undefined) {
      list = [];
      this.byNode[n] = list;
    }
    if (list.length === 0) this.nodesWithNominations.push(n);
    list.push(p);
    this.count++;
  }

  /** kube: nominator.DeleteNominatedPodIfExists: the pod was bound, deleted, or lost its nomination. */
  clear(p: number): void {
    const n = this.nodeOf(p);
    if (n < 0) return;
    this.nodePlusOne[p] = 0;
    const list = this.byNode[n]!;
    list.splice(list.indexOf(p), 1);
    if (list.length === 0) this.nodesWithNominations.splice(this.nodesWithNominations.indexOf(n), 1);
    this.count--;
  }

  /** Priority of a nominated pod (its template's). */
  priorityOf(p: number): number {
    return this.templates[this.pods.tmpl[p]!]!.template.priority;
  }

  /** Template index of a nominated pod (PodStore.tmpl). */
  templateOf(p: number): number {
    return this.pods.tmpl[p]!;
  }

  requestsOf(p: number): Float64Array {
    return this.templates[this.pods.tmpl[p]!]!.requests;
  }
}

const EMPTY: readonly number[] = [];

/**
 * The nominated pods one scheduling cycle must treat as present (kube: addGENominatedPods):
 * per node, Σ requests and the count of pods nominated there with priority >= the incoming
 * pod's, the pod itself excluded. Built once per cycle in O(nominations × resources); the
 * filters read `req[n*R + r]` and `pods[n]` only where `pods[n] > 0`. Kept until the next cycle
 * so a FitError message built afterwards sees the same state.
 */
export class NominatedOverlay {
  /** True when some node has nominated pods that count this cycle. */
  active = false;
  req = replicationArray(Float64Array, 0);
  pods = replicationArray(Int32Array, 0);
  private touched: number[] = [];

  constructor(private readonly nodes: NodeTable) {}

  /** Recomputes the overlay for an incoming pod of `priority` with id `self` (-1: none). */
  build(nominator: Nominator | null, priority: number, self: number): void {
    const R = this.nodes.R;
    for (const n of this.touched) {
      this.pods[n] = 0;
      this.req.fill(0, n * R, n * R + R);
    }
    this.touched.length = 0;
    this.active = false;
    if (nominator === null || nominator.count === 0) return;
    if (this.pods.length < this.nodes.count) {
      const cap = Math.max(16, this.nodes.count, this.pods.length * 2);
      this.pods = replicationArray(Int32Array, cap);
      this.req = replicationArray(Float64Array, cap * R);
    }
    for (const n of nominator.nodesWithNominations) {
      for (const q of nominator.podsOn(n)) {
        // kube: addGENominatedPods — PodPriority(nominated) >= PodPriority(pod) && UID differs.
        if (q === self || nominator.priorityOf(q) < priority) continue;
        const r = nominator.requestsOf(q);
        for (let d = 0; d < R; d++) this.req[n * R + d] += r[d]!;
        if (this.pods[n] === 0) this.touched.push(n);
        this.pods[n]++;
        this.active = true;
      }
    }
  }
}
