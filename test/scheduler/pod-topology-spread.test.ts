// PodTopologySpread (kube: plugins/podtopologyspread filtering.go, scoring.go): skew arithmetic,
// minDomains, node inclusion policies, terminating pods, and the score with its normalisation.
import { describe, expect, it } from 'vitest';
import type { TopologySpreadConstraint } from '../../src/scenario/model.js';
import { nodeInit } from './helpers.js';
import { HOST, sel, spread, world, ZONE, zoned } from './topology-support.js';

// n0, n1 in zone a; n2 in zone b; n3 in zone c; n4 has no zone label.
const NODES = zoned(['a', 'a', 'b', 'c', null]);
const W = { app: 'w' };
const zoneSpread = (over: Partial<TopologySpreadConstraint> = {}) => spread({ topologyKey: ZONE, labelSelector: sel(W), ...over });

describe('PodTopologySpread filter: skew = count_in_domain + selfMatch - global_min <= maxSkew', () => {
  it.each([
    // placed per zone [a, b, c]   maxSkew  feasible
    // a 2+1-0 = 3, b 1+1-0 = 2, c 0+1-0 = 1: only zone c with maxSkew 1
    { placed: [2, 1, 0], maxSkew: 1, feasible: [3] },
    // maxSkew 2: b 2 and c 1 pass
    { placed: [2, 1, 0], maxSkew: 2, feasible: [2, 3] },
    // min 1: a 1+1-1 = 1, b 1, c 1: every zoned node
    { placed: [1, 1, 1], maxSkew: 1, feasible: [0, 1, 2, 3] },
    // min 1 (zone b): a 3+1-1 = 3, b 1, c 2+1-1 = 2
    { placed: [3, 1, 2], maxSkew: 2, feasible: [2, 3] },
  ])('placed $placed, maxSkew $maxSkew -> $feasible', ({ placed, maxSkew, feasible }) => {
    const w = world(NODES, [{ labels: W, topologySpreadConstraints: [zoneSpread({ maxSkew })] }]);
    w.place(0, 0, placed[0]);
    w.place(0, 2, placed[1]);
    w.place(0, 3, placed[2]);
    expect(w.feasible(0)).toEqual(feasible);
  });

  it('a node without the topology key is rejected with the missing-label reason', () => {
    const w = world(NODES, [{ labels: W, topologySpreadConstraints: [zoneSpread()] }]);
    w.place(0, 0, 2);
    w.place(0, 2, 2);
    w.place(0, 3, 2);
    // every zone: 2+1-2 = 1 <= 1; n4 has no zone label
    expect(w.feasible(0)).toEqual([0, 1, 2, 3]);
    w.place(0, 3); // c 3, min 2: a 2+1-2 = 1, b 1, c 3+1-2 = 2 > 1
    expect(w.feasible(0)).toEqual([0, 1, 2]);
    expect(w.why(0)).toBe('');
  });

  it('a pod its own selector does not match adds no selfMatch', () => {
    // placed a 1, b 0, c 0; pod labels {app: other}: a 1+0-0 = 1 <= 1
    const w = world(NODES, [{ labels: W }, { labels: { app: 'other' }, topologySpreadConstraints: [zoneSpread()] }]);
    w.place(0, 0);
    expect(w.feasible(1)).toEqual([0, 1, 2, 3]);
  });

  it('minDomains: fewer domains than minDomains makes the global minimum 0', () => {
    const withMin = (minDomains: number | null) => {
      const w = world(NODES, [{ labels: W, topologySpreadConstraints: [zoneSpread({ minDomains })] }]);
      w.place(0, 0);
      w.place(0, 2);
      w.place(0, 3);
      return w;
    };
    // 3 domains with 1 pod each: min 1, skew 1+1-1 = 1 everywhere
    expect(withMin(null).feasible(0)).toEqual([0, 1, 2, 3]);
    expect(withMin(3).feasible(0)).toEqual([0, 1, 2, 3]);
    // minDomains 4 > 3 domains: min 0, skew 1+1-0 = 2 > 1 everywhere
    const w = withMin(4);
    expect(w.feasible(0)).toEqual([]);
    expect(w.why(0)).toBe(
      "0/5 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label), 4 node(s) didn't match pod topology spread constraints.",
    );
  });

  it('nodeAffinityPolicy: Honor counts only domains of nodes the pod could select; Ignore counts all', () => {
    const inAB = [{ matchExpressions: [{ key: ZONE, operator: 'In' as const, values: ['a', 'b'] }], matchFields: [] }];
    const at = (nodeAffinityPolicy: 'Honor' | 'Ignore') => {
      const w = world(NODES, [{ labels: W, requiredNodeAffinity: inAB, topologySpreadConstraints: [zoneSpread({ nodeAffinityPolicy })] }]);
      w.place(0, 0);
      w.place(0, 2);
      return w;
    };
    // Honor: domains a (1), b (1); min 1; a, b: 1+1-1 = 1
    expect(at('Honor').feasible(0)).toEqual([0, 1, 2]);
    // Ignore: zone c (0) counts too; min 0; a, b: 2 > 1
    expect(at('Ignore').feasible(0)).toEqual([]);
  });

  it('nodeTaintsPolicy: Honor leaves out domains of nodes with untolerated NoSchedule taints; Ignore (default) keeps them', () => {
    const tainted = [{}, {}, {}, { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' as const }] }];
    const at = (nodeTaintsPolicy: 'Honor' | 'Ignore') => {
      const w = world(zoned(['a', 'a', 'b', 'c'], tainted), [{ labels: W, topologySpreadConstraints: [zoneSpread({ nodeTaintsPolicy })] }]);
      w.place(0, 0);
      w.place(0, 2);
      return w;
    };
    // Honor: zone c (only n3, tainted) is no domain: min 1, a and b pass
    expect(at('Honor').feasible(0)).toEqual([0, 1, 2]);
    // Ignore: zone c counts with 0 pods: min 0; a, b: 2 > 1; n3 fails TaintToleration
    expect(at('Ignore').feasible(0)).toEqual([]);
  });

  it('terminating pods are not counted (kube: countPodsMatchSelector skips a deletionTimestamp)', () => {
    const w = world(NODES, [{ labels: W, topologySpreadConstraints: [zoneSpread()] }]);
    w.place(0, 0, 2); // a 2, b 0, c 0: a fails (3 > 1)
    expect(w.feasible(0)).toEqual([2, 3]);
    w.topo.onTerminating(0, 0); // a 1: 1+1-0 = 2 still fails
    w.topo.onTerminating(0, 0); // a 0: passes
    expect(w.feasible(0)).toEqual([0, 1, 2, 3]);
  });

  it('pods of another namespace and an empty selector count nothing', () => {
    const w = world(NODES, [
      { labels: W, namespace: 'other' },
      { labels: W, topologySpreadConstraints: [zoneSpread()] },
      { labels: W, topologySpreadConstraints: [zoneSpread({ labelSelector: sel({}) })] },
    ]);
    w.place(0, 0, 5);
    expect(w.feasible(1)).toEqual([0, 1, 2, 3]);
    w.place(1, 0, 5);
    // {} selects everything, but kube's countPodsMatchSelector returns 0 for an empty selector
    expect(w.feasible(2)).toEqual([0, 1, 2, 3]);
  });

  it('per-domain counts follow a node joining after pods were placed (domains rebuilt from the per-node counts)', () => {
    const w = world(zoned(['a', 'b']), [{ labels: W, topologySpreadConstraints: [zoneSpread()] }]);
    w.place(0, 0);
    w.place(0, 1);
    // a 1, b 1: min 1, both 1+1-1 = 1
    expect(w.feasible(0)).toEqual([0, 1]);
    w.nodes.add(nodeInit({ name: 'n2', labels: { [HOST]: 'n2', [ZONE]: 'c' } }, 2));
    // zone c joins with 0 pods: min 0, a and b 2 > 1; only n2
    expect(w.feasible(0)).toEqual([2]);
    w.place(0, 2);
    w.topo.onRemove(0, 0, false);
    // a 0, b 1, c 1: min 0; a 1, b 2 > 1, c 2 > 1
    expect(w.feasible(0)).toEqual([0]);
  });

  it('two constraints must both hold', () => {
    const w = world(NODES, [
      { labels: W, topologySpreadConstraints: [zoneSpread(), spread({ topologyKey: HOST, labelSelector: sel(W) })] },
    ]);
    w.place(0, 1);
    // zone: a 1+1-0 = 2 fails (n0, n1); host: n1 1+1-0 = 2 fails; b, c pass both
    expect(w.feasible(0)).toEqual([2, 3]);
  });
});

describe('PodTopologySpread score', () => {
  it('zone, ScheduleAnyway: fewer pods in the domain score higher; nodes without the key are ignored', () => {
    const w = world(zoned(['a', 'a', 'b', null]), [
      { labels: W, topologySpreadConstraints: [zoneSpread({ whenUnsatisfiable: 'ScheduleAnyway' })] },
    ]);
    w.place(0, 0, 2);
    w.place(0, 2);
    // n3 ignored (no zone). Domains among the others: a, b -> weight ln(2 + 2) = 1.386294
    // a: 2 pods, b: 1. Score cnt × 1.386294 + (1 - 1):
    //   n0 2.7726 -> 3, n1 3, n2 1.3863 -> 1
    // normalise over n0..n2 (min 1, max 3): 100 × (3 + 1 - s) / 3: n0 33, n1 33, n2 100; n3 0
    expect(w.scores(0, 'PodTopologySpread')).toEqual([33, 33, 100, 0]);
  });

  it('hostname, ScheduleAnyway: pods on the node itself, size = scored nodes', () => {
    const w = world(zoned(['a', 'a', 'b', null]), [
      { labels: W, topologySpreadConstraints: [spread({ topologyKey: HOST, labelSelector: sel(W), whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 2 })] },
    ]);
    w.place(0, 0, 2);
    w.place(0, 2);
    // weight ln(4 + 2) = 1.791759; score cnt × 1.791759 + (2 - 1):
    //   n0 4.5835 -> 5, n1 1, n2 2.7918 -> 3, n3 1
    // min 1, max 5: 100 × (6 - s) / 5: n0 20, n1 100, n2 60, n3 100
    expect(w.scores(0, 'PodTopologySpread')).toEqual([20, 100, 60, 100]);
  });

  it('system defaults (hostname maxSkew 3, zone maxSkew 5) for a controller-owned pod without constraints', () => {
    const w = world(zoned(['a', 'a', 'b', null]), [{ labels: W, controller: sel(W) }]);
    w.place(0, 0, 2);
    w.place(0, 2);
    // Nodes without a zone are not ignored with the system defaults (requireAllTopologies false).
    // hostname: weight ln(4 + 2) = 1.791759, + (3 - 1); zone: domains a, b, "" -> ln(3 + 2) = 1.609438, + (5 - 1)
    //   n0: 2 × 1.791759 + 2 + 2 × 1.609438 + 4 = 12.8024 -> 13
    //   n1: 0 + 2 + 2 × 1.609438 + 4 = 9.2189 -> 9
    //   n2: 1.791759 + 2 + 1.609438 + 4 = 9.4012 -> 9
    //   n3: 0 + 2 (no zone label: zone term skipped) -> 2
    // min 2, max 13: 100 × (15 - s) / 13: n0 15, n1 46, n2 46, n3 100
    expect(w.scores(0, 'PodTopologySpread')).toEqual([15, 46, 46, 100]);
    // Without a controller (a bare Pod or a Job's pod) nothing is scored.
    const bare = world(zoned(['a', 'a', 'b', null]), [{ labels: W }]);
    bare.place(0, 0, 2);
    expect(bare.scores(0, 'PodTopologySpread')).toEqual([0, 0, 0, 0]);
  });

  it('DoNotSchedule constraints do not score, and replace the system defaults', () => {
    const w = world(zoned(['a', 'b']), [{ labels: W, controller: sel(W), topologySpreadConstraints: [zoneSpread()] }]);
    w.place(0, 0);
    expect(w.scores(0, 'PodTopologySpread')).toEqual([0, 0]);
  });
});

describe('per-domain counts (no inclusion policy narrows the nodes) agree with the node-by-node sums', () => {
  it('on random placements: the same feasible nodes and scores with and without a node affinity that selects every node', async () => {
    const { default: seedrandom } = await import('seedrandom');
    const rng = seedrandom('spread/fast-path');
    const everyNode = [{ matchExpressions: [{ key: HOST, operator: 'Exists' as const, values: [] }], matchFields: [] }];
    const constraints = [zoneSpread({ maxSkew: 2 }), spread({ topologyKey: ZONE, labelSelector: sel(W), whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 1 })];
    for (let trial = 0; trial < 20; trial++) {
      const zones = Array.from({ length: 12 }, () => ['a', 'b', 'c', null][Math.floor(rng() * 4)]!);
      const w = world(zoned(zones), [
        /* 0 */ { labels: W },
        /* 1: whole domains */ { labels: { app: 'x' }, topologySpreadConstraints: constraints },
        /* 2: node by node */ { labels: { app: 'x' }, requiredNodeAffinity: everyNode, topologySpreadConstraints: constraints },
        /* 3: system defaults, whole domains */ { labels: { app: 'x' }, controller: sel(W) },
        /* 4: system defaults, node by node */ { labels: { app: 'x' }, controller: sel(W), requiredNodeAffinity: everyNode },
      ]);
      const onNode = new Array<number>(12).fill(0);
      for (let i = 0; i < 30; i++) {
        const n = Math.floor(rng() * 12);
        w.place(0, n);
        onNode[n]!++;
      }
      for (let i = 0; i < 5; i++) {
        const n = Math.floor(rng() * 12);
        if (onNode[n]! > 0) w.topo.onTerminating(0, n); // a pod there gets its deletionTimestamp
      }
      expect(w.feasible(1)).toEqual(w.feasible(2));
      expect(w.scores(1, 'PodTopologySpread')).toEqual(w.scores(2, 'PodTopologySpread'));
      expect(w.scores(3, 'PodTopologySpread')).toEqual(w.scores(4, 'PodTopologySpread'));
    }
  });
});
