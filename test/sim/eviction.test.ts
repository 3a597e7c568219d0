// Eviction API branches (reference section 2.2) and zone disruption (section 5), end to end.
import { describe, expect, it } from 'vitest';
import { drain, nodeCrash, nodePool, pdb, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import { run } from '../support/sim.js';

const web = (replicas: number, startupS = 10) =>
  workload({
    name: 'web',
    replicas,
    template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }),
    behavior: { startup: { dist: 'fixed', value: startupS } },
  });

describe('eviction API', () => {
  it('returns 500 (not retried) when two PDBs select the pod: the drain fails', () => {
    const s = scenario({
      horizonS: 1000,
      nodePools: [nodePool({ name: 'general', count: 2 })],
      workloads: [web(2)],
      pdbs: [pdb({ name: 'a', app: 'web', maxUnavailable: { kind: 'int', value: 1 } }), pdb({ name: 'b', app: 'web', maxUnavailable: { kind: 'int', value: 1 } })],
      disruptions: [drain({ atS: 100, target: { pools: [], names: ['general-0'] } })],
    });
    const r = run(s);
    expect(r.events('pod-deleted')).toEqual([]);
    expect(r.events('drain-end')).toEqual(['100 general-0 failed']);
    expect(r.metric('cluster', 'evictions_refused')).toBe(1);
    expect(r.metric('cluster', 'drains_failed')).toBe(1);
  });

  it('refuses to drain a node with a bare pod unless force (kubectl unreplicatedFilter)', () => {
    const bare = workload({ name: 'solo', kind: 'Pod', template: podTemplate({ labels: { app: 'solo' }, cpuMilli: 3500 }) });
    const mk = (force: boolean) =>
      scenario({
        horizonS: 1000,
        nodePools: [nodePool({ name: 'general', count: 1 })],
        workloads: [bare],
        disruptions: [drain({ atS: 100, force })],
      });
    const refused = run(mk(false));
    expect(refused.events('pod-deleted')).toEqual([]);
    expect(refused.events('drain-end')).toEqual(['100 general-0 failed']);
    const forced = run(mk(true));
    // No controller: the bare pod is deleted and never replaced; gone after its 30 s grace.
    expect(forced.events('pod-deleted')).toEqual(['100 general-0 solo eviction']);
    expect(forced.events('drain-end')).toEqual(['130 general-0 completed']);
    expect(forced.events('pod-created')).toHaveLength(1);
  });

  it('deletes a not-Ready pod without budget when the budget is met (IfHealthyBudget), and not otherwise', () => {
    // 3 pods, maxUnavailable 1 -> desired 2. At 100 pods are still starting (startup 500 s):
    // healthy 0 < desired 2, so a not-Ready pod goes to checkAndDecrement: allowed 0 -> 429.
    const s = scenario({
      horizonS: 2000,
      nodePools: [nodePool({ name: 'general', count: 3 })],
      workloads: [web(3, 500)],
      pdbs: [pdb({ name: 'web', app: 'web', maxUnavailable: { kind: 'int', value: 1 } })],
      disruptions: [drain({ atS: 100, target: { pools: [], names: ['general-0'] } })],
    });
    const r = run(s);
    // Refused every 5 s from 100 to 495; at 500 all three pods became Ready just before the
    // retry at 500 (scheduled earlier): allowed 1 -> evicted at 500.
    expect(r.events('pod-deleted')).toEqual([expect.stringMatching(/^500 general-0 web-\d eviction$/)]);
    expect(r.metric('cluster', 'evictions_refused')).toBe(80); // 100, 105, ..., 495
    // AlwaysAllow deletes the starting pod at once.
    s.pdbs[0]!.unhealthyPodEvictionPolicy = 'AlwaysAllow';
    const r2 = run(s);
    expect(r2.events('pod-deleted')).toEqual([expect.stringMatching(/^100 general-0 web-\d eviction$/)]);
    expect(r2.metric('cluster', 'evictions_refused')).toBe(0);
  });

  it('leaves DaemonSet pods on the node and still completes the drain', () => {
    const ds = workload({ name: 'agent', kind: 'DaemonSet', template: podTemplate({ labels: { app: 'agent' } }) });
    const s = scenario({
      horizonS: 1000,
      nodePools: [nodePool({ name: 'general', count: 2 })],
      workloads: [ds, web(2)],
      disruptions: [drain({ atS: 100, target: { pools: [], names: ['general-0'] } })],
    });
    const r = run(s);
    expect(r.events('pod-deleted').every((e) => e.includes('web-'))).toBe(true);
    expect(r.events('drain-end')).toEqual(['130 general-0 completed']);
    expect(r.metric('agent', 'ready_mean')).toBe(2);
  });
});

describe('node lifecycle: zone disruption', () => {
  it('does not taint-evict in a fully disrupted zone (ComputeZoneState FullDisruption)', () => {
    // Zone a has one node and zone b two. Crashing the only node of zone a leaves zone a with
    // 0 Ready -> FullDisruption -> limiter 0: no NoExecute taint, no eviction.
    const s = scenario({
      horizonS: 2000,
      nodePools: [nodePool({ name: 'general', count: 3, zones: ['a', 'b', 'b'] })],
      workloads: [web(3)],
      failures: [nodeCrash({ target: { pools: [], names: ['general-0'] }, atS: 100, repair: { dist: 'fixed', value: 1000 } })],
    });
    const r = run(s);
    expect(r.events('node-not-ready')).toEqual(['150 general-0']);
    expect(r.events('taint-noexecute')).toEqual([]);
    expect(r.metric('web', 'evictions')).toBe(0);
  });

  it('rate-limits NoExecute taints to 0.1 nodes/s per zone (first token at once)', () => {
    // 10 nodes in one zone; 2 crash at 100 -> notReady 2 (not > 2): Normal, 0.1/s.
    // Both Unknown at 150; taints at 150 and 160.
    const s = scenario({
      horizonS: 2000,
      nodePools: [nodePool({ name: 'general', count: 10 })],
      workloads: [web(10)],
      failures: [nodeCrash({ target: { pools: [], names: ['general-0', 'general-1'] }, atS: 100, repair: { dist: 'fixed', value: 1000 } })],
    });
    const r = run(s);
    expect(r.events('taint-noexecute')).toEqual(['150 general-0', '160 general-1']);
    // Evictions 300 s after each taint.
    expect(r.events('pod-deleted').map((e) => e.split(' ')[0])).toEqual(['450', '460']);
  });
});
