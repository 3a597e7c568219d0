// InterPodAffinity (kube: plugins/interpodaffinity filtering.go, scoring.go): required affinity
// with the first-pod special case, anti-affinity, existing pods' anti-affinity (symmetry),
// namespaces, and the preferred-term score with its min-max normalisation.
import { describe, expect, it } from 'vitest';
import { Status } from '../../src/sim/scheduler/framework.js';
import { InterPodAffinityFilter } from '../../src/sim/scheduler/plugins/inter-pod-affinity.js';
import { HOST, term, world, ZONE, zoned } from './topology-support.js';

// n0, n1 in zone a; n2 in zone b; n3 has no zone label.
const NODES = zoned(['a', 'a', 'b', null]);
const rules = (required: ReturnType<typeof term>[] = [], preferred: { weight: number; term: ReturnType<typeof term> }[] = []) => ({ required, preferred });

describe('InterPodAffinity filter: required affinity', () => {
  const templates = [
    /* 0 */ { labels: { app: 'web' } },
    /* 1 */ { labels: { app: 'cache' }, podAffinity: rules([term({ app: 'web' }, ZONE)]) },
    /* 2 */ { labels: { app: 'grp' }, podAffinity: rules([term({ app: 'grp' }, ZONE)]) },
    /* 3 */ { labels: { app: 'both' }, podAffinity: rules([term({ app: 'web' }, ZONE), term({ tier: 'x' }, HOST)]) },
    /* 4 */ { labels: { app: 'web', tier: 'x' } },
  ];

  it('goes only to the zone of a matching pod; nodes without the key are rejected', () => {
    const w = world(NODES, templates);
    w.place(0, 0); // web on n0: zone a has 1 match, zone b 0
    expect(w.feasible(1)).toEqual([0, 1]);
  });

  it('no matching pod anywhere and the pod does not match itself: unschedulable everywhere', () => {
    const w = world(NODES, templates);
    expect(w.feasible(1)).toEqual([]);
    expect(w.why(1)).toBe("0/4 nodes are available: 4 node(s) didn't match pod affinity rules.");
  });

  it('the first pod of a self-affine group may go anywhere that has the topology key', () => {
    // kube: satisfyPodAffinity: len(affinityCounts) == 0 and the pod matches its own terms.
    const w = world(NODES, templates);
    expect(w.feasible(2)).toEqual([0, 1, 2]);
    w.place(2, 2); // now a grp pod exists in zone b: the rule binds again
    expect(w.feasible(2)).toEqual([2]);
  });

  it('an existing pod counts only if it matches every required term', () => {
    // Template 3 needs app=web in the zone and tier=x on the same host.
    const w = world(NODES, templates);
    w.place(0, 0); // web without tier: matches term 1 only, so it counts for neither
    expect(w.feasible(3)).toEqual([]);
    w.place(4, 1); // web + tier=x on n1: zone a count 1, host n1 count 1
    expect(w.feasible(3)).toEqual([1]);
  });

  it('terminating pods still count (they stay in NodeInfo)', () => {
    const w = world(NODES, templates);
    w.place(0, 2);
    w.topo.onTerminating(0, 2);
    expect(w.feasible(1)).toEqual([2]);
    w.topo.onRemove(0, 2, true);
    expect(w.feasible(1)).toEqual([]);
  });
});

describe('InterPodAffinity filter: anti-affinity', () => {
  const templates = [
    /* 0 */ { labels: { app: 'db' }, podAntiAffinity: rules([term({ app: 'db' }, HOST)]) },
    /* 1 */ { labels: { app: 'web' } },
    /* 2 */ { labels: { app: 'guard' }, podAntiAffinity: rules([term({ app: 'web' }, ZONE)]) },
  ];

  it("the pod's own anti-affinity keeps it off hosts with a matching pod", () => {
    const w = world(NODES, templates);
    w.place(0, 1);
    expect(w.feasible(0)).toEqual([0, 2, 3]);
    w.place(0, 0);
    w.place(0, 2);
    w.place(0, 3);
    expect(w.why(0)).toBe("0/4 nodes are available: 4 node(s) didn't match pod anti-affinity rules.");
  });

  it("symmetry: an existing pod's anti-affinity keeps matching pods out of its domain", () => {
    // guard on n0 repels app=web from zone a; n3 has no zone label so the term does not apply.
    const w = world(NODES, templates);
    w.place(2, 0);
    expect(w.feasible(1)).toEqual([2, 3]);
    w.place(2, 2); // and from zone b
    expect(w.feasible(1)).toEqual([3]);
  });

  it('the FitError names the existing pods rule', () => {
    const w = world(zoned(['a', 'a']), templates);
    w.place(2, 0);
    expect(w.why(1)).toBe("0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules.");
  });

  it('PreFilter returns Skip for a pod with no required terms that no existing term selects', () => {
    const w = world(NODES, templates);
    const f = new InterPodAffinityFilter(w.topo);
    expect(f.preFilter(w.pods[1]!)).toBe(Status.Skip); // no guard placed yet
    w.place(2, 0);
    expect(f.preFilter(w.pods[1]!)).toBe(Status.Success);
  });
});

describe('InterPodAffinity: namespaces', () => {
  it("a term without namespaces selects only its own pod's namespace; {} selects all; names select those", () => {
    const w = world(NODES, [
      /* 0 */ { labels: { app: 'web' }, namespace: 'shop' },
      /* 1 */ { labels: { app: 'c1' }, podAffinity: rules([term({ app: 'web' }, ZONE)]) },
      /* 2 */ { labels: { app: 'c2' }, podAffinity: rules([term({ app: 'web' }, ZONE, { namespaceSelector: { matchLabels: {}, matchExpressions: [] } })]) },
      /* 3 */ { labels: { app: 'c3' }, podAffinity: rules([term({ app: 'web' }, ZONE, { namespaces: ['shop'] })]) },
      /* 4 */ {
        labels: { app: 'c4' },
        podAffinity: rules([term({ app: 'web' }, ZONE, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' }, matchExpressions: [] } })]),
      },
    ]);
    w.place(0, 2);
    expect([1, 2, 3, 4].map((t) => w.feasible(t))).toEqual([[], [2], [2], [2]]);
  });
});

describe('InterPodAffinity score', () => {
  it("the incoming pod's preferred affinity (+w) and anti-affinity (-w) terms", () => {
    const w = world(NODES, [
      /* 0 */ { labels: { app: 'p' }, podAffinity: rules([], [{ weight: 10, term: term({ app: 'web' }, ZONE) }]), podAntiAffinity: rules([], [{ weight: 5, term: term({ app: 'db' }, HOST) }]) },
      /* 1 */ { labels: { app: 'web' } },
      /* 2 */ { labels: { app: 'db' } },
    ]);
    w.place(1, 0, 2); // two web pods on n0 (zone a)
    w.place(2, 1);
    w.place(2, 2);
    // zone a: +10 × 2 = 20; host n1: -5; host n2: -5.
    // raw: n0 20, n1 20 - 5 = 15, n2 -5, n3 0; min -5, max 20, diff 25
    // int64(100 × (s - min) / 25): n0 100, n1 80, n2 0, n3 20
    expect(w.scores(0, 'InterPodAffinity')).toEqual([100, 80, 0, 20]);
  });

  it("existing pods' terms that match the incoming pod: required affinity at hardPodAffinityWeight 1, preferred at their weight", () => {
    const w = world(NODES, [
      /* 0 */ { labels: { app: 'q' } },
      /* 1 */ { labels: { app: 'r' }, podAffinity: rules([term({ app: 'q' }, ZONE)]) },
      /* 2 */ { labels: { app: 's' }, podAntiAffinity: rules([], [{ weight: 7, term: term({ app: 'q' }, HOST) }]) },
    ]);
    w.place(1, 2);
    w.place(2, 3);
    // zone b: +1 (r on n2); host n3: -7 (s on n3).
    // raw: n0 0, n1 0, n2 1, n3 -7; min -7, max 1, diff 8
    // n0: int(100 × 7/8) = 87, n1 87, n2 100, n3 0
    expect(w.scores(0, 'InterPodAffinity')).toEqual([87, 87, 100, 0]);
  });

  it('only the feasible nodes enter min and max', () => {
    const w = world(NODES, [
      /* 0 */ { labels: { app: 'p' }, podAffinity: rules([], [{ weight: 10, term: term({ app: 'web' }, ZONE) }]) },
      /* 1 */ { labels: { app: 'web' } },
    ]);
    w.place(1, 0, 3);
    // zone a: +30. Over [n1, n2]: raw 30, 0 -> 100, 0.
    expect(w.scores(0, 'InterPodAffinity', [1, 2])).toEqual([100, 0]);
    // Over [n0, n1]: raw 30, 30: max == min -> all 0.
    expect(w.scores(0, 'InterPodAffinity', [0, 1])).toEqual([0, 0]);
  });

  it('Skip (all 0) when no existing pod matches any term', () => {
    const w = world(NODES, [{ labels: { app: 'p' }, podAffinity: rules([], [{ weight: 10, term: term({ app: 'web' }, ZONE) }]) }]);
    expect(w.scores(0, 'InterPodAffinity')).toEqual([0, 0, 0, 0]);
  });
});

describe('kube-default with InterPodAffinity [2]', () => {
  it('a preferred affinity of weight 100 outweighs LeastAllocated', () => {
    // 2000 mcpu are requested on n2. The pod (non-zero 100m, 200Mi) on a 4000m / 8Gi node:
    //   LeastAllocated: n2 cpu (4000-2100)*100/4000 = 47, mem 97 -> 72; elsewhere 97
    //   BalancedAllocation: n2 std(0.525, 0.024) = 0.250 -> 74; elsewhere std ~0 -> 99
    //   so n2 trails by (97-72) + (99-74) = 50 points;
    //   InterPodAffinity (weight 2): zone b raw 100, others 0 -> normalised 100 vs 0 -> +200 for n2.
    const w = world(NODES, [
      /* 0 */ { labels: { app: 'p' }, podAffinity: rules([], [{ weight: 100, term: term({ app: 'web' }, ZONE) }]) },
      /* 1 */ { labels: { app: 'web' } },
    ]);
    w.place(1, 2);
    w.nodes.addPod(2, [2000, 0, 0], 2000, 200 * 1024 * 1024);
    expect(w.sched.scheduleOne(w.pods[0]!)).toBe(2);
  });
});
