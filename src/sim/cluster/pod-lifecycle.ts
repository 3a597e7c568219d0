// What happens to a pod between creation and removal, and how node failures touch pods.
//
//   create -> (queue) -> bind -> [startup] -> Ready -> delete -> [shutdown] -> gone
//
// Two readiness flags are kept apart on purpose (SPEC section 4):
// - `serving`: the containers are up on a live machine. Availability counts this; a pod on a
//   crashed machine stops serving at the instant of the crash.
// - `apiReady`: the Ready condition the API server shows. PDBs and controllers read this; a
//   pod on a crashed node stays Ready in the API until the node lifecycle controller marks it
//   NotReady after the grace period (kube: MarkPodsNotReady).

import { NO_EVENT } from '../engine/engine.js';
import type { SimContext } from '../context.js';
import { PodPhase } from './pods.js';
import { sample } from '../random/sample.js';
import type { Rng } from '../random/streams.js';
import { Cause } from '../metrics/causes.js';
import { packedMap } from '../packed.js';

export const DeleteReason = {
  Replaced: 0,
  Eviction: 1, // eviction API (drain)
  TaintEviction: 2, // taint-eviction controller (node unreachable)
  ScaleDown: 3,
  /** The node object was deleted (kube: PodGC gcOrphaned, grace period 0). */
  NodeDeleted: 4,
  /** kube-scheduler preemption (condition DisruptionTarget, reason PreemptionByScheduler). */
  Preemption: 5,
} as const;
export type DeleteReason = (typeof DeleteReason)[keyof typeof DeleteReason];

export class PodLifecycle {
  private readonly readyKind: number;
  private readonly goneKind: number;
  /** One startup-time stream per workload, so one workload's churn does not shift another's draws. */
  private readonly startupRng: Rng[];

  constructor(private readonly ctx: SimContext) {
    this.readyKind = ctx.engine.register('pod-ready', (p, g) => this.onReady(p, g));
    this.goneKind = ctx.engine.register('pod-gone', (p, g) => this.onGone(p, g));
    this.startupRng = packedMap(ctx.scenario.workloads, (w) => ctx.streams.stream(`startup/${w.key}`));
  }

  /** Creates a pod of workload `owner` and hands it to the scheduling queue. */
  create(owner: number, ordinal: number, rs = 0): number {
    const { pods, engine } = this.ctx;
    const p = pods.alloc(owner, owner, ordinal, engine.now, rs);
    this.ctx.pdbs.onPodAdded(p);
    this.ctx.metrics.onPodCreated(p);
    if (this.ctx.trace.enabled) this.trace('pod-created', p);
    return p;
  }

  /** Binds pod p to node n (kube: the scheduler's bind; NodeInfo.AddPod). */
  bind(p: number, n: number): void {
    const { pods, nodes, engine, templates } = this.ctx;
    const t = templates[pods.tmpl[p]!]!;
    pods.linkToNode(p, n);
    // GPU devices first: fgd picks the device by re-scoring the node as the scheduler saw it.
    this.ctx.scheduler.bindGpus(p, n, t);
    nodes.addPod(n, t.requests, t.nonZeroCpuMilli, t.nonZeroMemoryBytes);
    this.ctx.scheduler.podTopology?.onBind(pods.tmpl[p]!, n);
    this.ctx.queue.onPodBound(pods.tmpl[p]!);
    pods.phase[p] = PodPhase.Running;
    pods.boundAt[p] = engine.now;
    this.ctx.metrics.onPodBound(p, n);
    if (this.ctx.trace.enabled) this.trace('pod-bound', p);
    // A pod bound to a machine that is down (the API does not know yet) never starts there.
    if (nodes.up[n] === 1) this.startContainers(p);
  }

  /** Starts (or restarts) the pod's containers: Ready after the workload's startup time. */
  private startContainers(p: number): void {
    const { pods, engine } = this.ctx;
    const owner = pods.owner[p]!;
    const d = sample(this.ctx.scenario.workloads[owner]!.behavior.startup, this.startupRng[owner]!);
    pods.timer[p] = engine.schedule(engine.now + d, this.readyKind, p, pods.gen[p]!);
    this.ctx.restarts.onContainersStarted(p);
  }

  /** The containers exited (a crash): not serving, not Ready until restarted and started. */
  stopContainers(p: number): void {
    const { pods, engine } = this.ctx;
    engine.cancel(pods.timer[p]!);
    pods.timer[p] = NO_EVENT;
    this.stopServing(p, Cause.ContainerCrash);
    this.setApiReady(p, false);
    if (this.ctx.trace.enabled) this.trace('container-crash', p);
  }

  /** The pod ran to completion (a Job's pod): phase Succeeded; the scheduler frees its node
   * resources (kube-scheduler drops terminated pods from its cache). */
  succeed(p: number): void {
    this.finishPod(p, PodPhase.Succeeded, 'pod-succeeded');
  }

  /** The containers exited with restartPolicy Never: phase Failed; its controller reacts. */
  fail(p: number): void {
    this.ctx.workloads.onPodInactive(p);
    this.finishPod(p, PodPhase.Failed, 'pod-failed');
  }

  /** Cancels the pod's pending lifecycle, eviction and crash events and stops it serving. */
  private stopEverything(p: number, cause: Cause): void {
    const { pods, engine } = this.ctx;
    engine.cancel(pods.timer[p]!);
    pods.timer[p] = NO_EVENT;
    engine.cancel(pods.evictTimer[p]!);
    pods.evictTimer[p] = NO_EVENT;
    this.ctx.restarts.cancel(p);
    this.stopServing(p, cause);
  }

  /** `cause`: what took the pod down, for downtime attribution. */
  private stopServing(p: number, cause: Cause): void {
    if (this.ctx.pods.serving[p] === 1) {
      this.ctx.pods.serving[p] = 0;
      this.ctx.metrics.onServingStopped(p, cause);
      this.ctx.traffic.onServingChanged(this.ctx.pods.owner[p]!, -1);
    }
  }

  private finishPod(p: number, phase: PodPhase, event: string): void {
    this.stopEverything(p, Cause.Other);
    this.ctx.pods.phase[p] = phase;
    this.setApiReady(p, false);
    if (this.ctx.trace.enabled) this.trace(event, p);
    this.remove(p);
  }

  /** The kubelet restarts the containers after their backoff. */
  restartContainers(p: number): void {
    const { pods, nodes } = this.ctx;
    if (pods.terminating[p] === 1 || nodes.up[pods.node[p]!] !== 1) return;
    if (this.ctx.trace.enabled) this.trace('container-restart', p, String(pods.restartCount[p]));
    this.startContainers(p);
  }

  private onReady(p: number, gen: number): void {
    const { pods, engine } = this.ctx;
    if (!pods.isLive(p, gen)) return;
    pods.timer[p] = NO_EVENT;
    pods.serving[p] = 1;
    this.setApiReady(p, true);
    if (pods.everReady[p] === 0) {
      pods.everReady[p] = 1;
      this.ctx.metrics.onFirstReady(p, engine.now - pods.createdAt[p]!);
    }
    this.ctx.metrics.onServingStarted(p);
    this.ctx.traffic.onServingChanged(pods.owner[p]!, +1);
    if (this.ctx.trace.enabled) this.trace('pod-ready', p);
    this.ctx.workloads.onPodReady(p);
    if (this.ctx.jobs.isJob(pods.owner[p]!)) this.ctx.jobs.onPodReady(p);
  }

  private setApiReady(p: number, ready: boolean): void {
    const { pods, engine } = this.ctx;
    const v = ready ? 1 : 0;
    if (pods.apiReady[p] === v) return;
    pods.apiReady[p] = v;
    if (ready) pods.readySince[p] = engine.now;
    this.ctx.pdbs.onPodHealthChanged(p);
    if (!ready) this.ctx.workloads.onPodNotReady(p);
  }

  /**
   * Sets the deletionTimestamp (graceful deletion). The pod stops serving and stops counting
   * as healthy at once; its controller replaces it at once (kube: FilterActivePods excludes
   * terminating pods). It is removed after its shutdown time, or, on a dead node, only when
   * the node comes back (the kubelet must confirm). `cause`: the failure or disruption behind
   * the deletion, for downtime attribution.
   */
  delete(p: number, reason: DeleteReason, cause: Cause): void {
    const { pods, nodes, engine } = this.ctx;
    if (pods.terminating[p] === 1) return;
    pods.terminating[p] = 1;
    pods.deletedAt[p] = engine.now;
    this.stopEverything(p, cause);
    pods.apiReady[p] = 0;
    this.ctx.pdbs.onPodHealthChanged(p);
    if (this.ctx.trace.enabled) this.trace('pod-deleted', p, DELETE_REASON_NAMES[reason]);
    this.ctx.workloads.onPodInactive(p);
    const n = pods.node[p]!;
    if (n >= 0) {
      this.ctx.scheduler.podTopology?.onTerminating(pods.tmpl[p]!, n);
      this.ctx.queue.onPodTerminating(pods.tmpl[p]!);
    }
    if (n < 0) {
      pods.queued[p] = 0; // the queue drops it lazily
      this.ctx.queue.onPendingPodDeleted(p);
      this.ctx.metrics.onPodUnboundGone(p);
      this.remove(p);
    } else if (nodes.up[n] === 1) {
      pods.timer[p] = engine.schedule(engine.now + this.ctx.shutdownS[pods.owner[p]!]!, this.goneKind, p, pods.gen[p]!);
    }
  }

  private onGone(p: number, gen: number): void {
    if (!this.ctx.pods.isLive(p, gen)) return;
    this.ctx.pods.timer[p] = NO_EVENT;
    this.remove(p);
  }

  /** Removes the pod object: frees node resources, tells PDBs, drains and the queue. */
  private remove(p: number): void {
    const { pods, nodes, templates } = this.ctx;
    const n = pods.node[p]!;
    const owner = pods.owner[p]!;
    if (this.ctx.trace.enabled) this.trace('pod-gone', p);
    this.ctx.pdbs.onPodRemoved(p);
    if (n >= 0) {
      const t = templates[pods.tmpl[p]!]!;
      pods.unlinkFromNode(p);
      nodes.removePod(n, t.requests, t.nonZeroCpuMilli, t.nonZeroMemoryBytes);
      this.ctx.scheduler.unbindGpus(p, n, t);
      this.ctx.scheduler.podTopology?.onRemove(pods.tmpl[p]!, n, pods.terminating[p] === 1);
      this.ctx.metrics.onPodUnbound(p, n);
    }
    this.ctx.drains.onPodGone(p);
    this.ctx.workloads.onPodGone(p);
    pods.release(p);
    this.ctx.daemonSets.onPodGone(owner, n);
    if (n >= 0) this.ctx.queue.onClusterChanged();
  }

  /** The machine under node n died (of `cause`): its pods stop serving and their timers stop. */
  onNodeDown(n: number, cause: Cause): void {
    const { pods, engine } = this.ctx;
    for (const p of pods.podsOnNode(n)) {
      engine.cancel(pods.timer[p]!);
      pods.timer[p] = NO_EVENT;
      // The kubelet's restart backoff lives in its memory: a reboot forgets it.
      this.ctx.restarts.cancel(p);
      pods.backoffS[p] = 0;
      if (pods.terminating[p] === 0) this.ctx.metrics.onPodFailed(p);
      this.stopServing(p, cause);
    }
  }

  /**
   * The machine came back. Terminating pods are cleaned up at once (their containers are not
   * running); the others restart their containers and are NotReady until started.
   */
  onNodeUp(n: number): void {
    const { pods } = this.ctx;
    for (const p of pods.podsOnNode(n)) {
      if (pods.terminating[p] === 1) {
        this.remove(p);
        continue;
      }
      this.setApiReady(p, false);
      this.startContainers(p);
    }
  }

  /** The node object is gone: its pods are deleted and removed at once (PodGC, grace 0). */
  onNodeDeleted(n: number, cause: Cause): void {
    for (const p of this.ctx.pods.podsOnNode(n)) {
      this.delete(p, DeleteReason.NodeDeleted, cause);
      if (this.ctx.pods.node[p] === n) this.remove(p);
    }
  }

  /** kube: MarkPodsNotReady, when the node's Ready condition leaves True. */
  markPodsNotReady(n: number): void {
    for (const p of this.ctx.pods.podsOnNode(n)) this.setApiReady(p, false);
  }

  podName(p: number): string {
    const w = this.ctx.scenario.workloads[this.ctx.pods.owner[p]!]!;
    return w.kind === 'Pod' ? w.name : `${w.name}-${this.ctx.pods.ordinal[p]}`;
  }

  private trace(event: string, p: number, detail = ''): void {
    const { pods, nodes } = this.ctx;
    const n = pods.node[p]!;
    const w = this.ctx.scenario.workloads[pods.owner[p]!]!;
    this.ctx.trace.add(this.ctx.engine.now, event, n >= 0 ? nodes.names[n]! : '', this.podName(p), w.key, detail);
  }
}

const DELETE_REASON_NAMES: Record<DeleteReason, string> = {
  [DeleteReason.Replaced]: 'replaced',
  [DeleteReason.Eviction]: 'eviction',
  [DeleteReason.TaintEviction]: 'taint-eviction',
  [DeleteReason.ScaleDown]: 'scale-down',
  [DeleteReason.NodeDeleted]: 'node-deleted',
  [DeleteReason.Preemption]: 'preemption',
};
