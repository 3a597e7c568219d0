// Validation (issue #6): scheduling latency under a drain against a hand-worked timeline, seen
// three ways that must agree: the scheduling latencies, the pending-pod integral, and the
// timeseries of pending pods. (test/sim/node-failure.test.ts checks the same timeline's events.)
import { describe, expect, it } from 'vitest';
import { drain, nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import { run } from '../support/sim.js';

describe('scheduling latency under a drain', () => {
  it('a replacement that fits nowhere until the uncordon waits 90 s: latencies, pending_pod_s and the pending series agree', () => {
    // 2 nodes of 4 cpu; web: 4 pods of 1.5 cpu, 2 per node (3 of 4 cpu used), Ready 5 s after
    // binding. Drain general-1 at 100, uncordon 60 s after it completes: both its pods are
    // evicted at 100 (no PDB); their replacements fit nowhere (general-0 has 1 cpu free,
    // general-1 is cordoned); the evicted pods are gone at 130 (30 s grace), the drain completes
    // then, general-1 is uncordoned at 190 and both replacements bound there at 190.
    const s = scenario({
      horizonS: 300,
      nodePools: [nodePool({ name: 'general', count: 2 })],
      workloads: [
        workload({
          name: 'web',
          replicas: 4,
          template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1500 }),
          behavior: { startup: { dist: 'fixed', value: 5 } },
        }),
      ],
      disruptions: [drain({ atS: 100, target: { pools: [], names: ['general-1'] }, uncordonAfterS: 60 })],
      output: { timeseriesStepS: 10 },
    });
    const r = run(s);
    expect(r.events('drain-end')).toEqual(['130 general-1 completed']);
    expect(r.events('pod-bound').filter((e) => /web-[45]/.test(e)).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual(['190 general-1', '190 general-1']);
    // Latencies x = [0, 0, 0, 0, 90, 90] (type 7, h = 5q, 0-based): p50 at h = 2.5 -> x[2] +
    // 0.5 · (x[3] - x[2]) = 0; p99 at h = 4.95 -> x[4] + 0.95 · (x[5] - x[4]) = 90.
    expect(r.metric('web', 'sched_latency_p50_s')).toBe(0);
    expect(r.metric('web', 'sched_latency_p99_s')).toBe(90);
    // 2 pods pending for 90 s = 180 pod-seconds; the most at once 2.
    expect(r.metric('cluster', 'pending_pod_s')).toBe(180);
    expect(r.metric('cluster', 'pods_pending_max')).toBe(2);
    // The series, sampled every 10 s from 0 to 300 (31 samples): 2 pending at 100 ... 180, 0
    // from 190 (bound at that instant). Σ samples · step = 9 · 2 · 10 = 180 = pending_pod_s.
    const d = r.timeseries!;
    const k = d.keys.findIndex((x) => x.subject === 'web' && x.metric === 'pending');
    const pending = Array.from(d.timesS, (_, i) => d.values[i * d.keys.length + k]!);
    expect(pending).toEqual(Array.from(d.timesS, (t) => (t >= 100 && t < 190 ? 2 : 0)));
    expect(pending.reduce((a, b) => a + b, 0) * 10).toBe(180);
    const ready = d.keys.findIndex((x) => x.subject === 'web' && x.metric === 'ready');
    // Ready: 0 at t = 0 (startup 5 s), 4 until the evictions at 100, 2 until 195, then 4.
    expect(Array.from(d.timesS, (_, i) => d.values[i * d.keys.length + ready]!)).toEqual(
      Array.from(d.timesS, (t) => (t === 0 ? 0 : t >= 100 && t < 195 ? 2 : 4)),
    );
  });
});
