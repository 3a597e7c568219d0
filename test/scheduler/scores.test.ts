// Score plugins, each with the arithmetic worked by hand.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RESOURCE_CPU, RESOURCE_EPHEMERAL, RESOURCE_MEMORY } from '../../src/scenario/model.js';
import { Status } from '../../src/sim/scheduler/framework.js';
import { BalancedAllocation, balancedResourceScore } from '../../src/sim/scheduler/plugins/balanced-allocation.js';
import { LeastAllocated, leastRequestedScore } from '../../src/sim/scheduler/plugins/least-allocated.js';
import { MostAllocated, mostRequestedScore } from '../../src/sim/scheduler/plugins/most-allocated.js';
import { defaultNormalizeScore } from '../../src/sim/scheduler/plugins/normalize-score.js';
import { DEFAULT_RESOURCES, type ResourceSpec } from '../../src/sim/scheduler/plugins/resource-allocation.js';
import type { NodeTable } from '../../src/sim/cluster/node-table.js';
import type { ScorePlugin } from '../../src/sim/scheduler/framework.js';
import { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { bind, cluster, GiB, MiB, podTemplate, type NodeSpec } from './helpers.js';

interface Case {
  name: string;
  node: NodeSpec;
  running?: number[]; // requests of a pod already on the node
  pod: number[];
  want: number;
}

function scoreOne(make: (nodes: ReturnType<typeof cluster>) => ScorePlugin, c: Case): number {
  const nodes = cluster([c.node]);
  if (c.running) bind(nodes, 0, c.running);
  const pod = new SchedPod(podTemplate({ requests: c.pod }), 'pod', nodes.R);
  const out = new Float64Array(1);
  make(nodes).score(pod, Int32Array.of(0), 1, out);
  return out[0]!;
}

describe('LeastAllocated', () => {
  it.each([
    // ((4000 - 3000) * 100) / 4000 = 25
    [3000, 4000, 25],
    // ((3000 - 1000) * 100) / 3000 = 66.67 -> 66 (int64 truncation)
    [1000, 3000, 66],
    // requested > capacity -> 0
    [4001, 4000, 0],
    // requested == capacity -> 0
    [4000, 4000, 0],
    // capacity 0 -> 0
    [0, 0, 0],
  ])('leastRequestedScore(%d, %d) = %d', (req, cap, want) => {
    expect(leastRequestedScore(req, cap)).toBe(want);
  });

  const cases: Case[] = [
    {
      name: 'weighted mean of cpu and memory, integer division',
      node: { cpu: 4000, memory: 10000 },
      running: [2000, 5000],
      pod: [1000, 2000],
      // cpu: ((4000 - 3000) * 100) / 4000 = 25; memory: ((10000 - 7000) * 100) / 10000 = 30
      // (25 + 30) / 2 = 27 (27.5 truncated)
      want: 27,
    },
    {
      name: 'a pod without requests counts with the non-zero defaults',
      node: { cpu: 1000, memory: 1 * GiB },
      pod: [0, 0],
      // cpu: ((1000 - 100) * 100) / 1000 = 90
      // memory: ((1073741824 - 209715200) * 100) / 1073741824 = 80.47 -> 80
      // (90 + 80) / 2 = 85
      want: 85,
    },
    {
      name: 'running pods count with non-zero defaults too',
      node: { cpu: 1000, memory: 1 * GiB },
      running: [0, 0],
      pod: [100, 200 * MiB],
      // cpu: ((1000 - 200) * 100) / 1000 = 80; memory: ((1024 - 400) * 100) / 1024 = 60.9 -> 60
      // (80 + 60) / 2 = 70
      want: 70,
    },
    {
      name: 'a resource over capacity scores 0',
      node: { cpu: 1000, memory: 1000 },
      running: [900, 1],
      pod: [200, 99],
      // cpu: 900 + 200 = 1100 > 1000 -> 0; memory: ((1000 - 100) * 100) / 1000 = 90
      // (0 + 90) / 2 = 45
      want: 45,
    },
    {
      name: 'allocatable 0 is skipped, not scored 0',
      node: { cpu: 4000, memory: 0 },
      pod: [1000, 1],
      // cpu: ((4000 - 1000) * 100) / 4000 = 75; memory skipped -> 75 / 1 = 75
      want: 75,
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(scoreOne((nodes) => new LeastAllocated(nodes), c)).toBe(c.want);
  });
});

describe('MostAllocated', () => {
  it.each([
    // (3000 * 100) / 4000 = 75
    [3000, 4000, 75],
    // (1000 * 100) / 3000 = 33.3 -> 33
    [1000, 3000, 33],
    // requested capped at capacity: (4000 * 100) / 4000 = 100
    [5000, 4000, 100],
    [0, 0, 0],
  ])('mostRequestedScore(%d, %d) = %d', (req, cap, want) => {
    expect(mostRequestedScore(req, cap)).toBe(want);
  });

  const cases: Case[] = [
    {
      name: 'weighted mean of cpu and memory',
      node: { cpu: 4000, memory: 10000 },
      running: [2000, 5000],
      pod: [1000, 2000],
      // cpu: (3000 * 100) / 4000 = 75; memory: (7000 * 100) / 10000 = 70; (75 + 70) / 2 = 72
      want: 72,
    },
    {
      name: 'over capacity is capped',
      node: { cpu: 1000, memory: 1000 },
      running: [900, 1],
      pod: [200, 99],
      // cpu: min(1100, 1000) * 100 / 1000 = 100; memory: (100 * 100) / 1000 = 10; (100 + 10) / 2 = 55
      want: 55,
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(scoreOne((nodes) => new MostAllocated(nodes), c)).toBe(c.want);
  });
});

describe('BalancedAllocation (v1.34)', () => {
  const cases: Case[] = [
    {
      name: 'equal fractions score 100',
      node: { cpu: 4000, memory: 10000 },
      running: [1000, 3000],
      pod: [1000, 2000],
      // cpu 2000/4000 = 0.5, memory 5000/10000 = 0.5; std = |0.5 - 0.5| / 2 = 0 -> 100
      want: 100,
    },
    {
      name: 'two resources: std = |f1 - f2| / 2',
      node: { cpu: 4000, memory: 4000 },
      pod: [3000, 1000],
      // 0.75 and 0.25: std = 0.25; (1 - 0.25) * 100 = 75
      want: 75,
    },
    {
      name: 'fractions are capped at 1',
      node: { cpu: 4000, memory: 10000 },
      running: [4000, 4000],
      pod: [1000, 1000],
      // cpu 5000/4000 = 1.25 -> 1; memory 0.5; std = 0.25 -> 75
      want: 75,
    },
    {
      name: 'float result is truncated',
      node: { cpu: 3000, memory: 3000 },
      pod: [1000, 0],
      // cpu 1/3, memory 0: std = 1/6; (1 - 0.1667) * 100 = 83.33 -> 83
      want: 83,
    },
    {
      name: 'actual requests, not non-zero defaults',
      node: { cpu: 1000, memory: 1000 },
      pod: [0, 1000],
      // cpu 0/1000 = 0 (a non-zero 100m would give 0.1), memory 1: std = 0.5 -> 50
      want: 50,
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(scoreOne((nodes) => new BalancedAllocation(nodes), c)).toBe(c.want);
  });

  it('more than two resources use the population standard deviation', () => {
    // fractions 0, 0.5, 1: mean 0.5; Σ(f - mean)² = 0.25 + 0 + 0.25 = 0.5; sqrt(0.5 / 3) = 0.408
    // (1 - 0.408) * 100 = 59.2 -> 59
    expect(balancedResourceScore(Float64Array.of(0, 0.5, 1), 3)).toBe(59);
    const nodes = cluster([{ cpu: 1000, memory: 1000, ephemeral: 1000 }]);
    const plugin = new BalancedAllocation(nodes, [
      { dim: RESOURCE_CPU, weight: 1 },
      { dim: RESOURCE_MEMORY, weight: 1 },
      { dim: RESOURCE_EPHEMERAL, weight: 1 },
    ]);
    const pod = new SchedPod(podTemplate({ requests: [0, 500, 1000] }), 'pod', nodes.R);
    const out = new Float64Array(1);
    plugin.score(pod, Int32Array.of(0), 1, out);
    expect(out[0]).toBe(59);
  });

  it('one scored resource has std 0', () => {
    expect(balancedResourceScore(Float64Array.of(0.9), 1)).toBe(100);
  });

  it('PreScore skips best-effort pods (cpu and memory requests 0)', () => {
    const nodes = cluster([{}]);
    const plugin = new BalancedAllocation(nodes);
    const bestEffort = new SchedPod(podTemplate({ requests: [0, 0, 5] }), 'pod', nodes.R);
    const burstable = new SchedPod(podTemplate({ requests: [0, 1, 0] }), 'pod', nodes.R);
    expect(plugin.preScore(bestEffort)).toBe(Status.Skip);
    expect(plugin.preScore(burstable)).toBe(Status.Success);
  });
});

describe('DefaultNormalizeScore', () => {
  it.each([
    // max 0: reverse -> all 100; otherwise unchanged
    { scores: [0, 0, 0], reverse: true, want: [100, 100, 100] },
    { scores: [0, 0, 0], reverse: false, want: [0, 0, 0] },
    // 100 * 1 / 4 = 25, 100 * 2 / 4 = 50, 100 * 4 / 4 = 100
    { scores: [1, 2, 4], reverse: false, want: [25, 50, 100] },
    // reversed: 100 - 25, 100 - 50, 100 - 100
    { scores: [1, 2, 4], reverse: true, want: [75, 50, 0] },
    // 100 * 10 / 30 = 33.3 -> 33, 100 * 20 / 30 = 66.7 -> 66
    { scores: [10, 30, 20], reverse: false, want: [33, 100, 66] },
    // 100 - 33 = 67
    { scores: [1, 3], reverse: true, want: [67, 0] },
  ])('$scores reverse=$reverse -> $want', ({ scores, reverse, want }) => {
    const a = Float64Array.from(scores);
    defaultNormalizeScore(100, reverse, a, a.length);
    expect(Array.from(a)).toEqual(want);
  });

  it('touches only the first `count` entries', () => {
    const a = Float64Array.of(1, 2, 99);
    defaultNormalizeScore(100, false, a, 2);
    // 100 * 1 / 2 = 50, 100 * 2 / 2 = 100; a[2] untouched
    expect(Array.from(a)).toEqual([50, 100, 99]);
  });
});

describe('cpu/memory fast paths agree with the generic resource loop', () => {
  it.each([
    ['LeastAllocated', (n: NodeTable, r?: readonly ResourceSpec[]) => new LeastAllocated(n, r)],
    ['MostAllocated', (n: NodeTable, r?: readonly ResourceSpec[]) => new MostAllocated(n, r)],
    ['BalancedAllocation', (n: NodeTable, r?: readonly ResourceSpec[]) => new BalancedAllocation(n, r)],
  ] as const)('%s', (_name, make) => {
    const rng = seedrandom('fast-vs-generic');
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
