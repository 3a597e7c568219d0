// The one-pass FusedResourceScore (prioritizeNodes + selectHost for kube-default's plugins)
// and the static skip list against the plain path: same node, same random draws, same
// rotating start index, on random clusters.

import seedrandom from 'seedrandom';
import { describe, expect, it, vi } from 'vitest';
import type { PodTemplate, Taint } from '../../src/scenario/model.js';
import { FusedResourceScore } from '../../src/sim/scheduler/fused-resource-score.js';
import { LeastAllocated } from '../../src/sim/scheduler/plugins/least-allocated.js';
import { TaintTolerationScore } from '../../src/sim/scheduler/plugins/taint-toleration.js';
import { WorstFit } from '../../src/sim/scheduler/plugins/worst-fit.js';
import { createPolicy } from '../../src/sim/scheduler/policies/index.js';
import { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { PodTopology } from '../../src/sim/scheduler/topology/pod-topology.js';
import { bind, cluster, GiB, MiB, podTemplate, toleration, type NodeSpec } from './helpers.js';
import { TwinChurn } from './twin-churn.js';

/** A random stream that counts its draws. */
function counted(seed: string): { rng: () => number; draws: () => number } {
  const r = seedrandom(seed);
  let n = 0;
  return {
    rng: () => {
      n++;
      return r();
    },
    draws: () => n,
  };
}

describe('FusedResourceScore.of: which policies it covers', () => {
  const nodes = cluster([{}]);
  it.each([
    ['kube-default', true],
    ['least-allocated', true],
    ['balanced-allocation', true],
    ['most-allocated', true],
    ['requested-to-capacity-ratio', true],
    ['best-fit', false], // searched by its own index, nothing scored
    ['worst-fit', true],
    ['dot-product', true],
    ['random', false], // no score plugins: nothing to fuse
  ])('%s -> %s', (name, covered) => {
    expect(FusedResourceScore.of(nodes, createPolicy(name, { nodes }).scorePlugins) !== null).toBe(covered);
  });
  it('not a float-valued plugin beside a constant one (the plugin path rounds 300 + 87.5 + ...)', () => {
    const taint = { plugin: new TaintTolerationScore(), weight: 3 };
    expect(FusedResourceScore.of(nodes, [taint, { plugin: new WorstFit(nodes), weight: 1 }])).toBeNull();
    expect(FusedResourceScore.of(nodes, [taint, { plugin: new LeastAllocated(nodes), weight: 1 }])).not.toBeNull();
  });
});

describe('FusedResourceScore.total: the plugins’ integer arithmetic through the memo path, by hand', () => {
  // Node: 4000m / 8 GiB, 1000m and 2 GiB requested (non-zero sums the same).
  // Pod: 1000m / 1 GiB.
  // LeastAllocated: cpu ((4000 - 2000) * 100) / 4000 = 50; mem ((8 - 3) * 100) / 8 = 62.5 -> 62;
  //   (50 + 62) / 2 = 56.
  // BalancedAllocation: f_cpu = 2000/4000 = 0.5, f_mem = 3/8 = 0.375; std = 0.0625;
  //   int64((1 - 0.0625) * 100) = 93.
  // kube-default weights 1 and 1: 56 + 93 = 149.
  it('kube-default: 56 + 93 = 149', () => {
    const nodes = cluster([{ cpu: 4000, memory: 8 * GiB }]);
    bind(nodes, 0, [1000, 2 * GiB]);
    const fused = FusedResourceScore.of(nodes, createPolicy('kube-default', { nodes }).scorePlugins)!;
    const pod = new SchedPod(podTemplate({ requests: [1000, 1 * GiB, 0] }), 'pod', 3);
    fused.prepare(pod);
    expect(fused.total(pod, 0)).toBe(149);
  });

  // Best-effort pod (no requests): BalancedAllocation Skips; LeastAllocated uses the non-zero
  // defaults 100m / 200 MiB: cpu ((4000 - 1100) * 100) / 4000 = 72.5 -> 72;
  // mem ((8192 - 2248) MiB * 100) / 8192 MiB = 72.55 -> 72; (72 + 72) / 2 = 72.
  it('best-effort pod: LeastAllocated alone, 72', () => {
    const nodes = cluster([{ cpu: 4000, memory: 8 * GiB }]);
    bind(nodes, 0, [1000, 2 * GiB]);
    const fused = FusedResourceScore.of(nodes, createPolicy('kube-default', { nodes }).scorePlugins)!;
    const pod = new SchedPod(podTemplate({ requests: [0, 0, 0] }), 'pod', 3);
    expect(pod.nonZeroMemoryBytes).toBe(200 * MiB);
    fused.prepare(pod);
    expect(fused.total(pod, 0)).toBe(72);
  });

  // A node with no memory: LeastAllocated scores cpu alone, ((4000 - 1000) * 100) / 4000 = 75,
  // weightSum 1; BalancedAllocation scores one resource, std 0 -> 100. 75 + 100 = 175.
  it('allocatable memory 0: cpu alone and balanced 100', () => {
    const nodes = cluster([{ cpu: 4000, memory: 0 }]);
    const fused = FusedResourceScore.of(nodes, createPolicy('kube-default', { nodes }).scorePlugins)!;
    const pod = new SchedPod(podTemplate({ requests: [1000, 0, 0] }), 'pod', 3);
    fused.prepare(pod);
    expect(fused.total(pod, 0)).toBe(175);
  });
});

describe('the fast paths (fused scoring, static skip list) agree with the plain path (contract)', () => {
  const taints: Taint[] = [
    { key: 'spot', value: '', effect: 'PreferNoSchedule' },
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
  ];
  const templates: PodTemplate[] = [
    podTemplate({ requests: [500, 1 * GiB, 0] }),
    podTemplate({ requests: [250, 3 * GiB, 0] }),
    podTemplate({ requests: [1500, 256 * MiB, 0] }),
    podTemplate({ requests: [0, 0, 0] }), // best effort: BalancedAllocation Skips
    podTemplate({ requests: [100, 0, 0] }),
    // preferred affinity: NodeAffinity scores, so the fused path steps aside
    podTemplate({
      requests: [300, 512 * MiB, 0],
      preferredNodeAffinity: [{ weight: 5, preference: { matchExpressions: [{ key: 'gen', operator: 'In', values: ['5'] }], matchFields: [] } }],
    }),
    podTemplate({ requests: [200, 128 * MiB, 0], tolerations: [toleration({ key: 'spot', operator: 'Exists' })] }),
    // a nodeSelector: half the nodes fail statically and are skipped without a visit
    podTemplate({ requests: [400, 1 * GiB, 0], nodeSelector: { gen: '3' } }),
  ];

  // Clusters of 150 nodes (over 100, so the adaptive sample examines part of them) with nodes
  // of equal shapes, so that many totals tie and the tie-break draws matter.
  it.each(['kube-default', 'least-allocated', 'balanced-allocation', 'most-allocated', 'worst-fit', 'requested-to-capacity-ratio', 'dot-product'])('%s: the same nodes, draws and next start index', (policy) => {
    const shape = seedrandom(`shape-${policy}`);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(shape() * xs.length)]!;
    let fusedCycles = 0;
    for (let trial = 0; trial < 6; trial++) {
      const softTaints = trial % 2 === 1; // half the clusters have PreferNoSchedule taints
      const specs: NodeSpec[] = Array.from({ length: 150 }, () => ({
        cpu: pick([4000, 8000, 0]),
        memory: pick([8, 16, 16, 0]) * GiB,
        maxPods: 30,
        labels: { gen: pick(['3', '5']) },
        taints: softTaints && shape() < 0.2 ? [pick(taints)] : shape() < 0.05 ? [taints[1]!] : [],
      }));
      const a = cluster(specs);
      const b = cluster(specs);
      const ra = counted(`draws-${trial}`);
      const rb = counted(`draws-${trial}`);
      const fused = new Scheduler(a, { policy, percentageOfNodesToScore: 0 }, ra.rng);
      const plain = new Scheduler(b, { policy, percentageOfNodesToScore: 0, fastPaths: false }, rb.rng);
      const fa = templates.map((t) => fused.compile(t, 'pod'));
      const fb = templates.map((t) => plain.compile(t, 'pod'));
      const bound: { n: number; t: number }[] = [];
      for (let step = 0; step < 400; step++) {
        const t = Math.floor(shape() * templates.length);
        if (policy === 'kube-default' && !softTaints && templates[t]!.preferredNodeAffinity.length === 0) fusedCycles++;
        const na = fused.scheduleOne(fa[t]!);
        const nb = plain.scheduleOne(fb[t]!);
        expect(na, `trial ${trial} step ${step}`).toBe(nb);
        expect(ra.draws()).toBe(rb.draws());
        expect(fused.nextStartNodeIndex).toBe(plain.nextStartNodeIndex);
        if (na >= 0) {
          a.addPod(na, fa[t]!.requests, fa[t]!.nonZeroCpuMilli, fa[t]!.nonZeroMemoryBytes);
          b.addPod(nb, fb[t]!.requests, fb[t]!.nonZeroCpuMilli, fb[t]!.nonZeroMemoryBytes);
          bound.push({ n: na, t });
        }
        // remove a random pod now and then, so memoised totals must be recomputed
        if (bound.length > 0 && shape() < 0.3) {
          const k = Math.floor(shape() * bound.length);
          const { n, t: tk } = bound[k]!;
          bound.splice(k, 1);
          a.removePod(n, fa[tk]!.requests, fa[tk]!.nonZeroCpuMilli, fa[tk]!.nonZeroMemoryBytes);
          b.removePod(n, fb[tk]!.requests, fb[tk]!.nonZeroCpuMilli, fb[tk]!.nonZeroMemoryBytes);
        }
      }
      expect(ra.draws(), 'ties were broken by draws').toBeGreaterThan(100);
    }
    if (policy === 'kube-default') expect(fusedCycles).toBeGreaterThan(500);
  });
});

describe('the per-template totals follow every kind of node change (contract)', () => {
  // Scheduler.findFeasibleOkTotals keeps each template's totals in okOrder positions and
  // replays NodeTable.changeLog. Against the plain path, with everything that can change a
  // node's verdict or total between two cycles of a template: binds and deletions, dynamic
  // taints (cordon, not-ready), a node added (new okOrder), a node deleted, and bursts of more
  // changes than the journal keeps (the template must rebuild instead of replaying).
  const templates: PodTemplate[] = [
    podTemplate({ requests: [500, 1 * GiB, 0] }),
    podTemplate({ requests: [1500, 256 * MiB, 0] }),
    podTemplate({ requests: [0, 0, 0] }),
    podTemplate({ requests: [400, 1 * GiB, 0], nodeSelector: { gen: '3' } }),
    // tolerates the cordon taint (as DaemonSet pods do), so the dynamic bit matters per template
    podTemplate({ requests: [200, 128 * MiB, 0], tolerations: [toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' })] }),
  ];

  it('kube-default: the same nodes, draws and next start index', () => {
    const shape = seedrandom('ok-totals');
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(shape() * xs.length)]!;
    const spec = (): NodeSpec => ({ cpu: pick([4000, 8000]), memory: pick([8, 16]) * GiB, maxPods: 20, labels: { gen: pick(['3', '5']) } });
    const twin = new TwinChurn(Array.from({ length: 150 }, spec), spec, shape);
    const ra = counted('ok-draws');
    const rb = counted('ok-draws');
    const fast = new Scheduler(twin.a, { policy: 'kube-default', percentageOfNodesToScore: 0 }, ra.rng);
    const plain = new Scheduler(twin.b, { policy: 'kube-default', percentageOfNodesToScore: 0, fastPaths: false }, rb.rng);
    const fa = templates.map((t) => fast.compile(t, 'pod'));
    const fb = templates.map((t) => plain.compile(t, 'pod'));
    for (let step = 0; step < 1500; step++) {
      const t = Math.floor(shape() * templates.length);
      const na = fast.scheduleOne(fa[t]!);
      expect(na, `step ${step}`).toBe(plain.scheduleOne(fb[t]!));
      expect(ra.draws()).toBe(rb.draws());
      expect(fast.nextStartNodeIndex).toBe(plain.nextStartNodeIndex);
      if (na >= 0) twin.bind(na, t, fa);
      twin.step(fa, 0.3);
    }
    expect(ra.draws(), 'ties were broken by draws').toBeGreaterThan(100);
    expect(twin.overflows).toBeGreaterThan(3);
  });
});

describe('memoised resource totals under pod-topology scoring agree with the plain path (contract)', () => {
  // Deployment-like templates (a controller selector, so kube-default's system default spreading
  // scores them), one with preferred pod anti-affinity on the hostname, one bare pod (the fully
  // fused path). The memoised totals (collectFeasibleOkTotals + addTopologyScores) must pick
  // the node the plugin-by-plugin path picks,
  // with the same draws, while pods come and go.
  const HOST = 'kubernetes.io/hostname';
  const ZONE = 'topology.kubernetes.io/zone';
  const sel = (app: string) => ({ matchLabels: { app }, matchExpressions: [] });
  const specs: { template: PodTemplate; controller: boolean }[] = [
    { template: podTemplate({ labels: { app: 'web' }, requests: [500, 1 * GiB, 0] }), controller: true },
    { template: podTemplate({ labels: { app: 'api' }, requests: [250, 512 * MiB, 0] }), controller: true },
    {
      template: podTemplate({
        labels: { app: 'cache' },
        requests: [300, 2 * GiB, 0],
        podAntiAffinity: {
          required: [],
          preferred: [{ weight: 50, term: { labelSelector: sel('cache'), namespaces: [], namespaceSelector: null, topologyKey: HOST } }],
        },
      }),
      controller: true,
    },
    { template: podTemplate({ labels: { app: 'bare' }, requests: [200, 256 * MiB, 0] }), controller: false },
  ];

  it('kube-default: the same nodes, draws and next start index', () => {
    const shape = seedrandom('memo-topology');
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(shape() * xs.length)]!;
    const nodeSpecs: NodeSpec[] = Array.from({ length: 150 }, (_, i) => ({
      name: `n${i}`,
      cpu: pick([4000, 8000]),
      memory: pick([8, 16]) * GiB,
      maxPods: 30,
      labels: { [HOST]: `n${i}`, [ZONE]: pick(['a', 'b', 'c']) },
    }));
    const build = (fastPaths: boolean, rng: () => number) => {
      const nodes = cluster(nodeSpecs);
      const topo = PodTopology.fromTemplates(
        nodes,
        specs.map((s) => ({ template: s.template, namespace: 'default', controllerSelector: s.controller ? sel(s.template.labels.app!) : null })),
        {},
      );
      const sched = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0, podTopology: topo, fastPaths }, rng);
      return { nodes, topo, sched, pods: specs.map((s, i) => sched.compile(s.template, 'pod', { topologyId: i })) };
    };
    const ra = counted('memo-draws');
    const rb = counted('memo-draws');
    const a = build(true, ra.rng);
    const b = build(false, rb.rng);
    const memo = vi.spyOn(Scheduler.prototype as unknown as { addTopologyScores: () => number }, 'addTopologyScores');
    const bound: { n: number; t: number }[] = [];
    for (let step = 0; step < 600; step++) {
      const t = Math.floor(shape() * specs.length);
      const na = a.sched.scheduleOne(a.pods[t]!);
      const nb = b.sched.scheduleOne(b.pods[t]!);
      expect(na, `step ${step}`).toBe(nb);
      expect(ra.draws()).toBe(rb.draws());
      expect(a.sched.nextStartNodeIndex).toBe(b.sched.nextStartNodeIndex);
      if (na >= 0) {
        for (const w of [a, b]) {
          w.nodes.addPod(na, w.pods[t]!.requests, w.pods[t]!.nonZeroCpuMilli, w.pods[t]!.nonZeroMemoryBytes);
          w.topo.onBind(t, na);
        }
        bound.push({ n: na, t });
      }
      if (bound.length > 0 && shape() < 0.3) {
        const k = Math.floor(shape() * bound.length);
        const { n, t: tk } = bound.splice(k, 1)[0]!;
        for (const w of [a, b]) {
          w.nodes.removePod(n, w.pods[tk]!.requests, w.pods[tk]!.nonZeroCpuMilli, w.pods[tk]!.nonZeroMemoryBytes);
          w.topo.onRemove(tk, n, false);
        }
      }
    }
    // The memo path ran (only the fast scheduler takes it) and ties were broken by draws.
    expect(memo.mock.calls.length).toBeGreaterThan(200);
    expect(ra.draws()).toBeGreaterThan(50);
    memo.mockRestore();
  });
});
