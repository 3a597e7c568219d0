// Nodes as a structure of arrays: the scheduler's fit and score loops read these typed arrays
// directly, so a fit check is O(R) with no pointer chasing (kube: NodeInfo keeps running
// totals updated with +pod/-pod; we do the same with `addPod` / `removePod`).
//
// Invariants:
// - `requested[n*R + r]` is the sum of `template.requests[r]` over every pod bound to node n
//   that has not been removed from the node (terminating pods still count, as in NodeInfo).
// - `nonZeroCpu[n]` / `nonZeroMem[n]` are the same sums with the scheduler's non-zero defaults.
// - Node indices are stable for the whole replication; nodes are never removed, only marked
//   `exists = 0` (cluster-autoscaler scale-down) so ids in events stay valid.

import type { Taint } from '../../scenario/model.js';
import { fresh, grown, recycle, type NumericArray } from '../typed-arrays.js';
import { FreeCapacityIndex } from './free-capacity-index.js';

/** Condition of the node as the API server sees it (kube: NodeReady condition status). */
export const NodeCondition = {
  Ready: 0,
  /** Kubelet stopped heartbeating; the node lifecycle controller set Ready=Unknown. */
  Unknown: 1,
} as const;
export type NodeCondition = (typeof NodeCondition)[keyof typeof NodeCondition];

/**
 * Taints added and removed by controllers, kept as bits beside the static taints so the hot
 * filter never walks an array for them. Keys as upstream (k8s.io/api/core/v1 well_known_taints.go).
 */
export const DynamicTaint = {
  /** node.kubernetes.io/unschedulable:NoSchedule, from cordon (spec.unschedulable). */
  Unschedulable: 1 << 0,
  /** node.kubernetes.io/unreachable:NoSchedule (TaintNodesByCondition, Ready=Unknown). */
  UnreachableNoSchedule: 1 << 1,
  /** node.kubernetes.io/unreachable:NoExecute (taint-based eviction, Ready=Unknown). */
  UnreachableNoExecute: 1 << 2,
  /** node.kubernetes.io/not-ready:NoSchedule (Ready=False). */
  NotReadyNoSchedule: 1 << 3,
  /** node.kubernetes.io/not-ready:NoExecute (Ready=False). */
  NotReadyNoExecute: 1 << 4,
} as const;

export const TAINT_KEY_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_KEY_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_KEY_NOT_READY = 'node.kubernetes.io/not-ready';

/** Steps NodeTable.changeLog keeps (a power of two). */
export const CHANGE_LOG_SIZE = 4096;
const CHANGE_LOG_MASK = CHANGE_LOG_SIZE - 1;

export interface NodeInit {
  name: string;
  pool: number; // index into scenario.nodePools, -1 for explicit nodes
  zone: string | null;
  labels: Record<string, string>;
  taints: Taint[];
  allocatable: number[]; // per resource dimension
  maxPods: number;
  unschedulable: boolean;
}

export class NodeTable {
  /** Number of resource dimensions. */
  readonly R: number;
  count = 0;
  private cap: number;

  readonly names: string[] = [];
  readonly labels: Record<string, string>[] = [];
  readonly staticTaints: Taint[][] = [];
  /** Index into `zoneNames`, -1 = no zone label. */
  zone: Int32Array;
  readonly zoneNames: string[] = [];
  pool: Int32Array;

  allocatable: Float64Array; // [n*R + r]
  requested: Float64Array; // [n*R + r]
  nonZeroCpu: Float64Array; // millicores
  nonZeroMem: Float64Array; // bytes
  maxPods: Int32Array;
  podCount: Int32Array;

  /** 1 while the machine is physically up (kubelet running). */
  up: Uint8Array;
  /** 1 while the node object exists (0 after cluster-autoscaler removal). */
  exists: Uint8Array;
  condition: Uint8Array; // NodeCondition
  /** DynamicTaint bits. */
  dynTaints: Uint8Array;
  /** 1 if any static taint has effect NoSchedule or NoExecute (filter fast path). */
  hasHardStaticTaint: Uint8Array;
  /** 1 if any static taint has effect PreferNoSchedule (score fast path). */
  hasSoftStaticTaint: Uint8Array;

  /** Bumped whenever labels or taints of any node change; caches of static feasibility key on it. */
  topologyVersion = 0;
  /**
   * Bumped when the node set changes (add, or `exists` cleared by NodeChanges.removeNode) and by
   * `staticChanged()`: whoever changes a node's labels or static taints in place must call it, so the scheduler snapshot and the topology domains, which
   * depend only on those, re-check only on this bump, not on every dynamic taint flip.
   */
  staticVersion = 0;
  /** Bumped by every addPod / removePod (caches of which pods sit where key on it). */
  podVersion = 0;

  /**
   * A stamp per node, set from `resourceClock` whenever the node's allocatable, requested or
   * pod count change (add / addPod / removePod): a cache of anything computed from them is
   * valid while the stamp it recorded is still the node's. Never 0 after `add`.
   */
  resourceStamp: Float64Array;
  private resourceClock = 0;

  /**
   * A journal of the nodes whose free resources, pod count or dynamic taints changed, for
   * caches that follow changes instead of re-reading every node (the scheduler's per-template
   * totals): node `changeLog[s & CHANGE_LOG_MASK]` changed at step s, for s < changeSeq. Only
   * the last CHANGE_LOG_SIZE steps are kept; a cache that fell further behind rebuilds.
   */
  changeLog: Int32Array;
  changeSeq = 0;

  /** Built on first request (first-fit), then kept current by add / addPod / removePod. */
  private freeIndex: FreeCapacityIndex | null = null;

  constructor(resourceDims: number, initialCapacity = 16) {
    this.R = resourceDims;
    this.cap = Math.max(1, initialCapacity);
    const c = this.cap;
    this.zone = fresh(Int32Array, c);
    this.pool = fresh(Int32Array, c);
    this.allocatable = fresh(Float64Array, c * resourceDims);
    this.requested = fresh(Float64Array, c * resourceDims);
    this.nonZeroCpu = fresh(Float64Array, c);
    this.nonZeroMem = fresh(Float64Array, c);
    this.maxPods = fresh(Int32Array, c);
    this.podCount = fresh(Int32Array, c);
    this.up = fresh(Uint8Array, c);
    this.exists = fresh(Uint8Array, c);
    this.condition = fresh(Uint8Array, c);
    this.dynTaints = fresh(Uint8Array, c);
    this.hasHardStaticTaint = fresh(Uint8Array, c);
    this.hasSoftStaticTaint = fresh(Uint8Array, c);
    this.resourceStamp = fresh(Float64Array, c);
    // Reused from the previous replication in this thread (recycleTables), like the columns:
    // a 16 KiB array per replication was 2% of a small scenario's replication.
    this.changeLog = fresh(Int32Array, CHANGE_LOG_SIZE);
  }

  /**
   * Hands the columns and the change log to the thread's spare arrays (typed-arrays.ts) for the
   * next replication's table. The table must not be used afterwards.
   */
  recycleTables(): void {
    if (this.cap === 0) return; // released already
    const tables: NumericArray[] = [
      this.zone, this.pool, this.allocatable, this.requested, this.nonZeroCpu, this.nonZeroMem, this.maxPods, this.podCount, this.up,
      this.exists, this.condition, this.dynTaints, this.hasHardStaticTaint, this.hasSoftStaticTaint, this.resourceStamp, this.changeLog,
    ];
    recycle(tables);
    this.cap = this.count = 0;
  }

  /** Appends a node and returns its index. Amortised O(R). */
  add(init: NodeInit): number {
    if (this.count === this.cap) this.grow(this.cap * 2);
    const n = this.count++;
    this.names.push(init.name);
    this.labels.push(init.labels);
    this.staticTaints.push(init.taints);
    let z = -1;
    if (init.zone !== null) {
      z = this.zoneNames.indexOf(init.zone);
      if (z < 0) {
        z = this.zoneNames.length;
        this.zoneNames.push(init.zone);
      }
    }
    this.zone[n] = z;
    this.pool[n] = init.pool;
    for (let r = 0; r < this.R; r++) this.allocatable[n * this.R + r] = init.allocatable[r] ?? 0;
    this.maxPods[n] = init.maxPods;
    this.up[n] = 1;
    this.exists[n] = 1;
    this.condition[n] = NodeCondition.Ready;
    this.dynTaints[n] = init.unschedulable ? DynamicTaint.Unschedulable : 0;
    this.hasHardStaticTaint[n] = init.taints.some((t) => t.effect !== 'PreferNoSchedule') ? 1 : 0;
    this.hasSoftStaticTaint[n] = init.taints.some((t) => t.effect === 'PreferNoSchedule') ? 1 : 0;
    this.topologyVersion++;
    this.staticVersion++;
    this.resourceStamp[n] = ++this.resourceClock;
    this.logChange(n);
    this.freeIndex?.update(n);
    return n;
  }

  /** The index over free capacity (free-capacity-index.ts), built on the first call. O(R n) once. */
  freeCapacityIndex(): FreeCapacityIndex {
    this.freeIndex ??= new FreeCapacityIndex(this);
    return this.freeIndex;
  }

  /** Accounts a pod's requests on node n (kube: NodeInfo.AddPod). O(R). */
  addPod(n: number, requests: ArrayLike<number>, nonZeroCpuMilli: number, nonZeroMemBytes: number): void {
    const base = n * this.R;
    for (let r = 0; r < this.R; r++) this.requested[base + r] += requests[r]!;
    this.nonZeroCpu[n] += nonZeroCpuMilli;
    this.nonZeroMem[n] += nonZeroMemBytes;
    this.podCount[n]++;
    this.podVersion++;
    this.resourceStamp[n] = ++this.resourceClock;
    this.logChange(n);
    this.freeIndex?.update(n);
  }

  /** Reverses addPod (kube: NodeInfo.RemovePod). O(R). */
  removePod(n: number, requests: ArrayLike<number>, nonZeroCpuMilli: number, nonZeroMemBytes: number): void {
    const base = n * this.R;
    for (let r = 0; r < this.R; r++) this.requested[base + r] -= requests[r]!;
    this.nonZeroCpu[n] -= nonZeroCpuMilli;
    this.nonZeroMem[n] -= nonZeroMemBytes;
    this.podCount[n]--;
    this.podVersion++;
    this.resourceStamp[n] = ++this.resourceClock;
    this.logChange(n);
    this.freeIndex?.update(n);
  }

  /** Call after changing a node's labels, static taints or `exists` in place: bumps both versions. */
  staticChanged(): void {
    this.topologyVersion++;
    this.staticVersion++;
  }

  setDynTaint(n: number, bit: number, on: boolean): void {
    const before = this.dynTaints[n]!;
    const after = on ? before | bit : before & ~bit;
    if (after !== before) {
      this.dynTaints[n] = after;
      this.topologyVersion++;
      this.logChange(n);
    }
  }

  private logChange(n: number): void {
    this.changeLog[this.changeSeq & CHANGE_LOG_MASK] = n;
    this.changeSeq++;
  }

  private grow(c: number): void {
    const R = this.R;
    this.zone = grown(this.zone, c);
    this.pool = grown(this.pool, c);
    this.allocatable = grown(this.allocatable, c * R);
    this.requested = grown(this.requested, c * R);
    this.nonZeroCpu = grown(this.nonZeroCpu, c);
    this.nonZeroMem = grown(this.nonZeroMem, c);
    this.maxPods = grown(this.maxPods, c);
    this.podCount = grown(this.podCount, c);
    this.up = grown(this.up, c);
    this.exists = grown(this.exists, c);
    this.condition = grown(this.condition, c);
    this.dynTaints = grown(this.dynTaints, c);
    this.hasHardStaticTaint = grown(this.hasHardStaticTaint, c);
    this.hasSoftStaticTaint = grown(this.hasSoftStaticTaint, c);
    this.resourceStamp = grown(this.resourceStamp, c);
    this.cap = c;
  }
}
