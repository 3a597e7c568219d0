// Arrays that a replication builds while setting up and then reads in its hot paths are built
// with packedMap, not Array.prototype.map. V8 (Node 20) gives `.map`'s result packed elements
// while the calling function runs in the interpreter or baseline code, and holey elements (another
// hidden class) once TurboFan has optimized the caller. So after a few hundred replications, when
// the set-up code itself became hot, every array it built changed hidden class, and each optimized
// function that read one deoptimized ("wrong map") and was compiled again, in every worker
// thread's warm-up. Array.from builds packed arrays in every tier. Measured on web-under-failures
// over the first 4,000 replications (--trace-opt --trace-deopt): 83 -> 10 deoptimizations,
// 428 -> 346 compilations, 2.6 -> 1.7 s of compile time (results/BENCHMARKS.md).

/** `items.map(fn)`, with packed elements whichever tier runs the caller (see above). */
export function packedMap<T, U>(items: readonly T[], fn: (item: T, index: number) => U): U[] {
  return Array.from(items, fn);
}
