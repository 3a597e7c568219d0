// Deployment rollouts worked by hand (reference section 3; kube: rolloutRolling,
// reconcileNewReplicaSet, reconcileOldReplicaSets, ResolveFenceposts, rolloutRecreate).
import { describe, expect, it } from 'vitest';
import { nodePool, podTemplate, rollout, scenario, workload } from '../../src/bench/synthetic.js';
import { resolveFenceposts } from '../../src/sim/controllers/workloads.js';
import type { IntOrPercent, RollingUpdateStrategy } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

const int = (value: number): IntOrPercent => ({ kind: 'int', value });
const pct = (value: number): IntOrPercent => ({ kind: 'percent', value });
const rolling = (maxSurge: IntOrPercent, maxUnavailable: IntOrPercent): RollingUpdateStrategy => ({ type: 'RollingUpdate', maxSurge, maxUnavailable });

describe('resolveFenceposts', () => {
  it.each([
    // [maxSurge, maxUnavailable, replicas, surge, unavailable, arithmetic]
    [pct(25), pct(25), 10, 3, 2, 'ceil(2.5) = 3, floor(2.5) = 2'],
    [pct(25), pct(25), 1, 1, 0, 'ceil(0.25) = 1, floor(0.25) = 0'],
    [pct(0), pct(0), 5, 0, 1, 'both 0 -> unavailable forced to 1'],
    [int(0), pct(10), 5, 0, 1, 'floor(0.5) = 0 and surge 0 -> 1'],
    [int(2), int(1), 5, 2, 1, 'ints as given'],
  ] as const)('surge %o unavailable %o of %i -> %i / %i', (s, u, replicas, surge, unavailable) => {
    expect(resolveFenceposts({ replicas, strategy: rolling(s, u) })).toEqual({ maxSurge: surge, maxUnavailable: unavailable });
  });
});

function web(strategy: RollingUpdateStrategy, replicas: number) {
  return scenario({
    horizonS: 1000,
    nodePools: [nodePool({ name: 'general', count: 3 })],
    workloads: [
      workload({
        name: 'web',
        replicas,
        strategy,
        minReady: int(replicas),
        template: podTemplate({ labels: { app: 'web' }, cpuMilli: 500 }),
        behavior: { startup: { dist: 'fixed', value: 10 } },
      }),
    ],
    disruptions: [rollout('Deployment/web', 100)],
  });
}

describe('rolling update', () => {
  it('maxSurge 1, maxUnavailable 0: one new pod at a time, never below 4 Ready', () => {
    const r = run(web(rolling(int(1), int(0)), 4));
    // 100: new RS 0 -> 1 (maxTotal 5, current 4). 110: new pod available -> maxScaledDown =
    // 5 - 4 - 0 = 1: old 4 -> 3 (one old pod deleted), then new 1 -> 2. Same at 120, 130;
    // at 140 the fourth new pod is available, old 1 -> 0: complete at 140.
    const created = r.events('pod-created').map((e) => e.split(' ')[0]);
    expect(created).toEqual(['0', '0', '0', '0', '100', '110', '120', '130']);
    const deleted = r.events('pod-deleted').map((e) => e.split(' ')[0]);
    expect(deleted).toEqual(['110', '120', '130', '140']);
    expect(r.events('rollout-complete')).toEqual(['140 revision 2']);
    expect(r.metric('web', 'rollout_duration_max_s')).toBe(40);
    expect(r.metric('web', 'downtime_s')).toBe(10); // startup only
  });

  it('maxSurge 25%, maxUnavailable 25% of 10: old pods go in the same instant the new ReplicaSet grows', () => {
    const r = run(web(rolling(pct(25), pct(25)), 10));
    // surge ceil(2.5) = 3, unavailable floor(2.5) = 2: maxTotal 13, minAvailable 8. Each scaling
    // re-enqueues the Deployment (kube: updateReplicaSet), synced at once:
    // 100: new 0 -> 3; sync: maxScaledDown = 13 - 8 - 3 = 2, available 10 > 8: old 10 -> 8 (2
    //      deleted); sync: current 11 < 13: new 3 -> 5; sync: 13 - 8 - 5 = 0, nothing.
    // 110: the 5 new pods become available one at a time; each: maxScaledDown 1, available 9 > 8:
    //      old -1, then new +1: old 3, new 10 (5 deleted, 5 created).
    // 120: three of the last five available: old 3 -> 0, one each; the tenth is available: complete.
    const at = (event: string) => r.events(event).map((e) => e.split(' ')[0]);
    expect(at('pod-created')).toEqual([...Array(10).fill('0'), ...Array(5).fill('100'), ...Array(5).fill('110')]);
    expect(at('pod-deleted')).toEqual([...Array(2).fill('100'), ...Array(5).fill('110'), ...Array(3).fill('120')]);
    expect(r.events('rollout-complete')).toEqual(['120 revision 2']);
    expect(r.metric('web', 'rollout_duration_max_s')).toBe(20);
  });

  it('maxSurge 0, maxUnavailable 1: delete first, then replace', () => {
    const r = run(web(rolling(int(0), int(1)), 3));
    // 100: newRS 0, current 3 = maxTotal 3: no scale-up. Old: all 3, minAvailable 2,
    // newRSUnavailable 0 -> maxScaledDown 1; available 3 > 2 -> old 3 -> 2 (one deleted); then
    // newRS 0 -> 1 (current 2 < 3). 110 new pod available: old 2 -> 1, new 1 -> 2; 120: old 1 -> 0,
    // new -> 3; complete at 130.
    expect(r.events('pod-deleted').map((e) => e.split(' ')[0])).toEqual(['100', '110', '120']);
    expect(r.events('rollout-complete')).toEqual(['130 revision 2']);
    // minReady 3: down 100..130 (one pod short throughout), plus startup.
    expect(r.metric('web', 'downtime_s')).toBe(10 + 30);
  });

  it('Recreate: old pods gone before any new pod is created', () => {
    const r = run(web({ type: 'Recreate', maxSurge: int(0), maxUnavailable: int(0) }, 3));
    // 100: all 3 old pods deleted; gone at 130 (30 s grace); new RS -> 3 at 130; Ready at 140.
    expect(r.events('pod-deleted').map((e) => e.split(' ')[0])).toEqual(['100', '100', '100']);
    expect(r.events('pod-created').map((e) => e.split(' ')[0])).toEqual(['0', '0', '0', '130', '130', '130']);
    expect(r.events('rollout-complete')).toEqual(['140 revision 2']);
    expect(r.metric('web', 'downtime_s')).toBe(10 + 40);
  });
});
