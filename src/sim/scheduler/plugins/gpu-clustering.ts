// openb GpuClusteringScore (hkust-adsl/kubernetes-scheduler-simulator
// pkg/simulator/plugin/gpu_clustering_score.go): keep pods of one GPU class together. The class
// ("GPU affinity") is share-gpu for a shared pod and k-gpu for k whole GPUs. With
// fill = 25 * (8000 - milli-GPU left on the node) / 8000 (int64 division; 8000 = MaxSpecGpu,
// eight whole GPUs), a GPU pod scores
//   75 + fill  the node's GPU pods are all of the pod's class
//   50 + fill  the node hosts the pod's class and others
//   25 + fill  the node hosts no GPU pod
//   fill       the node hosts only other classes
// and a pod without GPU scores 0 everywhere. A node with more than 8 GPUs would make fill
// negative; it is clamped at 0 here to stay in [0, 100].

import type { GpuTable } from '../../cluster/gpu-table.js';
import { MAX_NODE_SCORE } from '../framework.js';
import { GpuNodeScore } from './gpu-node-score.js';
import type { SchedPod } from '../sched-pod.js';

/** gpushareutils.MaxSpecGpu. */
export const MAX_SPEC_GPU_MILLI = 8000;

export function gpuClusteringScore(gpu: GpuTable, pod: SchedPod, n: number): number {
  const quarter = MAX_NODE_SCORE / 4;
  const fill = Math.max(0, Math.trunc((quarter * (MAX_SPEC_GPU_MILLI - gpu.freeTotal[n]!)) / MAX_SPEC_GPU_MILLI));
  const kinds = gpu.classKinds[n]!;
  if (gpu.classCount[n * (gpu.stride + 1) + pod.gpuClass]! > 0) return fill + (kinds === 1 ? 3 * quarter : 2 * quarter);
  return fill + (kinds === 0 ? quarter : 0);
}

export class GpuClustering extends GpuNodeScore {
  constructor(gpu: GpuTable | null) {
    super('GpuClusteringScore', gpu, gpuClusteringScore);
  }
}
