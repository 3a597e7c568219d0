// cluster-autoscaler worked by hand. Nodes: 4 cpu (4000m) each; pods 1000m unless stated, so a
// node holds 4. Scans at 10, 20, 30, ... s (--scan-interval 10s).
import { describe, expect, it } from 'vitest';
import { clusterAutoscaler, nodeCrash, nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import type { ClusterAutoscaler, NodePool, Workload } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

const times = (lines: string[]) => lines.map((l) => Number(l.split(' ')[0]));

function cluster(opts: { pools?: NodePool[]; workloads: Workload[]; ca: Partial<ClusterAutoscaler> & { max: number }; horizonS?: number; failures?: Parameters<typeof scenario>[0]['failures'] }) {
  return scenario({
    horizonS: opts.horizonS ?? 3600,
    nodePools: opts.pools ?? [nodePool({ name: 'general', count: 2, provisioningTimeS: 180 })],
    workloads: opts.workloads,
    failures: opts.failures ?? [],
    autoscaling: { cluster: clusterAutoscaler({ pools: [0], ...opts.ca }) },
  });
}

const web = (replicas: number, cpuMilli = 1000, extra: Partial<Parameters<typeof podTemplate>[0]> = {}) =>
  workload({ name: 'web', replicas, template: podTemplate({ labels: { app: 'web' }, cpuMilli, ...extra }) });

describe('cluster-autoscaler scale-up', () => {
  it('adds a node after the scan and the provisioning time; the pending pods bind on it', () => {
    const r = run(cluster({ workloads: [web(10)], ca: { max: 5 } }));
    // t=0: 8 pods fill the 2 nodes, 2 are unschedulable.
    // t=10 (first scan): binpack 2 x 1000m on a 4000m template -> 1 node.
    // t=190 = 10 + 180 (provisioningTime): general-2 joins; both pods bind at once.
    expect(r.events('scale-up')).toEqual(['10 general +1 for 2 pods']);
    expect(r.events('node-added')).toEqual(['190 general-2']);
    expect(times(r.events('pod-bound').filter((e) => e.includes('general-2')))).toEqual([190, 190]);
    expect(r.metric('cluster', 'nodes_added')).toBe(1);
    expect(r.metric('general', 'nodes_added')).toBe(1); // per pool too
    // general-2 holds 2000m / 4000m = 0.5: not below 0.5, never unneeded.
    expect(r.metric('cluster', 'nodes_removed')).toBe(0);
    // sched latency: 8 pods at 0 s and 2 at 190 s; p99 (type 7) = 190
    expect(r.metric('web', 'sched_latency_p99_s')).toBe(190);
  });

  it('binpacks: 9 pending pods of 1500m need 5 nodes (2 per node), capped by max', () => {
    // 2 nodes hold 2 pods each (3000m of 4000m): 13 - 4 = 9 pending.
    const uncapped = run(cluster({ workloads: [web(13, 1500)], ca: { max: 10 } }));
    expect(uncapped.events('scale-up')).toEqual(['10 general +5 for 9 pods']); // ceil(9 / 2) = 5
    // max 4: room 4 - 2 = 2 nodes for 4 pods; 5 pods stay pending, and the pool is full.
    const capped = run(cluster({ workloads: [web(13, 1500)], ca: { max: 4 } }));
    expect(capped.events('scale-up')).toEqual(['10 general +2 for 4 pods']);
    expect(capped.metric('cluster', 'nodes_added')).toBe(2);
  });

  it('a pod no template node can host (nodeSelector) does not scale up; pods on upcoming nodes are not counted twice', () => {
    const sel = run(cluster({ workloads: [web(10, 1000, { nodeSelector: { disk: 'ssd' } })], ca: { max: 5 } }));
    expect(sel.events('scale-up')).toEqual([]);
    // Scans at 20..180 see the same 2 pending pods, already covered by the node ordered at 10.
    const once = run(cluster({ workloads: [web(10)], ca: { max: 5 } }));
    expect(once.events('scale-up')).toHaveLength(1);
  });

  it('node-crash entries also hit nodes added at run time', () => {
    const r = run(cluster({ workloads: [web(10)], ca: { max: 5 }, failures: [nodeCrash({ target: { pools: ['general'], names: [] }, atS: 300, repair: { dist: 'fixed', value: 60 } })] }));
    // general-2 joins at 190, before the one-off crash at 300: all three nodes crash.
    expect(r.events('node-crash')).toEqual(['300 general-0', '300 general-1', '300 general-2']);
  });
});

describe('cluster-autoscaler scale-down', () => {
  it('removes a node below the threshold after scaleDownDelay, draining it first', () => {
    // 3 nodes, 5 pods: LeastAllocated spreads them 2, 2, 1; the node with 1 pod is at
    // 1000 / 4000 = 0.25 < 0.5 and its pod fits on the others (2000m free each).
    // Unneeded from the first scan (10); removal at the first scan with now - 10 >= 600: 610.
    // Its pod is evicted at 610, its replacement binds elsewhere, the old pod is gone after
    // its 30 s grace period (640); the drain sees it gone and the node is deleted.
    const r = run(cluster({ pools: [nodePool({ name: 'general', count: 3 })], workloads: [web(5)], ca: { max: 5 } }));
    const [down] = r.events('scale-down');
    expect(down!.split(' ')[0]).toBe('610');
    const node = down!.split(' ')[1]!;
    expect(r.events('node-deleted')).toEqual([`640 ${node}`]);
    expect(r.metric('cluster', 'nodes_removed')).toBe(1);
    expect(r.metric('web', 'evictions')).toBe(1);
    // The removal is a drain: it completes when the pod is gone, 640 - 610 = 30 s.
    expect(r.metric('cluster', 'drains_completed')).toBe(1);
    expect(r.metric('cluster', 'drain_duration_max_s')).toBe(30);
  });

  it('respects min, and a pod with no controller blocks', () => {
    const atMin = run(cluster({ pools: [nodePool({ name: 'general', count: 3 })], workloads: [web(5)], ca: { min: 3, max: 5 } }));
    expect(atMin.events('scale-down')).toEqual([]);
    // 2 nodes, web 1 pod + a bare Pod `debug`: LeastAllocated puts them on different nodes,
    // each at 1000 / 4000 = 0.25. web's node can be emptied onto debug's (removed at 610);
    // debug's node never (no controller), even after web's pod moved in (0.5, not below 0.5).
    const bare = run(
      cluster({
        pools: [nodePool({ name: 'general', count: 2 })],
        workloads: [web(1), workload({ name: 'debug', kind: 'Pod', template: podTemplate({ labels: { app: 'debug' }, cpuMilli: 1000 }) })],
        ca: { max: 5 },
      }),
    );
    const debugNode = bare.events('pod-bound').find((e) => e.includes('debug'))!.split(' ')[1]!;
    const downs = bare.events('scale-down');
    expect(times(downs)).toEqual([610]);
    expect(downs[0]!.split(' ')[1]).not.toBe(debugNode);
    expect(bare.metric('debug', 'evictions')).toBe(0);
  });

  it('pauses removals for scaleDownDelayAfterAdd after a scale-up; unneeded time still counts', () => {
    // As above (a node at 0.25 unneeded from 10), plus 3 pods of 4000m that fit nowhere:
    // scale-up at 10 (+3 nodes, which join at 190 full). With scaleDownDelayAfterAdd 1200 the
    // removal due at 610 waits for the first scan at or after 10 + 1200: 1210.
    const big = workload({ name: 'big', replicas: 3, template: podTemplate({ labels: { app: 'big' }, cpuMilli: 4000 }) });
    const pools = [nodePool({ name: 'general', count: 3, provisioningTimeS: 180 })];
    const r = run(cluster({ pools, workloads: [web(5), big], ca: { max: 10, scaleDownDelayAfterAddS: 1200 } }));
    expect(r.events('scale-up')).toEqual(['10 general +3 for 3 pods']);
    expect(times(r.events('scale-down'))).toEqual([1210]);
    // With the default 600 s the cooldown ends at 610, when the node is due anyway.
    const d = run(cluster({ pools, workloads: [web(5), big], ca: { max: 10 } }));
    expect(times(d.events('scale-down'))).toEqual([610]);
  });
});
