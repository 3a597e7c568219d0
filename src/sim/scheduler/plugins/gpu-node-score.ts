// A score plugin that scores each feasible node with a per-node GPU function (gpu-packing,
// gpu-clustering): Skip for pods that ask for no GPU or clusters without GPUs, no normalisation
// (the functions already return 0..MAX_NODE_SCORE).

import type { GpuTable } from '../../cluster/gpu-table.js';
import { Status, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';

export type GpuNodeScoreFn = (gpu: GpuTable, pod: SchedPod, n: number) => number;

export class GpuNodeScore implements ScorePlugin {
  readonly normalizeScore = null;

  constructor(
    readonly name: string,
    private readonly gpu: GpuTable | null,
    private readonly scoreNode: GpuNodeScoreFn,
  ) {}

  preScore(pod: SchedPod): Status {
    return pod.gpuCount === 0 || this.gpu === null ? Status.Skip : Status.Success;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const gpu = this.gpu!;
    for (let i = 0; i < count; i++) out[i] = this.scoreNode(gpu, pod, feasible[i]!);
  }
}
