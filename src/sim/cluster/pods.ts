// Pods as a structure of arrays with a free list: a pod is an integer id, and its state lives
// in typed arrays, so creating and deleting pods at scale allocates nothing per pod once the
// arrays have grown. Names are derived only when output needs them (`<workload>-<ordinal>`).
//
// Each pod id also has a generation, bumped when the id is released; events about a pod carry
// (id, generation) so an event for a pod that is gone is recognised and ignored.
//
// Pods bound to a node are threaded on an intrusive doubly-linked list per node
// (`nodeHead` -> `nextOnNode`), so "every pod on node n" is O(pods on n) and add/remove O(1).

import { NO_EVENT } from '../engine/engine.js';
import { fresh, grown, recycle, type NumericArray } from '../typed-arrays.js';

/** kube: v1.PodPhase. A bound pod whose containers are starting is Running but not Ready here. */
export const PodPhase = {
  Pending: 0, // not yet bound to a node
  Running: 1,
  Succeeded: 2,
  Failed: 3,
} as const;
export type PodPhase = (typeof PodPhase)[keyof typeof PodPhase];

export class PodStore {
  private cap: number;
  /** Live pods (allocated ids). */
  live = 0;

  owner: Int32Array; // workload index
  tmpl: Int32Array; // compiled template index
  /**
   * Which instance of its workload the pod belongs to: the ReplicaSet (index into a
   * Deployment's revision list), the Job (JobController id: a Job or one CronJob run), or the
   * template revision of a StatefulSet / DaemonSet pod; 0 for bare pods.
   */
  rs: Int32Array;
  /** kube: IsPodAvailable — Ready for at least minReadySeconds. */
  available: Uint8Array;
  node: Int32Array; // bound node, -1 = unbound
  ordinal: Int32Array; // per-owner sequence number, for names
  gen: Int32Array;
  phase: Uint8Array;
  /** Ready condition as the API server sees it (what PDBs and controllers read). */
  apiReady: Uint8Array;
  /** Containers up and serving on a live machine (what availability measures, SPEC 4). */
  serving: Uint8Array;
  /** deletionTimestamp is set. */
  terminating: Uint8Array;
  /** In the scheduling queue (active, backoff or unschedulable). */
  queued: Uint8Array;
  /** Has been Ready at least once (startup latency is recorded once). */
  everReady: Uint8Array;
  createdAt: Float64Array; // s
  boundAt: Float64Array; // s
  readySince: Float64Array; // s, time apiReady last became 1
  deletedAt: Float64Array; // s
  /** Pending lifecycle event (became-ready or termination-finished), or NO_EVENT. */
  timer: Float64Array;
  /** Pending taint-based eviction, or NO_EVENT. */
  evictTimer: Float64Array;
  /** Scheduling attempts that failed, and the time of the last attempt (queue backoff). */
  attempts: Int32Array;
  lastAttemptAt: Float64Array;
  /** Pending container crash, or NO_EVENT (behavior.crash). */
  crashTimer: Float64Array;
  /** Kubelet restart backoff entry (client-go flowcontrol.Backoff): current delay in s (0 =
   * no entry) and when it was last updated. */
  backoffS: Float64Array;
  backoffUpdatedAt: Float64Array;
  /** Container restarts so far (kube: max restartCount over the pod's containers). */
  restartCount: Int32Array;

  nextOnNode: Int32Array;
  prevOnNode: Int32Array;
  nodeHead: Int32Array; // per node, -1 = none
  /** Live pods of each owner as an intrusive doubly linked list (HPA metrics walk one workload's pods). */
  nextOfOwner: Int32Array;
  prevOfOwner: Int32Array;
  ownerHead: Int32Array; // per workload, -1 = none

  private freeIds: Int32Array;
  private freeTop = 0;
  private used = 0;
  private released = false;

  constructor(initialCapacity = 1024, nodeCapacity = 64) {
    this.cap = initialCapacity;
    const c = initialCapacity;
    this.owner = fresh(Int32Array, c);
    this.tmpl = fresh(Int32Array, c);
    this.rs = fresh(Int32Array, c);
    this.available = fresh(Uint8Array, c);
    this.node = fresh(Int32Array, c);
    this.ordinal = fresh(Int32Array, c);
    this.gen = fresh(Int32Array, c);
    this.phase = fresh(Uint8Array, c);
    this.apiReady = fresh(Uint8Array, c);
    this.serving = fresh(Uint8Array, c);
    this.terminating = fresh(Uint8Array, c);
    this.queued = fresh(Uint8Array, c);
    this.everReady = fresh(Uint8Array, c);
    this.createdAt = fresh(Float64Array, c);
    this.boundAt = fresh(Float64Array, c);
    this.readySince = fresh(Float64Array, c);
    this.deletedAt = fresh(Float64Array, c);
    this.timer = fresh(Float64Array, c);
    this.evictTimer = fresh(Float64Array, c);
    this.attempts = fresh(Int32Array, c);
    this.lastAttemptAt = fresh(Float64Array, c);
    this.crashTimer = fresh(Float64Array, c);
    this.backoffS = fresh(Float64Array, c);
    this.backoffUpdatedAt = fresh(Float64Array, c);
    this.restartCount = fresh(Int32Array, c);
    this.nextOnNode = fresh(Int32Array, c);
    this.prevOnNode = fresh(Int32Array, c);
    this.freeIds = fresh(Int32Array, c);
    this.nodeHead = fresh(Int32Array, nodeCapacity).fill(-1);
    this.nextOfOwner = fresh(Int32Array, c);
    this.prevOfOwner = fresh(Int32Array, c);
    this.ownerHead = fresh(Int32Array, 16).fill(-1);
  }

  /** Allocates a fresh Pending, unbound pod. O(1) amortised. */
  alloc(owner: number, tmpl: number, ordinal: number, now: number, rs = 0): number {
    let id: number;
    if (this.freeTop > 0) id = this.freeIds[--this.freeTop]!;
    else {
      if (this.used === this.cap) this.grow(this.cap * 2);
      id = this.used++;
    }
    this.live++;
    this.owner[id] = owner;
    this.tmpl[id] = tmpl;
    this.rs[id] = rs;
    this.available[id] = 0;
    this.node[id] = -1;
    this.ordinal[id] = ordinal;
    this.phase[id] = PodPhase.Pending;
    this.apiReady[id] = 0;
    this.serving[id] = 0;
    this.terminating[id] = 0;
    this.queued[id] = 0;
    this.everReady[id] = 0;
    this.createdAt[id] = now;
    this.boundAt[id] = NaN;
    this.readySince[id] = NaN;
    this.deletedAt[id] = NaN;
    this.timer[id] = NO_EVENT;
    this.evictTimer[id] = NO_EVENT;
    this.attempts[id] = 0;
    this.lastAttemptAt[id] = NaN;
    this.crashTimer[id] = NO_EVENT;
    this.backoffS[id] = 0;
    this.backoffUpdatedAt[id] = NaN;
    this.restartCount[id] = 0;
    this.nextOnNode[id] = -1;
    this.prevOnNode[id] = -1;
    this.linkToOwner(id, owner);
    return id;
  }

  private linkToOwner(id: number, w: number): void {
    if (w >= this.ownerHead.length) {
      const old = this.ownerHead.length;
      this.ownerHead = grown(this.ownerHead, Math.max(w + 1, old * 2));
      this.ownerHead.fill(-1, old);
    }
    const head = this.ownerHead[w]!;
    this.nextOfOwner[id] = head;
    this.prevOfOwner[id] = -1;
    if (head >= 0) this.prevOfOwner[head] = id;
    this.ownerHead[w] = id;
  }

  private unlinkFromOwner(id: number): void {
    const prev = this.prevOfOwner[id]!;
    const next = this.nextOfOwner[id]!;
    if (prev >= 0) this.nextOfOwner[prev] = next;
    else this.ownerHead[this.owner[id]!] = next;
    if (next >= 0) this.prevOfOwner[next] = prev;
  }

  /** First live pod of workload w (then follow nextOfOwner), -1 if none. O(1). */
  firstOfOwner(w: number): number {
    return w < this.ownerHead.length ? this.ownerHead[w]! : -1;
  }

  /** Releases the id; its generation changes so stale events about it are ignored. */
  release(id: number): void {
    this.gen[id] = (this.gen[id]! + 1) | 0;
    this.unlinkFromOwner(id);
    this.owner[id] = -1;
    this.queued[id] = 0;
    this.freeIds[this.freeTop++] = id;
    this.live--;
  }

  /** Ids below this have been handed out at least once (iterate `0..highWater`, skip owner < 0). */
  get highWater(): number {
    return this.used;
  }

  isLive(id: number, gen: number): boolean {
    return this.gen[id] === gen && this.owner[id]! >= 0;
  }

  /** Threads pod `id` onto node n's list. */
  linkToNode(id: number, n: number): void {
    if (n >= this.nodeHead.length) {
      const old = this.nodeHead.length;
      this.nodeHead = grown(this.nodeHead, Math.max(n + 1, old * 2));
      this.nodeHead.fill(-1, old);
    }
    this.node[id] = n;
    const head = this.nodeHead[n]!;
    this.nextOnNode[id] = head;
    this.prevOnNode[id] = -1;
    if (head >= 0) this.prevOnNode[head] = id;
    this.nodeHead[n] = id;
  }

  unlinkFromNode(id: number): void {
    const n = this.node[id]!;
    if (n < 0) return;
    const prev = this.prevOnNode[id]!;
    const next = this.nextOnNode[id]!;
    if (prev >= 0) this.nextOnNode[prev] = next;
    else this.nodeHead[n] = next;
    if (next >= 0) this.prevOnNode[next] = prev;
    this.nextOnNode[id] = -1;
    this.prevOnNode[id] = -1;
  }

  /** Pods on node n, as a fresh array (callers mutate pods while walking, so we snapshot). */
  podsOnNode(n: number): number[] {
    const out: number[] = [];
    if (n >= this.nodeHead.length) return out;
    for (let p = this.nodeHead[n]!; p >= 0; p = this.nextOnNode[p]!) out.push(p);
    return out;
  }

  /**
   * Hands every column to the thread's spare arrays (typed-arrays.ts) for the next replication's
   * store. The store must not be used afterwards.
   */
  recycleTables(): void {
    if (this.released) return;
    this.released = true;
    const columns: NumericArray[] = [
      this.owner, this.tmpl, this.rs, this.available, this.node, this.ordinal, this.gen, this.phase, this.apiReady, this.serving,
      this.terminating, this.queued, this.everReady, this.createdAt, this.boundAt, this.readySince, this.deletedAt, this.timer,
      this.evictTimer, this.attempts, this.lastAttemptAt, this.crashTimer, this.backoffS, this.backoffUpdatedAt, this.restartCount,
      this.nextOnNode, this.prevOnNode, this.freeIds, this.nodeHead, this.nextOfOwner, this.prevOfOwner, this.ownerHead,
    ];
    recycle(columns);
    this.cap = this.used = this.freeTop = this.live = 0;
  }

  private grow(c: number): void {
    this.owner = grown(this.owner, c);
    this.tmpl = grown(this.tmpl, c);
    this.rs = grown(this.rs, c);
    this.available = grown(this.available, c);
    this.node = grown(this.node, c);
    this.ordinal = grown(this.ordinal, c);
    this.gen = grown(this.gen, c);
    this.phase = grown(this.phase, c);
    this.apiReady = grown(this.apiReady, c);
    this.serving = grown(this.serving, c);
    this.terminating = grown(this.terminating, c);
    this.queued = grown(this.queued, c);
    this.everReady = grown(this.everReady, c);
    this.createdAt = grown(this.createdAt, c);
    this.boundAt = grown(this.boundAt, c);
    this.readySince = grown(this.readySince, c);
    this.deletedAt = grown(this.deletedAt, c);
    this.timer = grown(this.timer, c);
    this.evictTimer = grown(this.evictTimer, c);
    this.attempts = grown(this.attempts, c);
    this.lastAttemptAt = grown(this.lastAttemptAt, c);
    this.crashTimer = grown(this.crashTimer, c);
    this.backoffS = grown(this.backoffS, c);
    this.backoffUpdatedAt = grown(this.backoffUpdatedAt, c);
    this.restartCount = grown(this.restartCount, c);
    this.nextOnNode = grown(this.nextOnNode, c);
    this.prevOnNode = grown(this.prevOnNode, c);
    this.nextOfOwner = grown(this.nextOfOwner, c);
    this.prevOfOwner = grown(this.prevOfOwner, c);
    this.freeIds = grown(this.freeIds, c);
    this.cap = c;
  }
}
