// Scheduler preemption end to end (reference section 7; kube: DefaultPreemption PostFilter,
// prepareCandidate, evaluateNominatedNode). New pods of a high-priority Deployment arrive on a
// full cluster through a rollout (maxSurge, maxUnavailable 0), so the old pods stay.
import { describe, expect, it } from 'vitest';
import { nodePool, pdb, podTemplate, rollout, scenario, workload } from '../../src/bench/synthetic.js';
import type { PodTemplate, RollingUpdateStrategy } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

const surgeAll: RollingUpdateStrategy = { type: 'RollingUpdate', maxSurge: { kind: 'percent', value: 100 }, maxUnavailable: { kind: 'int', value: 0 } };
const startup10 = { startup: { dist: 'fixed' as const, value: 10 } };

/**
 * Two 4000m nodes. critical: 2 x 2000m at priority 1000; batch: 4 x 1000m at priority 0. At
 * t = 0 the queue places critical first (PrioritySort), one per node (LeastAllocated), then
 * batch fills the rest: each node is 2000 + 2 x 1000 = 4000m, full. At t = 100 the rollout
 * creates two new critical pods at once (maxSurge 100%).
 */
function fullCluster(critical: Partial<PodTemplate> = {}, batchPriority = 0) {
  return scenario({
    horizonS: 1000,
    nodePools: [nodePool({ name: 'n', count: 2 })],
    workloads: [
      workload({
        name: 'critical',
        replicas: 2,
        strategy: surgeAll,
        template: podTemplate({ labels: { app: 'critical' }, cpuMilli: 2000, priority: 1000, ...critical }),
        behavior: startup10,
      }),
      workload({ name: 'batch', replicas: 4, template: podTemplate({ labels: { app: 'batch' }, cpuMilli: 1000, priority: batchPriority }), behavior: startup10 }),
    ],
    disruptions: [rollout('Deployment/critical', 100)],
  });
}

describe('a high-priority Deployment arriving on a full cluster', () => {
  it('preempts low-priority pods, whose replacements stay Pending', () => {
    const r = run(fullCluster());
    // t = 100: the first new critical pod (2000m) fits nowhere. Each node: removing its two
    // batch pods frees 2000m -> fits; reprieving either one leaves 1000m < 2000m -> both are
    // victims. The nodes tie on every rule; the first candidate from the random offset wins.
    // The second new pod then sees the first one nominated (same priority, so it counts):
    // on that node 4000 - 4000 - 2000 + 2000 = 0 < 2000 -> no fit; it takes the other node.
    const nominated = r.events('pod-nominated');
    expect(nominated).toHaveLength(2);
    expect(nominated.map((e) => e.split(' ')[1]).sort()).toEqual(['n-0', 'n-1']);
    expect(nominated.every((e) => e.startsWith('100 ') && e.endsWith(' victims=2'))).toBe(true);
    const preempted = r.events('pod-deleted').filter((e) => e.endsWith(' preemption'));
    expect(preempted).toHaveLength(4);
    expect(preempted.every((e) => e.startsWith('100 ') && e.includes(' batch-'))).toBe(true);
    // The victims terminate for 30 s (grace period): at 130 they are gone and each new
    // critical pod binds to its nominated node.
    const bound = r.events('pod-bound').filter((e) => e.includes('critical-2') || e.includes('critical-3'));
    expect(bound.map((e) => e.split(' ')[0])).toEqual(['130', '130']);
    expect(bound.map((e) => e.split(' ')[1]).sort()).toEqual(['n-0', 'n-1']);
    // The ReplicaSet replaced the victims at once (batch-4..7); they are Pending until the
    // old critical pods, scaled down at 140 (new ones Ready), are gone at 170.
    expect(r.events('pod-bound').filter((e) => / batch-[4-7]$/.test(e)).map((e) => e.split(' ')[0])).toEqual(['170', '170', '170', '170']);
    expect(r.metric('batch', 'preemptions')).toBe(4);
    expect(r.metric('critical', 'preemptions')).toBe(0);
    // Pending pod-seconds: 6 pods from 100 to 130 (2 critical + 4 batch) = 180, then the 4
    // batch pods to 170 = 160 -> 340.
    expect(r.metric('cluster', 'pending_pod_s')).toBe(340);
    // batch below minReady (1) for 0-10 (startup) and 100-180 (all four preempted, Ready again
    // at 170 + 10): 1 - 90/1000.
    expect(r.metric('batch', 'availability')).toBeCloseTo(0.91, 12);
    // PostFilter runs: at 100 the 2 critical pods and the 4 replacements (no lower-priority
    // victims anywhere); at 130 the 4 replacements fail again (both nodes 2 x 2000m critical).
    expect(r.metric('cluster', 'preemption_attempts')).toBe(10);
  });

  it('is deterministic: the same seed gives the same trace', () => {
    expect(run(fullCluster(), 7).trace).toEqual(run(fullCluster(), 7).trace);
  });

  it('preemptionPolicy Never: the new pods wait and nothing is preempted', () => {
    const r = run(fullCluster({ preemptionPolicy: 'Never' }));
    expect(r.events('pod-nominated')).toEqual([]);
    expect(r.events('pod-deleted')).toEqual([]);
    expect(r.events('pod-bound').filter((e) => e.includes('critical-2') || e.includes('critical-3'))).toEqual([]);
    expect(r.events('rollout-complete')).toEqual([]);
    expect(r.metric('batch', 'preemptions')).toBe(0);
  });

  it('equal priority never preempts (and a one-priority cluster reports no preemption metrics)', () => {
    const r = run(fullCluster({}, 1000));
    expect(r.events('pod-nominated')).toEqual([]);
    expect(r.events('pod-deleted')).toEqual([]);
    expect(r.metrics.filter((m) => m.metric.startsWith('preemption'))).toEqual([]);
  });
});

describe('PDBs steer the choice of node (issue #3)', () => {
  // Three 2000m nodes a-0, b-0, c-0 (pools a, b, c). critical (prio 100, 2000m) prefers pool
  // c (preferred affinity weight 100) and sits there; batch-a (prio 1, 2 x 1000m) is pinned to
  // a, batch-b (prio 5, 2 x 1000m) to b: every node is full. At t = 100 a rollout adds one
  // critical pod. Candidates: c-0 none (critical-0 has equal priority); a-0: 2 victims of
  // priority 1; b-0: 2 victims of priority 5.
  function steered(withPdb: boolean) {
    const pinned = (pool: string) => ({ pool });
    return scenario({
      horizonS: 1000,
      nodePools: ['a', 'b', 'c'].map((p) => nodePool({ name: p, count: 1, capacity: [2000, 16 * 1024 ** 3, 100 * 1024 ** 3], labels: { pool: p } })),
      workloads: [
        workload({
          name: 'critical',
          strategy: { type: 'RollingUpdate', maxSurge: { kind: 'int', value: 1 }, maxUnavailable: { kind: 'int', value: 0 } },
          template: podTemplate({
            labels: { app: 'critical' },
            cpuMilli: 2000,
            priority: 100,
            preferredNodeAffinity: [{ weight: 100, preference: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['c'] }], matchFields: [] } }],
          }),
          behavior: startup10,
        }),
        workload({ name: 'batch-a', replicas: 2, template: podTemplate({ labels: { app: 'batch-a' }, cpuMilli: 1000, priority: 1, nodeSelector: pinned('a') }), behavior: startup10 }),
        workload({ name: 'batch-b', replicas: 2, template: podTemplate({ labels: { app: 'batch-b' }, cpuMilli: 1000, priority: 5, nodeSelector: pinned('b') }), behavior: startup10 }),
      ],
      // minAvailable 2 of 2: disruptionsAllowed 0.
      pdbs: withPdb ? [pdb({ name: 'batch-a', app: 'batch-a', minAvailable: { kind: 'int', value: 2 } })] : [],
      disruptions: [rollout('Deployment/critical', 100)],
    });
  }

  it('without a PDB the node with the lowest-priority victims is chosen (rule 2: 1 < 5)', () => {
    const r = run(steered(false));
    expect(r.events('pod-nominated')).toEqual(['100 a-0 critical-1 victims=2']);
    expect(r.metric('batch-a', 'preemptions')).toBe(2);
    expect(r.metric('batch-b', 'preemptions')).toBe(0);
  });

  it('with batch-a covered by a spent PDB, the node whose victims violate no PDB wins (rule 1: 0 < 2)', () => {
    // On a-0 both victims violate (allowed 0 -> -1 -> -2): 2 violations; b-0: none.
    const r = run(steered(true));
    expect(r.events('pod-nominated')).toEqual(['100 b-0 critical-1 victims=2']);
    expect(r.metric('batch-a', 'preemptions')).toBe(0);
    expect(r.metric('batch-b', 'preemptions')).toBe(2);
    // batch-a's budget is violated only while its pods start (0-10 s), never by preemption.
    expect(r.metric('batch-a', 'pdb_violation_s')).toBe(10);
    // critical-1 binds to b-0 once the victims are gone (30 s grace). Their replacements are
    // pinned to b, where nothing has a lower priority than theirs: they stay Pending.
    expect(r.events('pod-bound').filter((e) => e.includes('critical-1'))).toEqual(['130 b-0 critical-1']);
    expect(r.events('pod-bound').filter((e) => / batch-b-[23]$/.test(e))).toEqual([]);
  });
});
