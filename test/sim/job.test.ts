// Job controller worked by hand (reference section 6.2).
import { describe, expect, it } from 'vitest';
import { jobBackoffS } from '../../src/sim/controllers/job.js';
import { nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import type { JobSpec } from '../../src/scenario/model.js';
import type { Behavior } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

describe('jobBackoffS (getRemainingTime)', () => {
  it('is 10 s doubling per failure since the last success, capped at 600 s', () => {
    // 10, 20, 40, 80, 160, 320, then min(640, 600) = 600
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(jobBackoffS)).toEqual([10, 20, 40, 80, 160, 320, 600, 600]);
  });
});

function job(spec: JobSpec, behavior: Partial<Behavior>) {
  return scenario({
    horizonS: 10_000,
    nodePools: [nodePool({ name: 'general', count: 2 })],
    workloads: [
      workload({
        name: 'batch',
        kind: 'Job',
        replicas: spec.parallelism,
        job: spec,
        template: podTemplate({ labels: { app: 'batch' }, restartPolicy: 'Never' }),
        behavior: { startup: { dist: 'fixed', value: 10 }, ...behavior },
      }),
    ],
  });
}

describe('Job', () => {
  it('runs completions in waves of parallelism', () => {
    const r = run(job({ completions: 4, parallelism: 2, backoffLimit: 6, activeDeadlineSeconds: null }, { runtime: { dist: 'fixed', value: 100 } }));
    // 0: 2 pods; Ready 10; succeed 110 -> 2 more; Ready 120; succeed 220 -> complete.
    expect(r.events('pod-created').map((e) => e.split(' ')[0])).toEqual(['0', '0', '110', '110']);
    expect(r.events('job-complete')).toEqual(['220']);
    expect(r.metric('batch', 'completions')).toBe(4);
    expect(r.metric('batch', 'job_duration_s')).toBe(220);
    expect(r.metric('batch', 'job_failed')).toBe(0);
  });

  it('backs off 10 s, 20 s after failures and fails on failure backoffLimit + 1', () => {
    const r = run(job({ completions: 1, parallelism: 1, backoffLimit: 2, activeDeadlineSeconds: null }, { crash: { dist: 'fixed', value: 5 }, runtime: { dist: 'fixed', value: 100 } }));
    // Each pod's container exits 5 s after it starts (restartPolicy Never: the pod fails).
    // 0 A, fails 5 -> wait 10 s -> 15 B, fails 20 -> wait 20 s -> 40 C, fails 45: 3 > 2 -> failed.
    expect(r.events('pod-created').map((e) => e.split(' ')[0])).toEqual(['0', '15', '40']);
    expect(r.events('pod-failed').map((e) => e.split(' ')[0])).toEqual(['5', '20', '45']);
    expect(r.events('job-failed')).toEqual(['45']);
    expect(r.metric('batch', 'job_failed')).toBe(1);
    expect(r.metric('batch', 'job_duration_s')).toBeNaN();
  });

  it('fails at activeDeadlineSeconds and deletes its active pods', () => {
    const r = run(job({ completions: 1, parallelism: 1, backoffLimit: 6, activeDeadlineSeconds: 60 }, { runtime: { dist: 'fixed', value: 100 } }));
    expect(r.events('job-failed')).toEqual(['60']);
    expect(r.events('pod-deleted').map((e) => e.split(' ')[0])).toEqual(['60']);
    expect(r.metric('batch', 'completions')).toBe(0);
  });
});
