// best-fit's index (best-fit-index.ts) against the scan over every feasible node that the
// scheduler runs with fastPaths off: the same node at every step while the cluster churns; and
// the index's masking of nodes the remaining filters reject, by hand.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { PodTemplate } from '../../src/scenario/model.js';
import { BestFitIndex } from '../../src/sim/scheduler/best-fit-index.js';
import { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { bind, cluster, GiB, MiB, podTemplate, toleration, type NodeSpec } from './helpers.js';
import { TwinChurn } from './twin-churn.js';

describe('best-fit, by hand', () => {
  // Four 4000m / 8 GiB nodes; the pod requests 1000m / 1 GiB. Dominant share after placement:
  //   n0 running 2000m / 1 GiB: cpu 3000/4000 = 0.75, memory 2/8 = 0.25 -> 0.75
  //   n1 running 1000m / 6 GiB: cpu 0.5, memory 7/8 = 0.875               -> 0.875
  //   n2 running 3500m:         cpu 4500/4000: no room
  //   n3 running 1000m / 6 GiB: the same as n1                             -> 0.875
  function setup() {
    const nodes = cluster([{}, {}, {}, {}]);
    bind(nodes, 0, [2000, 1 * GiB]);
    bind(nodes, 1, [1000, 6 * GiB]);
    bind(nodes, 2, [3500, 0]);
    bind(nodes, 3, [1000, 6 * GiB]);
    const pod = new SchedPod(podTemplate({ requests: [1000, 1 * GiB, 0] }), 'pod', nodes.R);
    pod.cache.staticFail = new Uint8Array(nodes.count); // every node passes the static filters
    return { nodes, pod, index: new BestFitIndex(nodes) };
  }

  it('the fullest node with room, the lower index on a tie: n1 (0.875, tied with n3)', () => {
    const { index, pod } = setup();
    expect(index.fullest(pod, 0, () => true)).toBe(1);
  });

  it('a node the other filters reject is passed over, then restored: n3, then n0, then n1 again', () => {
    const { index, pod } = setup();
    const asked: number[] = [];
    expect(index.fullest(pod, 0, (n) => (asked.push(n), n !== 1))).toBe(3);
    expect(index.fullest(pod, 0, (n) => (asked.push(n), n === 0))).toBe(0);
    expect(asked).toEqual([1, 3, 1, 3, 0]); // best first, only nodes that would be chosen
    expect(index.fullest(pod, 0, () => true)).toBe(1);
    expect(index.fullest(pod, 0, () => false)).toBe(-1);
  });

  it('follows binds: once n1 holds the pod it has no memory room left for another (8 GiB used), so n3', () => {
    const { index, pod, nodes } = setup();
    nodes.addPod(1, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
    // n1 now 2000m / 7 GiB: another 1 GiB fits exactly (8/8 -> share 1.0, the fullest)
    expect(index.fullest(pod, 0, () => true)).toBe(1);
    nodes.addPod(1, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
    // n1 at 3000m / 8 GiB: no memory room
    expect(index.fullest(pod, 0, () => true)).toBe(3);
  });
});

describe('best-fit index = scan over every feasible node (contract)', () => {
  const templates: PodTemplate[] = [
    podTemplate({ requests: [500, 1 * GiB, 0] }),
    podTemplate({ requests: [1500, 256 * MiB, 0] }),
    podTemplate({ requests: [250, 3 * GiB, 0] }),
    podTemplate({ requests: [0, 0, 0] }), // no requests: the fullest node with a pod slot
    podTemplate({ requests: [400, 1 * GiB, 0], nodeSelector: { gen: '3' } }),
    podTemplate({ requests: [200, 128 * MiB, 0], tolerations: [toleration({ key: 'dedicated', operator: 'Exists' })] }),
    podTemplate({
      requests: [300, 512 * MiB, 0],
      tolerations: [toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' })],
    }),
  ];

  it('the same node at every step, through binds, deletions, taints, node churn and journal overflow', () => {
    const shape = seedrandom('best-fit-contract');
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(shape() * xs.length)]!;
    // Equal shapes so that ties are common; some nodes without memory (cpu alone decides).
    const spec = (): NodeSpec => ({
      cpu: pick([4000, 8000]),
      memory: pick([8, 16, 16, 0]) * GiB,
      maxPods: 12,
      labels: { gen: pick(['3', '5']) },
      taints: shape() < 0.1 ? [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] : [],
    });
    const twin = new TwinChurn(Array.from({ length: 120 }, spec), spec, shape);
    const fast = new Scheduler(twin.a, { policy: 'best-fit', percentageOfNodesToScore: 0 }, () => 0.5);
    const plain = new Scheduler(twin.b, { policy: 'best-fit', percentageOfNodesToScore: 0, fastPaths: false }, () => 0.5);
    const fa = templates.map((t) => fast.compile(t, 'pod'));
    const fb = templates.map((t) => plain.compile(t, 'pod'));
    let placed = 0;
    let unschedulable = 0;
    for (let step = 0; step < 3000; step++) {
      const t = Math.floor(shape() * templates.length);
      const na = fast.scheduleOne(fa[t]!);
      expect(na, `step ${step}`).toBe(plain.scheduleOne(fb[t]!));
      if (na >= 0) {
        placed++;
        twin.bind(na, t, fa);
      } else {
        unschedulable++;
      }
      twin.step(fa, 0.35);
    }
    expect(twin.overflows).toBeGreaterThan(3);
    // Both outcomes were exercised: the cluster fills up and frees again.
    expect(placed).toBeGreaterThan(1000);
    expect(unschedulable).toBeGreaterThan(50);
  });
});
