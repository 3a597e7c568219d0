// The pod-topology filters' PreFilterExtensions (kube: InterPodAffinity / PodTopologySpread
// AddPod and RemovePod, preFilterState.updateWithPod): Filter after adding or removing pods on
// node n through a SlotDelta must say what a fresh PreFilter + Filter says on the cluster with
// those pods really added or removed. Contract test on random clusters, then the two cases
// where the delta is not a fresh PreFilter (upstream quirks kept on purpose), by hand.
import { describe, expect, it } from 'vitest';
import type { FilterPlugin } from '../../src/sim/scheduler/framework.js';
import { InterPodAffinityFilter } from '../../src/sim/scheduler/plugins/inter-pod-affinity.js';
import { PodTopologySpreadFilter } from '../../src/sim/scheduler/plugins/pod-topology-spread.js';
import { SlotDelta } from '../../src/sim/scheduler/topology/slot-delta.js';
import { HOST, sel, spread, term, world, ZONE, zoned, type TemplateSpec } from './topology-support.js';

// n0, n1 in zone a; n2 in zone b; n3 in zone c; n4 has no zone label.
const NODES = zoned(['a', 'a', 'b', 'c', null]);
const A = { app: 'a' };
const rules = (required: ReturnType<typeof term>[]) => ({ required, preferred: [] });
const TEMPLATES: TemplateSpec[] = [
  /* 0 */ { labels: A },
  /* 1 */ { labels: { app: 'b' }, podAntiAffinity: rules([term(A, HOST)]) },
  /* 2 */ { labels: { app: 'a', tier: 'x' }, podAffinity: rules([term(A, ZONE)]) },
  /* 3 */ {
    labels: A,
    topologySpreadConstraints: [spread({ topologyKey: ZONE, labelSelector: sel(A) }), spread({ topologyKey: HOST, labelSelector: sel(A), maxSkew: 2 })],
  },
  /* 4 */ { labels: { app: 'c' }, podAntiAffinity: rules([term({ app: 'b' }, ZONE)]), podAffinity: rules([term({ app: 'c' }, ZONE)]) },
  /* 5 */ {
    labels: A,
    requiredNodeAffinity: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ['a', 'b'] }], matchFields: [] }],
    topologySpreadConstraints: [spread({ topologyKey: ZONE, labelSelector: sel(A), minDomains: 2 })],
  },
];

/** mulberry32: a small deterministic generator for the random clusters. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Verdict of `plugin` for template t on node n: 0 or its code; -1 when its PreFilter Skips. */
function verdict(w: ReturnType<typeof world>, plugin: FilterPlugin, t: number, n: number, delta: SlotDelta | null): number {
  const pod = w.pods[t]!;
  w.sched.scheduleOn(pod, n); // the pod's static per-node cache (inclusion policies), as a cycle would
  if (plugin.preFilter!(pod) === 1) return -1;
  return delta === null ? plugin.filter(pod, n) : plugin.filterWithDelta!(pod, n, delta);
}

describe('filterWithDelta == PreFilter + Filter on the changed cluster (random clusters)', () => {
  for (const mode of ['remove', 'add'] as const) {
    it(`${mode}: 400 random cases per plugin agree`, () => {
      const next = rng(mode === 'remove' ? 7 : 11);
      const pick = (k: number) => Math.floor(next() * k);
      let compared = 0;
      let failing = 0;
      let skipped = 0;
      for (let trial = 0; trial < 400; trial++) {
        const w = world(NODES, TEMPLATES);
        const plugins: FilterPlugin[] = [new PodTopologySpreadFilter(w.nodes, w.topo), new InterPodAffinityFilter(w.topo)];
        const onNode: number[][] = NODES.map(() => []);
        for (let i = pick(12); i > 0; i--) {
          const t = pick(TEMPLATES.length);
          const n = pick(NODES.length);
          w.place(t, n);
          onNode[n]!.push(t);
        }
        const t = 1 + pick(TEMPLATES.length - 1);
        const n = pick(NODES.length);
        const changed: number[] =
          mode === 'remove' ? onNode[n]!.filter(() => next() < 0.6) : Array.from({ length: 1 + pick(3) }, () => pick(TEMPLATES.length));
        for (const plugin of plugins) {
          const delta = new SlotDelta(w.topo.counts);
          for (const c of changed) delta.add(c, mode === 'remove' ? -1 : 1);
          const withDelta = verdict(w, plugin, t, n, delta);
          // Now really change the cluster (kube: a fresh cycle on the new NodeInfo).
          for (const c of changed) (mode === 'remove' ? w.topo.onRemove(c, n, false) : w.topo.onBind(c, n));
          const fresh = verdict(w, plugin, t, n, null);
          for (const c of changed) (mode === 'remove' ? w.topo.onBind(c, n) : w.topo.onRemove(c, n, false));
          // A PreFilter that Skips before the change runs no AddPod / RemovePod and no Filter
          // upstream either (SkipFilterPlugins): nothing to compare. One that Skips only after
          // it (no pod left to count) is a pass.
          if (withDelta < 0) {
            skipped++;
            continue;
          }
          expect([t, n, plugin.name, changed, withDelta]).toEqual([t, n, plugin.name, changed, Math.max(fresh, 0)]);
          compared++;
          if (fresh > 0) failing++;
        }
      }
      // Most cases run the filter, and many of them reject.
      expect(compared + skipped).toBe(800);
      expect(compared).toBeGreaterThan(400);
      expect(failing).toBeGreaterThan(100);
    });
  }
});

describe('filterWithDelta by hand', () => {
  it('spread: the new minimum is min(changed domain, smallest other domain)', () => {
    // Zones a 3 (n0), b 1 (n2), c 2 (n3); constraint zone, maxSkew 1, pod matches itself.
    // Removing 2 from n0: a 1, min(1, 1) = 1 -> 1 + 1 - 1 = 1 passes (fresh PreFilter: same).
    // Removing 1 from n2 instead: b 0 -> min(0, others 2) = 0; on n2: 0 + 1 - 0 = 1 passes.
    const w = world(NODES, TEMPLATES);
    w.place(0, 0, 3);
    w.place(0, 2, 1);
    w.place(0, 3, 2);
    const f = new PodTopologySpreadFilter(w.nodes, w.topo);
    const d = new SlotDelta(w.topo.counts);
    // Template 3 also spreads per host (maxSkew 2): n0 3 - 2 = 1, min over hosts 0 (n1) -> 1 + 1 - 0 = 2 <= 2.
    expect(verdict(w, f, 3, 0, null)).toBe(1); // a: 3 + 1 - 1 = 3 > 1
    d.add(0, -1);
    d.add(0, -1);
    expect(verdict(w, f, 3, 0, d)).toBe(0);
    d.clear();
    expect(verdict(w, f, 3, 0, d)).toBe(1);
    expect(f.resolvable(1)).toBe(true); // ErrReasonConstraintsNotMatch: Unschedulable
    expect(f.resolvable(2)).toBe(false); // missing label: UnschedulableAndUnresolvable
    expect(verdict(w, f, 3, 4, d)).toBe(2); // n4 has no zone
  });

  it('spread: removing a terminating pod lowers the count it no longer raised (updateWithPod ignores deletionTimestamp)', () => {
    // Zone a: 2 pods on n0, one terminating -> counted 1; b 0; c 0. Pod on n0: 1 + 1 - 0 = 2 > 1.
    // Dry run removes both (both lower priority): delta -2 -> a -1, min(-1, 0) = -1 -> -1 + 1 + 1 = 1 passes.
    // Removing only the live one (-1): a 0 -> 0 + 1 - 0 = 1 passes as well; the terminating one alone
    // (-1, as upstream) passes too, where a fresh PreFilter without it still says 2 > 1.
    const w = world(NODES, TEMPLATES);
    w.place(0, 0, 2);
    w.topo.onTerminating(0, 0);
    const f = new PodTopologySpreadFilter(w.nodes, w.topo);
    const d = new SlotDelta(w.topo.counts);
    expect(verdict(w, f, 5, 0, null)).toBe(1);
    d.add(0, -1);
    expect(verdict(w, f, 5, 0, d)).toBe(0);
  });

  it('inter-pod affinity: the first-pod rule sees the removed pods (affinityCounts empties)', () => {
    // Template 4 needs app=c in its zone, and matches itself. One c pod (template 4) on n2 (zone b):
    // on n0 (zone a) count 0 and not empty -> rejected (unresolvable). Removing that pod from n2
    // empties affinityCounts: on n2 the pod may be the first of its group.
    const w = world(NODES, TEMPLATES);
    w.place(4, 2);
    const f = new InterPodAffinityFilter(w.topo);
    const d = new SlotDelta(w.topo.counts);
    expect(verdict(w, f, 4, 0, null)).toBe(1);
    expect(f.resolvable(1)).toBe(false); // ErrReasonAffinityRulesNotMatch
    expect(f.resolvable(2)).toBe(true); // anti-affinity
    expect(f.resolvable(3)).toBe(true); // existing pods' anti-affinity
    d.add(4, -1);
    expect(verdict(w, f, 4, 2, d)).toBe(0);
    // Anti-affinity symmetry: a b pod (template 1, anti-affinity to app=a per host) on n1
    // rejects template 0 there (code 3) until the dry run removes it.
    w.place(1, 1);
    d.clear();
    expect(verdict(w, f, 0, 1, d)).toBe(3);
    d.add(1, -1);
    expect(verdict(w, f, 0, 1, d)).toBe(0);
  });
});
