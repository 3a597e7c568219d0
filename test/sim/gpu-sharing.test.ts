// GPU sharing end to end: scenario text -> loader -> replication. Shared pods take milli-GPU on
// one device each (best fit under gpu-packing), whole GPUs need fully free devices, a model
// constraint keeps pods off other models, and gpu_alloc_mean counts shared fractions.

import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { run } from '../support/sim.js';

function scenario(opts: { shared: number; milli: number; model?: string; policy?: string }): string {
  const modelAnn = opts.model === undefined ? '' : `, alibabacloud.com/gpu-card-model: ${opts.model}`;
  const deploy = (name: string, replicas: number, annotations: string) => `
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ${name}}
      spec:
        replicas: ${replicas}
        selector: {matchLabels: {app: ${name}}}
        template:
          metadata: {labels: {app: ${name}}, annotations: ${annotations}}
          spec: {containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]}`;
  return `apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: gpu}
spec:
  horizon: 1h
  scheduler: {policy: ${opts.policy ?? 'gpu-packing'}}
  cluster:
    nodePools:
      - {name: gpu, count: 2, capacity: {cpu: "32", memory: 128Gi, nvidia.com/gpu: 2}, labels: {alibabacloud.com/gpu-card-model: A}}
  workloads:${deploy('share', opts.shared, `{alibabacloud.com/gpu-milli: "${opts.milli}"${modelAnn}}`)}${deploy('whole', 1, '{alibabacloud.com/gpu-count: "1"}')}
`;
}

function sim(text: string) {
  const r = loadScenarioText(text, 'gpu.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return run(r.loaded.points[0]!.scenario);
}

describe('GPU sharing in a replication', () => {
  it.each([
    // 3 x 600 milli take 3 of the 4 devices (two cannot share one: 1200 > 1000); the whole GPU
    // takes the 4th. gpu_alloc_mean = (3 x 0.6 + 1) / 4 = 0.7 over the whole hour.
    { name: '3 x 600 milli + 1 whole', shared: 3, milli: 600, alloc: 0.7, pendingMax: 0 },
    // 4 x 600 milli take all 4 devices: the whole GPU cannot be placed. (4 x 0.6) / 4 = 0.6
    { name: '4 x 600 milli + 1 whole', shared: 4, milli: 600, alloc: 0.6, pendingMax: 1 },
    // 4 x 400 milli pack two per device (best fit: the second goes to the device with 600 left,
    // leaving 200), using 2 devices; the whole GPU fits. (4 x 0.4 + 1) / 4 = 0.65
    { name: '4 x 400 milli + 1 whole', shared: 4, milli: 400, alloc: 0.65, pendingMax: 0 },
  ])('$name: gpu_alloc_mean $alloc, pods_pending_max $pendingMax', ({ shared, milli, alloc, pendingMax }) => {
    const r = sim(scenario({ shared, milli }));
    expect(r.metric('cluster', 'gpu_alloc_mean')).toBeCloseTo(alloc, 9);
    expect(r.metric('cluster', 'pods_pending_max')).toBe(pendingMax);
  });

  it('keeps a model-constrained pod off other models', () => {
    // The nodes are model A; the shared pods ask for B: none is placed, the whole GPU is (1 / 4).
    const r = sim(scenario({ shared: 2, milli: 300, model: 'B' }));
    expect(r.metric('cluster', 'pods_pending_max')).toBe(2);
    expect(r.metric('cluster', 'gpu_alloc_mean')).toBeCloseTo(0.25, 9);
    const ok = sim(scenario({ shared: 2, milli: 300, model: '"B|A"' }));
    expect(ok.metric('cluster', 'pods_pending_max')).toBe(0);
  });

  it.each(['kube-default', 'gpu-clustering', 'fgd'])('places the same pods under %s when they fit', (policy) => {
    // 3 x 600 + 1 whole fit only one way up to device order; every policy finds it.
    const r = sim(scenario({ shared: 3, milli: 600, policy }));
    expect(r.metric('cluster', 'pods_pending_max')).toBe(0);
    expect(r.metric('cluster', 'gpu_alloc_mean')).toBeCloseTo(0.7, 9);
  });
});
