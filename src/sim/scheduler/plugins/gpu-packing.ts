// openb GpuPackingScore (hkust-adsl/kubernetes-scheduler-simulator
// pkg/simulator/plugin/gpu_packing_score.go getPackingScore), score rule from high to low:
//   case 1, the pod fits on GPUs already in use: 100 - Σ(free% of the devices used) / 10, at least 50
//   case 2, it needs fully free GPUs of a node already in use: 50 - (fully free GPUs used), at least 33
//   case 3, every GPU of the node is free: max(33 - free GPUs, free GPUs)
// A pod without GPU scores 0 everywhere (MinNodeScore), so the tie-break decides.
//
// getPackingScore walks the devices by increasing free milli and takes the first `count` that
// fit; for a shared pod that is the best-fit device, and a whole GPU fits only a fully free
// device, so the walk is computed in closed form here (no sort, no allocation).

import type { GpuTable } from '../../cluster/gpu-table.js';
import { MILLI_PER_GPU } from '../../cluster/gpu-table.js';
import { MAX_NODE_SCORE } from '../framework.js';
import { GpuNodeScore } from './gpu-node-score.js';
import type { SchedPod } from '../sched-pod.js';

/** getPackingScore for a pod that fits node n (checked by GpuShareFit). */
export function gpuPackingScore(gpu: GpuTable, pod: SchedPod, n: number): number {
  const fullyFree = gpu.fullyFree(n);
  const devices = gpu.devices[n]!;
  // case 3: all GPUs on the node are free (Go: integer.Int64Max(score, fullyFreeGpuNum))
  if (fullyFree === devices) return Math.max(Math.trunc(MAX_NODE_SCORE / 3) - fullyFree, fullyFree);
  if (pod.gpuShared) {
    const d = gpu.bestFitDevice(n, pod.gpuMilli);
    const left = gpu.free[n * gpu.stride + d]!;
    // case 2 with one fully free GPU to use: 50 - 1 = 49
    if (left === MILLI_PER_GPU) return Math.max(MAX_NODE_SCORE / 2 - 1, Math.trunc(MAX_NODE_SCORE / 3));
    // case 1: freeGpuRatioOnUsedGpu = left * 100 / 1000 (int64), score = 100 - ratio / 10
    const ratio = Math.trunc((left * 100) / MILLI_PER_GPU);
    return Math.max(MAX_NODE_SCORE - Math.trunc(ratio / 10), MAX_NODE_SCORE / 2);
  }
  // case 2: whole GPUs are always fully free devices
  return Math.max(MAX_NODE_SCORE / 2 - pod.gpuCount, Math.trunc(MAX_NODE_SCORE / 3));
}

export class GpuPacking extends GpuNodeScore {
  constructor(gpu: GpuTable | null) {
    super('GpuPackingScore', gpu, gpuPackingScore);
  }
}
