// cluster-autoscaler (kubernetes/autoscaler, core/static_autoscaler.go RunOnce), one loop per
// --scan-interval (10 s):
//
// Scale-up (core/scaleup/orchestrator ScaleUp):
// - the pods the scheduler marked unschedulable are the input; those that fit on nodes already
//   being provisioned are left out (upcoming nodes are in the autoscaler's snapshot);
// - for each listed pool with room under `max`, the binpacking estimate (binpacking.ts) on the
//   pool's template node (template-node.ts) says how many nodes would help; the default
//   `random` expander picks one option; the pool grows by that many nodes, which join after
//   the pool's provisioningTime.
// Scale-down (core/scaledown: planner + actuator, legacy one-node-at-a-time mode):
// - a Ready, schedulable node of a listed pool is unneeded while its utilization
//   (simulator/utilization.Calculate: max of cpu and memory requested / allocatable, DaemonSet
//   pods included as with --ignore-daemonsets-utilization=false; a GPU node counts its GPUs
//   only) is below scaleDownUtilization and every pod on it can move: DaemonSet pods stay,
//   pods with no controller or with local storage (emptyDir) block
//   (drainability rules), a pod whose PodDisruptionBudget allows no more disruptions blocks,
//   and the others must pass the scheduler's filters on another node, each placement
//   counting against the next (simulator.RemovalSimulator.FindNodesToRemove);
// - a node unneeded for scaleDownDelay (--scale-down-unneeded-time) is removed, unless the
//   pool is at `min` or a scale-up happened less than --scale-down-delay-after-add ago: empty
//   nodes up to 10 at once (--max-empty-bulk-delete), else one non-empty node per loop;
// - removal is a drain through the eviction API (PDBs respected, retried), bounded by
//   --max-graceful-termination-sec; then the node is deleted. A drain that fails or times out
//   leaves the node, uncordoned.
// Nodes that are cordoned, NotReady or down are left alone (scale-down of unready nodes,
// --scale-down-unready-time, is not simulated).

import { Cause } from '../metrics/causes.js';
import type { SimContext } from '../context.js';
import type { ClusterAutoscaler as Config } from '../../scenario/model.js';
import { RESOURCE_CPU, RESOURCE_MEMORY } from '../../scenario/model.js';
import type { NodeChanges } from '../cluster/node-changes.js';
import { DynamicTaint, NodeCondition } from '../cluster/node-table.js';
import { PodPhase } from '../cluster/pods.js';
import { DrainOutcome } from '../disruption/drain.js';
import type { Rng } from '../random/streams.js';
import { grown } from '../typed-arrays.js';
import { binpack, type Estimate } from './binpacking.js';
import { TemplateNode } from './template-node.js';
import { replicationArray } from '../typed-arrays.js';

/** --max-empty-bulk-delete default. */
export const MAX_EMPTY_BULK_DELETE = 10;

export class ClusterAutoscaler {
  private readonly scanKind: number;
  private readonly provisionedKind: number;
  private readonly expanderRng: Rng;
  /** Autoscaled pool flags, by pool index. */
  private readonly autoscaled: Uint8Array;
  /** Nodes ordered from the cloud and not yet joined, per pool. */
  private readonly upcoming: Int32Array;
  /** Per node: when it became unneeded (NaN: it is not), and whether it is being removed. */
  private unneededSince: Float64Array;
  private deleting: Uint8Array;
  private lastScaleUpAt = -Infinity;
  private readonly gpuDim: number;
  // Scratch reused by every loop.
  private readonly pending: number[] = [];
  private readonly moved: number[] = [];
  private readonly pdbUsed: Int32Array;
  private readonly empty: number[] = [];
  /** Nodes left per pool (index pool + 1; 0 = explicit nodes) during one scale-down pass. */
  private readonly poolLeft: Int32Array;
  private nextDestination = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly cfg: Config,
    private readonly changes: NodeChanges,
  ) {
    const P = ctx.scenario.nodePools.length;
    this.autoscaled = replicationArray(Uint8Array, P);
    for (const pi of cfg.pools) this.autoscaled[pi] = 1;
    this.upcoming = replicationArray(Int32Array, P);
    this.unneededSince = replicationArray(Float64Array, 16).fill(NaN);
    this.deleting = replicationArray(Uint8Array, 16);
    this.gpuDim = ctx.scenario.resourceNames.indexOf('nvidia.com/gpu');
    this.pdbUsed = replicationArray(Int32Array, ctx.scenario.pdbs.length);
    this.poolLeft = replicationArray(Int32Array, P + 1);
    this.expanderRng = ctx.streams.stream('cluster-autoscaler/expander');
    this.scanKind = ctx.engine.register('cluster-autoscaler-scan', () => this.runOnce());
    this.provisionedKind = ctx.engine.register('cluster-autoscaler-node-ready', (pi) => this.onProvisioned(pi));
  }

  start(): void {
    this.ctx.engine.schedule(this.cfg.scanIntervalS, this.scanKind);
  }

  private runOnce(): void {
    const { engine } = this.ctx;
    engine.schedule(engine.now + this.cfg.scanIntervalS, this.scanKind);
    this.ensureCapacity(this.ctx.nodes.count);
    this.scaleUp();
    this.scaleDown();
  }

  /** Nodes of pool pi that exist now. O(nodes). */
  private poolSize(pi: number): number {
    const { nodes } = this.ctx;
    let k = 0;
    for (let n = 0; n < nodes.count; n++) if (nodes.pool[n] === pi && nodes.exists[n] === 1) k++;
    return k;
  }

  // --- scale-up ------------------------------------------------------------------------------

  private scaleUp(): void {
    const { ctx } = this;
    const pending = this.pending;
    pending.length = 0;
    ctx.queue.collectUnschedulable(pending);
    if (pending.length === 0) return;
    const podOf = (p: number) => ctx.templates[ctx.pods.tmpl[p]!]!;
    let remaining: number[] = pending;
    // Pods that the nodes already ordered will take.
    for (const pi of this.cfg.pools) {
      if (this.upcoming[pi]! === 0 || remaining.length === 0) continue;
      const t = new TemplateNode(ctx, pi, this.changes.nextIndexOf(pi));
      const est = binpack(remaining, podOf, t, this.upcoming[pi]!);
      if (est.placed.length > 0) {
        const taken = new Set(est.placed);
        remaining = remaining.filter((p) => !taken.has(p));
      }
    }
    if (remaining.length === 0) return;
    const options: { pool: number; est: Estimate }[] = [];
    for (const pi of this.cfg.pools) {
      const room = this.cfg.max - this.poolSize(pi) - this.upcoming[pi]!;
      if (room <= 0) continue;
      const est = binpack(remaining, podOf, new TemplateNode(ctx, pi, this.changes.nextIndexOf(pi) + this.upcoming[pi]!), room);
      if (est.nodes > 0) options.push({ pool: pi, est });
    }
    if (options.length === 0) return;
    // kube: expander/random — one option uniformly at random (one draw only when there is a choice).
    const pick = options.length === 1 ? options[0]! : options[Math.floor(this.expanderRng() * options.length)]!;
    const pi = pick.pool;
    const k = pick.est.nodes;
    this.upcoming[pi] += k;
    this.lastScaleUpAt = ctx.engine.now;
    if (ctx.trace.enabled) ctx.trace.add(ctx.engine.now, 'scale-up', '', '', '', `${ctx.scenario.nodePools[pi]!.name} +${k} for ${pick.est.placed.length} pods`);
    const at = ctx.engine.now + ctx.scenario.nodePools[pi]!.provisioningTimeS;
    for (let i = 0; i < k; i++) ctx.engine.schedule(at, this.provisionedKind, pi);
  }

  private onProvisioned(pi: number): void {
    this.upcoming[pi]--;
    this.changes.addPoolNode(pi);
  }

  /** Per-node arrays cover nodes 0..count-1 (nodes join at any time). */
  private ensureCapacity(count: number): void {
    if (count <= this.deleting.length) return;
    const size = Math.max(count, this.deleting.length * 2);
    const old = this.unneededSince.length;
    this.unneededSince = grown(this.unneededSince, size).fill(NaN, old);
    this.deleting = grown(this.deleting, size);
  }

  // --- scale-down ----------------------------------------------------------------------------

  /** kube: utilization.Calculate — max(cpu, memory) requested / allocatable; GPUs only on a GPU node. */
  utilization(n: number): number {
    const { nodes } = this.ctx;
    const base = n * nodes.R;
    if (this.gpuDim >= 0 && nodes.allocatable[base + this.gpuDim]! > 0) return nodes.requested[base + this.gpuDim]! / nodes.allocatable[base + this.gpuDim]!;
    const cpuAlloc = nodes.allocatable[base + RESOURCE_CPU]!;
    const memAlloc = nodes.allocatable[base + RESOURCE_MEMORY]!;
    const cpu = cpuAlloc > 0 ? nodes.requested[base + RESOURCE_CPU]! / cpuAlloc : 0;
    const mem = memAlloc > 0 ? nodes.requested[base + RESOURCE_MEMORY]! / memAlloc : 0;
    return cpu > mem ? cpu : mem;
  }

  /** Existing nodes per pool not already being removed, into `this.poolLeft`. O(nodes). */
  private countPools(): void {
    const { nodes } = this.ctx;
    this.poolLeft.fill(0);
    for (let n = 0; n < nodes.count; n++) if (nodes.exists[n] === 1 && this.deleting[n] === 0) this.poolLeft[nodes.pool[n]! + 1]!++;
  }

  private scaleDown(): void {
    const { nodes, engine } = this.ctx;
    const now = engine.now;
    const empty = this.empty;
    empty.length = 0;
    let nonEmpty = -1;
    this.countPools();
    for (let n = 0; n < nodes.count; n++) {
      const pi = nodes.pool[n]!;
      if (pi < 0 || this.autoscaled[pi] !== 1 || nodes.exists[n] !== 1) continue;
      // A pool at its minimum has no removable node (unremovable: NodeGroupMinSizeReached),
      // which also spares the simulation below.
      const eligible =
        this.deleting[n] === 0 &&
        this.poolLeft[pi + 1]! > this.cfg.min &&
        nodes.up[n] === 1 &&
        nodes.condition[n] === NodeCondition.Ready &&
        (nodes.dynTaints[n]! & DynamicTaint.Unschedulable) === 0 &&
        this.utilization(n) < this.cfg.scaleDownUtilization;
      const movable = eligible ? this.podsCanMove(n) : -1;
      if (movable < 0) {
        this.unneededSince[n] = NaN;
        continue;
      }
      if (Number.isNaN(this.unneededSince[n]!)) this.unneededSince[n] = now;
      if (now - this.unneededSince[n]! < this.cfg.scaleDownDelayS) continue;
      if (movable === 0) empty.push(n);
      else if (nonEmpty < 0) nonEmpty = n;
    }
    // kube: scale-down in cooldown after a scale-up; unneeded times still advance.
    if (now < this.lastScaleUpAt + this.cfg.scaleDownDelayAfterAddS) return;
    let removed = 0;
    for (let i = 0; i < empty.length && removed < MAX_EMPTY_BULK_DELETE; i++) {
      const n = empty[i]!;
      const pi = nodes.pool[n]!;
      if (this.poolLeft[pi + 1]! <= this.cfg.min) continue;
      this.poolLeft[pi + 1]!--;
      this.remove(n);
      removed++;
    }
    if (removed > 0 || nonEmpty < 0) return;
    this.remove(nonEmpty);
  }

  /**
   * Simulates moving node n's pods elsewhere: -1 if one cannot move, else how many would move
   * (0: only DaemonSet or finished pods). The cluster is left exactly as it was.
   */
  private podsCanMove(n: number): number {
    const { pods, nodes, scenario, templates, scheduler } = this.ctx;
    const moved = this.moved;
    moved.length = 0;
    let ok = true;
    this.pdbUsed.fill(0);
    for (let p = pods.nodeHead[n]!; p >= 0 && ok; p = pods.nextOnNode[p]!) {
      if (pods.terminating[p] === 1 || pods.phase[p] === PodPhase.Succeeded || pods.phase[p] === PodPhase.Failed) continue;
      const w = scenario.workloads[pods.owner[p]!]!;
      if (w.kind === 'DaemonSet') continue;
      // Drainability: no controller, or local storage.
      if (w.kind === 'Pod' || w.template.usesEmptyDir) {
        ok = false;
        break;
      }
      for (const i of this.ctx.pdbs.pdbsOf(pods.owner[p]!)) {
        if (this.ctx.pdbs.status(i).disruptionsAllowed - this.pdbUsed[i]! < 1) ok = false;
        this.pdbUsed[i]!++;
      }
      if (!ok) break;
      const sp = templates[pods.tmpl[p]!]!;
      let dest = -1;
      const count = nodes.count;
      for (let k = 0; k < count; k++) {
        const m = (this.nextDestination + k) % count;
        if (m === n || this.deleting[m] === 1) continue;
        if (scheduler.fits(sp, m)) {
          dest = m;
          break;
        }
      }
      if (dest < 0) {
        ok = false;
        break;
      }
      this.nextDestination = dest;
      nodes.addPod(dest, sp.requests, sp.nonZeroCpuMilli, sp.nonZeroMemoryBytes);
      moved.push(dest, pods.tmpl[p]!);
    }
    const movedCount = moved.length / 2;
    for (let i = 0; i < moved.length; i += 2) {
      const sp = templates[moved[i + 1]!]!;
      nodes.removePod(moved[i]!, sp.requests, sp.nonZeroCpuMilli, sp.nonZeroMemoryBytes);
    }
    return ok ? movedCount : -1;
  }

  private remove(n: number): void {
    const { ctx } = this;
    this.deleting[n] = 1;
    if (ctx.trace.enabled) ctx.trace.add(ctx.engine.now, 'scale-down', ctx.nodes.names[n]!, '', '', `unneeded since ${this.unneededSince[n]}`);
    ctx.drains.drainNode(n, { timeoutS: this.cfg.maxGracefulTerminationS, force: false, deleteEmptyDirData: false, label: 'cluster-autoscaler', cause: Cause.Autoscaler }, (outcome) => {
      if (outcome === DrainOutcome.Completed) {
        this.changes.removeNode(n, Cause.Autoscaler);
        return;
      }
      // kube: the actuator gives up, removes its ToBeDeleted taint; the node stays.
      this.deleting[n] = 0;
      this.unneededSince[n] = NaN;
      ctx.drains.uncordon(n);
    });
  }
}
