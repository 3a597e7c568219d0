// Fragmentation Gradient Descent (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
// Workloads with Fragmentation Gradient Descent", USENIX ATC '23), as the authors' simulator
// implements it (hkust-adsl/kubernetes-scheduler-simulator pkg/simulator/plugin/fgd_score.go
// calculateGpuShareFragExtendScore, pkg/utils NodeGpuShareFragAmountScore / GetNodePodFrag).
//
// Fragmentation of node n for the target workload M (pod shapes m with shares p_m):
//   F_n(M) = Σ_m p_m × frag_n(m)
//   frag_n(m) = Σ_{d : free_d < gpuMilli_m} free_d   if m fits n (Q3: GPU model allowed, `count`
//                                                     devices with gpuMilli_m free, cpu left >= cpu_m)
//             = Σ_d free_d                             otherwise (Q1/Q2/Q4/XL/XR/no access: every
//                                                     idle milli-GPU is a fragment for m; a
//                                                     CPU-only m never counts as Q3)
// A pod is scored on node n by the decrease Δ = F_n(now) - F_n(after placing it), as
// int64(sigmoid(Δ / 1000) × 100): a shared pod is tried on every device it fits and takes the
// best (the first on ties; the device it is bound to, allocateGpuIdBasedOnFGDScore), whole GPUs
// take fully free devices, a CPU-only pod only changes cpu left. A pod with no requests at all
// scores 100. The highest score is the smallest fragmentation increase: the gradient step.
//
// Approximations: memory is not part of the fragmentation measure (neither is it upstream); the
// target workload is the scenario's pod mix by replica count (upstream: the trace's pod list),
// or the pod being scheduled when no mix is given.

import { RESOURCE_CPU } from '../../../scenario/model.js';
import type { GpuTable } from '../../cluster/gpu-table.js';
import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type ScorePlugin, type TargetPod } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { packedMap } from '../../packed.js';
import { replicationArray } from '../../typed-arrays.js';

/** A target-pod list in flat arrays (one entry per shape). */
export class TargetMix {
  readonly size: number;
  readonly cpuMilli: Float64Array;
  readonly gpuCount: Int32Array;
  readonly gpuMilli: Int32Array;
  readonly weight: Float64Array;
  readonly models: (readonly string[])[];

  constructor(pods: readonly TargetPod[]) {
    this.size = pods.length;
    this.cpuMilli = Float64Array.from(pods, (p) => p.cpuMilli);
    this.gpuCount = Int32Array.from(pods, (p) => p.gpuCount);
    this.gpuMilli = Int32Array.from(pods, (p) => p.gpuMilli);
    this.weight = Float64Array.from(pods, (p) => p.weight);
    this.models = packedMap(pods, (p) => p.gpuModels);
  }
}

/** kube-free logistic function of the upstream plugin. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function modelAllowed(gpu: GpuTable, n: number, models: readonly string[]): boolean {
  if (models.length === 0) return true;
  const m = gpu.model[n]!;
  if (m < 0) return false;
  const name = gpu.modelNames[m]!;
  for (let i = 0; i < models.length; i++) if (models[i] === name) return true;
  return false;
}

/**
 * F_n(M) for node n with device free milli `free[base .. base + devices)` and `cpuLeft`
 * (NodeGpuShareFragAmountScore). O(|M| × devices), no allocation.
 */
export function nodeFragmentation(gpu: GpuTable, n: number, free: Int32Array, base: number, cpuLeft: number, mix: TargetMix): number {
  const devices = gpu.devices[n]!;
  let total = 0;
  for (let d = 0; d < devices; d++) total += free[base + d]!;
  if (total === 0) return 0;
  let frag = 0;
  for (let m = 0; m < mix.size; m++) {
    const milli = mix.gpuMilli[m]!;
    let q3 = milli > 0 && cpuLeft >= mix.cpuMilli[m]! && modelAllowed(gpu, n, mix.models[m]!);
    let fragMilli = 0;
    if (q3) {
      let need = mix.gpuCount[m]!;
      for (let d = 0; d < devices; d++) {
        const f = free[base + d]!;
        if (f >= milli) need--;
        else fragMilli += f;
      }
      q3 = need <= 0;
    }
    frag += mix.weight[m]! * (q3 ? fragMilli : total);
  }
  return frag;
}

/**
 * True if a device before d has the same free milli: trying d would give the same fragmentation
 * as that one, which already won any tie (the first device wins ties), so it is skipped. O(d).
 */
function sameAsEarlier(free: Int32Array, d: number): boolean {
  const f = free[d]!;
  for (let e = 0; e < d; e++) if (free[e] === f) return true;
  return false;
}

export class Fgd implements ScorePlugin {
  readonly name = 'FGDScore';
  readonly normalizeScore = null;
  /** A copy of one node's devices, changed to try a placement. */
  private scratch = replicationArray(Int32Array, 32);
  private lastDevice = -1;
  private readonly selfMixes = new WeakMap<SchedPod, TargetMix>();

  constructor(
    private readonly nodes: NodeTable,
    private readonly gpu: GpuTable | null,
    private readonly mix: TargetMix | null,
  ) {}

  preScore(): Status {
    return this.gpu === null ? Status.Skip : Status.Success;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.scoreNode(pod, feasible[i]!);
  }

  /** The device a shared pod goes to on node n: the one that scored best (allocateGpuIdBasedOnFGDScore). */
  device(pod: SchedPod, n: number): number {
    this.scoreNode(pod, n);
    return this.lastDevice;
  }

  /** calculateGpuShareFragExtendScore for a pod that fits node n; leaves the device in lastDevice. */
  scoreNode(pod: SchedPod, n: number): number {
    const gpu = this.gpu!;
    const nodes = this.nodes;
    this.lastDevice = -1;
    // upstream: "if podReq is empty, return MaxNodeScore"
    if (pod.gpuCount === 0 && pod.requestedDims.length === 0) return MAX_NODE_SCORE;
    const mix = this.mix ?? this.selfMix(pod);
    const stride = gpu.stride;
    const devices = gpu.devices[n]!;
    const cpuLeft = nodes.allocatable[n * nodes.R + RESOURCE_CPU]! - nodes.requested[n * nodes.R + RESOURCE_CPU]!;
    const cpu = pod.requests[RESOURCE_CPU]!;
    const before = nodeFragmentation(gpu, n, gpu.free, n * stride, cpuLeft, mix);
    const s = this.scratch;
    for (let d = 0; d < devices; d++) s[d] = gpu.free[n * stride + d]!;
    if (pod.gpuShared) {
      let best = 0;
      for (let d = 0; d < devices; d++) {
        if (s[d]! < pod.gpuMilli || sameAsEarlier(s, d)) continue;
        s[d]! -= pod.gpuMilli;
        const after = nodeFragmentation(gpu, n, s, 0, cpuLeft - cpu, mix);
        s[d]! += pod.gpuMilli;
        const score = Math.trunc(sigmoid((before - after) / 1000) * MAX_NODE_SCORE);
        if (this.lastDevice < 0 || score > best) {
          best = score;
          this.lastDevice = d;
        }
      }
      return best;
    }
    // nodeRes.Sub(podRes): whole GPUs from fully free devices, lowest index first.
    let need = pod.gpuCount;
    for (let d = 0; d < devices && need > 0; d++) {
      if (s[d] !== 1000) continue;
      s[d] = 0;
      need--;
    }
    const after = nodeFragmentation(gpu, n, s, 0, cpuLeft - cpu, mix);
    return Math.trunc(sigmoid((before - after) / 1000) * MAX_NODE_SCORE);
  }

  /** Without a target mix: the pod being scheduled alone (one mix per template, made once). */
  private selfMix(pod: SchedPod): TargetMix {
    let mix = this.selfMixes.get(pod);
    if (mix === undefined) {
      mix = new TargetMix([{ cpuMilli: pod.requests[RESOURCE_CPU]!, gpuCount: pod.gpuCount, gpuMilli: pod.gpuMilli, gpuModels: pod.gpuModels, weight: 1 }]);
      this.selfMixes.set(pod, mix);
    }
    return mix;
  }
}
