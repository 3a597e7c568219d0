// Pods added to or removed from one node, as the pod-topology filters' PreFilterExtensions see
// them (kube: InterPodAffinity / PodTopologySpread AddPod and RemovePod, each calling its
// preFilterState's updateWithPod with +1 / -1): the net number of such pods per PodTopology
// slot. The plugins' filterWithDelta reads `bySlot` on top of their PreFilter counts instead
// of copying their cycle state (upstream clones the CycleState).
//
// Used by preemption's dry run (SelectVictimsOnNode: removePod / reprieve's addPod) and by
// RunFilterPluginsWithNominatedPods (addGENominatedPods). Every slot selecting the pod's
// template moves, its terminating state notwithstanding: upstream's updateWithPod does not
// look at deletionTimestamp (PodTopologySpread's PreFilter count does, countPodsMatchSelector),
// so removing a terminating victim lowers a spread count it never raised, as upstream.
//
// O(slots selecting the template) per pod; `clear` is O(slots touched). No allocation once
// the touched list has grown.

import { grown } from '../../typed-arrays.js';
import type { PodCounts } from './pod-counts.js';
import { replicationArray } from '../../typed-arrays.js';

export class SlotDelta {
  /** bySlot[s]: pods slot s selects that were added to the node, minus those removed. */
  readonly bySlot: Int32Array;
  /** Slots changed since the last clear (may repeat): touched[0..touchedLen). */
  private touched = replicationArray(Int32Array, 16);
  private touchedLen = 0;

  constructor(private readonly counts: PodCounts) {
    this.bySlot = replicationArray(Int32Array, Math.max(1, counts.S));
  }

  /** kube: AddPod (d = +1) / RemovePod (d = -1) of a pod of template t on the node. */
  add(t: number, d: number): void {
    const slots = this.counts.slotsOf(t);
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      this.bySlot[s]! += d;
      if (this.touchedLen === this.touched.length) this.touched = grown(this.touched, this.touchedLen * 2);
      this.touched[this.touchedLen++] = s;
    }
  }

  /** Back to no change. */
  clear(): void {
    for (let i = 0; i < this.touchedLen; i++) this.bySlot[this.touched[i]!] = 0;
    this.touchedLen = 0;
  }
}
