// The exact mode: every request is simulated. Arrivals are Poisson (one pending engine event
// per service at a time); the service is one FIFO queue in front of the pooled slots of its
// serving pods (serving pods × concurrency), as a load balancer that hands a request to the
// first free slot would. A request
// - arriving with no serving pod, or finding `maxQueue` requests waiting, is dropped;
// - still waiting after `timeout` is dropped (checked when it reaches the head of the queue;
//   in a FIFO queue that is the same as abandoning at the deadline, since an abandoned request
//   never takes a slot);
// - in flight on slots that disappear (a pod stops serving) fails and counts as dropped: as
//   many as exceed the remaining slots (the pooled model packs the survivors onto the remaining
//   pods), chosen deterministically (the end of the in-flight list); with no serving pod left,
//   every in-flight and waiting request fails.
// Latency (wait + service) is recorded for requests that arrived inside the window and
// completed before the horizon. Requests still queued or in flight at the horizon are left
// out, except queued ones already past their timeout (dropped).
//
// Per request: O(log events) for its completion event, no allocation once the typed arrays
// have grown. Meant for validation and low rates; `fast` handles the rest.

import type { Engine } from '../engine/engine.js';
import type { MeasureWindow } from '../metrics/window.js';
import { Samples } from '../metrics/window.js';
import type { Rng } from '../random/streams.js';
import { sample } from '../random/sample.js';
import { grown } from '../typed-arrays.js';
import type { TrafficParams } from './state-model.js';
import { replicationArray } from '../typed-arrays.js';

export class ExactService {
  slots = 0;
  busy = 0;
  /** Requests arrived in the window (all, and while disrupted), and of those dropped. */
  arrivals = 0;
  arrivalsHit = 0;
  dropped = 0;
  droppedHit = 0;
  readonly latency = new Samples();
  readonly latencyHit = new Samples();
  /** ∫ busy/slots dt and ∫ [slots > 0] dt over the window. */
  utilIntegral = 0;
  slotTimeS = 0;
  /** Set by the owner on every change of the serving count (arrivals copy it). */
  disrupted = false;

  // FIFO queue of waiting requests: arrival time and disrupted flag, a ring buffer.
  private qT = replicationArray(Float64Array, 64);
  private qHit = replicationArray(Uint8Array, 64);
  private qHead = 0;
  private qLen = 0;

  // In-flight requests: stable ids (the completion event's argument) with a free list, plus a
  // dense list of the live ones (swap-removed) to pick the failures when slots disappear.
  private fT = replicationArray(Float64Array, 64);
  private fHit = replicationArray(Uint8Array, 64);
  private fKey = replicationArray(Float64Array, 64);
  private fPos = replicationArray(Int32Array, 64);
  private dense = replicationArray(Int32Array, 64);
  private free = replicationArray(Int32Array, 64);
  private freeTop = 0;
  private used = 0;
  private utilSince = 0;
  private readonly maxQueue: number;

  constructor(
    private readonly p: TrafficParams,
    private readonly engine: Engine,
    private readonly w: MeasureWindow,
    private readonly arrivalsRng: Rng,
    private readonly serviceRng: Rng,
    private readonly doneKind: number,
    private readonly index: number,
  ) {
    this.maxQueue = p.maxQueue;
  }

  /** Time to the next arrival (exponential, mean 1/λ). */
  nextGap(): number {
    return -Math.log(1 - this.arrivalsRng()) / this.p.lambda;
  }

  onArrival(): void {
    const now = this.engine.now;
    const inWin = this.w.contains(now);
    const hit = this.disrupted;
    if (inWin) {
      this.arrivals++;
      if (hit) this.arrivalsHit++;
    }
    if (this.slots === 0 || (this.busy >= this.slots && this.qLen >= this.maxQueue)) {
      if (inWin) this.countDrop(hit);
      return;
    }
    if (this.busy < this.slots) this.start(now, hit);
    else this.enqueue(now, hit);
  }

  onDone(id: number): void {
    const now = this.engine.now;
    const t0 = this.fT[id]!;
    if (this.w.contains(t0)) {
      this.latency.push(now - t0);
      if (this.fHit[id] === 1) this.latencyHit.push(now - t0);
    }
    this.release(id);
    this.fill();
  }

  /** The serving slots change (a pod starts or stops serving). */
  setSlots(slots: number): void {
    this.markUtil();
    this.slots = slots;
    if (slots === 0) {
      while (this.qLen > 0) this.dropHead();
    }
    // Slots gone under in-flight requests: the excess fails.
    while (this.busy > slots) {
      const id = this.dense[this.busy - 1]!;
      this.engine.cancel(this.fKey[id]!);
      if (this.w.contains(this.fT[id]!)) this.countDrop(this.fHit[id] === 1);
      this.release(id);
    }
    this.fill();
  }

  /** Closes the window: queued requests already past their timeout are dropped. */
  finish(): void {
    this.markUtil(this.w.endS);
    const end = this.w.endS;
    for (let i = 0; i < this.qLen; i++) {
      const k = (this.qHead + i) % this.qT.length;
      if (end - this.qT[k]! > this.p.timeoutS && this.w.contains(this.qT[k]!)) this.countDrop(this.qHit[k] === 1);
    }
  }

  private countDrop(hit: boolean): void {
    this.dropped++;
    if (hit) this.droppedHit++;
  }

  /** Starts waiting requests on free slots, dropping those past their timeout. */
  private fill(): void {
    const now = this.engine.now;
    while (this.qLen > 0 && this.busy < this.slots) {
      const k = this.qHead;
      const t0 = this.qT[k]!;
      const hit = this.qHit[k] === 1;
      this.qHead = (this.qHead + 1) % this.qT.length;
      this.qLen--;
      if (now - t0 > this.p.timeoutS) {
        if (this.w.contains(t0)) this.countDrop(hit);
      } else this.start(t0, hit);
    }
  }

  private dropHead(): void {
    const k = this.qHead;
    if (this.w.contains(this.qT[k]!)) this.countDrop(this.qHit[k] === 1);
    this.qHead = (this.qHead + 1) % this.qT.length;
    this.qLen--;
  }

  private enqueue(t0: number, hit: boolean): void {
    if (this.qLen === this.qT.length) {
      // Unroll the ring into a doubled buffer, head at 0.
      const n = this.qT.length;
      const t = replicationArray(Float64Array, n * 2);
      const h = replicationArray(Uint8Array, n * 2);
      for (let i = 0; i < n; i++) {
        t[i] = this.qT[(this.qHead + i) % n]!;
        h[i] = this.qHit[(this.qHead + i) % n]!;
      }
      this.qT = t;
      this.qHit = h;
      this.qHead = 0;
    }
    const k = (this.qHead + this.qLen) % this.qT.length;
    this.qT[k] = t0;
    this.qHit[k] = hit ? 1 : 0;
    this.qLen++;
  }

  private start(t0: number, hit: boolean): void {
    let id: number;
    if (this.freeTop > 0) id = this.free[--this.freeTop]!;
    else {
      if (this.used === this.fT.length) this.grow();
      id = this.used++;
    }
    this.markUtil();
    this.fT[id] = t0;
    this.fHit[id] = hit ? 1 : 0;
    this.fKey[id] = this.engine.schedule(this.engine.now + sample(this.p.serviceTime, this.serviceRng), this.doneKind, this.index, id);
    this.fPos[id] = this.busy;
    this.dense[this.busy] = id;
    this.busy++;
  }

  private release(id: number): void {
    this.markUtil();
    // Swap-remove from the dense list: O(1).
    const pos = this.fPos[id]!;
    const last = this.dense[this.busy - 1]!;
    this.dense[pos] = last;
    this.fPos[last] = pos;
    this.busy--;
    this.free[this.freeTop++] = id;
  }

  private grow(): void {
    const n = this.fT.length * 2;
    this.fT = grown(this.fT, n);
    this.fHit = grown(this.fHit, n);
    this.fKey = grown(this.fKey, n);
    this.fPos = grown(this.fPos, n);
    this.dense = grown(this.dense, n);
    this.free = grown(this.free, n);
  }

  /** Closes the utilisation piece [utilSince, now] before busy or slots change. */
  private markUtil(now = this.engine.now): void {
    const d = this.w.overlap(this.utilSince, now);
    if (d > 0 && this.slots > 0) {
      this.utilIntegral += (d * this.busy) / this.slots;
      this.slotTimeS += d;
    }
    this.utilSince = now;
  }
}
