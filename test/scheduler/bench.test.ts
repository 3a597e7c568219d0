// The scheduler benchmark's harness on a small cluster (no timing is asserted here; figures
// come from `kubesim-des bench --scheduler`, see bench/README.md).
import { describe, expect, it } from 'vitest';
import { FULL_SCAN_BASELINE, SAMPLED_BASELINE, schedulerBenchmark } from '../../src/bench/scheduler.js';
import { POLICY_NAMES } from '../../src/sim/scheduler/scheduler.js';

describe('schedulerBenchmark', () => {
  it('runs every policy and both naive LeastAllocated baselines, placing every pod on a roomy cluster', () => {
    const lines: string[] = [];
    const rows = schedulerBenchmark({ nodes: 60, pods: 600, runs: 2 }, (l) => lines.push(l));
    expect(rows.map((r) => r.name)).toEqual([...POLICY_NAMES, FULL_SCAN_BASELINE, SAMPLED_BASELINE]);
    for (const r of rows) {
      expect(r.podsPerS).toHaveLength(2);
      expect(r.medianPodsPerS).toBeGreaterThan(0);
      expect(r.unschedulable, r.name).toBe(0);
    }
    expect(lines).toHaveLength(rows.length * 3); // warm-up + 2 runs each
  });

  it('a subset of policies', () => {
    expect(schedulerBenchmark({ nodes: 10, pods: 50, runs: 1, policies: ['random'] }).map((r) => r.name)).toEqual([
      'random',
      FULL_SCAN_BASELINE,
      SAMPLED_BASELINE,
    ]);
  });
});
