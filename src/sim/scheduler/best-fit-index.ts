// The index behind the best-fit policy (policies/best-fit.ts): over every node, the feasible one
// left fullest on its dominant resource by a placement, the lowest index on a tie, without
// visiting every node.
//
// Why one tree per pod template: "the fullest node that still has room" couples fullness and
// room on the same node, which per-subtree maxima of each cannot express (the fullest nodes are
// the ones without room, so bounds built from separate maxima prune nothing). For a fixed
// template both are known per node, so each template gets a max segment tree over node index
// whose leaf is the exact answer for that node: its dominant share after the placement
// (plugins/best-fit.ts `dominantShareAfter`, cpu and memory, actual requests) when it has room for
// the template's requests (a pod slot and every requested dimension) and passes its static
// filters and dynamic taints, else -Infinity. The root holds the best value and the lowest index
// holding it. The remaining filters (pod affinity, topology spread, nominated pods, GPU devices)
// run on that node only; a node they reject is masked out and the root read again, and the
// masks are undone after the search.
//
// Trees follow NodeTable.changeLog lazily: before a search, the nodes changed since the tree's
// last search are rewritten (O(log n) each, stopping where an ancestor does not change), or the
// tree is rebuilt when the journal no longer reaches back or the static verdicts changed (a new
// scheduler snapshot epoch). With T templates taking turns a search costs O(T log n); memory is
// 12 bytes × 2P per template searched (P the node count rounded up to a power of two).

import { CHANGE_LOG_SIZE, type NodeTable } from '../cluster/node-table.js';
import { passesDynamicFilters } from './dynamic-filters.js';
import { dominantShareAfter } from './plugins/dominant-share.js';
import { DEFAULT_RESOURCES } from './plugins/resource-allocation.js';
import type { SchedPod } from './sched-pod.js';
import { replicationArray } from '../typed-arrays.js';

/** One template's tree: leaf n is node n's best-fit value for the template, or -Infinity. */
class TemplateTree {
  private P = 1;
  /** Max over the subtree of the leaf values, and the lowest node index holding it. */
  private value = replicationArray(Float64Array, 0);
  private arg = replicationArray(Int32Array, 0);
  /** NodeTable.changeSeq the tree reflects; -1 = rebuild. */
  seq = -1;
  /** Snapshot epoch of the static verdicts the leaves were computed with. */
  epoch = -1;
  /** Leaves masked during the current search (rewritten after it). */
  private masked = replicationArray(Int32Array, 8);
  private maskedLen = 0;

  constructor(
    private readonly nodes: NodeTable,
    private readonly pod: SchedPod,
  ) {}

  /**
   * The node with the highest value that `accept` takes, the lowest index on a tie; -1 if none.
   * Each node `accept` rejects is masked and the root read again.
   */
  best(accept: (n: number) => boolean): number {
    let n = -1;
    while (this.value[1]! !== -Infinity) {
      const top = this.arg[1]!;
      if (accept(top)) {
        n = top;
        break;
      }
      if (this.maskedLen === this.masked.length) {
        const bigger = replicationArray(Int32Array, this.masked.length * 2);
        bigger.set(this.masked);
        this.masked = bigger;
      }
      this.masked[this.maskedLen++] = top;
      this.setLeaf(top, -Infinity);
    }
    for (let i = 0; i < this.maskedLen; i++) this.setLeaf(this.masked[i]!, this.leafValue(this.masked[i]!));
    this.maskedLen = 0;
    return n;
  }

  /** Brings the leaves up to the NodeTable's changes and the snapshot epoch. */
  sync(epoch: number): void {
    const nodes = this.nodes;
    const seq = nodes.changeSeq;
    if (this.seq >= 0 && this.epoch === epoch && seq - this.seq <= CHANGE_LOG_SIZE && nodes.count <= this.P) {
      const log = nodes.changeLog;
      for (let s = this.seq; s < seq; s++) {
        const n = log[s & (CHANGE_LOG_SIZE - 1)]!;
        this.setLeaf(n, this.leafValue(n));
      }
    } else {
      this.rebuild();
    }
    this.seq = seq;
    this.epoch = epoch;
  }

  /** Node n's value: its dominant share after the placement if the cheap filters pass, else -Infinity. */
  private leafValue(n: number): number {
    const { nodes, pod } = this;
    if (n >= nodes.count || nodes.exists[n] === 0) return -Infinity;
    if (pod.cache.staticFail[n] !== 0) return -Infinity;
    if (!passesDynamicFilters(nodes, pod, n)) return -Infinity;
    return dominantShareAfter(nodes, pod, n, DEFAULT_RESOURCES);
  }

  private rebuild(): void {
    const nodes = this.nodes;
    let P = 1;
    while (P < nodes.count) P *= 2;
    if (P !== this.P || this.value.length === 0) {
      this.P = P;
      this.value = replicationArray(Float64Array, 2 * P);
      this.arg = replicationArray(Int32Array, 2 * P);
    }
    for (let n = 0; n < P; n++) {
      this.value[P + n] = this.leafValue(n);
      this.arg[P + n] = n;
    }
    for (let v = P - 1; v >= 1; v--) this.pull(v);
  }

  private setLeaf(n: number, value: number): void {
    const leaf = this.P + n;
    if (this.value[leaf] === value) return;
    this.value[leaf] = value;
    for (let v = leaf >> 1; v >= 1; v >>= 1) if (!this.pull(v)) return;
  }

  /** v takes the larger child (the left one on a tie: the lower index); false if unchanged. */
  private pull(v: number): boolean {
    const l = 2 * v;
    const r = l + 1;
    const from = this.value[r]! > this.value[l]! ? r : l;
    const value = this.value[from]!;
    const arg = this.arg[from]!;
    if (this.value[v] === value && this.arg[v] === arg) return false;
    this.value[v] = value;
    this.arg[v] = arg;
    return true;
  }
}

/** The TemplateTrees of one scheduler, created on a template's first best-fit search. */
export class BestFitIndex {
  private readonly trees = new WeakMap<SchedPod, TemplateTree>();

  constructor(private readonly nodes: NodeTable) {}

  /**
   * Best fit for `pod`, whose StaticCache is current for snapshot epoch `epoch`: the node
   * `accept` (the remaining filters) takes with the highest dominant share after the placement, the lowest index
   * on a tie; -1 if none.
   */
  fullest(pod: SchedPod, epoch: number, accept: (n: number) => boolean): number {
    let tree = this.trees.get(pod);
    if (tree === undefined) {
      tree = new TemplateTree(this.nodes, pod);
      this.trees.set(pod, tree);
    }
    tree.sync(epoch);
    return tree.best(accept);
  }
}
