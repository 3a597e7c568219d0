// The GPU part of the policy contract: every name in POLICY_NAMES, on random GPU clusters
// (0, 1, 2, 4 or 8 devices per node, models A / B / none) with shared, whole, multi-GPU,
// model-constrained and CPU-only pods arriving and leaving, (1) never places a pod where an
// independent device-level check says it cannot go, (2) returns -1 exactly when no node fits,
// (3) keeps every device's free milli-GPU equal to 1000 minus the pods bound to it, and (4) is
// deterministic for a seed.
//
// The shadow below shares no code with the scheduler: it keeps its own free milli per device,
// updated from the devices each binding reports (GpuTable.podMask), and re-derives feasibility
// with the rules of gpu-share-fit.ts (openb IsNodeAccessibleToPod + CanNodeHostPodOnGpuMemory).

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { GpuRequest, PodTemplate } from '../../src/scenario/model.js';
import { POLICY_NAMES, Scheduler } from '../../src/sim/scheduler/scheduler.js';
import type { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { cluster, GiB, podTemplate, type NodeSpec } from './helpers.js';

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu'];
const MODEL_LABEL = 'alibabacloud.com/gpu-card-model';

function gpuPod(cpu: number, gpu: GpuRequest | null): PodTemplate {
  const whole = gpu !== null && gpu.milliPerGpu === 1000 ? gpu.count : 0;
  return podTemplate({ requests: [cpu, 1 * GiB, 0, whole], gpu });
}

const TEMPLATES: PodTemplate[] = [
  gpuPod(1000, { count: 1, milliPerGpu: 250, models: [] }),
  gpuPod(2000, { count: 1, milliPerGpu: 600, models: [] }),
  gpuPod(500, { count: 1, milliPerGpu: 900, models: ['A'] }),
  gpuPod(4000, { count: 1, milliPerGpu: 1000, models: [] }),
  gpuPod(8000, { count: 2, milliPerGpu: 1000, models: [] }),
  gpuPod(8000, { count: 4, milliPerGpu: 1000, models: ['B', 'A'] }),
  gpuPod(16000, { count: 8, milliPerGpu: 1000, models: [] }),
  gpuPod(2000, null),
];

interface Shadow {
  devices: number[];
  model: (string | null)[];
  free: number[][]; // [node][device]
}

function fits(nodes: ReturnType<typeof cluster>, sh: Shadow, t: PodTemplate, n: number): boolean {
  if (nodes.podCount[n]! + 1 > nodes.maxPods[n]!) return false;
  for (let r = 0; r < nodes.R; r++) {
    const want = t.requests[r] ?? 0;
    if (want > 0 && want > nodes.allocatable[n * nodes.R + r]! - nodes.requested[n * nodes.R + r]!) return false;
  }
  const g = t.gpu ?? null;
  if (g === null) return true;
  if (g.models.length > 0 && (sh.model[n] === null || !g.models.includes(sh.model[n]!))) return false;
  return sh.free[n]!.filter((f) => f >= g.milliPerGpu).length >= g.count;
}

function exercise(policy: string, seed: string, size: number): number[] {
  const rng = seedrandom(`gpu-contract/${seed}`);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const placements: number[] = [];
  const outcomes = [0, 0];
  for (let trial = 0; trial < 8; trial++) {
    const sh: Shadow = { devices: [], model: [], free: [] };
    const specs: NodeSpec[] = Array.from({ length: size }, (_, i) => {
      const devices = pick([0, 1, 2, 4, 8, 8]);
      const model = devices === 0 ? null : pick(['A', 'B', null]);
      sh.devices.push(devices);
      sh.model.push(model);
      sh.free.push(Array.from({ length: devices }, () => 1000));
      return { name: `n${i}`, cpu: pick([16000, 32000, 64000]), memory: 64 * GiB, extra: [devices], maxPods: 110, labels: model === null ? {} : { [MODEL_LABEL]: model } };
    });
    const nodes = cluster(specs, RESOURCES.length);
    const s = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0, resourceNames: RESOURCES }, seedrandom(`scheduler/${seed}/${trial}`));
    const pods = TEMPLATES.map((t) => s.compile(t, 'pod'));
    const bound: { p: number; n: number; pod: SchedPod; t: PodTemplate }[] = [];
    let nextId = 0;
    for (let step = 0; step < 150; step++) {
      const k = Math.floor(rng() * pods.length);
      const t = TEMPLATES[k]!;
      const pod = pods[k]!;
      let anyFeasible = false;
      for (let n = 0; n < nodes.count && !anyFeasible; n++) anyFeasible = fits(nodes, sh, t, n);
      const got = s.scheduleOne(pod);
      placements.push(got);
      if (got === -1) {
        if (anyFeasible) expect.fail(`${policy}: -1 although a node fits`);
        outcomes[1]++;
      } else {
        if (!fits(nodes, sh, t, got)) expect.fail(`${policy}: placed on n${got}, which cannot host it`);
        const p = nextId++;
        s.bindGpus(p, got, pod);
        nodes.addPod(got, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
        const mask = s.gpu!.podMask[p]!;
        const used = [...Array(sh.devices[got]!).keys()].filter((d) => (mask & (1 << d)) !== 0);
        if (used.length !== pod.gpuCount) expect.fail(`${policy}: took ${used.length} devices for ${pod.gpuCount}`);
        for (const d of used) {
          sh.free[got]![d]! -= pod.gpuMilli;
          if (sh.free[got]![d]! < 0) expect.fail(`${policy}: device ${d} of n${got} over-committed`);
        }
        bound.push({ p, n: got, pod, t });
        outcomes[0]++;
      }
      // A random pod leaves now and then.
      if (bound.length > 0 && rng() < 0.3) {
        const i = Math.floor(rng() * bound.length);
        const b = bound[i]!;
        const mask = s.gpu!.podMask[b.p]!;
        for (let d = 0; d < sh.devices[b.n]!; d++) if ((mask & (1 << d)) !== 0) sh.free[b.n]![d]! += b.pod.gpuMilli;
        s.unbindGpus(b.p, b.n, b.pod);
        nodes.removePod(b.n, b.pod.requests, b.pod.nonZeroCpuMilli, b.pod.nonZeroMemoryBytes);
        bound.splice(i, 1);
      }
      // The table agrees with the shadow, device by device.
      const g = s.gpu!;
      let mismatch = '';
      for (let n = 0; n < nodes.count; n++) {
        for (let d = 0; d < sh.devices[n]!; d++) if (g.free[n * g.stride + d] !== sh.free[n]![d]) mismatch ||= `n${n} device ${d}`;
      }
      if (mismatch !== '') expect.fail(`${policy}: free milli-GPU of ${mismatch} disagrees with the shadow`);
    }
  }
  expect(outcomes[0]).toBeGreaterThan(300);
  expect(outcomes[1]).toBeGreaterThan(20);
  return placements;
}

describe.each(POLICY_NAMES.map((p) => [p]))('GPU contract: %s', (policy) => {
  it('places GPU pods only where their devices and model fit; -1 exactly when none does', () => {
    exercise(policy, 'small', 12);
  });

  it('is deterministic for a seed', () => {
    expect(exercise(policy, 'det', 12)).toEqual(exercise(policy, 'det', 12));
  });
});
