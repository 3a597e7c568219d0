// spot-interruption worked by hand: notice -> PDB-gated drain -> node deleted at the deadline
// -> replacement after provisioningTime.
import { describe, expect, it } from 'vitest';
import { nodePool, pdb, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import { run } from '../support/sim.js';

describe('spot-interruption', () => {
  it('drains on notice, deletes the node at the deadline and provisions a replacement', () => {
    const s = scenario({
      horizonS: 3000,
      nodePools: [nodePool({ name: 'spot', count: 1, provisioningTimeS: 60 }), nodePool({ name: 'ondemand', count: 1 })],
      workloads: [
        workload({
          name: 'web',
          replicas: 2,
          minReady: { kind: 'int', value: 2 },
          template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }),
          behavior: { startup: { dist: 'fixed', value: 10 } },
        }),
      ],
      pdbs: [pdb({ name: 'web', app: 'web', minAvailable: { kind: 'int', value: 1 } })],
      failures: [
        { type: 'spot-interruption', target: { pools: ['spot'], names: [] }, mtbf: { dist: 'fixed', value: 1000 }, noticeS: 120, source: { file: '', line: 1, col: 1 } },
      ],
    });
    const r = run(s);
    // 1000: notice on spot-0; its pod is evicted (allowed 1), replaced on ondemand-0, Ready 1010;
    // gone 1030 (drain done). 1120: deadline, spot-0 deleted. 1180: spot-1 joins. Its own notice
    // at 2180; nothing to drain; deleted 2300; spot-2 at 2360.
    expect(r.events('spot-notice')).toEqual(['1000 spot-0', '2180 spot-1']);
    expect(r.events('drain-end').map((e) => e.split(' ').slice(0, 3).join(' '))).toEqual(['1030 spot-0 completed', '2180 spot-1 completed']);
    expect(r.events('node-deleted')).toEqual(['1120 spot-0', '2300 spot-1']);
    expect(r.events('node-added')).toEqual(['1180 spot-1', '2360 spot-2']);
    expect(r.metric('cluster', 'nodes_removed')).toBe(2);
    expect(r.metric('cluster', 'nodes_added')).toBe(2);
    expect(r.metric('web', 'downtime_s')).toBe(10 + 10);
    // nodes ready: 2, minus spot between 1120..1180 and 2300..2360 -> (2*3000 - 120) / 3000
    expect(r.metric('cluster', 'nodes_ready_mean')).toBeCloseTo((2 * 3000 - 120) / 3000, 12);
  });

  it('deletes pods the PDB still protects when the deadline comes', () => {
    const s = scenario({
      horizonS: 2000,
      nodePools: [nodePool({ name: 'spot', count: 1, provisioningTimeS: 60 })],
      workloads: [workload({ name: 'web', replicas: 1, template: podTemplate({ labels: { app: 'web' } }), behavior: { startup: { dist: 'fixed', value: 10 } } })],
      pdbs: [pdb({ name: 'web', app: 'web', minAvailable: { kind: 'int', value: 1 } })],
      failures: [
        { type: 'spot-interruption', target: { pools: ['spot'], names: [] }, mtbf: { dist: 'fixed', value: 1000 }, noticeS: 120, source: { file: '', line: 1, col: 1 } },
      ],
    });
    const r = run(s);
    // 429 from 1000 every 5 s; at 1120 the drain times out and the node is gone with the pod.
    expect(r.events('pod-deleted')).toEqual([expect.stringMatching(/^1120 spot-0 web-0 node-deleted$/)]);
    // The replacement waits for a node: spot-1 at 1180, Ready 1190.
    expect(r.events('pod-bound').filter((e) => e.startsWith('1180'))).toEqual(['1180 spot-1 web-1']);
    expect(r.metric('cluster', 'drains_timed_out')).toBe(1);
  });
});
