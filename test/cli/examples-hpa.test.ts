// End-to-end: scenarios/hpa-under-load.yaml through the real CLI. The checks are the settling
// bands worked out in the file's header, which the HPA's 10% tolerance guarantees.
import { describe, expect, it } from 'vitest';
import { readText, runCli, tempDir } from '../support/cli.js';

describe('scenarios/hpa-under-load.yaml', () => {
  it('settles inside the tolerance band of each target; the lower target runs more pods and drops fewer requests', () => {
    const out = tempDir();
    const r = runCli(['run', 'scenarios/hpa-under-load.yaml', '--out', out, '--replications', '2', '--quiet', '--workers', '1', '--trace']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [, ...lines] = readText(out, 'metrics.csv').trim().split('\n');
    const rows = lines.map((l) => l.split(','));
    // scenario,point,<averageUtilization>,replication,seed,subject_kind,subject,metric,value
    const values = (target: string, subject: string, metric: string) => rows.filter((c) => c[2] === target && c[6] === subject && c[7] === metric).map((c) => Number(c[8]));
    // 30.5 busy slots, 4 per pod. The largest proposal while overloaded: 8 ready pods carry
    // 30.5 / 32 = 95% -> 50%: ceil(1.9 x 8) = 16; 80%: ceil(1.18 x 8) = 10 (95 / 80 = 1.1875).
    // Settled (within 10%): 50% -> 14..16 pods, 80% -> 9..10.
    const band = (target: string, lo: number, hi: number) => {
      const vs = values(target, 'web', 'replicas_max');
      expect(vs).toHaveLength(2);
      for (const v of vs) {
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
      }
    };
    band('50', 14, 16);
    band('80', 9, 10);
    // From 3, at most doubling per sync: 3 -> 6 -> 12 needs two scale-ups to pass 9.
    for (const t of ['50', '80']) for (const v of values(t, 'web', 'scale_ups')) expect(v).toBeGreaterThanOrEqual(2);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(values('50', 'web', 'replicas_mean'))).toBeGreaterThan(mean(values('80', 'web', 'replicas_mean')));
    expect(mean(values('50', 'web', 'dropped_fraction'))).toBeLessThan(mean(values('80', 'web', 'dropped_fraction')));
    // Every scale is traced as `hpa-scale` with "from -> to".
    const scales = readText(out, 'events.csv').split('\n').filter((l) => l.includes(',hpa-scale,'));
    expect(scales.length).toBeGreaterThanOrEqual(8);
    for (const l of scales) expect(l).toMatch(/,Deployment\/web,\d+ -> \d+$/);
  });
});
