// The GPU score plugins on hand-built nodes, with the arithmetic of the openb simulator's
// plugins worked out in comments (gpu_packing_score.go, gpu_clustering_score.go, fgd_score.go),
// and the GPU filter's verdicts and messages.

import { describe, expect, it } from 'vitest';
import type { GpuRequest, PodTemplate } from '../../src/scenario/model.js';
import { gpuClusteringScore } from '../../src/sim/scheduler/plugins/gpu-clustering.js';
import { gpuPackingScore } from '../../src/sim/scheduler/plugins/gpu-packing.js';
import { Fgd, nodeFragmentation, TargetMix } from '../../src/sim/scheduler/plugins/fgd.js';
import { GpuShareFit } from '../../src/sim/scheduler/plugins/gpu-share-fit.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import type { TargetPod } from '../../src/sim/scheduler/framework.js';
import { cluster, constRandom, GiB, podTemplate } from './helpers.js';

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu'];
const MODEL = 'alibabacloud.com/gpu-card-model';

function tmpl(cpu: number, gpu: GpuRequest | null): PodTemplate {
  const whole = gpu !== null && gpu.milliPerGpu === 1000 ? gpu.count : 0;
  return podTemplate({ requests: [cpu, 1 * GiB, 0, whole], gpu });
}
const shared = (milli: number, cpu = 1000, models: string[] = []) => tmpl(cpu, { count: 1, milliPerGpu: milli, models });
const whole = (count: number, cpu = 1000, models: string[] = []) => tmpl(cpu, { count, milliPerGpu: 1000, models });

/**
 * One node with `devices` GPUs (model A) and 64 cores, with pods already holding `used` milli on
 * devices 0, 1, ... (one shared pod per entry, 1000 = a whole 1-GPU pod); returns the scheduler.
 */
function node(devices: number, used: number[] = [], opts: { policy?: string; targetPods?: TargetPod[]; cpu?: number } = {}) {
  const nodes = cluster([{ name: 'n0', cpu: opts.cpu ?? 64000, memory: 256 * GiB, extra: [devices], labels: { [MODEL]: 'A' } }], RESOURCES.length);
  const s = new Scheduler(nodes, { policy: opts.policy ?? 'random', percentageOfNodesToScore: 0, resourceNames: RESOURCES, targetPods: opts.targetPods }, constRandom());
  used.forEach((milli, d) => {
    const pod = s.compile(milli === 1000 ? whole(1) : shared(milli), 'pod');
    nodes.addPod(0, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
    s.gpu!.allocate(d, 0, pod, d);
  });
  return { nodes, s, gpu: s.gpu! };
}

describe('gpu-packing: getPackingScore', () => {
  it.each([
    // case 3, all GPUs free: max(100/3 - free, free) = max(33 - 4, 4) = 29
    { name: '4 free GPUs, shared pod', devices: 4, used: [], pod: shared(300), want: 29 },
    // max(33 - 8, 8) = 25
    { name: '8 free GPUs, 2-GPU pod', devices: 8, used: [], pod: whole(2), want: 25 },
    // max(33 - 1, 1) = 32
    { name: '1 free GPU', devices: 1, used: [], pod: whole(1), want: 32 },
    // case 1: best-fit device 0 has 400 left: ratio = 400 * 100 / 1000 = 40; 100 - 40 / 10 = 96
    { name: 'shared pod on a shared GPU', devices: 4, used: [600], pod: shared(300), want: 96 },
    // case 1: 50 left: ratio 5, 100 - trunc(5 / 10) = 100
    { name: 'shared pod filling a GPU', devices: 4, used: [950], pod: shared(50), want: 100 },
    // best fit among 400 (device 0) and 900 (device 1) for 350: device 0 -> 96
    { name: 'best-fit device', devices: 4, used: [600, 100], pod: shared(350), want: 96 },
    // case 2: 500 does not fit the 400 left, a fully free GPU is used: max(50 - 1, 33) = 49
    { name: 'shared pod needing a free GPU', devices: 4, used: [600], pod: shared(500), want: 49 },
    // case 2: max(50 - 2, 33) = 48
    { name: '2-GPU pod on a used node', devices: 4, used: [600], pod: whole(2), want: 48 },
  ])('$name = $want', ({ devices, used, pod, want }) => {
    const { s, gpu } = node(devices, used);
    expect(gpuPackingScore(gpu, s.compile(pod, 'pod'), 0)).toBe(want);
  });
});

describe('gpu-clustering: GpuClusteringScore', () => {
  it.each([
    // no GPU pod on the node: fill = 25 * (8000 - 8000) / 8000 = 0; idle node 0 + 25 = 25
    { name: 'idle 8-GPU node', devices: 8, used: [], pod: shared(300), want: 25 },
    // fill = trunc(25 * (8000 - 2000) / 8000) = trunc(18.75) = 18; + 25 = 43
    { name: 'idle 2-GPU node', devices: 2, used: [], pod: whole(1), want: 43 },
    // one shared pod (600 used): fill = trunc(25 * 600 / 8000) = trunc(1.875) = 1; only its class: 1 + 75 = 76
    { name: 'same class only', devices: 8, used: [600], pod: shared(300), want: 76 },
    // other class only: 1 + 0 = 1
    { name: 'other class only', devices: 8, used: [600], pod: whole(1), want: 1 },
    // shared 600 + one whole GPU: fill = 25 * 1600 / 8000 = 5; its class among others: 5 + 50 = 55
    { name: 'mixed classes', devices: 8, used: [600, 1000], pod: shared(300), want: 55 },
  ])('$name = $want', ({ devices, used, pod, want }) => {
    const { s, gpu } = node(devices, used);
    expect(gpuClusteringScore(gpu, s.compile(pod, 'pod'), 0)).toBe(want);
  });
});

describe('fgd: fragmentation and its gradient', () => {
  // Target mix: m1 shared 500 milli (share 0.5), m2 one whole GPU (0.3), m3 CPU-only (0.2); 1 core each.
  const MIX: TargetPod[] = [
    { cpuMilli: 1000, gpuCount: 1, gpuMilli: 500, gpuModels: [], weight: 0.5 },
    { cpuMilli: 1000, gpuCount: 1, gpuMilli: 1000, gpuModels: [], weight: 0.3 },
    { cpuMilli: 1000, gpuCount: 0, gpuMilli: 0, gpuModels: [], weight: 0.2 },
  ];

  it('measures F_n(M) as in NodeGpuShareFragAmountScore', () => {
    // 2 GPUs, 600 used on device 0: free [400, 1000], total 1400, 10 cores left
    const { gpu } = node(2, [600], { cpu: 10000 + 1000 });
    // m1: device 1 fits 500 (Q3): fragment = devices below 500 = 400; 0.5 * 400 = 200
    // m2: device 1 fits 1000 (Q3): fragment = 400;                    0.3 * 400 = 120
    // m3: CPU-only is never Q3: every idle milli-GPU;                0.2 * 1400 = 280
    // F = 200 + 120 + 280 = 600
    expect(nodeFragmentation(gpu, 0, gpu.free, 0, 10000, new TargetMix(MIX))).toBeCloseTo(600, 9);
    // with 500 m cpu left no shape fits (Q1/Q2/Q4): F = 1400 * (0.5 + 0.3 + 0.2) = 1400
    expect(nodeFragmentation(gpu, 0, gpu.free, 0, 500, new TargetMix(MIX))).toBeCloseTo(1400, 9);
    // a model constraint the node does not meet is "no access": every idle milli-GPU
    const onlyB = new TargetMix([{ ...MIX[0]!, gpuModels: ['B'], weight: 1 }]);
    expect(nodeFragmentation(gpu, 0, gpu.free, 0, 10000, onlyB)).toBe(1400);
  });

  it.each([
    // Shared 300 milli, 1 core, before F = 600 (above):
    //   on device 0: free [100, 1000]: m1 frag 100 -> 50, m2 frag 100 -> 30, m3 1100 * 0.2 = 220; F = 300
    //     int(sigmoid((600 - 300) / 1000) * 100) = int(57.44) = 57
    //   on device 1: free [400, 700]: m1 frag 400 -> 200, m2 no 1000 left -> 1100 * 0.3 = 330, m3 220; F = 750
    //     int(sigmoid(-0.15) * 100) = int(46.26) = 46
    //   best: device 0, 57
    { name: 'shared pod', pod: shared(300), want: 57, device: 0 },
    // Whole GPU takes device 1: free [400, 0]: nothing fits 500 or 1000: F = 400; int(sigmoid(0.2) * 100) = 54
    { name: 'whole GPU', pod: whole(1), want: 54, device: -1 },
    // CPU-only pod of 9.5 cores leaves 500 m: F = 1400; int(sigmoid(-0.8) * 100) = int(31.00) = 31
    { name: 'CPU-only pod', pod: tmpl(9500, null), want: 31, device: -1 },
  ])('scores a $name as int(sigmoid(ΔF / 1000) × 100) = $want', ({ pod, want, device }) => {
    const { nodes, gpu } = node(2, [600], { cpu: 10000 + 1000 });
    const s = new Scheduler(nodes, { policy: 'fgd', percentageOfNodesToScore: 0, resourceNames: RESOURCES }, constRandom());
    const fgd = new Fgd(nodes, gpu, new TargetMix(MIX));
    const sp = s.compile(pod, 'pod');
    expect(fgd.scoreNode(sp, 0)).toBe(want);
    if (device >= 0) expect(fgd.device(sp, 0)).toBe(device);
  });

  it('binds a shared pod to the device with the best score, not the best fit', () => {
    // free [400, 700] (600 and 300 held), a 350-milli pod, the mix: 350-milli pods only.
    //   best fit (gpu-packing's device rule): device 0, the least free that fits -> [50, 700]
    //   FGD: device 0 leaves [50, 700]: 50 cannot host 350 -> F = 50
    //        device 1 leaves [400, 350]: both host 350   -> F = 0   => device 1 -> [400, 350]
    const mix: TargetPod[] = [{ cpuMilli: 1000, gpuCount: 1, gpuMilli: 350, gpuModels: [], weight: 1 }];
    const { nodes, s: fgdS } = node(2, [600, 300], { policy: 'fgd', targetPods: mix });
    const pod = fgdS.compile(shared(350), 'pod');
    fgdS.bindGpus(99, 0, pod);
    nodes.addPod(0, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
    expect(Array.from(fgdS.gpu!.free.subarray(0, 2))).toEqual([400, 350]);
    const { nodes: n2, s: packS } = node(2, [600, 300], { policy: 'gpu-packing' });
    const pod2 = packS.compile(shared(350), 'pod');
    packS.bindGpus(99, 0, pod2);
    n2.addPod(0, pod2.requests, pod2.nonZeroCpuMilli, pod2.nonZeroMemoryBytes);
    expect(Array.from(packS.gpu!.free.subarray(0, 2))).toEqual([50, 700]);
  });
});

describe('GpuShareFit', () => {
  const nodes = cluster(
    [
      { name: 'a', extra: [2], labels: { [MODEL]: 'A' } },
      { name: 'b', extra: [2], labels: { [MODEL]: 'B' } },
      { name: 'cpu', extra: [0] },
    ],
    RESOURCES.length,
  );
  const s = new Scheduler(nodes, { policy: 'random', percentageOfNodesToScore: 0, resourceNames: RESOURCES }, constRandom());
  const filter = new GpuShareFit(s.gpu);
  const hold = s.compile(shared(700), 'pod');
  s.gpu!.allocate(0, 0, hold, 0); // a: free [300, 1000]

  it.each([
    { name: 'a CPU-only pod passes everywhere', pod: tmpl(100, null), n: 2, want: [] },
    { name: 'a shared pod fitting one device', pod: shared(300), n: 0, want: [] },
    { name: 'a model-constrained pod on another model', pod: shared(100, 1000, ['B']), n: 0, want: ["node(s) didn't have a GPU of model B"] },
    { name: 'a model-constrained pod on a CPU node', pod: shared(100, 1000, ['A', 'B']), n: 2, want: ["node(s) didn't have a GPU of model A|B"] },
    { name: 'two whole GPUs with one device shared', pod: whole(2), n: 0, want: ['node(s) had fewer than 2 free GPU(s)'] },
    { name: 'two whole GPUs on a free node', pod: whole(2, 1000, ['B']), n: 1, want: [] },
  ])('$name', ({ pod, n, want }) => {
    const sp = s.compile(pod, 'pod');
    const code = filter.filter(sp, n);
    expect(code === 0 ? [] : filter.reasons(sp, n, code)).toEqual(want);
  });

  it('explains an unschedulable shared pod in the FitError message', () => {
    // 800 milli: device 1 of a (1000) fits; ask for a model only b has, with b's devices busy.
    const busy = s.compile(whole(2), 'pod');
    nodes.addPod(1, busy.requests, busy.nonZeroCpuMilli, busy.nonZeroMemoryBytes);
    s.gpu!.allocate(1, 1, busy, -1);
    const pod = s.compile(shared(800, 1000, ['B']), 'pod');
    expect(s.scheduleOne(pod)).toBe(-1);
    expect(s.lastFailureMessage()).toBe(
      "0/3 nodes are available: 1 node(s) had no GPU with 800 milli-GPU free, 2 node(s) didn't have a GPU of model B.",
    );
  });
});
