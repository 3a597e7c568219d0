// The discrete-event engine: a clock and a heap of pending events. It knows nothing of
// Kubernetes: an event is (time, kind, a, b) where `kind` selects a handler registered once at
// set-up and `a`, `b` are integer arguments (ids of pods, nodes, drains...).
//
// Events live in a structure of arrays indexed by slot; the heap (fastpriorityqueue) holds slot
// numbers only, and its comparator reads `time` and `seq` from typed arrays. This keeps the hot
// loop free of per-event objects (STYLE habit 4: with a million pending events, a heap of event
// objects was ~7x slower than ids over typed arrays).
//
// Ordering: by time, then by scheduling order (`seq`), so equal times run deterministically in
// the order they were scheduled (as SimPy's (time, priority, sequence) entries do).
//
// Cancellation is lazy: `cancel(key)` marks the slot dead in O(1); the heap drops it when it
// reaches the top. A key embeds the slot's generation, so cancelling an event that already ran
// (and whose slot was reused) is a harmless no-op.

import FastPriorityQueue from 'fastpriorityqueue';
import { fresh, grown, recycle } from '../typed-arrays.js';

/** Handler of one event kind; `a` and `b` are the integers given to `schedule`. */
export type EventHandler = (a: number, b: number) => void;

/** Returned by `schedule`; pass to `cancel`. 0 is never a valid key ("no event"). */
export type EventKey = number;
export const NO_EVENT: EventKey = 0;

const SLOT_BITS = 2 ** 24; // at most 16M events pending at once
const STATE_FREE = 0;
const STATE_LIVE = 1;
const STATE_CANCELLED = 2;

const EMPTY_F64 = new Float64Array(0);
const EMPTY_I32 = new Int32Array(0);
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_U8 = new Uint8Array(0);

export class Engine {
  /** Current simulated time in seconds. */
  now = 0;
  /** Events run so far (cancelled ones excluded). */
  eventsProcessed = 0;

  private readonly handlers: EventHandler[] = [];
  private readonly names: string[] = [];
  private cap: number;
  private time: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private argA: Int32Array;
  private argB: Int32Array;
  private gen: Uint32Array;
  private state: Uint8Array;
  private free: Int32Array;
  private freeTop = 0;
  private used = 0; // slots ever handed out (high-water mark)
  private nextSeq = 1;
  private readonly heap: FastPriorityQueue<number>;
  private stopped = false;

  constructor(initialCapacity = 1024) {
    this.cap = initialCapacity;
    this.time = fresh(Float64Array, initialCapacity);
    this.seq = fresh(Float64Array, initialCapacity);
    this.kind = fresh(Int32Array, initialCapacity);
    this.argA = fresh(Int32Array, initialCapacity);
    this.argB = fresh(Int32Array, initialCapacity);
    this.gen = fresh(Uint32Array, initialCapacity);
    this.state = fresh(Uint8Array, initialCapacity);
    this.free = fresh(Int32Array, initialCapacity);
    // NOTE: reads the arrays through `this` because they are replaced when they grow.
    this.heap = new FastPriorityQueue<number>((x, y) => {
      const tx = this.time[x]!;
      const ty = this.time[y]!;
      return tx < ty || (tx === ty && this.seq[x]! < this.seq[y]!);
    });
  }

  /** Registers a handler once at set-up; returns the kind to pass to `schedule`. */
  register(name: string, handler: EventHandler): number {
    this.handlers.push(handler);
    this.names.push(name);
    return this.handlers.length - 1;
  }

  kindName(kind: number): string {
    return this.names[kind] ?? `#${kind}`;
  }

  /** Schedules `kind(a, b)` at absolute time `at` (>= now). O(log n). */
  schedule(at: number, kind: number, a = 0, b = 0): EventKey {
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop]!;
    else {
      if (this.used === this.cap) this.grow();
      slot = this.used++;
    }
    this.time[slot] = at < this.now ? this.now : at;
    this.seq[slot] = this.nextSeq++;
    this.kind[slot] = kind;
    this.argA[slot] = a;
    this.argB[slot] = b;
    this.state[slot] = STATE_LIVE;
    this.heap.add(slot);
    return this.gen[slot]! * SLOT_BITS + slot + 1;
  }

  /** Cancels a pending event; a no-op for NO_EVENT or an event that already ran. O(1). */
  cancel(key: EventKey): void {
    if (key === NO_EVENT) return;
    const slot = (key - 1) % SLOT_BITS;
    const g = Math.floor((key - 1) / SLOT_BITS);
    if (this.gen[slot] === g && this.state[slot] === STATE_LIVE) this.state[slot] = STATE_CANCELLED;
  }

  /** Time of the event behind `key`, or NaN if it is no longer pending. */
  timeOf(key: EventKey): number {
    if (key === NO_EVENT) return NaN;
    const slot = (key - 1) % SLOT_BITS;
    const g = Math.floor((key - 1) / SLOT_BITS);
    return this.gen[slot] === g && this.state[slot] === STATE_LIVE ? this.time[slot]! : NaN;
  }

  /** Number of heap entries, cancelled ones included until they are dropped. */
  get pending(): number {
    return this.heap.size;
  }

  /**
   * Time of the first heap entry (a cancelled entry not yet dropped included), or Infinity when
   * the heap is empty. O(1).
   */
  peekTime(): number {
    const slot = this.heap.peek();
    return slot === undefined ? Infinity : this.time[slot]!;
  }

  /** Stops `run` after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Runs events in (time, seq) order until the heap is empty or the next event is later than
   * `until`; then sets `now = until`. Events at exactly `until` do run.
   */
  run(until: number): void {
    this.stopped = false;
    const heap = this.heap;
    while (heap.size > 0 && !this.stopped) {
      const slot = heap.peek()!;
      const t = this.time[slot]!;
      if (t > until) break;
      heap.poll();
      const st = this.state[slot];
      const kind = this.kind[slot]!;
      const a = this.argA[slot]!;
      const b = this.argB[slot]!;
      // Free the slot before the handler runs so the handler may reuse it.
      this.state[slot] = STATE_FREE;
      this.gen[slot] = (this.gen[slot]! + 1) >>> 0;
      this.free[this.freeTop++] = slot;
      if (st !== STATE_LIVE) continue;
      this.now = t;
      this.eventsProcessed++;
      this.handlers[kind]!(a, b);
    }
    if (!this.stopped && until > this.now) this.now = until;
  }

  /**
   * Hands the event tables to the thread's spare arrays (typed-arrays.ts) for the next
   * replication's engine. The engine must not be used afterwards.
   */
  recycleTables(): void {
    if (this.cap === 0) return; // released already
    recycle([this.time, this.seq, this.kind, this.argA, this.argB, this.gen, this.state, this.free]);
    this.time = this.seq = EMPTY_F64;
    this.kind = this.argA = this.argB = this.free = EMPTY_I32;
    this.gen = EMPTY_U32;
    this.state = EMPTY_U8;
    this.cap = this.used = this.freeTop = 0;
  }

  private grow(): void {
    const c = this.cap * 2;
    if (c > SLOT_BITS) throw new Error(`Expected at most ${SLOT_BITS} pending events, got more`);
    this.time = grown(this.time, c);
    this.seq = grown(this.seq, c);
    this.kind = grown(this.kind, c);
    this.argA = grown(this.argA, c);
    this.argB = grown(this.argB, c);
    this.free = grown(this.free, c);
    this.gen = grown(this.gen, c);
    this.state = grown(this.state, c);
    this.cap = c;
  }
}
