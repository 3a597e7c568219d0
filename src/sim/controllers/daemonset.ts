// DaemonSet controller: one pod per eligible node.
//
// kube: NodeShouldRunDaemonPod decides eligibility from nodeName, nodeSelector / required
// node affinity, and taints: an untolerated NoSchedule or NoExecute taint keeps a new pod off
// the node. DaemonSet pods get AddOrUpdateDaemonPodTolerations (not-ready, unreachable
// NoExecute forever; unschedulable NoSchedule...), so they survive node failures, land on
// cordoned nodes and are never taint-evicted; `kubectl drain --ignore-daemonsets` leaves them.
//
// Placement: upstream creates the pod with a node affinity to its node and the default
// scheduler binds it; here `scheduler.scheduleOn(pod, n)` runs the same filters for that one
// node. A pod that does not fit yet is retried when capacity frees on that node. A deleted
// pod is replaced once it is gone (upstream creates the replacement while the old one is still
// terminating; on a node without room for both, the new one would wait for the same instant).
//
// Updates (a `rollout` gives the template a new revision, carried by each pod in `pods.rs`;
// new pods always get the update revision), kube: pkg/controller/daemon/update.go rollingUpdate
// with maxSurge and maxUnavailable scaled on desiredNumberScheduled, rounded up (1 unavailable
// when both are 0):
// - maxSurge 0: a node whose pod is terminating with no new pod beside it, or whose new pod is
//   not available, counts as unavailable; old pods that are not available are deleted at once;
//   old available pods are deleted, in node order, while fewer than maxUnavailable nodes are
//   unavailable; the new pod is created as soon as the old one is terminating;
// - maxSurge > 0: a new pod is created beside an old unavailable one at once, and beside old
//   available ones while fewer than maxSurge new pods are not yet available; an old pod is
//   deleted once the new pod on its node is available.
// - OnDelete: nothing is deleted; pods take the new revision when something else deletes them.
// Availability is kube's IsPodAvailable: Ready for minReadySeconds.

import { Cause } from '../metrics/causes.js';
import type { SimContext } from '../context.js';
import { DeleteReason } from '../cluster/pod-lifecycle.js';
import { scaledValue } from '../disruption/pdb-math.js';
import { matchesNodeSelector } from '../cluster/selectors.js';
import { grown } from '../typed-arrays.js';
import { toleratesTaint } from '../cluster/tolerations.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

export class DaemonSetController {
  private readonly dsIndices: number[];
  /** podOnNode[k][n]: pod id of DaemonSet k on node n, or -1. */
  private readonly podOnNode: Int32Array[];
  /** waiting[k][n] = 1 when DaemonSet k should run on node n but its pod did not fit yet. */
  private readonly waiting: Uint8Array[];
  private waitingCount = 0;
  private readonly nextOrdinal: Int32Array;
  /** surgeOnNode[k][n]: the new pod created beside an old one (maxSurge), or -1. */
  private readonly surgeOnNode: Int32Array[];
  /** Update revision and rollout start per DaemonSet (NaN: no rollout under way). */
  private readonly updateRev: Int32Array;
  private readonly rolloutStartedAt: Float64Array;
  private readonly syncKind: number;
  // Scratch of one rollingUpdate pass (node indices).
  private readonly toDelete: number[] = [];
  private readonly toCreate: number[] = [];
  private readonly candidates: number[] = [];

  constructor(private readonly ctx: SimContext) {
    this.dsIndices = [];
    ctx.scenario.workloads.forEach((w, i) => {
      if (w.kind === 'DaemonSet') this.dsIndices.push(i);
    });
    this.podOnNode = packedMap(this.dsIndices, () => replicationArray(Int32Array, 64).fill(-1));
    this.surgeOnNode = packedMap(this.dsIndices, () => replicationArray(Int32Array, 64).fill(-1));
    this.waiting = packedMap(this.dsIndices, () => replicationArray(Uint8Array, 64));
    this.nextOrdinal = replicationArray(Int32Array, this.dsIndices.length);
    this.updateRev = replicationArray(Int32Array, this.dsIndices.length);
    this.rolloutStartedAt = replicationArray(Float64Array, this.dsIndices.length).fill(NaN);
    this.syncKind = ctx.engine.register('daemonset-sync', (k) => this.rollingUpdate(k));
  }

  /** `rollout` of DaemonSet workload w: the template changes; a new update revision. */
  startRollout(w: number): void {
    const k = this.dsIndices.indexOf(w);
    const { engine, trace } = this.ctx;
    this.updateRev[k]!++;
    this.rolloutStartedAt[k] = engine.now;
    if (trace.enabled) trace.add(engine.now, 'rollout-start', '', '', this.ctx.scenario.workloads[w]!.key, `revision ${this.updateRev[k]! + 1}`);
    this.rollingUpdate(k);
  }

  /** A DaemonSet pod became Ready: available after minReadySeconds. */
  onPodReady(p: number): void {
    const k = this.dsIndices.indexOf(this.ctx.pods.owner[p]!);
    if (Number.isNaN(this.rolloutStartedAt[k]!)) return;
    const minReady = this.ctx.scenario.workloads[this.dsIndices[k]!]!.minReadySeconds;
    if (minReady > 0) this.ctx.engine.schedule(this.ctx.engine.now + minReady, this.syncKind, k);
    else this.rollingUpdate(k);
  }

  /** A DaemonSet pod's Ready condition left True. */
  onPodNotReady(p: number): void {
    const k = this.dsIndices.indexOf(this.ctx.pods.owner[p]!);
    if (!Number.isNaN(this.rolloutStartedAt[k]!)) this.rollingUpdate(k);
  }

  get count(): number {
    return this.dsIndices.length;
  }

  start(): void {
    for (let n = 0; n < this.ctx.nodes.count; n++) this.onNodeAdded(n);
  }

  onNodeAdded(n: number): void {
    for (let k = 0; k < this.dsIndices.length; k++) {
      this.ensureCapacity(k, n);
      if (this.shouldRun(this.dsIndices[k]!, n)) this.place(k, n);
    }
  }

  /** A pod left node n; if it was a DaemonSet pod, or capacity was waited for, act. */
  onPodGone(owner: number, n: number): void {
    if (n < 0 || this.dsIndices.length === 0) return;
    const k = this.dsIndices.indexOf(owner);
    if (k >= 0 && this.surgeOnNode[k]![n]! >= 0 && this.podOnNode[k]![n] !== this.surgeOnNode[k]![n] && this.ctx.pods.owner[this.surgeOnNode[k]![n]!]! < 0) {
      this.surgeOnNode[k]![n] = -1; // the surge pod itself went away
    } else if (k >= 0 && this.podOnNode[k]![n] !== -1 && this.ctx.pods.owner[this.podOnNode[k]![n]!]! < 0) {
      // The old pod is gone: a surge pod beside it takes its place, else a new one is created.
      const surge = this.surgeOnNode[k]![n]!;
      this.podOnNode[k]![n] = surge;
      this.surgeOnNode[k]![n] = -1;
      if (surge < 0 && this.ctx.nodes.exists[n] === 1 && this.shouldRun(owner, n)) this.place(k, n);
    }
    if (k >= 0 && !Number.isNaN(this.rolloutStartedAt[k]!)) this.rollingUpdate(k);
    if (this.waitingCount > 0) {
      for (let j = 0; j < this.dsIndices.length; j++) {
        if (this.waiting[j]![n] === 1) this.place(j, n);
      }
    }
  }

  isDaemonSet(owner: number): boolean {
    return this.ctx.scenario.workloads[owner]!.kind === 'DaemonSet';
  }

  /** kube: NodeShouldRunDaemonPod (predicates part). */
  private shouldRun(w: number, n: number): boolean {
    const { nodes } = this.ctx;
    if (nodes.exists[n] !== 1) return false;
    const t = this.ctx.scenario.workloads[w]!.template;
    const sp = this.ctx.templates[w]!;
    if (t.nodeName !== null && t.nodeName !== nodes.names[n]) return false;
    const labels = nodes.labels[n]!;
    for (const k in t.nodeSelector) if (labels[k] !== t.nodeSelector[k]) return false;
    if (t.requiredNodeAffinity !== null && !matchesNodeSelector(t.requiredNodeAffinity, nodes.names[n]!, labels)) return false;
    for (const taint of nodes.staticTaints[n]!) {
      if (taint.effect === 'PreferNoSchedule') continue;
      if (!sp.tolerations.some((tol) => toleratesTaint(tol, taint))) return false;
    }
    return true;
  }

  private place(k: number, n: number): void {
    const w = this.dsIndices[k]!;
    // The filters the default scheduler would run for a pod pinned to node n.
    const fits = this.ctx.scheduler.scheduleOn(this.ctx.templates[w]!, n) === n;
    if (!fits) {
      if (this.waiting[k]![n] === 0) {
        this.waiting[k]![n] = 1;
        this.waitingCount++;
      }
      return;
    }
    if (this.waiting[k]![n] === 1) {
      this.waiting[k]![n] = 0;
      this.waitingCount--;
    }
    const p = this.ctx.lifecycle.create(w, this.nextOrdinal[k]!++, this.updateRev[k]!);
    this.podOnNode[k]![n] = p;
    this.ctx.lifecycle.bind(p, n);
  }

  /** kube: IsPodAvailable for a DaemonSet pod. */
  private available(p: number, minReadyS: number): boolean {
    const { pods, engine } = this.ctx;
    return pods.terminating[p] === 0 && pods.apiReady[p] === 1 && pods.readySince[p]! + minReadyS <= engine.now;
  }

  /** kube: daemon/update.go rollingUpdate (see the header). O(nodes) per call, during a rollout only. */
  private rollingUpdate(k: number): void {
    if (Number.isNaN(this.rolloutStartedAt[k]!)) return;
    const { nodes, pods, scenario } = this.ctx;
    const w = this.dsIndices[k]!;
    const wl = scenario.workloads[w]!;
    const rev = this.updateRev[k]!;
    const minReady = wl.minReadySeconds;
    const primary = this.podOnNode[k]!;
    const surgePods = this.surgeOnNode[k]!;
    if (wl.strategy.type === 'RollingUpdate') {
      let desired = 0;
      for (let n = 0; n < nodes.count; n++) if (this.shouldRun(w, n)) desired++;
      const maxSurge = scaledValue(wl.strategy.maxSurge, desired, true);
      let maxUnavailable = scaledValue(wl.strategy.maxUnavailable, desired, true);
      if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
      const toDelete = this.toDelete;
      const toCreate = this.toCreate;
      const candidates = this.candidates;
      toDelete.length = 0;
      toCreate.length = 0;
      candidates.length = 0;
      const len = Math.min(primary.length, nodes.count);
      if (maxSurge === 0) {
        let numUnavailable = 0;
        for (let n = 0; n < len; n++) {
          let p = primary[n]!;
          if (p < 0) continue;
          if (pods.terminating[p] === 1) {
            // findUpdatedPodsOnNode skips terminating pods: the new one beside it, if any, counts.
            p = surgePods[n]!;
            if (p < 0) {
              numUnavailable++;
              continue;
            }
          }
          if (pods.rs[p] === rev) {
            if (!this.available(p, minReady)) numUnavailable++;
          } else if (!this.available(p, minReady)) toDelete.push(n);
          else if (numUnavailable < maxUnavailable) candidates.push(n);
        }
        const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
        for (let i = 0; i < remaining; i++) toDelete.push(candidates[i]!);
      } else {
        let numSurge = 0;
        for (let n = 0; n < len; n++) {
          const p = primary[n]!;
          if (p < 0 || pods.terminating[p] === 1 || pods.rs[p] === rev) continue; // no old pod here
          const np = surgePods[n]!;
          if (np < 0) {
            if (!this.available(p, minReady)) toCreate.push(n);
            else if (numSurge < maxSurge) candidates.push(n);
          } else if (!this.available(np, minReady)) numSurge++;
          else toDelete.push(n);
        }
        const remaining = Math.min(Math.max(0, maxSurge - numSurge), candidates.length);
        for (let i = 0; i < remaining; i++) toCreate.push(candidates[i]!);
      }
      for (const n of toCreate) this.surge(k, n);
      for (const n of toDelete) {
        this.ctx.lifecycle.delete(primary[n]!, DeleteReason.Replaced, Cause.Rollout);
        // kube: podsShouldBeOnNode ignores terminating pods, so the manage loop creates the
        // replacement at once, beside the terminating pod, when the node has room for both.
        if (maxSurge === 0 && surgePods[n]! < 0) this.surge(k, n);
      }
    }
    this.checkComplete(k);
  }

  /** Creates the new pod beside the old one on node n, if the node has room for both now. */
  private surge(k: number, n: number): void {
    const w = this.dsIndices[k]!;
    if (this.ctx.scheduler.scheduleOn(this.ctx.templates[w]!, n) !== n) return;
    const p = this.ctx.lifecycle.create(w, this.nextOrdinal[k]!++, this.updateRev[k]!);
    this.surgeOnNode[k]![n] = p;
    this.ctx.lifecycle.bind(p, n);
  }

  /** Every node that should run the DaemonSet runs an available pod of the update revision, and no old pod is left. */
  private checkComplete(k: number): void {
    const { nodes, pods, engine, trace } = this.ctx;
    const w = this.dsIndices[k]!;
    const rev = this.updateRev[k]!;
    const minReady = this.ctx.scenario.workloads[w]!.minReadySeconds;
    const primary = this.podOnNode[k]!;
    for (let n = 0; n < nodes.count; n++) {
      if (!this.shouldRun(w, n)) continue;
      const p = n < primary.length ? primary[n]! : -1;
      if (p < 0 || pods.rs[p] !== rev || !this.available(p, minReady) || this.surgeOnNode[k]![n]! >= 0) return;
    }
    const started = this.rolloutStartedAt[k]!;
    this.rolloutStartedAt[k] = NaN;
    this.ctx.metrics.onRolloutComplete(w, engine.now - started);
    if (trace.enabled) trace.add(engine.now, 'rollout-complete', '', '', this.ctx.scenario.workloads[w]!.key, `revision ${rev + 1}`);
  }

  private ensureCapacity(k: number, n: number): void {
    const cur = this.podOnNode[k]!;
    if (n < cur.length) return;
    const size = Math.max(n + 1, cur.length * 2);
    this.podOnNode[k] = grown(cur, size).fill(-1, cur.length);
    this.surgeOnNode[k] = grown(this.surgeOnNode[k]!, size).fill(-1, cur.length);
    this.waiting[k] = grown(this.waiting[k]!, size);
  }
}
