// GPU demand read from pod templates (src/scenario/kube/gpu.ts): `nvidia.com/gpu` requests and
// the openb annotations, and their positioned errors.

import { describe, expect, it } from 'vitest';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const GPU_POOL = '  cluster:\n    nodePools:\n      - {name: gpu, count: 2, capacity: {cpu: "32", memory: 128Gi, nvidia.com/gpu: 8}, labels: {alibabacloud.com/gpu-card-model: V100M32}}\n';

/** One Deployment whose template has these annotations and container requests (flow maps). */
function withPod(annotations: string, requests = '{cpu: "1"}'): string {
  return scenario(
    `  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: train}
      spec:
        replicas: 2
        selector: {matchLabels: {app: train}}
        template:
          metadata:
            labels: {app: train}
            annotations: ${annotations}
          spec: {containers: [{name: c, image: x, resources: {requests: ${requests}}}]}
`,
    GPU_POOL,
  );
}

function template(text: string) {
  const s = loaded(load(text)).points[0]!.scenario;
  const w = s.workloads[0]!;
  return { gpu: w.template.gpu, gpuRequest: w.template.requests[s.resourceNames.indexOf('nvidia.com/gpu')], names: s.resourceNames };
}

describe('GPU requests', () => {
  it.each([
    // shared: not an extended-resource request (accounted per device), count 1 by default
    { name: 'gpu-milli 460', ann: '{alibabacloud.com/gpu-milli: "460"}', req: undefined, gpu: { count: 1, milliPerGpu: 460, models: [] }, whole: 0 },
    // 1000 milli x 2 = two whole GPUs, also counted by NodeResourcesFit
    { name: 'gpu-milli 1000 x 2', ann: '{alibabacloud.com/gpu-milli: "1000", alibabacloud.com/gpu-count: "2"}', req: undefined, gpu: { count: 2, milliPerGpu: 1000, models: [] }, whole: 2 },
    { name: 'gpu-count alone means whole GPUs', ann: '{alibabacloud.com/gpu-count: "4"}', req: undefined, gpu: { count: 4, milliPerGpu: 1000, models: [] }, whole: 4 },
    { name: 'nvidia.com/gpu: 2', ann: '{}', req: '{cpu: "1", nvidia.com/gpu: 2}, limits: {nvidia.com/gpu: 2}', gpu: { count: 2, milliPerGpu: 1000, models: [] }, whole: 2 },
    // the model list is a set (openb gpu_spec may repeat a model)
    { name: 'model list', ann: '{alibabacloud.com/gpu-milli: "250", alibabacloud.com/gpu-card-model: "V100M16|V100M32|V100M32"}', req: undefined, gpu: { count: 1, milliPerGpu: 250, models: ['V100M16', 'V100M32'] }, whole: 0 },
    { name: 'no GPU', ann: '{team: ml}', req: undefined, gpu: null, whole: 0 },
  ])('$name', ({ ann, req, gpu, whole }) => {
    const t = template(withPod(ann, req));
    expect(t.gpu).toEqual(gpu);
    expect(t.gpuRequest).toBe(whole);
    expect(t.names).toContain('nvidia.com/gpu');
  });

  it.each([
    { ann: '{alibabacloud.com/gpu-milli: "0"}', want: 's.yaml:19:55: Deployment "train": spec.template.metadata.annotations["alibabacloud.com/gpu-milli"]: must be an integer from 1 to 1000' },
    { ann: '{alibabacloud.com/gpu-milli: "1500"}', want: 'must be an integer from 1 to 1000 (quoted, as annotations are strings), got "1500"' },
    { ann: '{alibabacloud.com/gpu-milli: "half"}', want: 'got "half"' },
    { ann: '{alibabacloud.com/gpu-milli: "500", alibabacloud.com/gpu-count: "2"}', want: 'a shared GPU request (alibabacloud.com/gpu-milli below 1000) takes part of one GPU: the count must be 1, got 2' },
  ])('rejects $ann', ({ ann, want }) => {
    expect(errorsOf(load(withPod(ann))).join('\n')).toContain(want);
  });

  it('rejects both the extended resource and the annotations', () => {
    const errs = errorsOf(load(withPod('{alibabacloud.com/gpu-milli: "500"}', '{cpu: "1", nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 1}')));
    expect(errs.join('\n')).toContain('use either resources.requests nvidia.com/gpu or the alibabacloud.com/gpu-milli / alibabacloud.com/gpu-count annotations, not both');
  });

  it('warns that a model constraint without a GPU request is ignored', () => {
    const r = loaded(load(withPod('{alibabacloud.com/gpu-card-model: T4}')));
    expect(r.warnings.join('\n')).toContain('the pod requests no GPU; the GPU model constraint is ignored');
  });
});

describe('GPU capacity', () => {
  it.each([
    // a pod's devices are a 31-bit mask
    { gpus: '32', want: 's.yaml:8:9: nvidia.com/gpu capacity must be a whole number of GPUs from 0 to 31 per node, got 32' },
    // (fractions were already refused by the capacity reader)
    { gpus: '500m', want: 's.yaml:8:81: spec.cluster.nodePools[0].capacity["nvidia.com/gpu"] must be a whole number, got 500m' },
  ])('rejects $gpus GPUs per node at the pool', ({ gpus, want }) => {
    const text = scenario('', `  cluster:\n    nodePools:\n      - {name: big, count: 1, capacity: {cpu: "8", memory: 8Gi, nvidia.com/gpu: "${gpus}"}}\n`);
    expect(errorsOf(load(text))).toEqual([want]);
  });
});
