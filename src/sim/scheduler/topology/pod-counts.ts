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

const EMPTY = new Int32Array(0);

/** Per template, the slots that select it; read-only, shared by every PodCounts of the same slots. */
interface SlotIndex {
  live: readonly boolean[];
  allOf: Int32Array[];
  liveOf: Int32Array[];
  anyOf: Int32Array[];
}

/**
 * The slot index of (members, live), built once per members list: a run's replications of one
 * scenario point share their slots (PodTopology's resolution), so this is derived once per point
 * and thread rather than in every replication.
 */
const indexByMembers = new WeakMap<readonly Uint8Array[], SlotIndex>();

function slotIndexOf(templateCount: number, members: readonly Uint8Array[], live: readonly boolean[]): SlotIndex {
  const cached = indexByMembers.get(members);
  if (cached !== undefined && cached.live === live && cached.allOf.length === templateCount) return cached;
  const index: SlotIndex = { live, allOf: [], liveOf: [], anyOf: [] };
  for (let t = 0; t < templateCount; t++) {
    const all: number[] = [];
    const liveOnly: number[] = [];
    for (let s = 0; s < members.length; s++) {
      if (members[s]![t] !== 1) continue;
      (live[s] ? liveOnly : all).push(s);
    }
    index.allOf.push(all.length === 0 ? EMPTY : Int32Array.from(all));
    index.liveOf.push(liveOnly.length === 0 ? EMPTY : Int32Array.from(liveOnly));
    index.anyOf.push(all.length + liveOnly.length === 0 ? EMPTY : Int32Array.from([...all, ...liveOnly]));
  }
  indexByMembers.set(members, index);
  return index;
}

export class PodCounts {
  /** Number of slots. */
  readonly S: number;
  /** counts[n * S + s]: pods on node n that slot s selects. */
  counts: Int32Array;
  /** totals[s]: Σ over nodes, so a slot with no pod is skipped in O(1). */
  readonly totals: Int32Array;
  /** Per template: slots that count all of its bound pods / only its non-terminating ones. */
  private readonly allOf: Int32Array[];
  private readonly liveOf: Int32Array[];
  /** Per template: every slot that selects it (allOf then liveOf). */
  private readonly anyOf: Int32Array[];
  private nodeCap: number;

  /**
   * `members[s][t]` = 1 when slot s selects pods of template t; `live[s]` = 1 for a slot that
   * leaves terminating pods out.
   */
  constructor(templateCount: number, members: readonly Uint8Array[], live: readonly boolean[], nodeCapacity: number) {
    this.S = members.length;
    this.nodeCap = Math.max(16, nodeCapacity);
    this.counts = new Int32Array(this.nodeCap * this.S);
    this.totals = new Int32Array(this.S);
    const index = slotIndexOf(templateCount, members, live);
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
