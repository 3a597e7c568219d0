// Node sampling: numFeasibleNodesToFind, the rotating start index, the snapshot order.

import { describe, expect, it } from 'vitest';
import { DynamicTaint } from '../../src/sim/cluster/node-table.js';
import { numFeasibleNodesToFind } from '../../src/sim/scheduler/sampling.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { cluster, constRandom, podTemplate, type NodeSpec } from './helpers.js';

describe('numFeasibleNodesToFind', () => {
  it.each([
    // fewer than 100 nodes: all of them
    { n: 50, pct: 0, want: 50 },
    { n: 99, pct: 0, want: 99 },
    { n: 50, pct: 10, want: 50 },
    // pct = 50 - 100/125 = 50; 100 * 50 / 100 = 50 < 100 -> 100
    { n: 100, pct: 0, want: 100 },
    // pct = 50 - 1000/125 = 42; 1000 * 42 / 100 = 420
    { n: 1000, pct: 0, want: 420 },
    // pct = 50 - 5000/125 = 10; 5000 * 10 / 100 = 500
    { n: 5000, pct: 0, want: 500 },
    // pct = 50 - 6000/125 = 2 -> min 5; 6000 * 5 / 100 = 300
    { n: 6000, pct: 0, want: 300 },
    // pct = 50 - 1130/125 = 50 - 9 = 41 (integer division); 1130 * 41 / 100 = 463.3 -> 463
    { n: 1130, pct: 0, want: 463 },
    // explicit percentages: 1000 * 30 / 100 = 300
    { n: 1000, pct: 30, want: 300 },
    // 1000 * 5 / 100 = 50 < 100 -> 100
    { n: 1000, pct: 5, want: 100 },
    { n: 1000, pct: 100, want: 1000 },
    // 5000 * 1 / 100 = 50 -> 100
    { n: 5000, pct: 1, want: 100 },
  ])('$n nodes, percentage $pct -> $want', ({ n, pct, want }) => {
    expect(numFeasibleNodesToFind(pct, n)).toBe(want);
  });
});

describe('rotating nextStartNodeIndex (findNodesThatPassFilters)', () => {
  const same = (n: number, spec: (i: number) => NodeSpec = () => ({})): NodeSpec[] =>
    Array.from({ length: n }, (_, i) => spec(i));

  it('under 100 nodes every node is examined, so the start wraps to itself', () => {
    const s = new Scheduler(cluster(same(10)), { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    s.scheduleOne(s.compile(podTemplate(), 'pod'));
    // (0 + 10) % 10 = 0
    expect(s.nextStartNodeIndex).toBe(0);
  });

  it('advances by the number of nodes examined until k feasible ones are found', () => {
    const s = new Scheduler(cluster(same(200)), { policy: 'least-allocated', percentageOfNodesToScore: 0 }, constRandom());
    const pod = s.compile(podTemplate(), 'pod');
    // k: pct = 50 - 200/125 = 49; 200 * 49 / 100 = 98 < 100 -> 100; all nodes fit
    s.scheduleOne(pod);
    expect(s.nextStartNodeIndex).toBe(100); // (0 + 100) % 200
    s.scheduleOne(pod);
    expect(s.nextStartNodeIndex).toBe(0); // (100 + 100) % 200
  });

  it('infeasible nodes examined count as processed', () => {
    // nodes 0..49 cordoned, 50..199 fit
    const s = new Scheduler(
      cluster(same(200, (i) => ({ unschedulable: i < 50 }))),
      { policy: 'least-allocated', percentageOfNodesToScore: 0 },
      constRandom(),
    );
    const pod = s.compile(podTemplate(), 'pod');
    // from 0: 0..49 infeasible (50), 50..149 feasible (100) -> processed 150
    const first = s.scheduleOne(pod);
    expect(first).toBeGreaterThanOrEqual(50);
    expect(first).toBeLessThan(150);
    expect(s.nextStartNodeIndex).toBe(150);
    // from 150: 150..199 feasible (50), 0..49 infeasible (50), 50..99 feasible (50) -> 150
    const second = s.scheduleOne(pod);
    expect(second >= 150 || (second >= 50 && second < 100)).toBe(true);
    expect(s.nextStartNodeIndex).toBe(100); // (150 + 150) % 200
  });

  it('an explicit percentage is honoured', () => {
    const s = new Scheduler(cluster(same(400)), { policy: 'least-allocated', percentageOfNodesToScore: 30 }, constRandom());
    // k = 400 * 30 / 100 = 120
    s.scheduleOne(s.compile(podTemplate(), 'pod'));
    expect(s.nextStartNodeIndex).toBe(120);
  });

  it('when nothing fits every node is processed and the start does not move', () => {
    const s = new Scheduler(cluster(same(200)), { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    const big = s.compile(podTemplate({ requests: [100_000, 0, 0] }), 'pod');
    s.scheduleOne(s.compile(podTemplate(), 'pod'));
    expect(s.nextStartNodeIndex).toBe(100);
    expect(s.scheduleOne(big)).toBe(-1);
    expect(s.nextStartNodeIndex).toBe(100); // (100 + 200) % 200
  });

  it('first-fit neither samples nor rotates', () => {
    const s = new Scheduler(cluster(same(200)), { policy: 'first-fit', percentageOfNodesToScore: 0 }, constRandom());
    const pod = s.compile(podTemplate(), 'pod');
    expect(s.scheduleOne(pod)).toBe(0);
    expect(s.scheduleOne(pod)).toBe(0);
    expect(s.nextStartNodeIndex).toBe(0);
  });
});

describe('snapshot order (nodeTree.list)', () => {
  it('interleaves zones in order of first appearance; nodes without a zone form one zone', () => {
    const zones = ['a', 'a', 'b', null, 'b', 'a'];
    const s = new Scheduler(
      cluster(zones.map((zone) => ({ zone }))),
      { policy: 'kube-default', percentageOfNodesToScore: 0 },
      constRandom(),
    );
    // a: [0, 1, 5], b: [2, 4], none: [3] -> 0, 2, 3, 1, 4, 5
    expect(Array.from(s.snapshotNodes())).toEqual([0, 2, 3, 1, 4, 5]);
  });

  it('leaves out nodes that no longer exist', () => {
    const nodes = cluster([{}, {}, {}]);
    nodes.exists[1] = 0;
    nodes.staticChanged();
    const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    expect(Array.from(s.snapshotNodes())).toEqual([0, 2]);
  });

  it('dynamic taint flips keep the per-template static cache; label changes refresh it', () => {
    const nodes = cluster([{ labels: { disk: 'hdd' } }, { labels: { disk: 'hdd' } }]);
    const s = new Scheduler(nodes, { policy: 'first-fit', percentageOfNodesToScore: 0 }, constRandom());
    const pod = s.compile(podTemplate({ nodeSelector: { disk: 'ssd' } }), 'pod');
    expect(s.scheduleOne(pod)).toBe(-1);
    const epoch = pod.cache.epoch;
    nodes.setDynTaint(0, DynamicTaint.NotReadyNoSchedule, true);
    expect(s.scheduleOne(pod)).toBe(-1);
    expect(pod.cache.epoch).toBe(epoch);
    nodes.labels[1]!.disk = 'ssd'; // in place, announced as a static change
    nodes.staticChanged();
    expect(s.scheduleOne(pod)).toBe(1);
    expect(pod.cache.epoch).not.toBe(epoch);
  });
});
