// The filters that depend on which pods are on a node, re-run with pods added to or removed
// from it without touching the cluster: GpuShareFit's devices and the pod-topology filters
// (PodTopologySpread, InterPodAffinity) through their PreFilterExtensions (framework.ts
// filterWithDelta). NodeResourcesFit's arithmetic stays with its callers (the fused filter
// loop, NominatedOverlay, the dry run's free vector).
//
// Two users, both mirroring kube-scheduler v1.34:
// - RunFilterPluginsWithNominatedPods (pkg/scheduler/framework/runtime/framework.go): when
//   pods with priority >= the incoming pod's are nominated to node n (addGENominatedPods), the
//   filters run once with them added (AddPod on a copy of the cycle state) and once without;
//   n passes only if both pass. `nominatedPass` is the first pass of the extra filters.
// - SelectVictimsOnNode (defaultpreemption/default_preemption.go): the dry run removes the
//   lower-priority pods (removePod -> RunPreFilterExtensionRemovePod), runs the filters through
//   RunFilterPluginsWithNominatedPods, and reprieves pods by adding them back (addPod ->
//   RunPreFilterExtensionAddPod). `beginDryRun` / `remove` / `add` / `dryRunFilter`.
//
// A failure is encoded as ((index into the scheduler's filter list + 1) << 8) | plugin code,
// so `reasons` can name it later (cold path). No allocation per node or per pod once the
// SlotDelta scratch has grown.

import { devicesCanHost, MAX_GPUS_PER_NODE, type GpuTable } from '../cluster/gpu-table.js';
import type { FilterPlugin } from './framework.js';
import { INSUFFICIENT_DEVICES, MODEL_MISMATCH } from './plugins/gpu-share-fit.js';
import type { Nominator } from './nominator.js';
import type { SchedPod } from './sched-pod.js';
import type { PodTopology } from './topology/pod-topology.js';
import { SlotDelta } from './topology/slot-delta.js';
import { replicationArray } from '../typed-arrays.js';

/** A filter failure: which plugin (index into the scheduler's filter list) and its code. */
export function encodeFailure(filterIndex: number, code: number): number {
  return ((filterIndex + 1) << 8) | code;
}

export class FiltersWithPods {
  /** The pods removed in the dry run (added back on reprieve), per slot. */
  private readonly removed: SlotDelta | null;
  /** The nominated pods that count, plus the dry run's `removed`, per slot. */
  private readonly withNominated: SlotDelta | null;
  /** nominatedPass's own scratch (a scheduling cycle's, never mixed with a dry run's). */
  private readonly nominatedOnly: SlotDelta | null;
  /** This cycle's extra filters (the scheduler's active list; not owned). */
  private active: readonly FilterPlugin[] = [];
  private activeLen = 0;
  private pod: SchedPod | null = null;
  /** Whether the dry run's node has nominated pods that count (the first pass runs). */
  private nominatedHere = false;
  /** The dry run's node's free milli-GPU per device, victims' devices freed; devCount devices. */
  private readonly devFree = replicationArray(Int32Array, MAX_GPUS_PER_NODE);
  private devCount = 0;
  private gpuOn = false;

  constructor(
    private readonly gpu: GpuTable | null,
    topology: PodTopology | null,
    /** The scheduler's whole filter list (built-in, then extra), for the failure encoding. */
    private readonly filters: readonly FilterPlugin[],
    private readonly gpuFilterIndex: number,
  ) {
    this.removed = topology === null ? null : new SlotDelta(topology.counts);
    this.withNominated = topology === null ? null : new SlotDelta(topology.counts);
    this.nominatedOnly = topology === null ? null : new SlotDelta(topology.counts);
  }

  /**
   * kube: RunFilterPluginsWithNominatedPods, the pass with the nominated pods added, for the
   * extra filters of this cycle (`active[0..len)`, each having passed node n without them):
   * 0, or the encoded failure. Only pods nominated to n with priority >= the pod's, other than
   * `self`, count (addGENominatedPods). O(nominated pods × slots) when some exist.
   */
  nominatedPass(pod: SchedPod, self: number, n: number, active: readonly FilterPlugin[], len: number, nominator: Nominator): number {
    const delta = this.nominatedOnly;
    if (delta === null) return 0;
    if (!this.addNominated(delta, pod, self, n, nominator)) return 0;
    const failure = this.runExtra(pod, n, active, len, delta);
    delta.clear();
    return failure;
  }

  /** Adds to `delta` the pods nominated to n that count for `pod`; false when there are none. */
  private addNominated(delta: SlotDelta, pod: SchedPod, self: number, n: number, nominator: Nominator): boolean {
    const list = nominator.podsOn(n);
    const prio = pod.template.priority;
    let any = false;
    for (let i = 0; i < list.length; i++) {
      const q = list[i]!;
      // kube: addGENominatedPods — PodPriority(nominated) >= PodPriority(pod) && UID differs.
      if (q === self || nominator.priorityOf(q) < prio) continue;
      delta.add(nominator.templateOf(q), 1);
      any = true;
    }
    return any;
  }

  /** The extra filters with `delta` applied (filterWithDelta, or the plain filter when a plugin has none). */
  private runExtra(pod: SchedPod, n: number, active: readonly FilterPlugin[], len: number, delta: SlotDelta): number {
    for (let i = 0; i < len; i++) {
      const plugin = active[i]!;
      const code = plugin.filterWithDelta !== undefined ? plugin.filterWithDelta(pod, n, delta) : plugin.filter(pod, n);
      if (code !== 0) return encodeFailure(this.filters.indexOf(plugin), code);
    }
    return 0;
  }

  /**
   * Starts SelectVictimsOnNode's dry run for `pod` (id `self`) on node n with this cycle's
   * extra filters: nothing removed yet; node n's GPU devices as they are.
   */
  beginDryRun(pod: SchedPod, self: number, n: number, active: readonly FilterPlugin[], len: number, nominator: Nominator | null): void {
    this.pod = pod;
    this.active = active;
    this.activeLen = len;
    this.removed?.clear();
    this.withNominated?.clear();
    this.nominatedHere =
      this.withNominated !== null && len > 0 && nominator !== null && nominator.count > 0 && this.addNominated(this.withNominated, pod, self, n, nominator);
    const gpu = this.gpu;
    this.gpuOn = pod.gpuCount > 0;
    if (this.gpuOn && gpu !== null) {
      const base = n * gpu!.stride;
      this.devCount = gpu!.devices[n]!;
      for (let d = 0; d < this.devCount; d++) this.devFree[d] = gpu!.free[base + d]!;
    }
  }

  /** kube: removePod in the dry run: pod q (template index t, compiled `victim`) leaves the node, its GPU devices freed. */
  remove(q: number, t: number, victim: SchedPod): void {
    this.move(q, t, victim, -1);
  }

  /** kube: addPod in reprievePod: pod q is back on the node. */
  add(q: number, t: number, victim: SchedPod): void {
    this.move(q, t, victim, 1);
  }

  private move(q: number, t: number, victim: SchedPod, d: number): void {
    if (this.activeLen > 0 && this.removed !== null) {
      this.removed.add(t, d);
      if (this.nominatedHere) this.withNominated!.add(t, d);
    }
    if (this.gpuOn && victim.gpuCount > 0 && this.gpu !== null) {
      const mask = this.gpu!.podMask[q]!;
      for (let dev = 0; dev < this.devCount; dev++) if ((mask & (1 << dev)) !== 0) this.devFree[dev]! -= d * victim.gpuMilli;
    }
  }

  /**
   * The dry run's filters after NodeResourcesFit passed: GpuShareFit on the freed devices
   * (openb IsNodeAccessibleToPodByType, CanNodeHostPodOnGpuMemory), then the extra filters with the nominated pods (when
   * some count on the node) and without them. 0 or the encoded failure.
   */
  dryRunFilter(n: number): number {
    const pod = this.pod!;
    if (this.gpuOn) {
      if (this.gpu === null) return encodeFailure(this.gpuFilterIndex, INSUFFICIENT_DEVICES);
      if (!this.gpu.modelFits(pod, n)) return encodeFailure(this.gpuFilterIndex, MODEL_MISMATCH);
      if (!devicesCanHost(this.devFree, 0, this.devCount, pod.gpuCount, pod.gpuMilli)) return encodeFailure(this.gpuFilterIndex, INSUFFICIENT_DEVICES);
    }
    if (this.activeLen === 0 || this.removed === null) return 0;
    if (this.nominatedHere) {
      const failure = this.runExtra(pod, n, this.active, this.activeLen, this.withNominated!);
      if (failure !== 0) return failure;
    }
    return this.runExtra(pod, n, this.active, this.activeLen, this.removed);
  }

  /** The upstream reasons of an encoded failure (cold path). */
  reasons(pod: SchedPod, n: number, failure: number): string[] {
    const plugin = this.filters[(failure >> 8) - 1]!;
    return plugin.reasons(pod, n, failure & 0xff);
  }
}
