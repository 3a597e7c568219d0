// The scenario's pod mix for the fgd policy (openb: the "typical pods", the share of each pod
// shape in the workload): each workload's template weighted by the pods it runs, identical
// shapes merged, shares summing to 1. Cold path, once per replication.

import { RESOURCE_CPU, type Scenario } from '../../scenario/model.js';
import type { TargetPod } from './framework.js';
import { packedMap } from '../packed.js';

export function targetPods(scenario: Scenario, nodeCount: number): TargetPod[] {
  const shapes = new Map<string, { pod: Omit<TargetPod, 'weight'>; count: number }>();
  let total = 0;
  for (const w of scenario.workloads) {
    const count = w.kind === 'DaemonSet' ? nodeCount : w.job !== null ? (w.job.completions ?? w.job.parallelism) : w.replicas;
    if (count <= 0) continue;
    const g = w.template.gpu ?? null;
    const pod = {
      cpuMilli: w.template.requests[RESOURCE_CPU] ?? 0,
      gpuCount: g === null ? 0 : g.count,
      gpuMilli: g === null ? 0 : g.milliPerGpu,
      gpuModels: g === null ? [] : [...g.models].sort(),
    };
    const key = `${pod.cpuMilli}/${pod.gpuCount}/${pod.gpuMilli}/${pod.gpuModels.join('|')}`;
    const s = shapes.get(key);
    if (s === undefined) shapes.set(key, { pod, count });
    else s.count += count;
    total += count;
  }
  // Spelled out, not `{ ...s.pod, weight }`: V8 gave the spread's result a new hidden class in
  // every replication (about 3 map transitions per replication, never reused).
  return packedMap([...shapes.values()], ({ pod, count }) => ({
    cpuMilli: pod.cpuMilli, gpuCount: pod.gpuCount, gpuMilli: pod.gpuMilli, gpuModels: pod.gpuModels, weight: count / total,
  }));
}
