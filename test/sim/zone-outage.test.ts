// zone-outage: a fully disrupted zone gets no taint-based evictions (reference section 5,
// ComputeZoneState FullDisruption): its pods wait for the zone to come back.
import { describe, expect, it } from 'vitest';
import { nodeCrash, nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import { run } from '../support/sim.js';

describe('zone-outage', () => {
  it('takes every node of the zone down; no NoExecute taint, no eviction; pods restart on return', () => {
    const s = scenario({
      horizonS: 10_000,
      nodePools: [nodePool({ name: 'general', count: 6, zones: ['a', 'b', 'c'] })],
      workloads: [
        workload({
          name: 'web',
          replicas: 6,
          minReady: { kind: 'int', value: 6 },
          template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }),
          behavior: { startup: { dist: 'fixed', value: 10 } },
        }),
      ],
      failures: [{ type: 'zone-outage', zone: 'a', atS: 1000, durationS: 7200, source: { file: '', line: 1, col: 1 } }],
    });
    const r = run(s);
    // Zone a = general-0 and general-3 (round-robin over [a, b, c]).
    expect(r.events('zone-outage')).toEqual(['1000 general-0', '1000 general-3']);
    expect(r.events('node-not-ready')).toEqual(['1050 general-0', '1050 general-3']);
    expect(r.events('taint-noexecute')).toEqual([]);
    expect(r.events('pod-deleted')).toEqual([]);
    expect(r.events('zone-restored')).toEqual(['8200 general-0', '8200 general-3']);
    // 2 pods down 1000..8210 (back at 8200, Ready 10 s later); minReady 6 -> down the whole time.
    expect(r.metric('web', 'downtime_s')).toBe(10 + 7210);
    expect(r.metric('web', 'pod_failures')).toBe(2);
    expect(r.metric('cluster', 'node_failures')).toBe(2);
  });

  it('a node crashed inside an outage stays down until both have ended', () => {
    const s = scenario({
      horizonS: 10_000,
      nodePools: [nodePool({ name: 'general', count: 3, zones: ['a', 'b', 'c'] })],
      failures: [
        { type: 'zone-outage', zone: 'a', atS: 1000, durationS: 1000, source: { file: '', line: 1, col: 1 } },
        nodeCrash({ target: { pools: [], names: ['general-0'] }, atS: 500, repair: { dist: 'fixed', value: 2000 } }),
      ],
    });
    const r = run(s);
    // Crash at 500 (repair at 2500); the outage 1000..2000 adds a hold: up only at 2500.
    expect(r.events('node-repaired')).toEqual(['2500 general-0']);
    expect(r.events('zone-restored')).toEqual([]);
    expect(r.metric('cluster', 'nodes_ready_mean')).toBeCloseTo(3 - 2000 / 10_000, 12);
  });
});
