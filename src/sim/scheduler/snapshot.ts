// The scheduler's view of the nodes (kube: Cache.UpdateSnapshot / framework.Snapshot): which
// nodes exist, in what order a cycle examines them, and whether any node's static scheduling
// facts changed since the last look.
//
// It keys on `NodeTable.staticVersion`, which node additions and removals bump (dynamic taint
// flips do not: they bump topologyVersion only). Recomputing every pod template's static cache
// (O(nodes) each) needlessly would dominate failure-heavy runs, so on a version bump the
// snapshot compares each node's static facts (existence, zone, name, labels, static taints)
// with a private copy, O(nodes × labels) once per bump, and bumps `staticEpoch` only when
// one of them really changed. Per-template caches key on `staticEpoch`.

import type { Taint } from '../../scenario/model.js';
import type { NodeTable } from '../cluster/node-table.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

const hasOwn = Object.hasOwn;

export class Snapshot {
  /** Bumped whenever a node's static scheduling facts changed (or nodes were added). */
  staticEpoch = 0;
  /** Existing nodes in kube's snapshot order (see `snapshotOrder`): order[0..numAllNodes). */
  order = replicationArray(Int32Array, 0);
  /** Existing nodes in index order. */
  byIndex = replicationArray(Int32Array, 0);
  numAllNodes = 0;
  readonly nameToIndex = new Map<string, number>();

  private version = -1;
  private count = 0;
  private exists = replicationArray(Uint8Array, 0);
  private zone = replicationArray(Int32Array, 0);
  private names: string[] = [];
  private labels: Record<string, string>[] = [];
  private taints: Taint[][] = [];

  constructor(private readonly nodes: NodeTable) {}

  /** Brings the snapshot up to date. O(1) when staticVersion and count are unchanged. */
  sync(): void {
    const nodes = this.nodes;
    if (nodes.staticVersion === this.version && nodes.count === this.count) return;
    this.version = nodes.staticVersion;
    if (!this.captureStatic()) return;
    if (this.order.length < nodes.count) {
      const cap = Math.max(16, nodes.count, this.order.length * 2);
      this.order = replicationArray(Int32Array, cap);
      this.byIndex = replicationArray(Int32Array, cap);
    }
    this.numAllNodes = snapshotOrder(nodes, this.order);
    this.nameToIndex.clear();
    let len = 0;
    for (let n = 0; n < nodes.count; n++) {
      if (nodes.exists[n] === 0) continue;
      this.byIndex[len++] = n;
      this.nameToIndex.set(nodes.names[n]!, n);
    }
    this.staticEpoch++;
  }

  /** Compares every node's static facts with the private copy, updating it; true if any changed. */
  private captureStatic(): boolean {
    const nodes = this.nodes;
    let changed = nodes.count !== this.count;
    if (changed) {
      const exists = replicationArray(Uint8Array, nodes.count);
      exists.set(this.exists.subarray(0, Math.min(this.count, nodes.count)));
      const zone = replicationArray(Int32Array, nodes.count);
      zone.set(this.zone.subarray(0, Math.min(this.count, nodes.count)));
      this.exists = exists;
      this.zone = zone;
      this.count = nodes.count;
    }
    for (let n = 0; n < nodes.count; n++) {
      if (this.exists[n] !== nodes.exists[n]) {
        this.exists[n] = nodes.exists[n]!;
        changed = true;
      }
      if (this.zone[n] !== nodes.zone[n]) {
        this.zone[n] = nodes.zone[n]!;
        changed = true;
      }
      if (this.names[n] !== nodes.names[n]) {
        this.names[n] = nodes.names[n]!;
        changed = true;
      }
      const labels = nodes.labels[n]!;
      if (n >= this.labels.length || !sameLabels(labels, this.labels[n]!)) {
        this.labels[n] = { ...labels };
        changed = true;
      }
      const taints = nodes.staticTaints[n]!;
      if (n >= this.taints.length || !sameTaints(taints, this.taints[n]!)) {
        this.taints[n] = packedMap(taints, (t) => ({ ...t }));
        changed = true;
      }
    }
    return changed;
  }
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  let na = 0;
  for (const k in a) {
    if (!hasOwn(a, k)) continue;
    na++;
    if (!hasOwn(b, k) || a[k] !== b[k]) return false;
  }
  let nb = 0;
  for (const k in b) if (hasOwn(b, k)) nb++;
  return na === nb;
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.key !== y.key || x.value !== y.value || x.effect !== y.effect) return false;
  }
  return true;
}

/**
 * kube: cache.nodeTree.list, which orders the snapshot's node list
 * (updateNodeInfoSnapshotList): existing nodes grouped by zone, zones in order of first
 * appearance (nodes without a zone form one group), then interleaved round-robin: the first
 * node of each zone, then the second of each, ... Within a zone, node index order. With a
 * single zone (or none) this is plain index order. Writes into `out`, returns the length.
 * O(n); allocates, which happens only when the static facts change.
 */
export function snapshotOrder(nodes: NodeTable, out: Int32Array): number {
  const groups: number[][] = [];
  const groupOfZone = new Map<number, number>();
  for (let n = 0; n < nodes.count; n++) {
    if (nodes.exists[n] === 0) continue;
    const z = nodes.zone[n]!;
    let g = groupOfZone.get(z);
    if (g === undefined) {
      g = groups.length;
      groupOfZone.set(z, g);
      groups.push([]);
    }
    groups[g]!.push(n);
  }
  let len = 0;
  for (let i = 0; ; i++) {
    let any = false;
    for (const group of groups) {
      if (i < group.length) {
        out[len++] = group[i]!;
        any = true;
      }
    }
    if (!any) return len;
  }
}
