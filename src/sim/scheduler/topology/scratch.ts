// Per-cycle scratch arrays of the topology plugins (reused, grown only when too small) and the
// one loop they share: summing per-node pod counts into per-domain counts.

import type { PodTopology } from './pod-topology.js';
import { replicationArray } from '../../typed-arrays.js';

/** `pool[i]` with room for `size` cells, zeroed over [0, size). Allocates only to grow. */
export function scratchI32(pool: Int32Array[], i: number, size: number): Int32Array {
  let a = pool[i];
  if (a === undefined || a.length < size) pool[i] = a = replicationArray(Int32Array, Math.max(16, size * 2));
  a.fill(0, 0, size);
  return a;
}

/** As scratchI32, for Float64Array pools. */
export function scratchF64(pool: Float64Array[], i: number, size: number): Float64Array {
  let a = pool[i];
  if (a === undefined || a.length < size) pool[i] = a = replicationArray(Float64Array, Math.max(16, size * 2));
  a.fill(0, 0, size);
  return a;
}

/**
 * Sums `counts[n*S + slot]` over nodes into out[domainOf[n]] (nodes without the key skipped).
 * Returns true when some domain got a non-zero count. O(nodes).
 */
export function sumByDomain(topo: PodTopology, slot: number, key: number, out: Int32Array | Float64Array, weight: number): boolean {
  if (topo.counts.totals[slot] === 0) return false;
  const dom = topo.domains.domainOf[key]!;
  const counts = topo.counts.counts;
  const S = topo.counts.S;
  const count = topo.domains.numNodes;
  let any = false;
  for (let n = 0; n < count; n++) {
    const d = dom[n]!;
    if (d < 0) continue;
    const c = counts[n * S + slot]!;
    if (c === 0) continue;
    out[d]! += c * weight;
    any = true;
  }
  return any;
}
