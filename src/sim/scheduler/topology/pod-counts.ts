// Counts of bound pods per (node, selector slot), kept up to date on bind / delete / removal,
// the way kube's NodeInfo keeps its pod list (+pod / -pod), so PreFilter and PreScore read a
// count per node instead of walking every pod: O(nodes) per selector, not O(pods).
//
// A slot is one label selector (with its namespace rule) of some pod template's affinity term
// or spread constraint, or "pods of template B" (for the symmetric rules: existing pods' terms).
// Labels are static per template, so which templates a slot selects is computed once
// (`members`); a bind then costs O(slots the pod's template is selected by), nothing for
// templates no slot selects.
//
// Two kinds of slot, as upstream counts differently:
// - `all`: every pod in the node's NodeInfo, terminating ones included (InterPodAffinity);
// - `live`: terminating pods left out (PodTopologySpread countPodsMatchSelector skips pods with
//   a deletionTimestamp, kube issue #87621).

import { grown } from '../../typed-arrays.js';
import { replicationArray } from '../../typed-arrays.js';

const EMPTY = new Int32Array(0);

/**
 * Per template, the slots that select it. Static for a scenario point: built once, with the rest
 * of PodTopology's resolution (TopologyResolution.slots), and shared read-only by its replications.
 */
export interface SlotIndex {
  /** Number of slots. */
  readonly count: number;
  /** Per template: slots that count all of its bound pods / only its non-terminating ones. */
  readonly allOf: readonly Int32Array[];
  readonly liveOf: readonly Int32Array[];
  /** Per template: every slot that selects it (allOf then liveOf). */
  readonly anyOf: readonly Int32Array[];
}

/**
 * `members[s][t]` = 1 when slot s selects pods of template t; `live[s]`: slot s leaves
 * terminating pods out.
 */
export function slotIndex(templateCount: number, members: readonly Uint8Array[], live: readonly boolean[]): SlotIndex {
  const allOf: Int32Array[] = [];
  const liveOf: Int32Array[] = [];
  const anyOf: Int32Array[] = [];
  for (let t = 0; t < templateCount; t++) {
    const all: number[] = [];
    const liveOnly: number[] = [];
    for (let s = 0; s < members.length; s++) {
      if (members[s]![t] !== 1) continue;
      (live[s] ? liveOnly : all).push(s);
    }
    allOf.push(all.length === 0 ? EMPTY : Int32Array.from(all));
    liveOf.push(liveOnly.length === 0 ? EMPTY : Int32Array.from(liveOnly));
    anyOf.push(all.length + liveOnly.length === 0 ? EMPTY : Int32Array.from([...all, ...liveOnly]));
  }
  return { count: members.length, allOf, liveOf, anyOf };
}

export class PodCounts {
  /** Number of slots. */
  readonly S: number;
  /** counts[n * S + s]: pods on node n that slot s selects. */
  counts: Int32Array;
  /** totals[s]: Σ over nodes, so a slot with no pod is skipped in O(1). */
  readonly totals: Int32Array;
  /** Per template: slots that count all of its bound pods / only its non-terminating ones. */
  private readonly allOf: readonly Int32Array[];
  private readonly liveOf: readonly Int32Array[];
  /** Per template: every slot that selects it (allOf then liveOf). */
  private readonly anyOf: readonly Int32Array[];
  private nodeCap: number;

  constructor(index: SlotIndex, nodeCapacity: number) {
    this.S = index.count;
    this.nodeCap = Math.max(16, nodeCapacity);
    this.counts = replicationArray(Int32Array, this.nodeCap * this.S);
    this.totals = replicationArray(Int32Array, this.S);
    this.allOf = index.allOf;
    this.liveOf = index.liveOf;
    this.anyOf = index.anyOf;
  }

  /** True when some slot selects pods of template t (a bind or removal changes a count). */
  counted(t: number): boolean {
    return this.allOf[t]!.length > 0 || this.liveOf[t]!.length > 0;
  }

  /** True when some spread (live) slot selects pods of template t. */
  countedLive(t: number): boolean {
    return this.liveOf[t]!.length > 0;
  }

  /** Slots that count template t's non-terminating pods (spread). */
  liveSlots(t: number): Int32Array {
    return this.liveOf[t]!;
  }

  /**
   * Every slot that selects template t, terminating pods or not: what the PreFilterExtensions'
   * AddPod / RemovePod of a pod of t update (kube: updateWithPod in both plugins; see slot-delta.ts).
   */
  slotsOf(t: number): Int32Array {
    return this.anyOf[t]!;
  }

  /** Makes room for node indices below `count`. */
  ensureNodes(count: number): void {
    if (count <= this.nodeCap) return;
    const cap = Math.max(count, this.nodeCap * 2);
    this.counts = grown(this.counts, cap * this.S);
    this.nodeCap = cap;
  }

  /** A pod of template t was bound to node n (kube: NodeInfo.AddPod). */
  onBind(t: number, n: number): void {
    this.ensureNodes(n + 1);
    this.add(this.allOf[t]!, n, 1);
    this.add(this.liveOf[t]!, n, 1);
  }

  /** A bound pod of template t on node n got its deletionTimestamp: spread stops counting it. */
  onTerminating(t: number, n: number): void {
    this.add(this.liveOf[t]!, n, -1);
  }

  /** A bound pod left node n (kube: NodeInfo.RemovePod); `terminating`: already left the live slots. */
  onRemove(t: number, n: number, terminating: boolean): void {
    this.add(this.allOf[t]!, n, -1);
    if (!terminating) this.add(this.liveOf[t]!, n, -1);
  }

  private add(slots: Int32Array, n: number, d: number): void {
    const base = n * this.S;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      this.counts[base + s]! += d;
      this.totals[s]! += d;
    }
  }
}
