// GPU devices per node, as a structure of arrays beside the NodeTable: how many devices a node
// has, their model, and each device's free milli-GPU (1000 = one whole GPU). Mirrors the openb
// simulator's GPU-sharing node state (hkust-adsl/kubernetes-scheduler-simulator, NodeResource
// .MilliGpuLeftList, GpuNumber, GpuType) and its device accounting (Open-Gpu-Share Reserve/Bind:
// a shared pod takes milli on one device, a multi-GPU pod takes whole devices).
//
// A node's devices: `nvidia.com/gpu` allocatable (whole count), model: the node label
// `alibabacloud.com/gpu-card-model` (none = a model-less node, which no model-constrained pod
// may use). Nodes are read lazily (`sync`) as the NodeTable grows; node indices are stable.
//
// Invariants: free[n*stride + d] in [0, 1000] for d < devices[n]; freeTotal[n] = Σ_d free;
// classCount[n*(stride+1) + c] = GPU pods of class c on node n (c = 0 shared, c = k whole
// k-GPU: the openb "GPU affinity" tags share-gpu / k-gpu), classKinds[n] = classes with a
// count > 0. podMask[p] = devices held by pod p while bound (bit d = device d).

import type { SchedPod } from '../scheduler/sched-pod.js';
import type { NodeTable } from './node-table.js';
import { grown } from '../typed-arrays.js';

import { ANNOTATION_GPU_MODEL, GPU_RESOURCE, MAX_GPUS_PER_NODE } from '../../scenario/kube/gpu.js';
import { replicationArray } from '../typed-arrays.js';

export { GPU_RESOURCE, MAX_GPUS_PER_NODE };
/** The node label naming its GPU model (the same key as the pod annotation, as in openb). */
export const GPU_MODEL_LABEL = ANNOTATION_GPU_MODEL;
export const MILLI_PER_GPU = 1000;

/**
 * openb CanNodeHostPodOnGpuMemory over free[from..to) (one node's devices, milli-GPU free on
 * each): at least `count` of them have `milli` free. O(devices), no allocation.
 */
export function devicesCanHost(free: ArrayLike<number>, from: number, to: number, count: number, milli: number): boolean {
  let need = count;
  for (let i = from; i < to; i++) if (free[i]! >= milli && --need === 0) return true;
  return false;
}

export class GpuTable {
  /** Device slots per node (the largest device count seen). */
  stride = 1;
  private known = 0;
  private cap: number;
  devices: Int32Array;
  /** Index into modelNames; -1 = no model label. */
  model: Int32Array;
  readonly modelNames: string[] = [];
  free: Int32Array;
  freeTotal: Int32Array;
  classCount: Int32Array;
  classKinds: Int32Array;
  podMask = replicationArray(Int32Array, 1024);

  constructor(
    private readonly nodes: NodeTable,
    private readonly gpuDim: number,
  ) {
    this.cap = Math.max(16, nodes.count);
    this.devices = replicationArray(Int32Array, this.cap);
    this.model = replicationArray(Int32Array, this.cap);
    this.freeTotal = replicationArray(Int32Array, this.cap);
    this.classKinds = replicationArray(Int32Array, this.cap);
    this.free = replicationArray(Int32Array, this.cap * this.stride);
    this.classCount = replicationArray(Int32Array, this.cap * (this.stride + 1));
    this.sync();
  }

  /** Reads nodes added to the NodeTable since the last call. O(new nodes × devices). */
  sync(): void {
    const nodes = this.nodes;
    if (this.known === nodes.count) return;
    for (let n = this.known; n < nodes.count; n++) {
      const count = Math.floor(nodes.allocatable[n * nodes.R + this.gpuDim]!);
      if (count > MAX_GPUS_PER_NODE) {
        throw new Error(`Node ${nodes.names[n]}: expected at most ${MAX_GPUS_PER_NODE} ${GPU_RESOURCE} devices, got ${count}`);
      }
      if (n >= this.cap) this.growNodes(Math.max(n + 1, this.cap * 2));
      if (count > this.stride) this.restride(count);
      this.devices[n] = count;
      const label = nodes.labels[n]![GPU_MODEL_LABEL];
      let m = -1;
      if (label !== undefined && label !== '') {
        m = this.modelNames.indexOf(label);
        if (m < 0) m = this.modelNames.push(label) - 1;
      }
      this.model[n] = m;
      const base = n * this.stride;
      for (let d = 0; d < count; d++) this.free[base + d] = MILLI_PER_GPU;
      this.freeTotal[n] = count * MILLI_PER_GPU;
      this.known = n + 1; // restride copies the nodes known so far
    }
  }

  /** openb IsNodeAccessibleToPodByType: no constraint, or the node's model is one of the pod's. */
  modelFits(pod: SchedPod, n: number): boolean {
    const models = pod.gpuModels;
    if (models.length === 0) return true;
    const m = this.model[n]!;
    if (m < 0) return false;
    const name = this.modelNames[m]!;
    for (let i = 0; i < models.length; i++) if (models[i] === name) return true;
    return false;
  }

  /**
   * openb CanNodeHostPodOnGpuMemory: at least `count` devices with `milli` free each (a whole
   * GPU needs a fully free device). O(devices), no allocation.
   */
  canHost(n: number, count: number, milli: number): boolean {
    const base = n * this.stride;
    return devicesCanHost(this.free, base, base + this.devices[n]!, count, milli);
  }

  /** Devices of node n that are fully free. */
  fullyFree(n: number): number {
    const base = n * this.stride;
    const end = base + this.devices[n]!;
    let k = 0;
    for (let i = base; i < end; i++) if (this.free[i] === MILLI_PER_GPU) k++;
    return k;
  }

  /**
   * The device a shared request of `milli` goes to by default: the one with the least free
   * milli that still fits, lowest index on ties (Open-Gpu-Share allocateGPUID, best fit); -1
   * if none fits.
   */
  bestFitDevice(n: number, milli: number): number {
    const base = n * this.stride;
    let best = -1;
    let bestFree = MILLI_PER_GPU + 1;
    for (let d = 0; d < this.devices[n]!; d++) {
      const f = this.free[base + d]!;
      if (f >= milli && f < bestFree) {
        best = d;
        bestFree = f;
      }
    }
    return best;
  }

  /**
   * Pod p (of template `pod`) is bound to node n: a shared request takes its milli on `device`
   * (chosen by the policy, see Policy.gpuDevice), whole GPUs take the lowest-indexed fully free
   * devices (openb AllocateExclusiveGpuId). The caller checked the fit. O(devices).
   */
  allocate(p: number, n: number, pod: SchedPod, device: number): void {
    this.sync();
    const base = n * this.stride;
    let mask = 0;
    if (pod.gpuShared) {
      this.free[base + device]! -= pod.gpuMilli;
      mask = 1 << device;
    } else {
      let need = pod.gpuCount;
      for (let d = 0; d < this.devices[n]! && need > 0; d++) {
        if (this.free[base + d] !== MILLI_PER_GPU) continue;
        this.free[base + d] = 0;
        mask |= 1 << d;
        need--;
      }
    }
    this.freeTotal[n]! -= pod.gpuCount * pod.gpuMilli;
    if (p >= this.podMask.length) this.podMask = grown(this.podMask, Math.max(p + 1, this.podMask.length * 2));
    this.podMask[p] = mask;
    const c = n * (this.stride + 1) + pod.gpuClass;
    if (this.classCount[c]!++ === 0) this.classKinds[n]!++;
  }

  /** Reverses allocate when pod p leaves node n. O(devices). */
  release(p: number, n: number, pod: SchedPod): void {
    const base = n * this.stride;
    const mask = this.podMask[p]!;
    for (let d = 0; d < this.devices[n]!; d++) if ((mask & (1 << d)) !== 0) this.free[base + d]! += pod.gpuMilli;
    this.freeTotal[n]! += pod.gpuCount * pod.gpuMilli;
    this.podMask[p] = 0;
    const c = n * (this.stride + 1) + pod.gpuClass;
    if (--this.classCount[c]! === 0) this.classKinds[n]!--;
  }

  private growNodes(cap: number): void {
    this.devices = grown(this.devices, cap);
    this.model = grown(this.model, cap);
    this.freeTotal = grown(this.freeTotal, cap);
    this.classKinds = grown(this.classKinds, cap);
    this.free = grown(this.free, cap * this.stride);
    this.classCount = grown(this.classCount, cap * (this.stride + 1));
    this.cap = cap;
  }

  /** Re-lays the per-device arrays out with `stride` slots per node. O(nodes × stride). */
  private restride(stride: number): void {
    const free = replicationArray(Int32Array, this.cap * stride);
    const classCount = replicationArray(Int32Array, this.cap * (stride + 1));
    for (let n = 0; n < this.known; n++) {
      for (let d = 0; d < this.stride; d++) free[n * stride + d] = this.free[n * this.stride + d]!;
      for (let c = 0; c <= this.stride; c++) classCount[n * (stride + 1) + c] = this.classCount[n * (this.stride + 1) + c]!;
    }
    this.free = free;
    this.classCount = classCount;
    this.stride = stride;
  }
}
