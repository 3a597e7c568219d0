// Node lifecycle controller and taint-based eviction (reference section 5).
//
// kube: pkg/controller/nodelifecycle/node_lifecycle_controller.go
// - tryUpdateNodeHealth: once nodeMonitorGracePeriod (50 s since v1.32, PR #126287) passes
//   without a heartbeat, Ready becomes Unknown. Idealised: the last heartbeat is at the
//   instant of the crash and the 5 s monitor pass reacts at once, so Unknown at crash + 50 s.
// - MarkPodsNotReady on that transition; doNoScheduleTaintingPass adds
//   node.kubernetes.io/unreachable:NoSchedule at once.
// - processTaintBaseEviction adds unreachable:NoExecute through a per-zone rate-limited queue:
//   0.1 nodes/s (--node-eviction-rate) in a Normal zone, 0.01 in a PartialDisruption zone of
//   more than 50 nodes (else 0), 0 in FullDisruption (ComputeZoneState); a limiter starts with
//   one token (burst 1) whenever it is (re)created. If every zone is fully disrupted, all
//   nodes are marked reachable again (taints removed) and nothing is evicted.
// - Ready=True again removes both taints.
// kube: pkg/controller/tainteviction/taint_eviction.go processPodOnNode — a pod that does not
// tolerate the NoExecute taint is deleted now; otherwise at taint time + min(tolerationSeconds)
// (300 s from DefaultTolerationSeconds); removing the taint cancels it.
// The 100 ms tainting pass period is idealised to "after the other events of the same instant".

import type { SimContext } from '../context.js';
import { DynamicTaint, NodeCondition, TAINT_KEY_UNREACHABLE } from '../cluster/node-table.js';
import { noExecuteTolerationSeconds } from '../cluster/tolerations.js';
import { DeleteReason } from '../cluster/pod-lifecycle.js';
import { Cause } from '../metrics/causes.js';
import { NO_EVENT } from '../engine/engine.js';
import { grown } from '../typed-arrays.js';
import { replicationArray } from '../typed-arrays.js';

export const NODE_MONITOR_GRACE_PERIOD_S = 50;
const EVICTION_LIMITER_QPS = 0.1;
const SECONDARY_EVICTION_LIMITER_QPS = 0.01;
const LARGE_CLUSTER_THRESHOLD = 50;
const UNHEALTHY_ZONE_THRESHOLD = 0.55;

export const ZoneState = { Normal: 0, PartialDisruption: 1, FullDisruption: 2 } as const;
export type ZoneState = (typeof ZoneState)[keyof typeof ZoneState];

/**
 * kube: ComputeZoneState. `notReady` counts nodes whose Ready condition is not True.
 */
export function computeZoneState(ready: number, notReady: number): ZoneState {
  if (ready === 0 && notReady > 0) return ZoneState.FullDisruption;
  if (notReady > 2 && notReady / (notReady + ready) >= UNHEALTHY_ZONE_THRESHOLD) return ZoneState.PartialDisruption;
  return ZoneState.Normal;
}

/** kube: ReducedQPSFunc / HealthyQPSFunc via setLimiterInZone. */
export function zoneEvictionQps(state: ZoneState, zoneSize: number): number {
  switch (state) {
    case ZoneState.Normal:
      return EVICTION_LIMITER_QPS;
    case ZoneState.PartialDisruption:
      return zoneSize > LARGE_CLUSTER_THRESHOLD ? SECONDARY_EVICTION_LIMITER_QPS : 0;
    case ZoneState.FullDisruption:
      return 0;
  }
}

interface Zone {
  ready: number;
  notReady: number;
  state: ZoneState;
  qps: number;
  /** Earliest time the limiter has a token (token bucket, burst 1). */
  nextTokenAt: number;
  /** Nodes waiting for the NoExecute taint, FIFO. */
  queue: number[];
  tickKey: number;
}

export class NodeLifecycle {
  private readonly zones: Zone[] = [];
  private graceKey: Float64Array;
  private inTaintQueue: Uint8Array;
  private readonly graceKind: number;
  private readonly zoneTickKind: number;
  private readonly taintEvictKind: number;
  private allFullyDisrupted = false;

  constructor(private readonly ctx: SimContext) {
    const cap = Math.max(16, ctx.nodes.count * 2);
    this.graceKey = replicationArray(Float64Array, cap);
    this.inTaintQueue = replicationArray(Uint8Array, cap);
    this.graceKind = ctx.engine.register('node-grace-expired', (n) => this.onGraceExpired(n));
    this.zoneTickKind = ctx.engine.register('zone-taint-pass', (z) => {
      this.zones[z]!.tickKey = NO_EVENT;
      this.processZone(z);
    });
    this.taintEvictKind = ctx.engine.register('taint-eviction', (p, g) => this.onTaintEvict(p, g));
  }

  /** Counts the initial nodes into their zones. */
  start(): void {
    for (let n = 0; n < this.ctx.nodes.count; n++) this.onNodeAdded(n);
  }

  onNodeAdded(n: number): void {
    if (n >= this.graceKey.length) {
      this.graceKey = grown(this.graceKey, Math.max(n + 1, this.graceKey.length * 2));
      this.inTaintQueue = grown(this.inTaintQueue, this.graceKey.length);
    }
    const z = this.zoneOf(n);
    if (this.ctx.nodes.condition[n] === NodeCondition.Ready) z.ready++;
    else z.notReady++;
    this.recomputeStates();
  }

  /** The node object was deleted: it leaves its zone's counts. */
  onNodeRemoved(n: number): void {
    const { engine, nodes } = this.ctx;
    engine.cancel(this.graceKey[n]!);
    this.graceKey[n] = NO_EVENT;
    this.inTaintQueue[n] = 0;
    const z = this.zoneOf(n);
    if (nodes.condition[n] === NodeCondition.Ready) z.ready--;
    else z.notReady--;
    this.recomputeStates();
  }

  /** Zone key: nodes with no zone label share one zone (kube: utilnode.GetZoneKey returns ""). */
  private zoneOf(n: number): Zone {
    const zi = this.ctx.nodes.zone[n]! + 1; // -1 (no zone) -> 0
    while (this.zones.length <= zi) {
      this.zones.push({ ready: 0, notReady: 0, state: ZoneState.Normal, qps: EVICTION_LIMITER_QPS, nextTokenAt: 0, queue: [], tickKey: NO_EVENT });
    }
    return this.zones[zi]!;
  }

  /** The machine died: heartbeats stop. */
  onMachineDown(n: number): void {
    const { engine } = this.ctx;
    engine.cancel(this.graceKey[n]!);
    this.graceKey[n] = engine.schedule(engine.now + NODE_MONITOR_GRACE_PERIOD_S, this.graceKind, n);
  }

  /** The machine is back: the kubelet posts Ready at once. */
  onMachineUp(n: number): void {
    const { engine, nodes } = this.ctx;
    engine.cancel(this.graceKey[n]!);
    this.graceKey[n] = NO_EVENT;
    if (nodes.condition[n] === NodeCondition.Ready) return;
    nodes.condition[n] = NodeCondition.Ready;
    const z = this.zoneOf(n);
    z.notReady--;
    z.ready++;
    this.inTaintQueue[n] = 0; // dropped lazily from the zone queue
    nodes.setDynTaint(n, DynamicTaint.UnreachableNoSchedule, false);
    this.removeNoExecute(n);
    if (this.ctx.trace.enabled) this.ctx.trace.add(engine.now, 'node-ready', nodes.names[n]!, '', '');
    this.recomputeStates();
    this.ctx.queue.onClusterChanged();
  }

  private onGraceExpired(n: number): void {
    const { nodes, engine } = this.ctx;
    this.graceKey[n] = NO_EVENT;
    if (nodes.up[n] === 1 || nodes.condition[n] !== NodeCondition.Ready) return;
    nodes.condition[n] = NodeCondition.Unknown;
    const z = this.zoneOf(n);
    z.ready--;
    z.notReady++;
    nodes.setDynTaint(n, DynamicTaint.UnreachableNoSchedule, true);
    if (this.ctx.trace.enabled) this.ctx.trace.add(engine.now, 'node-not-ready', nodes.names[n]!, '', '');
    this.ctx.lifecycle.markPodsNotReady(n);
    // Zone states first: upstream's handleDisruption runs at the end of the monitor pass, and
    // the tainting pass (every 100 ms) only then takes the node from the queue.
    this.recomputeStates();
    this.enqueueForTaint(n);
  }

  private enqueueForTaint(n: number): void {
    if (this.inTaintQueue[n] === 1 || (this.ctx.nodes.dynTaints[n]! & DynamicTaint.UnreachableNoExecute) !== 0) return;
    this.inTaintQueue[n] = 1;
    const zi = this.ctx.nodes.zone[n]! + 1;
    this.zoneOf(n).queue.push(n);
    this.wakeZone(zi);
  }

  /**
   * Runs the zone's tainting pass after the events of this instant. Upstream the monitor pass
   * marks every node and updates zone states first; the tainting pass (every 100 ms) runs
   * after it, so a zone whose nodes all fail at once is already FullDisruption when it runs.
   */
  private wakeZone(zi: number): void {
    const z = this.zones[zi]!;
    const { engine } = this.ctx;
    if (engine.timeOf(z.tickKey) === engine.now) return;
    engine.cancel(z.tickKey);
    z.tickKey = engine.schedule(engine.now, this.zoneTickKind, zi);
  }

  /** kube: handleDisruption — zone states and limiters after a condition change. */
  private recomputeStates(): void {
    const { engine, nodes } = this.ctx;
    let allFull = this.zones.length > 0;
    for (const z of this.zones) {
      if (z.ready + z.notReady === 0) continue;
      const s = computeZoneState(z.ready, z.notReady);
      if (s !== ZoneState.FullDisruption) allFull = false;
      if (s !== z.state) {
        z.state = s;
        z.qps = zoneEvictionQps(s, z.ready + z.notReady);
        z.nextTokenAt = engine.now; // a new limiter starts with a full bucket
      }
    }
    if (allFull && !this.allFullyDisrupted) {
      // kube: "Controller detected that all Nodes are not-Ready. Entering master disruption
      // mode." — markNodeAsReachable for every node: taints off, evictions cancelled.
      this.allFullyDisrupted = true;
      for (let n = 0; n < nodes.count; n++) this.removeNoExecute(n);
    } else if (!allFull && this.allFullyDisrupted) {
      this.allFullyDisrupted = false;
      // Leaving master disruption: the next monitor pass re-queues unreachable nodes.
      for (let n = 0; n < nodes.count; n++) {
        if (nodes.exists[n] === 1 && nodes.condition[n] !== NodeCondition.Ready) this.enqueueForTaint(n);
      }
    }
    for (let zi = 0; zi < this.zones.length; zi++) if (this.zones[zi]!.queue.length > 0) this.wakeZone(zi);
  }

  /** kube: doNoExecuteTaintingPass for one zone, limited by the zone's token bucket. */
  private processZone(zi: number): void {
    const z = this.zones[zi]!;
    const { engine, nodes } = this.ctx;
    while (z.queue.length > 0) {
      if (this.allFullyDisrupted || z.qps <= 0) return; // waits for a state change
      const n = z.queue[0]!;
      if (this.inTaintQueue[n] !== 1) {
        z.queue.shift();
        continue;
      }
      if (engine.now < z.nextTokenAt) {
        if (engine.timeOf(z.tickKey) !== z.nextTokenAt) {
          engine.cancel(z.tickKey);
          z.tickKey = engine.schedule(z.nextTokenAt, this.zoneTickKind, zi);
        }
        return;
      }
      z.queue.shift();
      this.inTaintQueue[n] = 0;
      z.nextTokenAt = engine.now + 1 / z.qps;
      if (nodes.condition[n] === NodeCondition.Ready) continue;
      this.addNoExecute(n);
    }
  }

  private addNoExecute(n: number): void {
    const { nodes, pods, engine, templates } = this.ctx;
    nodes.setDynTaint(n, DynamicTaint.UnreachableNoExecute, true);
    if (this.ctx.trace.enabled) this.ctx.trace.add(engine.now, 'taint-noexecute', nodes.names[n]!, '', '');
    for (const p of pods.podsOnNode(n)) {
      if (pods.terminating[p] === 1) continue;
      const secs = noExecuteTolerationSeconds(templates[pods.tmpl[p]!]!.tolerations, TAINT_KEY_UNREACHABLE);
      if (secs === Infinity) continue;
      const at = engine.now + Math.max(0, secs);
      pods.evictTimer[p] = engine.schedule(at, this.taintEvictKind, p, pods.gen[p]!);
    }
  }

  private removeNoExecute(n: number): void {
    const { nodes, pods, engine } = this.ctx;
    if ((nodes.dynTaints[n]! & DynamicTaint.UnreachableNoExecute) === 0) return;
    nodes.setDynTaint(n, DynamicTaint.UnreachableNoExecute, false);
    for (const p of pods.podsOnNode(n)) {
      engine.cancel(pods.evictTimer[p]!);
      pods.evictTimer[p] = NO_EVENT;
    }
  }

  private onTaintEvict(p: number, gen: number): void {
    const { pods } = this.ctx;
    if (!pods.isLive(p, gen)) return;
    pods.evictTimer[p] = NO_EVENT;
    if (pods.terminating[p] === 1) return;
    this.ctx.metrics.onEvicted(p);
    // Its pod stopped serving when the machine died (charged to that failure): Other is moot.
    this.ctx.lifecycle.delete(p, DeleteReason.TaintEviction, Cause.Other);
  }
}
