// StatefulSet controller (reference section 8.1; kube: pkg/controller/statefulset,
// stateful_set_control.go updateStatefulSet, stateful_set_utils.go isRunningAndAvailable).
// - Pods have stable identities `<name>-<ordinal>`, ordinals 0..replicas-1.
// - OrderedReady (the default): ordinal i is created only once every ordinal below it is
//   Running and available (Ready for minReadySeconds); Parallel creates every missing pod at once.
// - A pod is recreated under the same name only after the old pod object is gone: a pod
//   taint-evicted from an unreachable node stays Terminating until the node returns, and its
//   replacement waits (unlike a ReplicaSet's, which is created at once).
// - Updates (a `rollout` disruption gives the template a new revision, carried by each pod in
//   `pods.rs`): a pod is (re)created at the update revision if its ordinal >= partition, else
//   at the current one (newVersionedStatefulSetPod). RollingUpdate walks ordinals from the
//   highest down to `partition`: the first pod not at the update revision is deleted, and the
//   walk stops at any pod not yet Running and available, so one pod is updated at a time, in
//   reverse ordinal order; with OrderedReady nothing is updated while any pod is unhealthy
//   (the scaling loop returns first). maxUnavailable > 1 (MaxUnavailableStatefulSet; a
//   percentage rounds down, at least 1) deletes maxUnavailable minus the unhealthy pods (of
//   any ordinal) old pods, from the highest ordinal down. OnDelete deletes nothing: pods take
//   the update revision when something else deletes them.
// - The rollout is complete when every ordinal >= partition runs the update revision and is
//   available; with partition 0 the update revision becomes the current one.
// - Scaling (spec.replicas set by a HorizontalPodAutoscaler): ordinals >= replicas are
//   condemned and deleted from the highest down (updateStatefulSet's processCondemned);
//   OrderedReady deletes one at a time, waiting for it to be gone, and blocks on an unhealthy
//   condemned pod that is not the first unhealthy one; Parallel deletes them all at once.

import { Cause } from '../metrics/causes.js';
import type { SimContext } from '../context.js';
import { DeleteReason } from '../cluster/pod-lifecycle.js';
import { scaledValue } from '../disruption/pdb-math.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

export class StatefulSetController {
  /** podOf[w][i]: pod id of ordinal i, or -1; null for workloads that are not StatefulSets.
   * Sized for the most replicas the workload can have (its HPA's maxReplicas). */
  private readonly podOf: (Int32Array | null)[];
  private readonly syncKind: number;
  /** Revision numbers per workload: current (pods below the partition) and update. */
  private readonly currentRev: Int32Array;
  private readonly updateRev: Int32Array;
  /** Start of the rollout under way, NaN if none. */
  private readonly rolloutStartedAt: Float64Array;

  constructor(private readonly ctx: SimContext) {
    const ws = ctx.scenario.workloads;
    const most = packedMap(ws, (w) => w.replicas);
    for (const h of ctx.scenario.horizontalPodAutoscalers) most[h.target] = Math.max(most[h.target]!, h.maxReplicas);
    this.podOf = packedMap(ws, (w, i) => (w.kind === 'StatefulSet' ? replicationArray(Int32Array, most[i]!).fill(-1) : null));
    this.currentRev = replicationArray(Int32Array, ws.length);
    this.updateRev = replicationArray(Int32Array, ws.length);
    this.rolloutStartedAt = replicationArray(Float64Array, ws.length).fill(NaN);
    this.syncKind = ctx.engine.register('statefulset-sync', (w) => this.sync(w));
  }

  isStatefulSet(w: number): boolean {
    return this.podOf[w] !== null;
  }

  start(): void {
    this.podOf.forEach((a, w) => {
      if (a !== null) this.sync(w);
    });
  }

  /** `rollout`: the template changes; a new update revision. */
  startRollout(w: number): void {
    const { engine, trace } = this.ctx;
    this.updateRev[w]!++;
    this.rolloutStartedAt[w] = engine.now;
    if (trace.enabled) trace.add(engine.now, 'rollout-start', '', '', this.ctx.scenario.workloads[w]!.key, `revision ${this.updateRev[w]! + 1}`);
    this.sync(w);
  }

  /** Ready: the next ordinal may start once this one has been available for minReadySeconds. */
  onPodReady(p: number): void {
    const w = this.ctx.pods.owner[p]!;
    const minReady = this.ctx.scenario.workloads[w]!.minReadySeconds;
    if (minReady > 0) this.ctx.engine.schedule(this.ctx.engine.now + minReady, this.syncKind, w);
    else this.sync(w);
  }

  onPodGone(p: number): void {
    const { pods } = this.ctx;
    const w = pods.owner[p]!;
    const a = this.podOf[w]!;
    const i = pods.ordinal[p]!;
    if (a[i] === p) a[i] = -1;
    this.sync(w);
  }

  /** kube: isRunningAndAvailable. */
  private runningAndAvailable(p: number, minReadyS: number): boolean {
    const { pods, engine } = this.ctx;
    return pods.terminating[p] === 0 && pods.apiReady[p] === 1 && pods.readySince[p]! + minReadyS <= engine.now;
  }

  /** spec.replicas changed (WorkloadControllers.setReplicas holds the value). */
  onReplicasChanged(w: number): void {
    this.sync(w);
  }

  private sync(w: number): void {
    const a = this.podOf[w]!;
    const wl = this.ctx.scenario.workloads[w]!;
    const spec = wl.statefulSet!;
    const ordered = spec.podManagementPolicy === 'OrderedReady';
    const partition = spec.updateStrategy.partition;
    const replicas = this.ctx.workloads.specReplicas(w);
    for (let i = 0; i < replicas; i++) {
      const p = a[i]!;
      if (p >= 0) {
        // OrderedReady waits on any predecessor that is not Running and available.
        if (ordered && !this.runningAndAvailable(p, wl.minReadySeconds)) return;
        continue;
      }
      const np = this.ctx.lifecycle.create(w, i, i >= partition ? this.updateRev[w]! : this.currentRev[w]!);
      a[i] = np;
      this.ctx.queue.add(np);
      if (ordered) return;
    }
    if (this.condemn(a, replicas, ordered, wl.minReadySeconds)) return;
    if (this.updateRev[w] === this.currentRev[w]) return;
    if (spec.updateStrategy.type === 'RollingUpdate') this.rollingUpdate(w, a, replicas, partition, wl.minReadySeconds);
    this.checkComplete(w, a, replicas, partition, wl.minReadySeconds);
  }

  /**
   * kube: updateStatefulSet's processCondemned, highest ordinal first. Returns true when the
   * sync must stop here (OrderedReady: a condemned pod is terminating, unhealthy and not the
   * first unhealthy pod, or was just deleted). Scaling takes precedence over updates.
   */
  private condemn(a: Int32Array, replicas: number, ordered: boolean, minReadyS: number): boolean {
    // firstUnhealthyPod: replicas are all healthy here in OrderedReady mode (the loop above
    // returned otherwise), so it is the lowest-ordinal unhealthy condemned pod.
    let firstUnhealthy = -1;
    for (let i = replicas; i < a.length && firstUnhealthy < 0; i++) {
      const p = a[i]!;
      if (p >= 0 && !this.runningAndAvailable(p, minReadyS)) firstUnhealthy = p;
    }
    for (let i = a.length - 1; i >= replicas; i--) {
      const p = a[i]!;
      if (p < 0) continue;
      if (this.ctx.pods.terminating[p] === 1) {
        if (ordered) return true;
        continue;
      }
      if (ordered && p !== firstUnhealthy && !this.runningAndAvailable(p, minReadyS)) return true;
      this.ctx.lifecycle.delete(p, DeleteReason.ScaleDown, Cause.Other);
      if (ordered) return true;
    }
    return false;
  }

  /** kube: updateStatefulSet's RollingUpdate loop (reverse ordinal order, down to the partition). */
  private rollingUpdate(w: number, a: Int32Array, replicas: number, partition: number, minReadyS: number): void {
    const { pods } = this.ctx;
    const rev = this.updateRev[w]!;
    // kube: getStatefulSetMaxUnavailable — rounded down, at least 1.
    const maxUnavailable = Math.max(1, scaledValue(this.ctx.scenario.workloads[w]!.statefulSet!.updateStrategy.maxUnavailable, replicas, false));
    if (maxUnavailable === 1) {
      for (let i = replicas - 1; i >= partition; i--) {
        const p = a[i]!;
        if (p < 0) return;
        if (pods.rs[p] !== rev && pods.terminating[p] === 0) {
          this.ctx.lifecycle.delete(p, DeleteReason.Replaced, Cause.Rollout);
          return;
        }
        // Wait for unhealthy pods on update.
        if (!this.runningAndAvailable(p, minReadyS)) return;
      }
      return;
    }
    // kube: updateStatefulSetAfterInvariantEstablished (MaxUnavailableStatefulSet): unhealthy
    // pods of every ordinal use up the budget; the rest is deleted from the highest ordinal down.
    let unavailable = 0;
    for (let i = 0; i < replicas; i++) if (a[i]! < 0 || !this.runningAndAvailable(a[i]!, minReadyS)) unavailable++;
    if (unavailable >= maxUnavailable) return;
    const toDelete = maxUnavailable - unavailable;
    let deleted = 0;
    for (let i = replicas - 1; i >= partition && deleted < toDelete; i--) {
      const p = a[i]!;
      if (p < 0 || pods.rs[p] === rev || pods.terminating[p] === 1) continue;
      this.ctx.lifecycle.delete(p, DeleteReason.Replaced, Cause.Rollout);
      deleted++;
    }
  }

  private checkComplete(w: number, a: Int32Array, replicas: number, partition: number, minReadyS: number): void {
    const started = this.rolloutStartedAt[w]!;
    if (Number.isNaN(started)) return;
    const rev = this.updateRev[w]!;
    for (let i = partition; i < replicas; i++) {
      const p = a[i]!;
      if (p < 0 || this.ctx.pods.rs[p] !== rev || !this.runningAndAvailable(p, minReadyS)) return;
    }
    if (partition === 0) this.currentRev[w] = rev;
    this.rolloutStartedAt[w] = NaN;
    const { engine, trace } = this.ctx;
    this.ctx.metrics.onRolloutComplete(w, engine.now - started);
    if (trace.enabled) trace.add(engine.now, 'rollout-complete', '', '', this.ctx.scenario.workloads[w]!.key, `revision ${rev + 1}`);
  }
}
