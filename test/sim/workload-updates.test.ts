// StatefulSet and DaemonSet updates triggered by a `rollout` disruption, worked by hand.
// Every pod starts in 10 s and terminates in 5 s; the rollout is at t = 100, when every pod
// has been Ready since t <= 30.
import { describe, expect, it } from 'vitest';
import { nodePool, podTemplate, rollout, scenario, workload } from '../../src/bench/synthetic.js';
import type { IntOrPercent, StatefulSetSpec } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

const times = (lines: string[]) => lines.map((l) => Number(l.split(' ')[0]));
const behavior = { startup: { dist: 'fixed' as const, value: 10 }, shutdownS: 5 };

function sts(updateStrategy: StatefulSetSpec['updateStrategy']) {
  return scenario({
    horizonS: 1000,
    nodePools: [nodePool({ name: 'general', count: 3 })],
    workloads: [
      workload({
        name: 'db',
        kind: 'StatefulSet',
        replicas: 3,
        statefulSet: { podManagementPolicy: 'OrderedReady', updateStrategy },
        template: podTemplate({ labels: { app: 'db' } }),
        behavior,
      }),
    ],
    disruptions: [rollout('StatefulSet/db', 100)],
  });
}

const int = (value: number): IntOrPercent => ({ kind: 'int', value });

describe('StatefulSet rolling update (updateStatefulSet)', () => {
  it('replaces pods one at a time in reverse ordinal order, each after its successor is Ready', () => {
    const r = run(sts({ type: 'RollingUpdate', partition: 0, maxUnavailable: int(1) }));
    // 100 delete db-2; gone 105, recreated; Ready 115 -> delete db-1; gone 120; Ready 130 ->
    // delete db-0; gone 135; Ready 145: complete, 45 s.
    const deleted = r.events('pod-deleted').filter((e) => Number(e.split(' ')[0]) >= 100);
    expect(deleted.map((e) => `${e.split(' ')[0]} ${e.split(' ')[2]}`)).toEqual(['100 db-2', '115 db-1', '130 db-0']);
    expect(times(r.events('rollout-complete'))).toEqual([145]);
    expect(r.metric('db', 'rollout_duration_max_s')).toBe(45);
  });

  it('partition 1 leaves db-0 at the old revision', () => {
    const r = run(sts({ type: 'RollingUpdate', partition: 1, maxUnavailable: int(1) }));
    expect(times(r.events('pod-deleted'))).toEqual([100, 115]);
    expect(r.metric('db', 'rollout_duration_max_s')).toBe(30);
  });

  it('maxUnavailable 2 (MaxUnavailableStatefulSet) replaces db-2 and db-1 together', () => {
    const r = run(sts({ type: 'RollingUpdate', partition: 0, maxUnavailable: int(2) }));
    // 100: db-2, db-1 deleted; gone 105. OrderedReady recreates db-1 first (105, Ready 115),
    // then db-2 (115, Ready 125); 125: db-0 deleted; gone 130; Ready 140.
    expect(times(r.events('pod-deleted'))).toEqual([100, 100, 125]);
    expect(r.metric('db', 'rollout_duration_max_s')).toBe(40);
  });

  it('OnDelete deletes nothing', () => {
    const r = run(sts({ type: 'OnDelete', partition: 0, maxUnavailable: int(1) }));
    expect(r.events('pod-deleted')).toEqual([]);
    expect(r.metric('db', 'rollouts_completed')).toBe(0);
  });
});

function ds(maxSurge: number, maxUnavailable: number, type: 'RollingUpdate' | 'OnDelete' = 'RollingUpdate') {
  return scenario({
    horizonS: 1000,
    nodePools: [nodePool({ name: 'general', count: 3 })],
    workloads: [
      workload({
        name: 'agent',
        kind: 'DaemonSet',
        replicas: 0,
        strategy: { type, maxSurge: int(maxSurge), maxUnavailable: int(maxUnavailable) },
        template: podTemplate({ labels: { app: 'agent' } }),
        behavior,
      }),
    ],
    disruptions: [rollout('DaemonSet/agent', 100)],
  });
}

describe('DaemonSet rolling update (daemon/update.go rollingUpdate)', () => {
  it('maxUnavailable 1: one node at a time, the next once the new pod is available', () => {
    const r = run(ds(0, 1));
    // 100 delete on general-0 and its new pod created at once (beside the terminating one);
    // Ready 110 -> general-1 the same; Ready 120 -> general-2; Ready 130, and the last old pod
    // gone at 125: complete, 30 s.
    expect(r.events('pod-deleted').map((e) => `${e.split(' ')[0]} ${e.split(' ')[1]}`)).toEqual(['100 general-0', '110 general-1', '120 general-2']);
    expect(times(r.events('pod-created').filter((e) => !e.startsWith('0 ')))).toEqual([100, 110, 120]);
    expect(r.metric('agent', 'rollout_duration_max_s')).toBe(30);
  });

  it('maxUnavailable 2 (of 3 nodes) deletes two at once', () => {
    const r = run(ds(0, 2));
    // 100: general-0, general-1 deleted and replaced at once; Ready 110 -> general-2; Ready 120.
    expect(times(r.events('pod-deleted'))).toEqual([100, 100, 110]);
    expect(r.metric('agent', 'rollout_duration_max_s')).toBe(20);
  });

  it('maxSurge 1: the new pod starts beside the old one, which goes once the new is available', () => {
    const r = run(ds(1, 0));
    // 100 surge on general-0; Ready 110 -> old general-0 deleted, surge on general-1;
    // 120 -> old general-1 deleted, surge on general-2; 130 -> old general-2 deleted;
    // gone 135: complete (35 s). No node is ever without a Ready agent.
    expect(times(r.events('pod-created').filter((e) => !e.startsWith('0 ')))).toEqual([100, 110, 120]);
    expect(r.events('pod-deleted').map((e) => `${e.split(' ')[0]} ${e.split(' ')[1]}`)).toEqual(['110 general-0', '120 general-1', '130 general-2']);
    expect(r.metric('agent', 'rollout_duration_max_s')).toBe(35);
  });

  it('OnDelete replaces nothing', () => {
    const r = run(ds(0, 1, 'OnDelete'));
    expect(r.events('pod-deleted')).toEqual([]);
    expect(r.metric('agent', 'rollouts_completed')).toBe(0);
  });
});
