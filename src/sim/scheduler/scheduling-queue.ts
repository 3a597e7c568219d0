// The scheduling queue, as kube-scheduler's PriorityQueue in spirit
// (pkg/scheduler/backend/queue/scheduling_queue.go):
// - activeQ ordered by PrioritySort: higher priority first, then earlier creation;
// - a pod that does not fit goes to unschedulablePods; a cluster event that could make pods
//   fit (a pod removed, a node becoming Ready, uncordoned, added) moves them to the backoffQ,
//   or straight to activeQ when their backoff is over (MoveAllToActiveOrBackoffQueue);
// - backoff is 1 s doubling per failed attempt, capped at 10 s
//   (podInitialBackoffDuration, podMaxBackoffDuration);
// - pods unschedulable for 5 minutes are flushed back every 30 s
//   (podMaxInUnschedulablePodsDuration, flushUnschedulablePodsLeftover).
// Scheduling itself takes no simulated time (idealised cluster).
//
// Preemption (kube: the PostFilter extension point, DefaultPreemption): a pod that fails runs
// `ctx.preemption.postFilter` when pods of different priorities exist. On success the pod is
// nominated to a node (the nominator, kube: the queue's nominator) and still goes to
// unschedulablePods; the victims' removal moves it back, and its next cycle tries the
// nominated node first.
//
// Speed: when a pod of template T fails and no cluster event has happened since, every other
// pod of T must fail too, so such pods are marked unschedulable without running the filters
// again. A bind mostly only consumes capacity, but it can help InterPodAffinity (a pod matching
// a required affinity term appears) and PodTopologySpread (a domain's count rises, and with it
// the global minimum); a pod turning terminating lowers spread counts; a node label or taint
// change can change spread domains. Those events bump the version too (`onPodBound`,
// `onPodTerminating`, NodeTable.topologyVersion), and a bind also moves the pending pods it can
// help back to the active or backoff queue (kube: the QueueingHints of InterPodAffinity and
// PodTopologySpread for an assigned pod's Add event).

import FastPriorityQueue from 'fastpriorityqueue';
import type { SimContext } from '../context.js';
import { Nominator } from './nominator.js';
import { replicationArray } from '../typed-arrays.js';

/** Where a pod is in the queue (PodStore.queued); heap and list entries are valid only while it matches. */
export const InQueue = { None: 0, Active: 1, Backoff: 2, Unschedulable: 3 } as const;

const INITIAL_BACKOFF_S = 1;
const MAX_BACKOFF_S = 10;
const MAX_IN_UNSCHEDULABLE_S = 300;
const FLUSH_PERIOD_S = 30;

export class SchedulingQueue {
  private readonly active: FastPriorityQueue<number>;
  private readonly backoff: FastPriorityQueue<number>;
  private unschedulable: number[] = [];
  private readonly scheduleKind: number;
  private readonly backoffKind: number;
  private readonly flushKind: number;
  private cycleScheduled = false;
  private backoffEventAt = Infinity;
  private flushScheduled = false;
  /** Bumped by every cluster event that can make a pod fit. */
  private clusterVersion = 1;
  /** Bumped by every event that can make a pod fit; read by preemption's no-candidate cache. */
  get version(): number {
    return this.clusterVersion;
  }
  /** failedAtVersion[template] = clusterVersion when a pod of it last failed. */
  private readonly failedAtVersion: Float64Array;
  private readonly backoffUntil: (p: number) => number;
  /** kube: PriorityQueue.nominator — pods nominated to a node by preemption. */
  readonly nominator: Nominator;
  /** Whether pods of different priorities exist; otherwise PostFilter never runs. */
  private readonly preemptionPossible: boolean;
  /** NodeTable.topologyVersion last seen by a cycle. */
  private seenTopologyVersion = -1;
  /** Scratch: templates woken by the current bind. */
  private readonly woken: Uint8Array;

  constructor(private readonly ctx: SimContext) {
    const { pods, templates } = ctx;
    const priority = Float64Array.from(ctx.scenario.workloads, (w) => w.template.priority);
    this.active = new FastPriorityQueue<number>((a, b) => {
      const pa = priority[pods.tmpl[a]!]!;
      const pb = priority[pods.tmpl[b]!]!;
      if (pa !== pb) return pa > pb;
      const ca = pods.createdAt[a]!;
      const cb = pods.createdAt[b]!;
      return ca < cb || (ca === cb && a < b);
    });
    this.backoffUntil = (p) => {
      const k = pods.attempts[p]!;
      const d = Math.min(INITIAL_BACKOFF_S * 2 ** Math.max(0, k - 1), MAX_BACKOFF_S);
      return pods.lastAttemptAt[p]! + d;
    };
    this.backoff = new FastPriorityQueue<number>((a, b) => {
      const ta = this.backoffUntil(a);
      const tb = this.backoffUntil(b);
      return ta < tb || (ta === tb && a < b);
    });
    this.failedAtVersion = replicationArray(Float64Array, templates.length);
    this.nominator = new Nominator(pods, templates);
    ctx.scheduler.useNominator(this.nominator);
    this.preemptionPossible = new Set(ctx.scenario.workloads.map((w) => w.template.priority)).size > 1;
    this.woken = replicationArray(Uint8Array, templates.length);
    this.scheduleKind = ctx.engine.register('schedule-cycle', () => this.runCycle());
    this.backoffKind = ctx.engine.register('backoff-flush', () => this.flushBackoff());
    this.flushKind = ctx.engine.register('unschedulable-flush', () => this.flushUnschedulable());
  }

  get unschedulableCount(): number {
    return this.unschedulable.length;
  }

  /**
   * Appends the pods the scheduler found unschedulable and has not bound since (kube: condition
   * PodScheduled=False, reason Unschedulable; what cluster-autoscaler reads), ascending by id,
   * each once. O(unschedulable + backoff log) per call; the autoscaler calls it once a scan.
   */
  collectUnschedulable(out: number[]): void {
    const { pods } = this.ctx;
    const start = out.length;
    for (const p of this.unschedulable) if (pods.queued[p] === InQueue.Unschedulable) out.push(p);
    this.backoff.forEach((p) => {
      if (pods.queued[p] === InQueue.Backoff && pods.attempts[p]! > 0) out.push(p);
    });
    if (out.length === start) return;
    const mine = out.splice(start).sort((a, b) => a - b);
    for (let i = 0; i < mine.length; i++) if (i === 0 || mine[i] !== mine[i - 1]) out.push(mine[i]!);
  }

  /** A new pod enters activeQ. */
  add(p: number): void {
    this.ctx.pods.queued[p] = InQueue.Active;
    this.active.add(p);
    this.wake();
  }

  /** A cluster event that may make unschedulable pods fit. */
  onClusterChanged(): void {
    this.clusterVersion++;
    if (this.unschedulable.length === 0) return;
    const { pods, engine } = this.ctx;
    const list = this.unschedulable;
    this.unschedulable = [];
    for (const p of list) {
      if (pods.queued[p] !== InQueue.Unschedulable) continue;
      if (this.backoffUntil(p) <= engine.now) this.toActive(p);
      else {
        pods.queued[p] = InQueue.Backoff;
        this.backoff.add(p);
      }
    }
    if (!this.active.isEmpty()) this.wake();
    this.armBackoff();
  }

  /** A pod deleted before it was bound: it loses its nomination (kube: DeleteNominatedPodIfExists). */
  onPendingPodDeleted(p: number): void {
    this.clearNomination(p);
  }

  /**
   * kube: AddNominatedPod (mode Override). A new nomination only adds constraints, so cached
   * failures stay valid; replacing an earlier one frees that node's room (clearNomination).
   */
  nominate(p: number, n: number): void {
    this.clearNomination(p);
    this.nominator.nominate(p, n);
  }

  /**
   * Drops p's nomination, if any. The room it held is free again for pods of lower priority,
   * so cached template failures are invalidated.
   */
  clearNomination(p: number): void {
    if (this.nominator.count === 0 || this.nominator.nodeOf(p) < 0) return;
    this.nominator.clear(p);
    this.clusterVersion++;
  }

  /**
   * A pod of template t was bound. If pods of t can make other templates' pods fit (their
   * required pod affinity or DoNotSchedule spread constraints select t), the failure cache is
   * invalidated and those templates' unschedulable pods move to backoff / active. O(1) for
   * templates nothing selects, else O(unschedulable pods).
   */
  onPodBound(t: number): void {
    const wakes = this.ctx.scheduler.podTopology?.wakes[t];
    if (wakes === undefined || wakes.length === 0) return;
    this.clusterVersion++;
    if (this.unschedulable.length === 0) return;
    const { pods, engine } = this.ctx;
    for (let i = 0; i < wakes.length; i++) this.woken[wakes[i]!] = 1;
    const keep: number[] = [];
    for (const p of this.unschedulable) {
      if (pods.queued[p] !== InQueue.Unschedulable) continue;
      if (this.woken[pods.tmpl[p]!] === 0) keep.push(p);
      else if (this.backoffUntil(p) <= engine.now) this.toActive(p);
      else {
        pods.queued[p] = InQueue.Backoff;
        this.backoff.add(p);
      }
    }
    for (let i = 0; i < wakes.length; i++) this.woken[wakes[i]!] = 0;
    this.unschedulable = keep;
    if (!this.active.isEmpty()) this.wake();
    this.armBackoff();
  }

  /** A bound pod of template t got its deletionTimestamp: spread counts drop, so the failure cache is stale. */
  onPodTerminating(t: number): void {
    const wakes = this.ctx.scheduler.podTopology?.wakes[t];
    if (wakes !== undefined && wakes.length > 0) this.clusterVersion++;
  }

  private toActive(p: number): void {
    this.ctx.pods.queued[p] = InQueue.Active;
    this.active.add(p);
  }

  private wake(): void {
    if (this.cycleScheduled) return;
    this.cycleScheduled = true;
    this.ctx.engine.schedule(this.ctx.engine.now, this.scheduleKind);
  }

  private runCycle(): void {
    this.cycleScheduled = false;
    const { pods, engine, templates, scheduler } = this.ctx;
    const now = engine.now;
    // Node labels and taints decide spread domains and affinity domains: a change can help.
    if (this.ctx.nodes.topologyVersion !== this.seenTopologyVersion) {
      this.seenTopologyVersion = this.ctx.nodes.topologyVersion;
      if (this.ctx.scheduler.podTopology?.hasPodFilters === true) this.clusterVersion++;
    }
    while (!this.active.isEmpty()) {
      const p = this.active.poll()!;
      // Entries are left behind when a pod is deleted or moves on; skip any that are stale.
      if (pods.queued[p] !== InQueue.Active) continue;
      const tmpl = pods.tmpl[p]!;
      let n = -1;
      // A nominated pod differs from the other pods of its template (its own nomination does not
      // count against it; its node is tried first), so the template shortcut does not apply.
      const nominated = this.nominator.count > 0 && this.nominator.nodeOf(p) >= 0;
      if (nominated || this.failedAtVersion[tmpl] !== this.clusterVersion) n = scheduler.scheduleOne(templates[tmpl]!, p);
      if (n >= 0) {
        pods.queued[p] = InQueue.None;
        if (nominated) this.clearNomination(p);
        this.ctx.lifecycle.bind(p, n);
      } else {
        this.failedAtVersion[tmpl] = this.clusterVersion;
        pods.attempts[p]!++;
        pods.lastAttemptAt[p] = now;
        pods.queued[p] = InQueue.Unschedulable;
        this.unschedulable.push(p);
        this.ctx.metrics.onUnschedulable(p);
        // kube: RunPostFilterPlugins after a FitError.
        if (this.preemptionPossible) this.ctx.preemption.postFilter(p);
      }
    }
    if (this.unschedulable.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      engine.schedule(now + FLUSH_PERIOD_S, this.flushKind);
    }
  }

  private armBackoff(): void {
    if (this.backoff.isEmpty()) return;
    const t = this.backoffUntil(this.backoff.peek()!);
    if (t < this.backoffEventAt) {
      this.backoffEventAt = t;
      this.ctx.engine.schedule(t, this.backoffKind);
    }
  }

  private flushBackoff(): void {
    const { engine, pods } = this.ctx;
    if (engine.now < this.backoffEventAt) return; // superseded by an earlier flush
    this.backoffEventAt = Infinity;
    while (!this.backoff.isEmpty() && this.backoffUntil(this.backoff.peek()!) <= engine.now) {
      const p = this.backoff.poll()!;
      if (pods.queued[p] === InQueue.Backoff) this.toActive(p);
    }
    if (!this.active.isEmpty()) this.wake();
    this.armBackoff();
  }

  /** kube: flushUnschedulablePodsLeftover — pods stuck for 5 min are retried anyway. */
  private flushUnschedulable(): void {
    this.flushScheduled = false;
    const { pods, engine } = this.ctx;
    if (this.unschedulable.length === 0) return;
    const keep: number[] = [];
    let moved = false;
    for (const p of this.unschedulable) {
      if (pods.queued[p] !== InQueue.Unschedulable) continue;
      if (engine.now - pods.lastAttemptAt[p]! >= MAX_IN_UNSCHEDULABLE_S) {
        this.toActive(p);
        moved = true;
      } else keep.push(p);
    }
    this.unschedulable = keep;
    if (moved) {
      this.clusterVersion++; // let the template cache retry them
      this.wake();
    }
    if (this.unschedulable.length > 0) {
      this.flushScheduled = true;
      engine.schedule(engine.now + FLUSH_PERIOD_S, this.flushKind);
    }
  }
}
