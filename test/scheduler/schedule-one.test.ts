// Whole scheduling cycles: a hand-worked kube-default cycle, policies, tie-break, determinism.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { PodTemplate, Taint } from '../../src/scenario/model.js';
import type { NodeTable } from '../../src/sim/cluster/node-table.js';
import { POLICY_NAMES, Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { bind, cluster, constRandom, GiB, podTemplate, type NodeSpec } from './helpers.js';

const spot: Taint = { key: 'spot', value: 'true', effect: 'PreferNoSchedule' };

describe('kube-default, worked by hand', () => {
  // Three 4000m / 8Gi nodes; the pod requests 1000m / 2Gi.
  //   n0: running 3000m / 1Gi
  //   n1: empty, untolerated PreferNoSchedule taint
  //   n2: running 1000m / 4Gi, label disk=ssd
  function setup(taintN1: boolean) {
    const nodes = cluster([{}, { taints: taintN1 ? [spot] : [] }, { labels: { disk: 'ssd' } }]);
    bind(nodes, 0, [3000, 1 * GiB]);
    bind(nodes, 2, [1000, 4 * GiB]);
    return new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
  }
  const pod: Partial<PodTemplate> = { requests: [1000, 2 * GiB, 0] };
  const prefersSsd: Partial<PodTemplate> = {
    ...pod,
    preferredNodeAffinity: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }], matchFields: [] } }],
  };

  // LeastAllocated (cpu, memory; weight 1):
  //   n0: cpu ((4000 - 4000) * 100) / 4000 = 0,  mem ((8 - 3) * 100) / 8 = 62  -> (0 + 62) / 2 = 31
  //   n1: cpu ((4000 - 1000) * 100) / 4000 = 75, mem ((8 - 2) * 100) / 8 = 75  -> 75
  //   n2: cpu ((4000 - 2000) * 100) / 4000 = 50, mem ((8 - 6) * 100) / 8 = 25  -> (50 + 25) / 2 = 37
  // BalancedAllocation (weight 1):
  //   n0: cpu 1, mem 3/8: std = 0.3125 -> int(68.75) = 68
  //   n1: 0.25, 0.25 -> 100
  //   n2: 0.5, 0.75: std = 0.125 -> int(87.5) = 87
  // TaintToleration (weight 3): counts 0, 1, 0 -> normalised reverse 100, 0, 100 -> 300, 0, 300
  // NodeAffinity (weight 2): 0, 0, 10 -> normalised 0, 0, 100 -> 0, 0, 200

  it('prefers the ssd node: totals 399, 175, 624', () => {
    // n0: 300 + 0 + 31 + 68 = 399; n1: 0 + 0 + 75 + 100 = 175; n2: 300 + 200 + 37 + 87 = 624
    const s = setup(true);
    expect(s.scheduleOne(s.compile(podTemplate(prefersSsd), 'pod'))).toBe(2);
  });

  it('without the preference and the taint the empty node wins: totals 399, 475, 424', () => {
    // TaintToleration: all counts 0 -> all 100 -> 300 each; NodeAffinity skipped
    // n0: 300 + 31 + 68 = 399; n1: 300 + 75 + 100 = 475; n2: 300 + 37 + 87 = 424
    const s = setup(false);
    expect(s.scheduleOne(s.compile(podTemplate(pod), 'pod'))).toBe(1);
  });

  it('the PreferNoSchedule taint alone moves it to n2: totals 399, 175, 424', () => {
    const s = setup(true);
    expect(s.scheduleOne(s.compile(podTemplate(pod), 'pod'))).toBe(2);
  });
});

describe('single-resource policies', () => {
  // n0: 4000m with 3000m used; n1: empty 4000m; n2: 4000m with 1000m used. Pod 500m, no memory.
  function nodesWithLoad() {
    const nodes = cluster([{}, {}, {}]);
    bind(nodes, 0, [3000, 1 * GiB]);
    bind(nodes, 2, [1000, 1 * GiB]);
    return nodes;
  }
  const pod = podTemplate({ requests: [500, 0, 0] });

  it.each([
    // LeastAllocated: n1 emptiest
    { policy: 'least-allocated', want: 1 },
    // MostAllocated: cpu (3500 * 100) / 4000 = 87, mem (1Gi + 200Mi) / 8Gi = 14 -> (87 + 14) / 2 = 50 on n0;
    // n1: 12 and 2 -> 7; n2: 37 and 14 -> 25. Fullest wins.
    { policy: 'most-allocated', want: 0 },
    // first-fit: lowest index
    { policy: 'first-fit', want: 0 },
  ])('$policy picks node $want', ({ policy, want }) => {
    const s = new Scheduler(nodesWithLoad(), { policy, percentageOfNodesToScore: 0 }, constRandom());
    expect(s.scheduleOne(s.compile(pod, 'pod'))).toBe(want);
  });

  it('balanced-allocation picks the node whose cpu and memory fractions end closest', () => {
    // pod 1000m / 1Gi on 4000m / 4Gi nodes:
    // n0 running 2000m / 0: fractions 0.75, 0.25 -> 75; n1 running 0 / 2Gi: 0.25, 0.75 -> 75;
    // n2 running 1000m / 1Gi: 0.5, 0.5 -> 100
    const nodes = cluster([{ memory: 4 * GiB }, { memory: 4 * GiB }, { memory: 4 * GiB }]);
    bind(nodes, 0, [2000, 0]);
    bind(nodes, 1, [0, 2 * GiB]);
    bind(nodes, 2, [1000, 1 * GiB]);
    const s = new Scheduler(nodes, { policy: 'balanced-allocation', percentageOfNodesToScore: 0 }, constRandom());
    expect(s.scheduleOne(s.compile(podTemplate({ requests: [1000, 1 * GiB, 0] }), 'pod'))).toBe(2);
  });

  it('an unknown policy is an error listing the valid names', () => {
    expect(() => new Scheduler(cluster([{}]), { policy: 'best-guess', percentageOfNodesToScore: 0 }, constRandom())).toThrow(
      'Unknown scheduler policy "best-guess": expected one of kube-default, least-allocated, most-allocated, balanced-allocation, ' +
        'requested-to-capacity-ratio, first-fit, best-fit, worst-fit, random, dot-product',
    );
  });

  it('an out-of-range percentageOfNodesToScore is an error', () => {
    expect(() => new Scheduler(cluster([{}]), { policy: 'kube-default', percentageOfNodesToScore: 101 }, constRandom())).toThrow(
      'Expected percentageOfNodesToScore to be an integer in [0, 100], got 101',
    );
  });
});

describe('every policy honours the filters (contract)', () => {
  // Only n4 passes: n0 cordoned, n1 tainted, n2 wrong zone, n3 too small.
  const specs: NodeSpec[] = [
    { unschedulable: true, labels: { zone: 'a' } },
    { taints: [{ key: 'x', value: '', effect: 'NoSchedule' }], labels: { zone: 'a' } },
    { labels: { zone: 'b' } },
    { cpu: 100, labels: { zone: 'a' } },
    { labels: { zone: 'a' } },
  ];
  const pod = podTemplate({ requests: [500, 0, 0], nodeSelector: { zone: 'a' } });

  it.each(POLICY_NAMES.map((p) => [p]))('%s', (policy) => {
    const nodes = cluster(specs);
    const s = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0 }, seedrandom('contract'));
    const sp = s.compile(pod, 'pod');
    expect(s.scheduleOne(sp)).toBe(4);
    // Fill n4's pod slots with request-less pods (through the NodeTable, as a bind does).
    for (let i = nodes.podCount[4]!; i < nodes.maxPods[4]!; i++) bind(nodes, 4, [0, 0]);
    expect(s.scheduleOne(sp)).toBe(-1);
    expect(s.lastFailureMessage()).toBe(
      "0/5 nodes are available: 1 Insufficient cpu, 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector, " +
        '1 node(s) had untolerated taint {x: }, 1 node(s) were unschedulable.',
    );
  });
});

describe('tie-break (selectHost)', () => {
  it('accepts any tied node, never a lower-scoring one, and reaches every tied node', () => {
    // n0..n3 identical and empty; n4 half full so it scores lower
    const nodes = cluster([{}, {}, {}, {}, {}]);
    bind(nodes, 4, [2000, 4 * GiB]);
    const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, seedrandom('ties'));
    const pod = s.compile(podTemplate({ requests: [100, 1 * GiB, 0] }), 'pod');
    const seen = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const n = s.scheduleOne(pod); // not bound, so every cycle sees the same tie
      seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const count of seen.values()) expect(count).toBeGreaterThan(60); // ~100 each
  });

  it('draws no random number when the top is unique or only one node is feasible', () => {
    const nodes = cluster([{}, {}]);
    bind(nodes, 1, [1000]);
    let draws = 0;
    const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, () => (draws++, 0.5));
    expect(s.scheduleOne(s.compile(podTemplate({ requests: [100, 0, 0] }), 'pod'))).toBe(0);
    expect(s.scheduleOne(s.compile(podTemplate({ requests: [3500, 0, 0] }), 'pod'))).toBe(0);
    expect(draws).toBe(0);
  });
});

describe('determinism', () => {
  function run(seed: string, policy: string): number[] {
    const specs: NodeSpec[] = Array.from({ length: 150 }, (_, i) => ({ zone: ['a', 'b', 'c'][i % 3]!, cpu: 8000, memory: 32 * GiB }));
    const nodes: NodeTable = cluster(specs);
    const s = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0 }, seedrandom(seed));
    const pods = [
      s.compile(podTemplate({ requests: [250, 512 * 1024 * 1024, 0] }), 'pod'),
      s.compile(podTemplate({ requests: [0, 0, 0] }), 'pod'),
      s.compile(podTemplate({ requests: [1000, 4 * GiB, 0], nodeSelector: {} }), 'pod'),
    ];
    const placed: number[] = [];
    for (let i = 0; i < 600; i++) {
      const pod = pods[i % pods.length]!;
      const n = s.scheduleOne(pod);
      placed.push(n);
      if (n >= 0) nodes.addPod(n, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
    }
    return placed;
  }

  it.each(POLICY_NAMES.map((p) => [p]))('%s: the same seed gives the same placements', (policy) => {
    expect(run('seed-1', policy)).toEqual(run('seed-1', policy));
  });

  it('another seed changes kube-default tie-breaks', () => {
    expect(run('seed-1', 'kube-default')).not.toEqual(run('seed-2', 'kube-default'));
  });
});
