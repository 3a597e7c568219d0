// End-to-end: the CronJob and cluster-autoscaler example scenarios through the real CLI, with
// few replications; the checks are facts the models guarantee, worked out from the files.
import { describe, expect, it } from 'vitest';
import { readText, runCli, tempDir } from '../support/cli.js';

interface Row {
  point: string;
  param: string;
  replication: string;
  subject: string;
  metric: string;
  value: number;
}

/** metrics.csv of a one-axis sweep as rows (the swept value may be a quoted CSV field with commas). */
function rows(out: string): Row[] {
  const [, ...lines] = readText(out, 'metrics.csv').trim().split('\n');
  return lines.map((l) => {
    const c = l.split(',');
    return { point: c[1]!, param: c.slice(2, -6).join(','), replication: c.at(-6)!, subject: c.at(-3)!, metric: c.at(-2)!, value: Number(c.at(-1)) };
  });
}

const byPoint = (rs: Row[], point: string, subject: string, metric: string) => rs.filter((r) => r.point === point && r.subject === subject && r.metric === metric).map((r) => r.value);

const values = (rs: Row[], param: string, subject: string, metric: string) => rs.filter((r) => r.param === param && r.subject === subject && r.metric === metric).map((r) => r.value);

describe('scenarios/cronjob-backlog.yaml', () => {
  it('Allow starts every night and may overlap; Forbid never overlaps and accounts for every night', () => {
    const out = tempDir();
    const r = runCli(['run', 'scenarios/cronjob-backlog.yaml', '--out', out, '--replications', '3', '--quiet', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rs = rows(out);
    // 30 days from 2024-01-01T00:00Z: 02:00 on each of the 30 days (t = 7200 + 86400 k, k < 30).
    expect(values(rs, 'Allow', 'nightly-etl', 'jobs_started')).toEqual([30, 30, 30]);
    expect(values(rs, 'Allow', 'nightly-etl', 'jobs_skipped')).toEqual([0, 0, 0]);
    for (const v of values(rs, 'Forbid', 'nightly-etl', 'active_jobs_max')) expect(v).toBe(1);
    const started = values(rs, 'Forbid', 'nightly-etl', 'jobs_started');
    const skipped = values(rs, 'Forbid', 'nightly-etl', 'jobs_skipped');
    started.forEach((s, i) => expect(s + skipped[i]!).toBe(30));
  });
});

describe('scenarios/cluster-autoscaler.yaml', () => {
  it('adds nodes every morning; report pods wait at least scan + provisioning time; the pool shrinks back', () => {
    const out = tempDir();
    const r = runCli(['run', 'scenarios/cluster-autoscaler.yaml', '--out', out, '--replications', '2', '--quiet', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rs = rows(out);
    // 10 nodes x 8 cpu = 80; web takes 30 x 2 = 60, so 10 of the 30 report pods (2 cpu) fit and
    // 20 wait: 20 / 4 per node = 5 nodes per morning, 3 mornings (09:00 on days 1-3).
    for (const [param, provisionS] of [['1m', 60], ['3m', 180], ['10m', 600]] as const) {
      for (const v of values(rs, param, 'cluster', 'nodes_added')) expect(v).toBeGreaterThanOrEqual(15);
      for (const v of values(rs, param, 'cluster', 'nodes_removed')) expect(v).toBeGreaterThanOrEqual(10);
      // The report is created at 09:00, the scheduler marks its pods unschedulable in the same
      // instant, after that instant's scan; the next scan (10 s later) orders the nodes.
      for (const v of values(rs, param, 'morning-report', 'sched_latency_p99_s')) expect(v).toBeGreaterThanOrEqual(provisionS + 10);
    }
    expect(readText(out, 'summary.csv')).toContain('cluster-autoscaler,0,1m,cluster,cluster,nodes_added,2,');
  });
});

describe('scenarios/statefulset-rollout.yaml', () => {
  it('one member at a time takes at least 5 x (grace + minReadySeconds); maxUnavailable 2 at least 3 waves', () => {
    const out = tempDir();
    const r = runCli(['run', 'scenarios/statefulset-rollout.yaml', '--out', out, '--replications', '2', '--quiet', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rs = rows(out);
    // Each replacement: 30 s termination + startup (> 0) + 10 s minReadySeconds > 40 s.
    // maxUnavailable 1: db-4 .. db-0 in turn, > 5 x 40 = 200 s; maxUnavailable 2: waves of
    // {db-4, db-3}, {db-2, db-1}, {db-0}, > 3 x 40 = 120 s.
    for (const v of byPoint(rs, '0', 'db', 'rollout_duration_max_s')) expect(v).toBeGreaterThan(200);
    for (const v of byPoint(rs, '1', 'db', 'rollout_duration_max_s')) expect(v).toBeGreaterThan(120);
    for (const v of [...byPoint(rs, '0', 'db', 'rollouts_completed'), ...byPoint(rs, '1', 'db', 'rollouts_completed')]) expect(v).toBeGreaterThanOrEqual(1);
  });
});

describe('scenarios/daemonset-rollout.yaml', () => {
  it('maxUnavailable 1 replaces 40 agents in turn; 25% in 4 waves; maxSurge 1 never leaves a node without an agent', () => {
    const out = tempDir();
    const r = runCli(['run', 'scenarios/daemonset-rollout.yaml', '--out', out, '--replications', '2', '--quiet', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rs = rows(out);
    // Each replacement (created as the old pod starts terminating): startup (> 0) + 10 s
    // minReadySeconds > 10 s; 40 in turn, or 4 waves of 10.
    const one = byPoint(rs, '0', 'log-agent', 'rollout_duration_max_s');
    const quarter = byPoint(rs, '1', 'log-agent', 'rollout_duration_max_s');
    for (const v of one) expect(v).toBeGreaterThan(40 * 10);
    for (const v of quarter) expect(v).toBeGreaterThan(4 * 10);
    one.forEach((v, i) => expect(quarter[i]!).toBeLessThan(v));
    // Surge: every node keeps its old agent until the new one is available: never below 40
    // Ready agents, so never below minReady 38.
    expect(byPoint(rs, '2', 'log-agent', 'availability')).toEqual([1, 1]);
    for (const v of byPoint(rs, '2', 'log-agent', 'rollout_duration_max_s')) expect(v).toBeGreaterThan(40 * 10);
  });
});

describe('determinism with CronJobs and the cluster autoscaler', () => {
  it('gives byte-identical metrics.csv in-process and on 2 workers', () => {
    const a = tempDir();
    const b = tempDir();
    expect(runCli(['run', 'scenarios/cluster-autoscaler.yaml', '--out', a, '--replications', '2', '--quiet', '--workers', '1']).code).toBe(0);
    expect(runCli(['run', 'scenarios/cluster-autoscaler.yaml', '--out', b, '--replications', '2', '--quiet', '--workers', '2']).code).toBe(0);
    expect(readText(b, 'metrics.csv')).toBe(readText(a, 'metrics.csv'));
  });
});
