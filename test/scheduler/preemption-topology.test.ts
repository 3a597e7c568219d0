// DefaultPreemption past InterPodAffinity and PodTopologySpread (kube v1.34: their Filter
// status codes decide which nodes are potential, nodesWherePreemptionMightHelp; the dry run
// removes pods through RemovePod and reprieves through AddPod, SelectVictimsOnNode), and the
// nominated pods those filters see (RunFilterPluginsWithNominatedPods). Hand-built contexts,
// as in default-preemption.test.ts.
import { describe, expect, it } from 'vitest';
import { cluster, podTemplate } from './helpers.js';
import { preemptionFixture } from './preemption-fixture.js';
import { HOST, sel, spread, term, zoned, ZONE, type TemplateSpec } from './topology-support.js';

const rules = (required: ReturnType<typeof term>[]) => ({ required, preferred: [] });

/**
 * Template 0 is the preemptor. `placed` binds pods (template, node); `pdbs` puts one PDB with
 * `allowed` disruptions over the pods labelled app=<app>.
 */
function context(zones: (string | null)[], specs: TemplateSpec[], placed: [tmpl: number, node: number][], pdbs: { app: string; allowed: number }[] = []) {
  const nodes = cluster(zoned(zones, zones.map(() => ({ cpu: 2000 }))));
  const tmpls = specs.map(({ namespace: _n, controller: _c, ...t }) => podTemplate(t));
  const f = preemptionFixture(nodes, tmpls, { placed, pdbs, topology: true });
  const { pods, scheduler, nominator, templates, deleted, preemptorId, dp } = f;
  const topo = f.topo!;
  /** One scheduling cycle of the preemptor, then PostFilter: the FitError message. */
  const attempt = (): string => {
    expect(scheduler.scheduleOne(templates[0]!, preemptorId)).toBe(-1);
    dp.postFilter(preemptorId);
    return scheduler.lastFailureMessage();
  };
  return { nodes, pods, topo, scheduler, nominator, templates, deleted, preemptorId, attempt };
}

const CPU = (m: number) => [m, 0, 0];

describe('InterPodAffinity failures in preemption', () => {
  it('required anti-affinity against a lower-priority pod on the only node: it is preempted', () => {
    // n0 (2000m): low (prio 0, 500m, app=low). Preemptor (prio 100, 500m) has anti-affinity
    // to app=low per host: 1500m free, but the anti-affinity count of n0 is 1 ->
    // Unschedulable. Dry run: remove low -> 0 -> fits; reprieve low -> 1 -> victim.
    const f = context(['a'], [{ requests: CPU(500), priority: 100, labels: { app: 'p' }, podAntiAffinity: rules([term({ app: 'low' }, HOST)]) }, { requests: CPU(500), priority: 0, labels: { app: 'low' } }], [[1, 0]]);
    expect(f.attempt()).toBe("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.");
    expect(f.nominator.nodeOf(f.preemptorId)).toBe(0);
    expect(f.deleted).toEqual(['0:preemption']);
  });

  it('symmetry: a lower-priority pod whose anti-affinity rejects the preemptor is preempted; a higher one is not', () => {
    // n0: low (prio 0, anti-affinity to app=p per host); n1: high (prio 500, same rule).
    // Preemptor app=p (prio 100): existing pods' anti-affinity rejects it on both
    // (Unschedulable). n0: removing low lifts it -> candidate; n1: high is not lower -> no victims.
    const anti = rules([term({ app: 'p' }, HOST)]);
    const f = context(
      ['a', 'a'],
      [
        { requests: CPU(500), priority: 100, labels: { app: 'p' } },
        { requests: CPU(500), priority: 0, labels: { app: 'low' }, podAntiAffinity: anti },
        { requests: CPU(500), priority: 500, labels: { app: 'high' }, podAntiAffinity: anti },
      ],
      [
        [1, 0],
        [2, 1],
      ],
    );
    expect(f.attempt()).toBe("0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules.");
    expect(f.nominator.nodeOf(f.preemptorId)).toBe(0);
    expect(f.deleted).toEqual(['0:preemption']);
  });

  it('required affinity not matched is unresolvable: no node is potential', () => {
    // n0: one low pod, room to spare. The preemptor needs app=cache in its zone: none exists
    // (and it is not app=cache itself) -> UnschedulableAndUnresolvable -> not examined.
    const f = context(['a'], [{ requests: CPU(500), priority: 100, labels: { app: 'p' }, podAffinity: rules([term({ app: 'cache' }, ZONE)]) }, { requests: CPU(500), priority: 0, labels: { app: 'low' } }], [[1, 0]]);
    expect(f.attempt()).toBe(
      "0/1 nodes are available: 1 node(s) didn't match pod affinity rules. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    expect(f.deleted).toEqual([]);
  });

  it('required affinity not matched behind a resource failure: examined, but the dry run still fails on it', () => {
    // n0 full (4 x 500m low pods): NodeResourcesFit fails first (Unschedulable), so n0 is
    // potential and InterPodAffinity never ran. Dry run: remove all four -> cpu fits, but
    // InterPodAffinity rejects (no app=cache) -> that status.
    const f = context(
      ['a'],
      [{ requests: CPU(500), priority: 100, labels: { app: 'p' }, podAffinity: rules([term({ app: 'cache' }, ZONE)]) }, { requests: CPU(500), priority: 0, labels: { app: 'low' } }],
      [
        [1, 0],
        [1, 0],
        [1, 0],
        [1, 0],
      ],
    );
    expect(f.attempt()).toBe(
      "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 node(s) didn't match pod affinity rules.",
    );
    expect(f.deleted).toEqual([]);
  });

  it.each([
    // Without a PDB: n0's victim (prio 10) beats n1's (prio 50) on the highest victim priority.
    { pdbs: [], node: 0, deleted: ['0:preemption'] },
    // low-a covered by a spent PDB (allowed 0 -> -1: a violation): n1 has none and wins rule 1.
    { pdbs: [{ app: 'low-a', allowed: 0 }], node: 1, deleted: ['1:preemption'] },
  ])('PDBs still steer the choice of node ($pdbs.length PDB)', ({ pdbs, node, deleted }) => {
    const f = context(
      ['a', 'b'],
      [
        { requests: CPU(500), priority: 100, labels: { app: 'p' }, podAntiAffinity: rules([term({ tier: 'batch' }, HOST)]) },
        { requests: CPU(500), priority: 10, labels: { app: 'low-a', tier: 'batch' } },
        { requests: CPU(500), priority: 50, labels: { app: 'low-b', tier: 'batch' } },
      ],
      [
        [1, 0],
        [2, 1],
      ],
      pdbs,
    );
    f.attempt();
    expect(f.nominator.nodeOf(f.preemptorId)).toBe(node);
    expect(f.deleted).toEqual(deleted);
  });
});

describe('PodTopologySpread failures in preemption', () => {
  it('maxSkew violated: a lower-priority matching pod in the crowded zone is preempted, the rest reprieved', () => {
    // Zones a (n0), b (n1), 2000m each. n0: 3 low pods (prio 0, 100m, app=w); n1: 1 mid pod
    // (prio 500, 2000m, app=w): n1 fails on cpu and has no lower-priority pod. Preemptor app=w
    // (prio 100), zone spread maxSkew 1: n0: 3 + 1 - min(3, 1) = 3 > 1 (Unschedulable).
    // n0 dry run: remove the 3 lows -> a 0, min(0, 1) = 0 -> 0 + 1 - 0 = 1 fits. Reprieve low
    // #1: a 1, min(1, 1) = 1 -> 1 + 1 - 1 = 1 fits, kept; #2: a 2 -> 2 + 1 - 1 = 2 > 1 victim;
    // #3: victim. Victims: pods 1 and 2 (ids 0..2 are the lows, most important = lowest id).
    const w = { app: 'w' };
    const f = context(
      ['a', 'b'],
      [
        { requests: CPU(100), priority: 100, labels: w, topologySpreadConstraints: [spread({ topologyKey: ZONE, labelSelector: sel(w) })] },
        { requests: CPU(100), priority: 0, labels: w },
        { requests: CPU(2000), priority: 500, labels: w },
      ],
      [
        [1, 0],
        [1, 0],
        [1, 0],
        [2, 1],
      ],
    );
    expect(f.attempt()).toBe("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints.");
    expect(f.nominator.nodeOf(f.preemptorId)).toBe(0);
    expect(f.deleted).toEqual(['1:preemption', '2:preemption']);
  });

  it('a node without the topology key is unresolvable', () => {
    // n0 has no zone label: ErrReasonNodeLabelNotMatch -> not potential.
    const w = { app: 'w' };
    const f = context(
      [null],
      [
        { requests: CPU(100), priority: 100, labels: w, topologySpreadConstraints: [spread({ topologyKey: ZONE, labelSelector: sel(w) })] },
        { requests: CPU(100), priority: 0, labels: w },
      ],
      [[1, 0]],
    );
    expect(f.attempt()).toBe(
      "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
  });
});

describe('nominated pods in the pod-topology filters (RunFilterPluginsWithNominatedPods)', () => {
  // n0, n1 in zones a, b. Template 0 (prio 100, app=p) has anti-affinity to app=low per host;
  // template 1 is low (prio 0). A pod of template 0 is nominated to n0.
  function nominated(boundElsewhere: boolean) {
    const f = context(
      ['a', 'b'],
      [{ requests: CPU(100), priority: 100, labels: { app: 'p' }, podAntiAffinity: rules([term({ app: 'low' }, HOST)]) }, { requests: CPU(100), priority: 0, labels: { app: 'low' } }],
      boundElsewhere ? [[0, 1]] : [],
    );
    f.nominator.nominate(f.preemptorId, 0);
    const low = f.pods.alloc(1, 1, 0, 0);
    const feasible = [0, 1].filter((n) => f.scheduler.scheduleOn(f.templates[1]!, n) === n);
    return { f, low, feasible };
  }

  it("a nominated pod's anti-affinity keeps a lower-priority pod off its node", () => {
    // A template-0 pod bound on n1 makes InterPodAffinity run for low (existing anti-affinity
    // counts: n1 1). On n0 the first pass adds the nominated pod (AddPod): n0 1 -> rejected;
    // n1 is rejected by the bound pod itself.
    const { f, low } = nominated(true);
    expect(f.scheduler.scheduleOne(f.templates[1]!, low)).toBe(-1);
    expect(f.scheduler.lastFailureMessage()).toBe("0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules.");
  });

  it('upstream Skip: with no bound pod carrying the rule, PreFilter Skips and the nomination is not seen', () => {
    // kube: InterPodAffinity.PreFilter returns Skip when no existing pod's anti-affinity matches
    // and the pod has no terms; RunPreFilterExtensionAddPod and the Filter skip it too.
    const { feasible } = nominated(false);
    expect(feasible).toEqual([0, 1]);
  });

  it.each([
    // prio 0 < 100: not added, both nodes pass.
    { prio: 0, feasible: [0, 1] },
    // prio 100 >= 100: added on n0, where the incoming pod's own anti-affinity (to app=low) sees it.
    { prio: 100, feasible: [1] },
  ])('only nominated pods of priority >= the incoming one count (addGENominatedPods): prio $prio -> $feasible', ({ prio, feasible }) => {
    const f = context(
      ['a', 'b'],
      [{ requests: CPU(100), priority: 100, labels: { app: 'p' }, podAntiAffinity: rules([term({ app: 'low' }, HOST)]) }, { requests: CPU(100), priority: prio, labels: { app: 'low' } }],
      [],
    );
    const other = f.pods.alloc(1, 1, 0, 0);
    f.nominator.nominate(other, 0);
    // One cycle for the incoming pod builds the overlay (its nomination state) as the queue would.
    f.scheduler.scheduleOne(f.templates[0]!, f.preemptorId);
    expect([0, 1].filter((n) => f.scheduler.scheduleOn(f.templates[0]!, n) === n)).toEqual(feasible);
  });

  it.each([
    // One nominated w pod on n0: a 0 + 1 = 1, min(1, b 1) = 1 -> 1 + 1 - 1 = 1 passes.
    { nominated: 1, prio: 100, feasible: [0] },
    // Two: a 2, min(2, 1) = 1 -> 2 + 1 - 1 = 2 > 1: rejected in the pass with them.
    { nominated: 2, prio: 100, feasible: [] },
    // Two of lower priority (0 < 100) do not count: a 0 + 1 - 0 = 1 passes.
    { nominated: 2, prio: 0, feasible: [0] },
  ])('spread: $nominated nominated pod(s) of prio $prio on n0 -> feasible $feasible', ({ nominated, prio, feasible }) => {
    // Zones a (n0), b (n1); one w pod bound on n1. Incoming: w, zone spread maxSkew 1, prio
    // 100. Without nominations n0: 0 + 1 - 0 = 1 passes; n1: 1 + 1 - 0 = 2 > 1 never does.
    const w = { app: 'w' };
    const f = context(
      ['a', 'b'],
      [
        { requests: CPU(100), priority: 100, labels: w, topologySpreadConstraints: [spread({ topologyKey: ZONE, labelSelector: sel(w) })] },
        { requests: CPU(100), priority: prio, labels: w },
      ],
      [[1, 1]],
    );
    for (let i = 0; i < nominated; i++) f.nominator.nominate(f.pods.alloc(1, 1, 0, 0), 0);
    f.scheduler.scheduleOne(f.templates[0]!, f.preemptorId);
    expect([0, 1].filter((n) => f.scheduler.scheduleOn(f.templates[0]!, n) === n)).toEqual(feasible);
  });
});
