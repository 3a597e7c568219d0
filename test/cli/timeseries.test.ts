// End-to-end: timeseries.csv (output.timeseries) is byte-identical whatever --workers, whether
// the run is one or 4 merged shards, and after Ctrl-C + --resume; and absent without it.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readText, runCli, sweptQuickstart, tempDir } from '../support/cli.js';

// scenarios/quickstart.yaml swept over web's replicas (2 points), 5 replications, sampled
// every 2 h. Window [10m, 2d]: (172800 - 600) / 7200 = 23.9 -> 24 samples (600, 7800, ...).
// Series: web ready + pending, pool general nodes_ready + cpu/memory_alloc, cluster the same
// three + pods_pending = 9. Rows: 2 points x 5 replications x 24 x 9 = 2160.
const scenario = sweptQuickstart();
const base = ['run', scenario, '--replications', '5', '--quiet', '--set', 'output.timeseries=2h'];

function oneRun(): string {
  const out = tempDir();
  const r = runCli([...base, '--out', out, '--workers', '1']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/timeseries\.csv/);
  return out;
}

describe('timeseries.csv', () => {
  const full = oneRun();

  it('has the SPEC header, one row per (task, sample, series), in task then time order', () => {
    const lines = readText(full, 'timeseries.csv').trimEnd().split('\n');
    expect(lines[0]).toBe('scenario,point,replication,time_s,subject_kind,subject,metric,value');
    expect(lines).toHaveLength(1 + 2160);
    expect(lines[1]).toBe('quickstart,0,0,600,workload,web,ready,6');
    expect(lines[9]).toMatch(/^quickstart,0,0,600,cluster,cluster,pods_pending,\d+$/);
    expect(lines[10]).toMatch(/^quickstart,0,0,7800,workload,web,ready,\d+$/);
    expect(lines[2160]).toMatch(/^quickstart,1,4,166200,cluster,cluster,pods_pending,\d+$/); // 600 + 23 · 7200
  });

  it('is byte-identical with 2 worker threads', () => {
    const out = tempDir();
    const r = runCli([...base, '--out', out, '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['timeseries.csv', 'metrics.csv', 'summary.csv']) expect(readText(out, f)).toBe(readText(full, f));
  });

  it('4 shards merged give the bytes of one run', () => {
    const shards = [0, 1, 2, 3].map((i) => {
      const out = tempDir();
      const r = runCli([...base, '--out', out, '--shard', `${i}/4`, '--workers', String(1 + (i % 2))]);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(join(out, 'timeseries.csv'))).toBe(true);
      return out;
    });
    const merged = tempDir();
    const r = runCli(['merge', shards[2]!, shards[0]!, shards[3]!, shards[1]!, '--out', merged]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/timeseries\.csv/);
    for (const f of ['timeseries.csv', 'metrics.csv', 'summary.csv']) expect(readText(merged, f)).toBe(readText(full, f));
  });

  it('is resumed after Ctrl-C with the bytes of one run; a record of another step is refused', () => {
    const out = tempDir();
    const a = runCli([...base, '--out', out, '--workers', '1'], { env: { KUBESIM_TEST_INTERRUPT_AFTER: '3' } });
    expect(a.code).toBe(130);
    expect(existsSync(join(out, 'timeseries.csv'))).toBe(false);
    expect(readText(out, '.partial/timeseries.csv').length).toBeGreaterThan(0);
    // Sampling switched off: not the same run.
    const other = runCli(['run', scenario, '--replications', '5', '--quiet', '--out', out, '--workers', '1', '--resume']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--resume: .*recorded for another run/);
    const b = runCli([...base, '--out', out, '--workers', '2', '--resume']);
    expect(b.code, b.stderr).toBe(0);
    for (const f of ['timeseries.csv', 'metrics.csv', 'summary.csv']) expect(readText(out, f)).toBe(readText(full, f));
    expect(existsSync(join(out, '.partial'))).toBe(false);
  });

  it('--target-ci writes the timeseries.csv of --replications n for the n it stopped at', () => {
    const out = tempDir();
    const sampled = ['run', scenario, '--quiet', '--set', 'output.timeseries=2h'];
    const r = runCli([...sampled, '--out', out, '--replications', '2', '--max-replications', '6', '--target-ci', 'evictions=1e-9', '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    // An unreachable target: stops at --max-replications 6 (batches of 2).
    expect(r.stderr).toMatch(/evictions=1e-9: 6 replications per point/);
    const plain = tempDir();
    expect(runCli([...sampled, '--replications', '6', '--out', plain, '--workers', '2']).code).toBe(0);
    expect(readText(out, 'timeseries.csv')).toBe(readText(plain, 'timeseries.csv'));
  });

  it('is not written without output.timeseries', () => {
    const out = tempDir();
    const r = runCli(['run', scenario, '--replications', '2', '--quiet', '--out', out, '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'timeseries.csv'))).toBe(false);
    expect(r.stdout).not.toMatch(/timeseries/);
  });
});
