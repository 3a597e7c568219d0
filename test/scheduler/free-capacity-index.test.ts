// The free-capacity segment tree (src/sim/cluster/free-capacity-index.ts) and the indexed
// first-fit search against brute force, on random clusters with random binds and deletions.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { Taint } from '../../src/scenario/model.js';
import { DynamicTaint, type NodeTable } from '../../src/sim/cluster/node-table.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { cluster, GiB, nodeInit, podTemplate, toleration, type NodeSpec } from './helpers.js';

/** Brute force: the lowest n >= from with a free pod slot and room for every requested dimension. */
function bruteNext(nodes: NodeTable, from: number, requests: Float64Array, dims: Int32Array): number {
  for (let n = from; n < nodes.count; n++) {
    if (nodes.podCount[n]! + 1 > nodes.maxPods[n]!) continue;
    let fits = true;
    for (const d of dims) if (requests[d]! > nodes.allocatable[n * nodes.R + d]! - nodes.requested[n * nodes.R + d]!) fits = false;
    if (fits) return n;
  }
  return -1;
}

describe('FreeCapacityIndex.next', () => {
  // 5 nodes, cpu free after the binds below: [0, 1000, 3000, 500, 4000], memory 8 GiB each
  // (minus what was bound), pod slots [2, 2, 1, 2, 2] - podCount.
  //   node 0: 4000m, 1 pod of 4000m        -> free cpu 0
  //   node 1: 4000m, 1 pod of 3000m        -> free cpu 1000
  //   node 2: 4000m, maxPods 1, 1 pod 1000m -> free cpu 3000, no pod slot
  //   node 3: 4000m, 1 pod 3500m, 7 GiB    -> free cpu 500, memory 1 GiB
  //   node 4: empty                        -> free cpu 4000
  function five() {
    const nodes = cluster([{ maxPods: 2 }, { maxPods: 2 }, { maxPods: 1 }, { maxPods: 2 }, { maxPods: 2 }]);
    const index = nodes.freeCapacityIndex();
    nodes.addPod(0, [4000, 0, 0], 4000, 0);
    nodes.addPod(1, [3000, 0, 0], 3000, 0);
    nodes.addPod(2, [1000, 0, 0], 1000, 0);
    nodes.addPod(3, [3500, 7 * GiB, 0], 3500, 7 * GiB);
    return { nodes, index };
  }
  const req = (cpu: number, mem: number) => ({ requests: Float64Array.of(cpu, mem, 0), dims: Int32Array.from([cpu, mem].flatMap((q, d) => (q > 0 ? [d] : []))) });

  it.each([
    // [cpu, mem, from, expected]
    [500, 0, 0, 1], // node 0 has no cpu left; node 1 has 1000
    [1500, 0, 0, 4], // node 2 has 3000 but no pod slot; node 3 has 500
    [500, 2 * GiB, 2, 4], // node 3 would fit the cpu but has 1 GiB left
    [500, 1 * GiB, 2, 3], // from 2: node 3 has exactly 500m and 1 GiB left
    [0, 0, 0, 0], // no requests: the first node with a pod slot
    [4001, 0, 0, -1], // more than any node has
    [100, 0, 5, -1], // past the end
  ])('cpu %i, memory %i, from %i -> node %i', (cpu, mem, from, want) => {
    const { nodes, index } = five();
    const { requests, dims } = req(cpu, mem);
    expect(index.next(from, requests, dims)).toBe(want);
    expect(bruteNext(nodes, from, requests, dims)).toBe(want);
  });

  it('removePod frees room again; add() extends the tree past a power of two', () => {
    const { nodes, index } = five();
    const { requests, dims } = req(3500, 0);
    expect(index.next(0, requests, dims)).toBe(4);
    nodes.removePod(0, [4000, 0, 0], 4000, 0);
    expect(index.next(0, requests, dims)).toBe(0);
    for (let i = 5; i < 9; i++) nodes.add(nodeInit({ cpu: 8000 }, i)); // 9 nodes: 16 leaves
    const big = req(6000, 0);
    expect(index.next(0, big.requests, big.dims)).toBe(5);
    nodes.addPod(5, [6000, 0, 0], 6000, 0);
    expect(index.next(0, big.requests, big.dims)).toBe(6);
  });

  it('agrees with brute force on random clusters under random binds, deletions and node additions', () => {
    const rng = seedrandom('free-capacity-index');
    let hits = 0;
    let misses = 0;
    for (let trial = 0; trial < 20; trial++) {
      const count = 1 + Math.floor(rng() * (trial < 10 ? 40 : 300));
      const specs: NodeSpec[] = Array.from({ length: count }, () => ({
        cpu: [1000, 2000, 4000, 0][Math.floor(rng() * 4)]!,
        memory: [1, 2, 4][Math.floor(rng() * 3)]! * GiB,
        ephemeral: [0, 10 * GiB][Math.floor(rng() * 2)]!,
        maxPods: [1, 3, 110][Math.floor(rng() * 3)]!,
      }));
      const nodes = cluster(specs);
      const index = nodes.freeCapacityIndex();
      const bound: { n: number; r: number[] }[] = [];
      for (let step = 0; step < 400; step++) {
        const r = [Math.floor(rng() * 5) * 250, Math.floor(rng() * 4) * 256 * 1024 * 1024, rng() < 0.2 ? GiB : 0];
        const requests = Float64Array.from(r);
        const dims = Int32Array.from(r.flatMap((q, d) => (q > 0 ? [d] : [])));
        const from = Math.floor(rng() * (nodes.count + 1));
        const want = bruteNext(nodes, from, requests, dims);
        expect(index.next(from, requests, dims), `trial ${trial} step ${step}`).toBe(want);
        if (want >= 0) hits++;
        else misses++;
        const first = bruteNext(nodes, 0, requests, dims);
        const op = rng();
        if (first >= 0 && op < 0.6) {
          nodes.addPod(first, r, r[0]!, r[1]!);
          bound.push({ n: first, r });
        } else if (bound.length > 0 && op < 0.9) {
          const { n, r: q } = bound.splice(Math.floor(rng() * bound.length), 1)[0]!;
          nodes.removePod(n, q, q[0]!, q[1]!);
        } else {
          nodes.add(nodeInit({ cpu: 2000, memory: 2 * GiB, maxPods: 3 }, nodes.count));
        }
      }
    }
    expect(hits).toBeGreaterThan(2000);
    expect(misses).toBeGreaterThan(80);
  });
});

describe('indexed first-fit = the lowest feasible node (brute force over the filter chain)', () => {
  // The search resumes where the template's last one ended only while nothing below could have
  // become feasible. Node 0 is rejected, the pod goes to node 1 (twice, so the resumed search
  // is used), then one change makes node 0 feasible and the next pod must go there.
  function resumeCase(setup: (nodes: NodeTable) => void, change: (nodes: NodeTable) => void): number[] {
    const nodes = cluster([{ cpu: 2000 }, { cpu: 4000 }, { cpu: 4000 }]);
    const s = new Scheduler(nodes, { policy: 'first-fit', percentageOfNodesToScore: 0 }, () => 0);
    const pod = s.compile(podTemplate({ requests: [1000, 0, 0] }), 'pod');
    setup(nodes);
    const got: number[] = [];
    for (let i = 0; i < 3; i++) {
      if (i === 2) change(nodes);
      const n = s.scheduleOne(pod);
      got.push(n);
      nodes.addPod(n, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
    }
    return got;
  }
  it('until node 0 is uncordoned (a dynamic taint: topologyVersion)', () => {
    const got = resumeCase(
      (nodes) => nodes.setDynTaint(0, DynamicTaint.Unschedulable, true),
      (nodes) => nodes.setDynTaint(0, DynamicTaint.Unschedulable, false),
    );
    expect(got).toEqual([1, 1, 0]);
  });
  it('until a pod leaves node 0 (free capacity grew: freedClock)', () => {
    // node 0: 2000m of 2000m requested; after the removal 1000m free, enough for 1000m
    const got = resumeCase(
      (nodes) => nodes.addPod(0, [2000, 0, 0], 2000, 0),
      (nodes) => nodes.removePod(0, [1000, 0, 0], 1000, 0),
    );
    expect(got).toEqual([1, 1, 0]);
  });

  it('on 200-node clusters with taints, cordons, a nodeSelector, deleted nodes and deletions', () => {
    const rng = seedrandom('indexed-first-fit');
    const taint: Taint = { key: 'dedicated', value: 'infra', effect: 'NoSchedule' };
    let placed = 0;
    let failed = 0;
    for (let trial = 0; trial < 8; trial++) {
      const specs: NodeSpec[] = Array.from({ length: 200 }, (_, i) => ({
        name: `n${i}`,
        cpu: [1000, 2000][Math.floor(rng() * 2)]!,
        memory: [1, 4][Math.floor(rng() * 2)]! * GiB,
        maxPods: [2, 4][Math.floor(rng() * 2)]!,
        labels: { zone: ['a', 'b'][Math.floor(rng() * 2)]! },
        taints: rng() < 0.1 ? [taint] : [],
        unschedulable: rng() < 0.05,
      }));
      const nodes = cluster(specs);
      const s = new Scheduler(nodes, { policy: 'first-fit', percentageOfNodesToScore: 0 }, () => 0);
      const pods = [
        podTemplate({ requests: [500, 1 * GiB, 0] }),
        podTemplate({ requests: [1500, 256 * 1024 * 1024, 0], nodeSelector: { zone: 'b' } }),
        podTemplate({ requests: [250, 0, 0], tolerations: [toleration({ key: 'dedicated', operator: 'Exists' })] }),
        podTemplate({ requests: [0, 0, 0] }),
      ].map((t) => s.compile(t, 'pod'));
      const bound: { n: number; pod: SchedPod }[] = [];
      for (let step = 0; step < 700; step++) {
        const pod = pods[Math.floor(rng() * pods.length)]!;
        // brute force: the lowest existing node passing a plain re-statement of the filters
        let want = -1;
        for (let n = 0; n < nodes.count && want < 0; n++) {
          if (nodes.exists[n] === 0 || (nodes.dynTaints[n]! & ~pod.toleratedDynTaints) !== 0) continue;
          if (nodes.staticTaints[n]!.length > 0 && pod.template.tolerations.length === 0) continue;
          if (pod.nodeSelector.zone !== undefined && nodes.labels[n]!.zone !== pod.nodeSelector.zone) continue;
          if (nodes.podCount[n]! + 1 > nodes.maxPods[n]!) continue;
          if (pod.requests[0]! > nodes.allocatable[n * 3]! - nodes.requested[n * 3]!) continue;
          if (pod.requests[1]! > nodes.allocatable[n * 3 + 1]! - nodes.requested[n * 3 + 1]!) continue;
          want = n;
        }
        const got = s.scheduleOne(pod);
        expect(got, `trial ${trial} step ${step}`).toBe(want);
        if (got >= 0) {
          placed++;
          nodes.addPod(got, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
          bound.push({ n: got, pod });
        } else {
          failed++;
        }
        const op = rng();
        if (bound.length > 0 && op < 0.25) {
          const { n, pod: p } = bound.splice(Math.floor(rng() * bound.length), 1)[0]!;
          nodes.removePod(n, p.requests, p.nonZeroCpuMilli, p.nonZeroMemoryBytes);
        } else if (op < 0.28) {
          nodes.setDynTaint(Math.floor(rng() * nodes.count), DynamicTaint.Unschedulable, rng() < 0.5);
        } else if (op < 0.29) {
          nodes.exists[Math.floor(rng() * nodes.count)] = 0; // removed without a topology bump
        }
      }
    }
    expect(placed).toBeGreaterThan(2000);
    expect(failed).toBeGreaterThan(300);
  });
});
