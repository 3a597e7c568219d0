// Growing typed arrays (structure-of-arrays tables double their capacity when full), and the
// spare arrays of this thread: the big tables of one replication (the engine's event slots, the
// pod store's columns) are handed back when it ends and handed out, zero-filled, to the next
// replication run in the same thread. A replication of a small scenario lasts about a
// millisecond; allocating and collecting ~180 KiB of ArrayBuffers in ~40 arrays each time cost
// more garbage-collector time than the engine's event loop took.

export type NumericArray = Int32Array | Uint32Array | Uint8Array | Float64Array;
type NumericArrayCtor<T extends NumericArray> = new (length: number) => T;

/** Spare arrays by constructor, then by length. */
const spare = new Map<NumericArrayCtor<NumericArray>, Map<number, NumericArray[]>>();
/** Bytes held in `spare`; recycle() keeps at most SPARE_MAX_BYTES (a run of many points with different sizes stays bounded). */
let spareBytes = 0;
const SPARE_MAX_BYTES = 64 * 1048576;

/**
 * A zero-filled array of `length` elements: a spare one of that type and length when this thread
 * has one, a new one otherwise. Indistinguishable from `new ctor(length)` to the caller.
 */
export function fresh<T extends NumericArray>(ctor: NumericArrayCtor<T>, length: number): T {
  const a = spare.get(ctor)?.get(length)?.pop() as T | undefined;
  if (a === undefined) return new ctor(length);
  spareBytes -= a.byteLength;
  a.fill(0);
  return a;
}

/**
 * Hands arrays back for later fresh() calls in this thread. The caller must hold no other
 * reference to them that is still used: they will be zeroed and given to someone else.
 */
export function recycle(arrays: readonly NumericArray[]): void {
  for (const a of arrays) {
    if (a.length === 0 || spareBytes + a.byteLength > SPARE_MAX_BYTES) continue;
    const ctor = a.constructor as NumericArrayCtor<NumericArray>;
    let byLength = spare.get(ctor);
    if (byLength === undefined) spare.set(ctor, (byLength = new Map()));
    let list = byLength.get(a.length);
    if (list === undefined) byLength.set(a.length, (list = []));
    list.push(a);
    spareBytes += a.byteLength;
  }
}

/** A copy of `a` with room for `length` elements (the tail zero-filled). O(length). */
export function grown<T extends NumericArray>(a: T, length: number): T {
  const b = fresh(a.constructor as NumericArrayCtor<T>, length);
  b.set(a);
  return b;
}

// Replication arrays. A replication's many small tables (per node, per template, per candidate:
// ~180 arrays of tens to hundreds of bytes in a 30-node scenario) are views cut from one block
// that the next replication in this thread reuses: each would otherwise be an ArrayBuffer of its
// own, and V8 allocates, tracks and frees every ArrayBuffer's memory one by one (on two worker
// threads that freeing was two thirds of each scavenge, ~16 µs per replication; results/
// BENCHMARKS.md). Only inside runReplication; elsewhere (tests, the scheduler benchmark building
// a Scheduler directly) replicationArray is `new ctor(length)`.

type SizedCtor<T extends NumericArray> = NumericArrayCtor<T> & { readonly BYTES_PER_ELEMENT: number } & (new (buffer: ArrayBuffer, byteOffset: number, length: number) => T);

/** The block the current replication's arrays are cut from. */
let block = new ArrayBuffer(1 << 16);
/** Bytes of `block` handed out (the next array starts at or after this, 8-byte aligned). */
let blockUsed = 0;
/** Bytes handed out in this replication, over every block. */
let handedOut = 0;
/** Whether a replication is running in this thread. */
let inReplication = false;
/**
 * Most bytes a replication takes from blocks: past it arrays are plain ones. Tables that grow
 * (doubling) leave their old copies in the block until the replication ends, so a long
 * replication that keeps re-sizing could otherwise hold any amount.
 */
const REPLICATION_ARRAY_MAX_BYTES = 8 * 1048576;

/**
 * Starts a replication in this thread: replicationArray() cuts from the block, whose previous
 * contents (the previous replication's arrays, dead now) are zeroed. Pair with endReplicationArrays.
 */
export function beginReplicationArrays(): void {
  if (inReplication) throw new Error('Expected one replication at a time in a thread, got a second one started inside the first');
  new Uint8Array(block, 0, blockUsed).fill(0);
  blockUsed = 0;
  handedOut = 0;
  inReplication = true;
}

/** Ends the replication: later replicationArray() calls allocate plain arrays until the next begin. */
export function endReplicationArrays(): void {
  inReplication = false;
}

/**
 * A zero-filled array of `length` elements that lives as long as the current replication (its
 * memory is reused by the next replication in this thread). Inside runReplication only for
 * tables of the replication's own objects: never for anything kept after it, such as its results.
 */
export function replicationArray<T extends NumericArray>(ctor: SizedCtor<T>, length: number): T {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  if (!inReplication || handedOut + bytes > REPLICATION_ARRAY_MAX_BYTES) return new ctor(length);
  let at = (blockUsed + 7) & ~7;
  if (at + bytes > block.byteLength) {
    // A fresh, zeroed block; arrays already cut from the old one keep it alive until they die.
    block = new ArrayBuffer(Math.max(2 * block.byteLength, bytes));
    at = 0;
  }
  blockUsed = at + bytes;
  handedOut += bytes;
  return new ctor(block, at, length);
}
