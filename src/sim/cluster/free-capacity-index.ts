// A max segment tree over node index of each node's free capacity: free pod slots
// (maxPods - podCount) and, per resource dimension r, allocatable - requested. It answers
// "the lowest node index >= from with room for this request vector" without scanning the
// full nodes in front of it, which is what first-fit asks on every cycle.
//
// Layout: P leaves (P a power of two >= the node count), heap-ordered (root 1, children 2v
// and 2v + 1, leaf of node n at P + n), D = R + 1 numbers per tree node in one Float64Array:
// [free pod slots, free r0, free r1, ...]. An inner node holds the per-dimension maximum of
// its children; leaves past the node count hold -Infinity.
//
// Invariant: every leaf equals its node's free capacity, computed with the same expression the
// NodeResourcesFit filter uses (`allocatable - requested`), so the leaf test is exactly the
// filter's resource test. NodeTable calls `update` on add / addPod / removePod. Everything
// else a node must pass (existence, taints, affinity) is checked by the caller on the node
// returned; a node failing those is skipped by asking again from the next index.
//
// Per-dimension maxima are a necessary, not a sufficient, condition for a subtree (the cpu
// maximum and the memory maximum may sit on different nodes), so the search backtracks.
// Cost: update O(D log n), stopping early where an ancestor does not change; `next`
// O(D log n) when the subtree maxima do not mislead it, O(D n) in the worst case.

import type { NodeTable } from './node-table.js';
import { replicationArray } from '../typed-arrays.js';

export class FreeCapacityIndex {
  /** Leaves (a power of two). */
  private P = 1;
  /** Numbers per tree node: free pod slots, then one per resource dimension. */
  private readonly D: number;
  private tree = replicationArray(Float64Array, 0);
  /**
   * Bumped whenever some node's free capacity grew in any dimension (removePod, a node added,
   * a rebuild). While it stands still, a node that lacked room still lacks it.
   */
  freedClock = 0;

  constructor(private readonly nodes: NodeTable) {
    this.D = nodes.R + 1;
    this.rebuild();
  }

  /** Recomputes the whole tree from the NodeTable. O(D n). */
  rebuild(): void {
    const { nodes, D } = this;
    let P = 1;
    while (P < nodes.count) P *= 2;
    if (P !== this.P || this.tree.length === 0) {
      this.P = P;
      this.tree = replicationArray(Float64Array, 2 * P * D);
    }
    const tree = this.tree;
    this.freedClock++;
    tree.fill(-Infinity, P * D);
    for (let n = 0; n < nodes.count; n++) this.writeLeaf(n);
    for (let v = P - 1; v >= 1; v--) this.pull(v);
  }

  /** Node n's free capacity changed (or n was just added). O(D log n). */
  update(n: number): void {
    if (n >= this.P) {
      this.rebuild();
      return;
    }
    this.writeLeaf(n);
    for (let v = (this.P + n) >> 1; v >= 1; v >>= 1) {
      if (!this.pull(v)) return;
    }
  }

  /**
   * The lowest node index >= `from` whose free pod slots are >= 1 and whose free capacity is
   * >= requests[d] for every d in `dims` (the NodeResourcesFit test: `podCount + 1 <= maxPods`
   * and `requests[d] <= allocatable[d] - requested[d]`), or -1. Nodes that do not exist are
   * not excluded. No allocation.
   */
  next(from: number, requests: Float64Array, dims: Int32Array): number {
    const { P, D, tree } = this;
    if (from >= P) return -1;
    const numDims = dims.length;
    let v = P + from;
    for (;;) {
      // Does subtree v (all of whose nodes are >= from) possibly hold a fitting node?
      const base = v * D;
      let ok = tree[base]! >= 1;
      for (let i = 0; ok && i < numDims; i++) {
        const d = dims[i]!;
        ok = requests[d]! <= tree[base + 1 + d]!;
      }
      if (ok) {
        if (v >= P) return v - P;
        v = 2 * v; // try the left child first; on failure the step below moves to its sibling
        continue;
      }
      // Next subtree to the right: climb while v is a right child, then step to the sibling.
      while ((v & 1) === 1) v >>= 1;
      if (v === 0) return -1;
      v++;
    }
  }

  private writeLeaf(n: number): void {
    const { nodes, D, tree } = this;
    const { R, allocatable, requested } = nodes;
    const base = (this.P + n) * D;
    let grew = false;
    for (let d = 0; d < D; d++) {
      const free = d === 0 ? nodes.maxPods[n]! - nodes.podCount[n]! : allocatable[n * R + d - 1]! - requested[n * R + d - 1]!;
      if (free > tree[base + d]!) grew = true;
      tree[base + d] = free;
    }
    if (grew) this.freedClock++;
  }

  /** Sets v to the maximum of its children; false if nothing changed. */
  private pull(v: number): boolean {
    const { D, tree } = this;
    const base = v * D;
    const left = 2 * v * D;
    const right = left + D;
    let changed = false;
    for (let d = 0; d < D; d++) {
      const a = tree[left + d]!;
      const b = tree[right + d]!;
      const m = a > b ? a : b;
      if (tree[base + d] !== m) {
        tree[base + d] = m;
        changed = true;
      }
    }
    return changed;
  }
}
