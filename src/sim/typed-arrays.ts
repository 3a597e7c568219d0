// Growing typed arrays (structure-of-arrays tables double their capacity when full).

export type NumericArray = Int32Array | Uint32Array | Uint8Array | Float64Array;

/** A copy of `a` with room for `length` elements (the tail zero-filled). O(length). */
export function grown<T extends NumericArray>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
