// The bin-packing policies (best-fit, worst-fit, random, dot-product, requested-to-capacity-ratio):
// their score plugins on one node with the arithmetic worked by hand, then whole cycles on a
// three-node cluster where they disagree.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { NodeTable } from '../../src/sim/cluster/node-table.js';
import type { ScorePlugin } from '../../src/sim/scheduler/framework.js';
import { dominantShareAfter } from '../../src/sim/scheduler/plugins/dominant-share.js';
import { DotProduct } from '../../src/sim/scheduler/plugins/dot-product.js';
import {
  MOST_ALLOCATED_SHAPE,
  RequestedToCapacityRatio,
  scaledUtilization,
} from '../../src/sim/scheduler/plugins/requested-to-capacity-ratio.js';
import { brokenLinear } from '../../src/sim/scheduler/plugins/shape-score.js';
import { WorstFit } from '../../src/sim/scheduler/plugins/worst-fit.js';
import { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { DEFAULT_RESOURCES, type ResourceSpec } from '../../src/sim/scheduler/plugins/resource-allocation.js';
import { bind, cluster, constRandom, GiB, podTemplate, type NodeSpec } from './helpers.js';

interface Case {
  name: string;
  node: NodeSpec;
  running?: number[]; // requests of a pod already on the node
  pod: number[];
  want: number;
}

function scoreOne(make: (nodes: NodeTable) => ScorePlugin, c: Case): number {
  const nodes = cluster([c.node]);
  if (c.running) bind(nodes, 0, c.running);
  const pod = new SchedPod(podTemplate({ requests: c.pod }), 'pod', nodes.R);
  const out = new Float64Array(1);
  make(nodes).score(pod, Int32Array.of(0), 1, out);
  return out[0]!;
}

describe('helper.BuildBrokenLinearFunction', () => {
  it.each([
    // [{0,0},{100,100}]: f(p) = 0 + (100 - 0) * (p - 0) / (100 - 0) = p
    { shape: [[0, 0], [100, 100]], p: 0, want: 0 },
    { shape: [[0, 0], [100, 100]], p: 37, want: 37 },
    { shape: [[0, 0], [100, 100]], p: 100, want: 100 },
    // beyond the last point: its score
    { shape: [[0, 0], [100, 100]], p: 150, want: 100 },
    // falling: 100 + (0 - 100) * (33 - 0) / 100 = 100 - 33 = 67
    { shape: [[0, 100], [100, 0]], p: 33, want: 67 },
    // Go truncates toward zero: 100 + trunc(-100 * 10 / 30) = 100 + trunc(-33.3) = 67 (floor would give 66)
    { shape: [[0, 100], [30, 0]], p: 10, want: 67 },
    // below the first point: its score
    { shape: [[10, 0], [50, 80], [100, 100]], p: 5, want: 0 },
    // 0 + 80 * (30 - 10) / (50 - 10) = 1600 / 40 = 40
    { shape: [[10, 0], [50, 80], [100, 100]], p: 30, want: 40 },
    // 80 + 20 * (75 - 50) / (100 - 50) = 80 + 500 / 50 = 90
    { shape: [[10, 0], [50, 80], [100, 100]], p: 75, want: 90 },
    // 80 + trunc(20 * 1 / 50) = 80 + trunc(0.4) = 80
    { shape: [[10, 0], [50, 80], [100, 100]], p: 51, want: 80 },
  ])('$shape at $p = $want', ({ shape, p, want }) => {
    expect(brokenLinear(shape.map(([utilization, score]) => ({ utilization: utilization!, score: score! })), p)).toBe(want);
  });
});

describe('RequestedToCapacityRatio', () => {
  it.each([
    [0, 4000, 0],
    // (1000 * 100) / 3000 = 33.3 -> 33
    [1000, 3000, 33],
    [4000, 4000, 100],
    // clamped to capacity
    [5000, 4000, 100],
    // capacity 0 -> 0
    [100, 0, 0],
  ])('scaledUtilization(%d, %d) = %d', (req, cap, want) => {
    expect(scaledUtilization(req, cap)).toBe(want);
  });

  // Default shape [{0,0},{100,10}], scores x10: f(u) = u.
  const cases: Case[] = [
    {
      name: 'the mean is rounded, where MostAllocated truncates',
      node: { cpu: 4000, memory: 10000 },
      running: [2000, 5000],
      pod: [1000, 2000],
      // cpu: 3000 * 100 / 4000 = 75 -> f = 75; memory: 7000 * 100 / 10000 = 70 -> 70
      // round((75 + 70) / 2) = round(72.5) = 73 (MostAllocated: 72)
      want: 73,
    },
    {
      name: 'utilisation is truncated to an integer percentage first',
      node: { cpu: 1000, memory: 3000 },
      pod: [1000, 1000],
      // cpu: 1000 * 100 / 1000 = 100; memory: 1000 * 100 / 3000 = 33.3 -> 33
      // round((100 + 33) / 2) = round(66.5) = 67
      want: 67,
    },
    {
      name: 'a resource scoring 0 is left out of the mean',
      node: { cpu: 4000, memory: 10000 },
      pod: [2000, 1],
      // cpu: 2000 * 100 / 4000 = 50; memory: 1 * 100 / 10000 = 0.01 -> 0 -> f = 0, not counted
      // 50 / 1 = 50 (MostAllocated: (50 + 0) / 2 = 25)
      want: 50,
    },
    {
      name: 'requested over capacity scores f(100)',
      node: { cpu: 1000, memory: 1000 },
      running: [900, 1],
      pod: [200, 99],
      // cpu: 1100 > 1000 -> f(100) = 100; memory: 100 * 100 / 1000 = 10
      // round((100 + 10) / 2) = 55
      want: 55,
    },
    {
      name: 'allocatable 0 is skipped',
      node: { cpu: 4000, memory: 0 },
      pod: [1000, 1],
      // cpu: 1000 * 100 / 4000 = 25; memory skipped -> 25
      want: 25,
    },
    {
      name: 'non-zero defaults for a pod without requests',
      node: { cpu: 1000, memory: 1000 * 1024 * 1024 },
      pod: [0, 0],
      // cpu: 100m -> 100 * 100 / 1000 = 10; memory: 200Mi of 1000Mi -> 20
      // round((10 + 20) / 2) = 15
      want: 15,
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(scoreOne((nodes) => new RequestedToCapacityRatio(nodes), c)).toBe(c.want);
  });

  it('the shape [{0,10},{100,0}] behaves like LeastAllocated, rounded', () => {
    // cpu: f(75) = 100 + (0 - 100) * 75 / 100 = 25; memory: f(70) = 30
    // round((25 + 30) / 2) = round(27.5) = 28 (LeastAllocated: 27)
    const c: Case = { name: '', node: { cpu: 4000, memory: 10000 }, running: [2000, 5000], pod: [1000, 2000], want: 28 };
    const shape = [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }];
    expect(scoreOne((nodes) => new RequestedToCapacityRatio(nodes, shape), c)).toBe(28);
  });

  it('the default shape is [{0,0},{100,10}]', () => {
    expect(MOST_ALLOCATED_SHAPE).toEqual([{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }]);
  });

  it.each([
    { shape: [], error: 'Expected at least one shape point, got none' },
    { shape: [{ utilization: 0, score: 11 }], error: 'Expected shape[0].score to be an integer in [0, 10], got 11' },
    { shape: [{ utilization: 101, score: 1 }], error: 'Expected shape[0].utilization to be an integer in [0, 100], got 101' },
    {
      shape: [{ utilization: 50, score: 1 }, { utilization: 50, score: 2 }],
      error: 'Expected shape utilizations to increase strictly, got 50 then 50',
    },
  ])('rejects an invalid shape: $error', ({ shape, error }) => {
    expect(() => new RequestedToCapacityRatio(cluster([{}]), shape)).toThrow(error);
  });
});

describe('the dominant share (best-fit maximises it) and WorstFit (dominant resource, actual requests)', () => {
  // best = 100 × max_r share after placement; worst = 100 - best.
  const cases: (Case & { worst: number })[] = [
    {
      name: 'the most-used resource decides',
      node: { cpu: 4000, memory: 10000 },
      running: [2000, 5000],
      pod: [1000, 2000],
      // cpu 3000 / 4000 = 0.75, memory 7000 / 10000 = 0.7; max 0.75 -> 75; worst 25
      want: 75,
      worst: 25,
    },
    {
      name: 'one full resource makes a full node',
      node: { cpu: 1000, memory: 1000 },
      running: [800, 100],
      pod: [100, 0],
      // cpu 900 / 1000 = 0.9, memory 100 / 1000 = 0.1 -> 90 (MostAllocated would say 50); worst 10
      want: 90,
      worst: 10,
    },
    {
      name: 'an evenly used node',
      node: { cpu: 1000, memory: 1000 },
      running: [500, 600],
      pod: [100, 0],
      // cpu 0.6, memory 0.6 -> 60; worst 40
      want: 60,
      worst: 40,
    },
    {
      name: 'a pod without requests adds nothing (no non-zero defaults)',
      node: { cpu: 1000, memory: 1000 },
      running: [250, 500],
      pod: [0, 0],
      // cpu 0.25, memory 0.5 -> 50; worst 50
      want: 50,
      worst: 50,
    },
    {
      name: 'shares are capped at 1',
      node: { cpu: 1000, memory: 1000 },
      running: [1200, 0],
      pod: [0, 100],
      // cpu 1200 / 1000 -> 1, memory 0.1 -> 100; worst 0
      want: 100,
      worst: 0,
    },
    {
      name: 'allocatable 0 is skipped',
      node: { cpu: 4000, memory: 0 },
      pod: [1000, 5],
      // cpu 1000 / 4000 = 0.25; memory skipped -> 25; worst 75
      want: 25,
      worst: 75,
    },
    {
      name: 'nothing to score: fill 0',
      node: { cpu: 0, memory: 0 },
      pod: [0, 0],
      want: 0,
      worst: 100,
    },
  ];
  it.each(cases)('$name', (c) => {
    const nodes = cluster([c.node]);
    if (c.running) bind(nodes, 0, c.running);
    const pod = new SchedPod(podTemplate({ requests: c.pod }), 'pod', nodes.R);
    expect(100 * dominantShareAfter(nodes, pod, 0, DEFAULT_RESOURCES)).toBeCloseTo(c.want, 10);
    expect(scoreOne((nodes) => new WorstFit(nodes), c)).toBeCloseTo(c.worst, 10);
  });
});

describe('DotProduct (Tetris alignment)', () => {
  // 100 × Σ_r (pod_r / alloc_r) × (free_r / alloc_r) / (scored resources)
  const cases: Case[] = [
    {
      name: 'the normalised dot product',
      node: { cpu: 4000, memory: 10000 },
      running: [2000, 5000],
      pod: [1000, 2000],
      // cpu (1000 / 4000) × (2000 / 4000) = 0.25 × 0.5 = 0.125; memory 0.2 × 0.5 = 0.1
      // 100 × 0.225 / 2 = 11.25
      want: 11.25,
    },
    {
      name: 'a cpu-heavy pod on a node with free cpu',
      node: { cpu: 4000, memory: 4000 },
      running: [1000, 3000],
      pod: [1000, 0],
      // cpu 0.25 × 0.75 = 0.1875; memory 0 × 0.25 = 0 -> 100 × 0.1875 / 2 = 9.375
      want: 9.375,
    },
    {
      name: 'the same pod on a node with free memory',
      node: { cpu: 4000, memory: 4000 },
      running: [3000, 1000],
      pod: [1000, 0],
      // cpu 0.25 × 0.25 = 0.0625; memory 0 -> 100 × 0.0625 / 2 = 3.125
      want: 3.125,
    },
    {
      name: 'a pod without requests scores 0',
      node: { cpu: 4000, memory: 4000 },
      pod: [0, 0],
      want: 0,
    },
    {
      name: 'allocatable 0 is skipped',
      node: { cpu: 4000, memory: 0 },
      pod: [1000, 0],
      // cpu 0.25 × 1 = 0.25 over one resource -> 25
      want: 25,
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(scoreOne((nodes) => new DotProduct(nodes), c)).toBeCloseTo(c.want, 10);
  });
});

describe('whole cycles: where the policies disagree', () => {
  // Three 1000m / 1000-byte nodes; the pod requests [100, 100].
  //   n0 running [800, 100]: after placement cpu 0.9, memory 0.2
  //   n1 running [500, 600]: after placement 0.6, 0.7
  //   n2 empty:              after placement 0.1, 0.1
  function setup(policy: string, random: () => number = constRandom()) {
    const nodes = cluster([{ cpu: 1000, memory: 1000 }, { cpu: 1000, memory: 1000 }, { cpu: 1000, memory: 1000 }]);
    bind(nodes, 0, [800, 100]);
    bind(nodes, 1, [500, 600]);
    const s = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0 }, random);
    return { s, pod: s.compile(podTemplate({ requests: [100, 100, 0] }), 'pod') };
  }

  it.each([
    // best-fit: max shares 0.9, 0.7, 0.1 -> 90, 70, 10: n0
    { policy: 'best-fit', want: 0 },
    // most-allocated: (90 + 20) / 2 = 55, (60 + 70) / 2 = 65, (10 + 10) / 2 = 10: n1
    { policy: 'most-allocated', want: 1 },
    // requested-to-capacity-ratio: round(110 / 2) = 55, round(130 / 2) = 65, 10: n1
    { policy: 'requested-to-capacity-ratio', want: 1 },
    // worst-fit: 100 - (90, 70, 10) = 10, 30, 90: n2
    { policy: 'worst-fit', want: 2 },
    // dot-product: free (0.2, 0.9), (0.5, 0.4), (1, 1); pod (0.1, 0.1)
    // 100 × (0.02 + 0.09) / 2 = 5.5, 100 × (0.05 + 0.04) / 2 = 4.5, 100 × 0.2 / 2 = 10: n2
    { policy: 'dot-product', want: 2 },
  ])('$policy picks n$want', ({ policy, want }) => {
    const { s, pod } = setup(policy);
    expect(s.scheduleOne(pod)).toBe(want);
  });

  it('random picks every feasible node about equally often, never an infeasible one', () => {
    const nodes = cluster([{}, {}, { cpu: 50 }, {}, {}]);
    const s = new Scheduler(nodes, { policy: 'random', percentageOfNodesToScore: 0 }, seedrandom('uniform'));
    const pod = s.compile(podTemplate({ requests: [100, 0, 0] }), 'pod');
    const seen = [0, 0, 0, 0, 0];
    for (let i = 0; i < 800; i++) seen[s.scheduleOne(pod)]!++; // not bound: the same 4 feasible nodes every cycle
    expect(seen[2]).toBe(0);
    // ~200 each; a binomial(800, 1/4) is within 200 ± 60 with probability > 0.9999
    for (const n of [0, 1, 3, 4]) expect(Math.abs(seen[n]! - 200)).toBeLessThan(60);
  });

  it('random draws from the scheduler stream: the stream decides the node', () => {
    // 3 feasible nodes: reservoir sampling keeps the k-th with probability 1/k; a stream of 0s
    // always replaces, so the last tied node wins; 0.99 never does, so the first wins.
    expect(setup('random', constRandom(0)).s.scheduleOne(setup('random').pod)).toBe(2);
    const { s, pod } = setup('random', constRandom(0.99));
    expect(s.scheduleOne(pod)).toBe(0);
  });
});

describe('cpu/memory fast paths agree with the generic resource loop', () => {
  it.each([
    ['WorstFit', (n: NodeTable, r?: readonly ResourceSpec[]) => new WorstFit(n, r)],
    ['DotProduct', (n: NodeTable, r?: readonly ResourceSpec[]) => new DotProduct(n, r)],
    ['RequestedToCapacityRatio', (n: NodeTable, r?: readonly ResourceSpec[]) => new RequestedToCapacityRatio(n, MOST_ALLOCATED_SHAPE, r)],
    [
      'RequestedToCapacityRatio, falling shape',
      (n: NodeTable, r?: readonly ResourceSpec[]) =>
        new RequestedToCapacityRatio(n, [{ utilization: 0, score: 10 }, { utilization: 30, score: 7 }, { utilization: 100, score: 0 }], r),
    ],
  ] as const)('%s', (_name, make) => {
    const rng = seedrandom('fast-vs-generic-policies');
    const int = (max: number) => Math.floor(rng() * max);
    const specs: NodeSpec[] = Array.from({ length: 200 }, () => ({
      cpu: int(4) === 0 ? 0 : 1000 + int(8000),
      memory: int(4) === 0 ? 0 : (1 + int(16)) * GiB,
    }));
    const nodes = cluster(specs);
    for (let n = 0; n < nodes.count; n++) bind(nodes, n, [int(9000), int(20) * GiB]);
    const feasible = Int32Array.from({ length: nodes.count }, (_, i) => i);
    const fast = new Float64Array(nodes.count);
    const generic = new Float64Array(nodes.count);
    for (const requests of [[0, 0, 0], [500, 0, 0], [0, GiB, 0], [3000, 5 * GiB, 0]]) {
      const pod = new SchedPod(podTemplate({ requests }), 'pod', nodes.R);
      make(nodes).score(pod, feasible, nodes.count, fast);
      make(nodes, [...DEFAULT_RESOURCES]).score(pod, feasible, nodes.count, generic);
      expect(Array.from(fast)).toEqual(Array.from(generic));
    }
  });
});
