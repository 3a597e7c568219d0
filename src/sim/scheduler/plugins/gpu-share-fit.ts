// The GPU filter applied under every policy: the openb simulator's Open-Gpu-Share Filter
// (hkust-adsl/kubernetes-scheduler-simulator pkg/simulator/plugin/open_gpu_share.go), i.e.
// IsNodeAccessibleToPod (GPU model) then CanNodeHostPodOnGpuMemory (per-device milli-GPU).
// NodeResourcesFit still checks the whole-GPU count of `nvidia.com/gpu`; this adds that a shared
// request fits on one device and that whole GPUs are fully free devices.

import type { GpuTable } from '../../cluster/gpu-table.js';
import type { FilterPlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';

export const MODEL_MISMATCH = 1;
export const INSUFFICIENT_DEVICES = 2;

export class GpuShareFit implements FilterPlugin {
  readonly name = 'GpuShareFit';
  constructor(private readonly gpu: GpuTable | null) {}

  filter(pod: SchedPod, n: number): number {
    if (pod.gpuCount === 0) return 0;
    const gpu = this.gpu;
    if (gpu === null) return INSUFFICIENT_DEVICES;
    if (!gpu.modelFits(pod, n)) return MODEL_MISMATCH;
    return gpu.canHost(n, pod.gpuCount, pod.gpuMilli) ? 0 : INSUFFICIENT_DEVICES;
  }

  /**
   * Fewer free devices than asked: freeing pods can help (as a whole GPU, nvidia.com/gpu is
   * an ordinary extended resource to upstream's NodeResourcesFit: Unschedulable). A model
   * mismatch or no GPU table: unresolvable.
   */
  resolvable(code: number): boolean {
    return code === INSUFFICIENT_DEVICES && this.gpu !== null;
  }

  reasons(pod: SchedPod, _n: number, code: number): string[] {
    if (code === MODEL_MISMATCH) return [`node(s) didn't have a GPU of model ${pod.gpuModels.join('|')}`];
    return [pod.gpuShared ? `node(s) had no GPU with ${pod.gpuMilli} milli-GPU free` : `node(s) had fewer than ${pod.gpuCount} free GPU(s)`];
  }
}
