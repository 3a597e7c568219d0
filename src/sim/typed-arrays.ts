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
