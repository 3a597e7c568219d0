// ReplicaSet / Deployment controllers and bare pods.
//
// kube: ReplicaSetController.manageReplicas keeps `spec.replicas` *active* pods, where active
// excludes Succeeded, Failed and terminating pods (controller.FilterActivePods). So a pod that
// is being deleted (evicted, taint-evicted) is replaced at once, before it is gone. With the
// idealised cluster (API calls take 0 s, controllers react at once) a replacement is created at
// the instant its predecessor becomes inactive. A Deployment without a rollout owns one
// ReplicaSet, so it behaves as that ReplicaSet here; rolling updates come with the `rollout`
// disruption. Bare Pods (no controller) are never replaced. DaemonSets are in daemonset.ts.

import type { SimContext } from '../context.js';

export class WorkloadControllers {
  /** Active (non-terminating) pods per workload. */
  readonly active: Int32Array;
  private readonly nextOrdinal: Int32Array;
  private readonly replicated: Uint8Array;

  constructor(private readonly ctx: SimContext) {
    const W = ctx.scenario.workloads.length;
    this.active = new Int32Array(W);
    this.nextOrdinal = new Int32Array(W);
    this.replicated = new Uint8Array(W);
    ctx.scenario.workloads.forEach((w, i) => {
      this.replicated[i] = w.kind === 'Deployment' || w.kind === 'ReplicaSet' ? 1 : 0;
    });
  }

  /** Creates the initial pods at t = 0, in scenario order. */
  start(): void {
    this.ctx.scenario.workloads.forEach((w, i) => {
      if (w.kind === 'Deployment' || w.kind === 'ReplicaSet' || w.kind === 'Pod') this.reconcile(i);
    });
  }

  /** A pod of workload w became inactive (terminating or finished). */
  onPodInactive(w: number): void {
    if (this.active[w]! > 0 && this.isManaged(w)) {
      this.active[w]!--;
      if (this.replicated[w] === 1) this.reconcile(w);
    }
  }

  private isManaged(w: number): boolean {
    const k = this.ctx.scenario.workloads[w]!.kind;
    return k === 'Deployment' || k === 'ReplicaSet' || k === 'Pod';
  }

  /** kube: manageReplicas, scale-up side (diff < 0 creates pods). */
  private reconcile(w: number): void {
    const want = this.ctx.scenario.workloads[w]!.replicas;
    while (this.active[w]! < want) {
      this.active[w]!++;
      const p = this.ctx.lifecycle.create(w, this.nextOrdinal[w]!++);
      this.ctx.queue.add(p);
    }
  }
}
