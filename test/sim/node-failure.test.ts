// Node failure timeline worked by hand (reference section 5, idealised cluster):
// crash at t -> pods stop serving at t -> Ready=Unknown and NoSchedule taint at t + 50 s
// (nodeMonitorGracePeriod, v1.32+) -> NoExecute taint at once (first token of the zone's
// limiter) -> taint eviction at t + 50 + 300 s (DefaultTolerationSeconds) -> replacement
// created at once, scheduled, Ready after its startup time.
import { describe, expect, it } from 'vitest';
import { drain, nodeCrash, nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import { run } from '../support/sim.js';

function cluster(crashAt: number, repairS: number) {
  return scenario({
    horizonS: 10_000,
    nodePools: [nodePool({ name: 'general', count: 3 })],
    workloads: [
      workload({
        name: 'web',
        replicas: 3,
        minReady: { kind: 'int', value: 3 },
        template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }),
        behavior: { startup: { dist: 'fixed', value: 10 } },
      }),
    ],
    failures: [nodeCrash({ target: { pools: [], names: ['general-0'] }, atS: crashAt, repair: { dist: 'fixed', value: repairS } })],
  });
}

describe('node crash and taint-based eviction', () => {
  it('evicts the pod 50 s + 300 s after the crash and replaces it elsewhere', () => {
    const r = run(cluster(1000, 3600));
    expect(r.events('node-crash')).toEqual(['1000 general-0']);
    expect(r.events('node-not-ready')).toEqual(['1050 general-0']);
    expect(r.events('taint-noexecute')).toEqual(['1050 general-0']);
    // One pod per node: LeastAllocated spreads 3 identical pods over 3 empty nodes.
    const deleted = r.events('pod-deleted');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatch(/^1350 general-0 web-\d taint-eviction$/);
    // The replacement (ordinal 3) is bound at 1350 on a live node and Ready at 1360.
    const bound = r.events('pod-bound').filter((e) => e.includes('web-3'));
    expect(bound).toHaveLength(1);
    expect(bound[0]).toMatch(/^1350 general-[12] web-3$/);
    expect(r.events('pod-ready').filter((e) => e.includes('web-3'))).toEqual([expect.stringMatching(/^1360 general-[12] web-3$/)]);
    // Web needs 3 Ready pods: down from 0 to 10 (startup) and from 1000 to 1360.
    expect(r.metric('web', 'downtime_s')).toBe(10 + 360);
    expect(r.metric('web', 'outages')).toBe(2);
    expect(r.metric('web', 'availability')).toBeCloseTo(1 - 370 / 10_000, 12);
    expect(r.metric('web', 'evictions')).toBe(1);
    expect(r.metric('web', 'pod_failures')).toBe(1);
    // The terminating pod stays on the dead node until it returns at 4600, then is gone.
    expect(r.events('pod-gone')).toEqual([expect.stringMatching(/^4600 general-0 web-\d$/)]);
    expect(r.metric('cluster', 'node_failures')).toBe(1);
    // nodes ready: 3 except 1000..4600 -> (3*10000 - 3600) / 10000 = 2.64
    expect(r.metric('cluster', 'nodes_ready_mean')).toBeCloseTo(2.64, 12);
  });

  it('keeps the pod when the node returns before the eviction: containers restart', () => {
    const r = run(cluster(1000, 100));
    expect(r.events('pod-deleted')).toEqual([]);
    expect(r.events('node-not-ready')).toEqual(['1050 general-0']);
    expect(r.events('node-ready')).toEqual(['1100 general-0']);
    // Restarted container Ready at 1100 + 10.
    expect(r.events('pod-ready').filter((e) => e.startsWith('1110'))).toHaveLength(1);
    expect(r.metric('web', 'downtime_s')).toBe(10 + 110);
    expect(r.metric('web', 'evictions')).toBe(0);
  });

  it('does not evict when the node returns before the grace period ends', () => {
    const r = run(cluster(1000, 30));
    expect(r.events('node-not-ready')).toEqual([]);
    expect(r.events('taint-noexecute')).toEqual([]);
    expect(r.metric('web', 'downtime_s')).toBe(10 + 40);
  });
});

describe('drain through a PodDisruptionBudget', () => {
  it('drains one node: evict, replace, wait for termination (30 s grace), 1 s polling', () => {
    const s = cluster(1e9, 1);
    s.failures = [];
    s.pdbs = [
      { name: 'web', namespace: 'default', selector: { matchLabels: { app: 'web' }, matchExpressions: [] }, minAvailable: { kind: 'int', value: 2 }, maxUnavailable: null, unhealthyPodEvictionPolicy: 'IfHealthyBudget', source: { file: '', line: 1, col: 1 } },
    ];
    s.disruptions = [drain({ atS: 100, target: { pools: [], names: ['general-0'] } })];
    const r = run(s);
    // healthy 3, desired 2 -> disruptionsAllowed 1: evicted at 100, gone at 130, seen at 130.
    expect(r.events('drain-start')).toEqual(['100 general-0 entry 0']);
    expect(r.events('pod-deleted')).toEqual([expect.stringMatching(/^100 general-0 web-\d eviction$/)]);
    expect(r.events('drain-end')).toEqual(['130 general-0 completed']);
    expect(r.metric('cluster', 'drains_completed')).toBe(1);
    expect(r.metric('cluster', 'drain_duration_max_s')).toBe(30);
    expect(r.metric('cluster', 'evictions_refused')).toBe(0);
    // The replacement cannot go to the cordoned node.
    expect(r.events('pod-bound').filter((e) => e.startsWith('100 '))).toEqual([expect.stringMatching(/^100 general-[12] web-3$/)]);
    // Web (minReady 3) is down from 100 until the replacement is Ready at 110, plus startup.
    expect(r.metric('web', 'downtime_s')).toBe(10 + 10);
    // PDB: 2 healthy >= 2 desired throughout the drain -> no violation after startup (0..10).
    expect(r.metric('web', 'pdb_violation_s')).toBe(10);
  });

  it('drains two nodes at once: the second eviction gets 429 and is retried every 5 s', () => {
    const s = cluster(1e9, 1);
    s.failures = [];
    s.pdbs = [
      { name: 'web', namespace: 'default', selector: { matchLabels: { app: 'web' }, matchExpressions: [] }, minAvailable: { kind: 'int', value: 2 }, maxUnavailable: null, unhealthyPodEvictionPolicy: 'IfHealthyBudget', source: { file: '', line: 1, col: 1 } },
    ];
    s.disruptions = [drain({ atS: 100, target: { pools: [], names: ['general-0', 'general-1'] } })];
    const r = run(s);
    // t=100: pod A evicted (allowed 1 -> 0); pod B gets 429, retry at 105 (still 0: 429), at 110
    // A's replacement (on general-2) became Ready just before -> allowed 1 -> B evicted.
    // A gone at 130 (drain 0 done, 30 s); B gone at 140 (drain 1 done, 40 s).
    const deleted = r.events('pod-deleted');
    expect(deleted).toEqual([
      expect.stringMatching(/^100 general-0 web-\d eviction$/),
      expect.stringMatching(/^110 general-1 web-\d eviction$/),
    ]);
    expect(r.events('drain-end')).toEqual(['130 general-0 completed', '140 general-1 completed']);
    expect(r.metric('cluster', 'evictions_refused')).toBe(2);
    expect(r.metric('cluster', 'drain_duration_p50_s')).toBe(35);
    expect(r.metric('cluster', 'drain_duration_max_s')).toBe(40);
  });
});

describe('scheduling queue', () => {
  it('keeps a pod that fits nowhere pending and binds it when the cluster changes', () => {
    // 2 nodes of 4 cpu, 2 pods of 3 cpu: one per node. Draining general-1 leaves its
    // replacement nowhere to go until the node is uncordoned.
    const s = scenario({
      horizonS: 1000,
      nodePools: [nodePool({ name: 'general', count: 2 })],
      workloads: [
        workload({
          name: 'web',
          replicas: 2,
          template: podTemplate({ labels: { app: 'web' }, cpuMilli: 3000 }),
          behavior: { startup: { dist: 'fixed', value: 5 } },
        }),
      ],
      disruptions: [drain({ atS: 100, target: { pools: [], names: ['general-1'] }, uncordonAfterS: 60 })],
    });
    const r = run(s);
    // The evicted pod's replacement (web-2) cannot fit on general-0 (3 + 3 > 4 cpu) nor on the
    // cordoned general-1: pending from 100. Drain done at 130 (30 s grace), uncordon at 190:
    // the queue retries on that event and binds web-2 to general-1 at 190.
    expect(r.events('pod-bound').filter((e) => e.includes('web-2'))).toEqual(['190 general-1 web-2']);
    expect(r.metric('cluster', 'pending_pod_s')).toBe(90);
    expect(r.metric('cluster', 'pods_pending_max')).toBe(1);
    // Attempts: 100 fails; 130 (the old pod gone: a cluster event) fails; 190 binds.
    expect(r.metric('cluster', 'unschedulable_attempts')).toBe(2);
    // Scheduling latencies: 0 s, 0 s (t=0) and 90 s -> p99 of [0, 0, 90] = 0 + 0.98 * 90 (type 7)
    expect(r.metric('web', 'sched_latency_p99_s')).toBeCloseTo(88.2, 9);
  });
});

describe('node lifecycle on large clusters', () => {
  it('taint-evicts pods of any node index (regression: per-node arrays were sized before nodes existed)', () => {
    const s = scenario({
      horizonS: 5000,
      nodePools: [nodePool({ name: 'general', count: 40 })],
      workloads: [workload({ name: 'web', replicas: 40, template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }) })],
      failures: [nodeCrash({ target: { pools: [], names: ['general-37'] }, atS: 1000, repair: { dist: 'fixed', value: 3600 } })],
    });
    const r = run(s);
    expect(r.events('taint-noexecute')).toEqual(['1050 general-37']);
    expect(r.events('pod-deleted')).toEqual([expect.stringMatching(/^1350 general-37 web-\d+ taint-eviction$/)]);
  });
});
