// A pod template's GPU demand (model.ts GpuRequest), in the conventions of the openb GPU
// simulator (hkust-adsl/kubernetes-scheduler-simulator, pkg/type/open-gpu-share/utils/const.go)
// beside plain Kubernetes:
//
// - `resources.requests: {nvidia.com/gpu: N}`: N whole GPUs (the NVIDIA device plugin's resource).
// - annotations `alibabacloud.com/gpu-milli: "460"` (milli-GPU per GPU, 1..1000) and
//   `alibabacloud.com/gpu-count: "1"` (default 1): GPU sharing; below 1000 the pod takes part of
//   one device, so the count must be 1 (openb: "gpu_milli < 1000 only for single-GPU tasks").
//   With gpu-milli 1000 they mean `nvidia.com/gpu: count`, and are added to the requests so that
//   NodeResourcesFit counts them too.
// - annotation `alibabacloud.com/gpu-card-model: "V100M16|V100M32"`: allowed models (a set);
//   nodes carry their model in the label of the same key.

import type { Cur } from '../cursor.js';
import type { Diagnostics } from '../errors.js';
import type { GpuRequest, SourcePos } from '../model.js';
import type { ResourceList } from './resources.js';

export const GPU_RESOURCE = 'nvidia.com/gpu';
export const ANNOTATION_GPU_MILLI = 'alibabacloud.com/gpu-milli';
export const ANNOTATION_GPU_COUNT = 'alibabacloud.com/gpu-count';
export const ANNOTATION_GPU_MODEL = 'alibabacloud.com/gpu-card-model';

function intAnnotation(c: Cur, min: number, max: number): number | undefined {
  const text = c.str();
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    c.error(`must be an integer from ${min} to ${max} (quoted, as annotations are strings), got ${JSON.stringify(text)}`);
    return undefined;
  }
  return Number(text);
}

/** Reads the GPU demand of a pod template; may add whole GPUs to `requests`. Null = no GPU. */
export function readGpuRequest(annotations: Cur, requests: ResourceList): GpuRequest | null {
  const milliCur = annotations.child(ANNOTATION_GPU_MILLI);
  const countCur = annotations.child(ANNOTATION_GPU_COUNT);
  const modelCur = annotations.child(ANNOTATION_GPU_MODEL);
  const milli = intAnnotation(milliCur, 1, 1000);
  const countAnn = intAnnotation(countCur, 1, 31);
  const wholeMilli = requests.get(GPU_RESOURCE) ?? 0n;
  let count = 0;
  let milliPerGpu = 1000;
  if (milli !== undefined || countAnn !== undefined) {
    if (wholeMilli > 0n) {
      (milliCur.missing ? countCur : milliCur).error(`use either resources.requests ${GPU_RESOURCE} or the ${ANNOTATION_GPU_MILLI} / ${ANNOTATION_GPU_COUNT} annotations, not both`);
      return null;
    }
    count = countAnn ?? 1;
    milliPerGpu = milli ?? 1000;
    if (milliPerGpu < 1000 && count > 1) {
      countCur.error(`a shared GPU request (${ANNOTATION_GPU_MILLI} below 1000) takes part of one GPU: the count must be 1, got ${count}`);
      return null;
    }
    // Whole GPUs are the extended resource too; a shared request adds the dimension (0) so the
    // scenario has GPU devices to account it on.
    requests.set(GPU_RESOURCE, milliPerGpu === 1000 ? BigInt(count) * 1000n : 0n);
  } else if (wholeMilli > 0n) {
    // kube: extended resources are whole numbers (validated with the requests).
    count = Number(wholeMilli / 1000n);
  }
  const modelText = modelCur.str();
  const models = modelText === undefined ? [] : [...new Set(modelText.split('|').map((m) => m.trim()).filter((m) => m !== ''))];
  if (count === 0) {
    if (modelText !== undefined) modelCur.warn('the pod requests no GPU; the GPU model constraint is ignored');
    return null;
  }
  return { count, milliPerGpu, models };
}

/** Devices per node: the simulator holds a pod's devices as a bit mask in an Int32 (sim/cluster/gpu-table.ts). */
export const MAX_GPUS_PER_NODE = 31;

/** Pools and nodes offering more GPUs than one node can track, or a fraction of one, are errors. */
export function checkGpuCapacity(sources: readonly { capacity: ResourceList; source: SourcePos }[], diags: Diagnostics): void {
  for (const { capacity, source } of sources) {
    const milli = capacity.get(GPU_RESOURCE) ?? 0n;
    if (milli % 1000n !== 0n || milli > BigInt(MAX_GPUS_PER_NODE) * 1000n) {
      diags.error(source, `${GPU_RESOURCE} capacity must be a whole number of GPUs from 0 to ${MAX_GPUS_PER_NODE} per node, got ${Number(milli) / 1000}`);
    }
  }
}
