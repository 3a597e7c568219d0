// The priority-preemption example through the real CLI: PriorityClasses from manifests, a sweep
// over preemptionPolicy, and the preemption metrics in summary.csv.
import { describe, expect, it } from 'vitest';
import { readText, runCli, tempDir } from '../support/cli.js';

describe('scenarios/priority-preemption.yaml', () => {
  it('web preempts batch after node crashes with PreemptLowerPriority, not with Never', () => {
    const out = tempDir();
    const r = runCli(['run', 'scenarios/priority-preemption.yaml', '--out', out, '--replications', '3', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // scenario,point,<param>,subject_kind,subject,metric,n,mean,...
    const mean = (point: number, subject: string, metric: string): number => {
      const row = readText(out, 'summary.csv')
        .split('\n')
        .find((l) => l.startsWith(`priority-preemption,${point},`) && l.includes(`,${subject},${metric},`));
      if (row === undefined) throw new Error(`no ${subject}/${metric} at point ${point}`);
      return Number(row.split(',')[7]);
    };
    expect(readText(out, 'summary.csv')).toContain('priority-preemption,1,Never,workload,batch,preemptions,3,0,');
    // A web pod evicted from a crashed node comes back by preempting a batch pod of the same
    // size (2 cpu, 4Gi) on the full cluster; with Never nobody is preempted.
    expect(mean(0, 'batch', 'preemptions')).toBeGreaterThan(0);
    expect(mean(1, 'batch', 'preemptions')).toBe(0);
    expect(mean(0, 'web', 'preemptions')).toBe(0);
    // Web waits for a batch pod's 60 s grace period instead of a node repair.
    expect(mean(0, 'web', 'sched_latency_p50_s')).toBe(60);
    expect(mean(0, 'web', 'availability')).toBeGreaterThan(mean(1, 'web', 'availability'));
  });
});
