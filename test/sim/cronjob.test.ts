// CronJob controller worked by hand (reference section 6.3; kube: syncCronJob).
// Simulated time 0 is 2024-01-01T00:00:00Z and the CronJob is created then; schedule times are
// strictly after it, so `*/10 * * * *` fires at 600, 1200, ..., 3600 s in a 1 h horizon.
import { describe, expect, it } from 'vitest';
import { nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import type { CronJobSpec } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

function cron(spec: Partial<CronJobSpec>, runtimeS = 900, horizonS = 3600) {
  return scenario({
    horizonS,
    nodePools: [nodePool({ name: 'general', count: 2 })],
    workloads: [
      workload({
        name: 'report',
        kind: 'CronJob',
        replicas: 1,
        job: { completions: 1, parallelism: 1, backoffLimit: 6, activeDeadlineSeconds: null },
        cronJob: { schedule: '*/10 * * * *', timeZone: null, concurrencyPolicy: 'Allow', startingDeadlineSeconds: null, suspend: false, ...spec },
        template: podTemplate({ labels: { app: 'report' }, restartPolicy: 'Never' }),
        behavior: { runtime: { dist: 'fixed', value: runtimeS } },
      }),
    ],
  });
}

const times = (lines: string[]) => lines.map((l) => Number(l.split(' ')[0]));

describe('CronJob', () => {
  it('Forbid: a blocked schedule time runs late when the active Job ends; newer times supersede it', () => {
    const r = run(cron({ concurrencyPolicy: 'Forbid' }));
    // 15 min runs every 10 min:
    //   600  A starts (slot 600), ends 1500
    //   1200 A active: JobAlreadyActive, 1200 unmet
    //   1500 A ends -> B for slot 1200, 300 s late; ends 2400
    //   1800 B active: 1800 unmet
    //   2400 B ends at the instant of slot 2400: the most recent unmet time is 2400 (1800 is
    //        superseded: skipped) -> C on time; ends 3300
    //   3000 C active: 3000 unmet
    //   3300 C ends -> D for slot 3000, 300 s late
    //   3600 D active: 3600 unmet, still waiting at the horizon -> skipped
    expect(times(r.events('job-created'))).toEqual([600, 1500, 2400, 3300]);
    expect(times(r.events('job-complete'))).toEqual([1500, 2400, 3300]);
    expect(r.metric('report', 'jobs_started')).toBe(4);
    expect(r.metric('report', 'jobs_skipped')).toBe(2); // 1800, 3600
    expect(r.metric('report', 'jobs_succeeded')).toBe(3);
    expect(r.metric('report', 'completions')).toBe(3);
    expect(r.metric('report', 'start_delay_max_s')).toBe(300);
    expect(r.metric('report', 'active_jobs_max')).toBe(1);
    expect(r.metric('report', 'job_duration_mean_s')).toBe(900);
  });

  it('Forbid with startingDeadlineSeconds: a late start past the deadline is missed', () => {
    const r = run(cron({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 200 }));
    //   600 A (ends 1500); 1200 blocked; 1500: 1200 + 200 = 1400 < 1500 -> missed
    //   1800 B (ends 2700); 2400 blocked; 2700: 2600 < 2700 -> missed
    //   3000 C (ends 3900); 3600 blocked, waiting at the horizon
    expect(times(r.events('job-created'))).toEqual([600, 1800, 3000]);
    expect(times(r.events('cronjob-missed'))).toEqual([1500, 2700]);
    expect(r.metric('report', 'jobs_started')).toBe(3);
    expect(r.metric('report', 'jobs_skipped')).toBe(3);
    expect(r.metric('report', 'start_delay_max_s')).toBe(0);
  });

  it('Allow: overlapping runs pile up', () => {
    const r = run(cron({ concurrencyPolicy: 'Allow' }));
    // A Job at every slot, 600..3600; each runs 900 s: runs overlap in pairs (1200-1500, ...).
    // Jobs end at 1500, 2100, 2700, 3300 inside the horizon.
    // ∫ active dt = 4 x 900 (600..3300 starts ending in time) + 600 (3000..3600) + 0 = 4200
    expect(times(r.events('job-created'))).toEqual([600, 1200, 1800, 2400, 3000, 3600]);
    expect(r.metric('report', 'jobs_started')).toBe(6);
    expect(r.metric('report', 'jobs_skipped')).toBe(0);
    expect(r.metric('report', 'jobs_succeeded')).toBe(4);
    expect(r.metric('report', 'active_jobs_max')).toBe(2);
    expect(r.metric('report', 'active_jobs_mean')).toBeCloseTo(4200 / 3600, 10);
  });

  it('Replace: each schedule time deletes the running Job and starts a new one', () => {
    const r = run(cron({ concurrencyPolicy: 'Replace' }));
    // Every Job is replaced 600 s into its 900 s run; none completes.
    expect(times(r.events('job-created'))).toEqual([600, 1200, 1800, 2400, 3000, 3600]);
    expect(r.metric('report', 'jobs_replaced')).toBe(5);
    expect(r.metric('report', 'jobs_succeeded')).toBe(0);
    expect(r.metric('report', 'job_duration_mean_s')).toBeNaN();
    expect(times(r.events('pod-deleted'))).toEqual([1200, 1800, 2400, 3000, 3600]);
  });

  it('reads the schedule in timeZone (default UTC)', () => {
    // 2024-01-01T00:00Z is 2023-12-31 19:00 in New York (EST, UTC-5): 02:00 EST is 07:00Z.
    const utc = run(cron({ schedule: '0 2 * * *' }, 60, 86_400));
    const ny = run(cron({ schedule: '0 2 * * *', timeZone: 'America/New_York' }, 60, 86_400));
    expect(times(utc.events('job-created'))).toEqual([7200]);
    expect(times(ny.events('job-created'))).toEqual([25_200]);
  });

  it('suspend: no Job is created', () => {
    const r = run(cron({ suspend: true }));
    expect(r.events('job-created')).toEqual([]);
    expect(r.metric('report', 'jobs_started')).toBe(0);
  });

  it('a schedule that never fires (`0 0 30 2 *`, schedule null) or not within the horizon creates nothing and ends', () => {
    // 2024-01-01 + 7 d: the next 29 February is 2024-02-29, day 59.
    for (const schedule of [null, '0 0 29 2 *']) {
      const r = run(cron({ schedule }, 900, 7 * 86_400));
      expect(r.events('job-created')).toEqual([]);
      expect(r.metric('report', 'jobs_started')).toBe(0);
    }
    // ... and fires on 29 February when the horizon reaches it.
    expect(times(run(cron({ schedule: '0 0 29 2 *' }, 60, 60 * 86_400)).events('job-created'))).toEqual([59 * 86_400]);
  });
});
