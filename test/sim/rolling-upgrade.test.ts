// rolling-node-upgrade worked by hand: cordon, PDB-gated drain, reimage, next node.
import { describe, expect, it } from 'vitest';
import { nodePool, pdb, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import type { Disruption, IntOrPercent } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

const int = (value: number): IntOrPercent => ({ kind: 'int', value });

function cluster(upgrade: Partial<Extract<Disruption, { type: 'rolling-node-upgrade' }>>, minAvailable = 3) {
  return scenario({
    horizonS: 5000,
    nodePools: [nodePool({ name: 'general', count: 4 })],
    workloads: [
      workload({
        name: 'web',
        replicas: 4,
        template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }),
        behavior: { startup: { dist: 'fixed', value: 10 } },
      }),
    ],
    pdbs: [pdb({ name: 'web', app: 'web', minAvailable: int(minAvailable) })],
    disruptions: [
      {
        type: 'rolling-node-upgrade',
        target: { pools: ['general'], names: [] },
        atS: 100,
        maxUnavailable: int(1),
        drainTimeoutS: null,
        onDrainTimeout: 'force',
        reimageS: 100,
        source: { file: '', line: 1, col: 1 },
        ...upgrade,
      },
    ],
  });
}

describe('rolling-node-upgrade', () => {
  it('one node at a time: 30 s drain (grace period) + 100 s reimage per node', () => {
    const r = run(cluster({}));
    // general-0: drain 100..130 (evicted pod's replacement lands on general-2), reimage
    // 130..230; general-1: 230..260, reimage ..360. general-2 now holds two pods: the first is
    // evicted at 360 (allowed 1 -> 0), the second gets 429 at 360 and 365 and is evicted at 370
    // once the first replacement is Ready; gone at 400; reimage ..500. general-3: 500..530..630.
    expect(r.events('drain-start').map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual([
      '100 general-0',
      '230 general-1',
      '360 general-2',
      '500 general-3',
    ]);
    expect(r.events('reimaged').map((e) => e.split(' ')[0])).toEqual(['230', '360', '500', '630']);
    expect(r.metric('cluster', 'upgrade_duration_s')).toBe(530);
    expect(r.metric('cluster', 'drains_completed')).toBe(4);
    expect(r.metric('cluster', 'evictions_refused')).toBe(2);
  });

  it('at drainTimeout, force deletes the blocked pods and reimages', () => {
    // minAvailable 4 of 4: every eviction is refused (429 every 5 s) until the 60 s timeout.
    const r = run(cluster({ drainTimeoutS: 60 }, 4));
    expect(r.events('drain-end').map((e) => e.split(' ').slice(0, 3).join(' '))[0]).toBe('160 general-0 timed-out');
    expect(r.events('pod-deleted')[0]).toMatch(/^160 general-0 web-\d eviction$/);
    expect(r.metric('cluster', 'drains_timed_out')).toBe(4);
    // Per node: 60 s timeout + 100 s reimage.
    expect(r.metric('cluster', 'upgrade_duration_s')).toBe(4 * 160);
  });

  it('at drainTimeout, skip uncordons and leaves the node', () => {
    const r = run(cluster({ drainTimeoutS: 60, onDrainTimeout: 'skip' }, 4));
    expect(r.events('reimage')).toEqual([]);
    expect(r.metric('cluster', 'upgrade_nodes_skipped')).toBe(4);
    expect(r.metric('cluster', 'upgrade_duration_s')).toBe(4 * 60);
    expect(r.metric('web', 'evictions')).toBe(0);
  });

  it('maxUnavailable 2 drains two nodes at once', () => {
    const r = run(cluster({ maxUnavailable: int(2) }));
    expect(r.events('drain-start').map((e) => e.split(' ').slice(0, 2).join(' ')).slice(0, 2)).toEqual(['100 general-0', '100 general-1']);
  });
});
