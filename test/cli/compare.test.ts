// `kubesim-des compare`: common random numbers across policies, the paired differences, and
// the real CLI writing compare.csv (and refusing bad policy names with exit 2).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, type LoadedScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { runReplication } from '../../src/sim/simulation.js';
import { replicationSeed } from '../../src/sim/random/streams.js';
import { POLICY_NAMES } from '../../src/sim/scheduler/scheduler.js';
import { summarize } from '../../src/stats/summary.js';
import { comparePolicies, type CompareResult } from '../../src/sweep/compare.js';
import { sweptWebUnderFailures } from '../support/cli.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const SCENARIO = 'scenarios/compare-policies.yaml';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kubesim-compare-'));
}

function load(file = SCENARIO): LoadedScenario {
  const res = loadScenarioFile(file);
  if (!res.ok) throw new Error(res.errors.map((e) => e.format()).join('\n'));
  return res.loaded;
}

function withPolicy(s: Scenario, policy: string): Scenario {
  return { ...s, scheduler: { ...s.scheduler, policy } };
}

describe('common random numbers', () => {
  const s = load().points[0]!.scenario;

  it.each([0, 1, 2])('replication %i: node crashes happen at the same times on the same nodes under every policy', (r) => {
    const seed = replicationSeed(s.seed, 0, r);
    const crashes = (policy: string) =>
      runReplication(withPolicy(s, policy), seed, { trace: true })
        .trace.filter((t) => t.event === 'node-crash')
        .map((t) => `${t.timeS} ${t.node}`);
    const baseline = crashes(POLICY_NAMES[0]!);
    expect(baseline.length).toBeGreaterThan(5);
    for (const policy of POLICY_NAMES) expect(crashes(policy), policy).toEqual(baseline);
  });

  it('while the placements differ (so the pairing is not trivially equal runs)', () => {
    const seed = replicationSeed(s.seed, 0, 0);
    const bindings = (policy: string) =>
      runReplication(withPolicy(s, policy), seed, { trace: true })
        .trace.filter((t) => t.event === 'pod-bound')
        .map((t) => `${t.pod}@${t.node}`);
    expect(bindings('best-fit')).not.toEqual(bindings('worst-fit'));
  });
});

describe('comparePolicies', () => {
  const loaded = load();
  const policies = ['kube-default', 'best-fit', 'worst-fit'];
  let result: CompareResult;
  beforeAll(async () => {
    result = await comparePolicies(loaded, { policies, replications: 4 });
  });

  it('has one row per metric and policy, policies in the order given', () => {
    const metrics = runReplication(loaded.points[0]!.scenario, 1).metrics.length;
    expect(result.rows).toHaveLength(metrics * policies.length);
    expect(result.rows.slice(0, 3).map((r) => r.policy)).toEqual(policies);
    expect(result.seeds.map((x) => x.seed)).toEqual([0, 1, 2, 3].map((r) => replicationSeed(11, 0, r)));
  });

  it('the baseline differs from itself by exactly 0 (with n = 1 the CI is empty)', () => {
    for (const row of result.rows.filter((r) => r.policy === 'kube-default' && r.n > 0)) {
      expect([row.diff, row.diffCi95Low, row.diffCi95High]).toEqual(row.n === 1 ? [0, NaN, NaN] : [0, 0, 0]);
    }
  });

  it('the difference is paired: summarised per replication over the same seeds', () => {
    const s = loaded.points[0]!.scenario;
    const value = (policy: string, r: number) =>
      runReplication(withPolicy(s, policy), replicationSeed(s.seed, 0, r)).metrics.find(
        (m) => m.subjectKind === 'cluster' && m.metric === 'pending_pod_s',
      )!.value;
    const d = [0, 1, 2, 3].map((r) => value('best-fit', r) - value('kube-default', r));
    const want = summarize(d);
    const row = result.rows.find((r) => r.subjectKind === 'cluster' && r.metric === 'pending_pod_s' && r.policy === 'best-fit')!;
    expect(row.n).toBe(4);
    expect(row.diff).toBeCloseTo(want.mean, 9);
    expect(row.diffCi95Low).toBeCloseTo(want.ci95Low, 9);
    expect(row.diffCi95High).toBeCloseTo(want.ci95High, 9);
    expect(row.mean).toBeCloseTo(summarize([0, 1, 2, 3].map((r) => value('best-fit', r))).mean, 9);
  });

  it('a share\'s difference goes through the same summarize, on [-1, 1], and stays inside it', () => {
    // Every availability row: the CI is summarize(d, [-1, 1]) of the paired differences, i.e. the
    // bounded interval of summary.csv (metric-ranges.ts), not a separate formula.
    const s = loaded.points[0]!.scenario;
    const rows = result.rows.filter((r) => r.metric === 'availability' && r.policy === 'worst-fit');
    expect(rows.length).toBeGreaterThan(0);
    const per = [0, 1, 2, 3].map((r) => ({
      base: runReplication(withPolicy(s, 'kube-default'), replicationSeed(s.seed, 0, r)).metrics,
      other: runReplication(withPolicy(s, 'worst-fit'), replicationSeed(s.seed, 0, r)).metrics,
    }));
    let differsFromT = 0;
    for (const row of rows) {
      const pick = (ms: typeof per[number]['base']) => ms.find((m) => m.subject === row.subject && m.metric === 'availability')!.value;
      const want = summarize(per.map((p) => pick(p.other) - pick(p.base)), { lo: -1, hi: 1 });
      expect([row.diffCi95Low, row.diffCi95High]).toEqual([want.ci95Low, want.ci95High]);
      expect(row.diffCi95Low).toBeGreaterThanOrEqual(-1);
      expect(row.diffCi95High).toBeLessThanOrEqual(1);
      if (want.ci95Low !== summarize(per.map((p) => pick(p.other) - pick(p.base))).ci95Low) differsFromT++;
    }
    expect(differsFromT).toBeGreaterThan(0); // some subject's availability differs across policies
  });
});

describe('kubesim-des compare', () => {
  it('writes compare.csv with the SPEC columns and prints a table', () => {
    const out = tmp();
    const r = cli(['compare', SCENARIO, '--policies', 'kube-default,best-fit,random', '--replications', '3', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/subject\s+metric\s+policy\s+mean\s+diff vs kube-default\s+95% CI\s+n/);
    expect(r.stdout).toMatch(/cluster\s+pending_pod_s\s+kube-default/);
    const lines = readFileSync(join(out, 'compare.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe(
      'scenario,point,subject_kind,subject,metric,policy,mean,diff_vs_kube-default,diff_ci95_low,diff_ci95_high,n',
    );
    expect(lines[1]).toMatch(/^compare-policies,0,workload,node-agent,availability,kube-default,[0-9.]+,0,0,0,3$/);
    expect(lines.some((l) => /^compare-policies,0,cluster,cluster,pending_pod_s,random,/.test(l))).toBe(true);
    expect(readdirSync(out)).toEqual(['compare.csv']); // atomic: no temp files left
  });

  it('adds a column per swept parameter and prints JSON with --format json', () => {
    const dir = tmp();
    const src = readFileSync(SCENARIO, 'utf8').replace(
      '  failures:',
      '  sweep:\n    - {set: "workloads[Deployment/frontend].spec.replicas", values: [8, 12]}\n  failures:',
    );
    writeFileSync(join(dir, 's.yaml'), src);
    const out = join(dir, 'out');
    const r = cli(['compare', join(dir, 's.yaml'), '--policies', 'most-allocated,least-allocated', '--replications', '2', '--out', out, '--quiet', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { point: number; params: Record<string, string>; policy: string }[];
    expect(rows.find((x) => x.point === 1)?.params).toEqual({ 'workloads[Deployment/frontend].spec.replicas': '12' });
    const lines = readFileSync(join(out, 'compare.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe(
      'scenario,point,workloads[Deployment/frontend].spec.replicas,subject_kind,subject,metric,policy,mean,' +
        'diff_vs_most-allocated,diff_ci95_low,diff_ci95_high,n',
    );
    expect(lines.some((l) => l.startsWith('compare-policies,1,12,workload,frontend,availability,least-allocated,'))).toBe(true);
  });

  it.each([
    { policies: 'kube-default,best-guess', message: 'unknown scheduler policy "best-guess"; expected one of kube-default,' },
    { policies: 'kube-default', message: 'expected at least 2 comma-separated policies, got 1' },
    { policies: 'random,random', message: '"random" is named twice' },
  ])('--policies $policies exits 2: $message', ({ policies, message }) => {
    const out = tmp();
    const r = cli(['compare', SCENARIO, '--policies', policies, '--replications', '1', '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`kubesim-des: --policies: ${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(out)).toEqual([]);
  });

  it('a missing --policies flag exits 2', () => {
    const r = cli(['compare', SCENARIO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('policies');
  });
});

describe('kubesim-des compare --workers', () => {
  // Two sweep points x 3 policies x 5 replications = 30 tasks: several chunks per thread. The
  // replicas stay >= the slo minReady 10 (fewer would warn: availability 0 by construction).
  function sweepScenario(): string {
    const dir = tmp();
    const src = readFileSync(SCENARIO, 'utf8').replace(
      '  failures:',
      '  sweep:\n    - {set: "workloads[Deployment/frontend].spec.replicas", values: [10, 12]}\n  failures:',
    );
    writeFileSync(join(dir, 's.yaml'), src);
    return join(dir, 's.yaml');
  }
  const args = ['--policies', 'kube-default,best-fit,worst-fit', '--replications', '5', '--quiet'];

  it('writes the same compare.csv and table for 1, 2 and 3 worker threads', () => {
    const file = sweepScenario();
    const outs = [1, 2, 3].map((w) => {
      const out = tmp();
      const r = cli(['compare', file, ...args, '--workers', String(w), '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return { csv: readFileSync(join(out, 'compare.csv'), 'utf8'), table: r.stdout.replace(out, 'OUT') };
    });
    expect(outs[0]!.csv.split('\n').length).toBeGreaterThan(100);
    expect(outs[1]).toEqual(outs[0]);
    expect(outs[2]).toEqual(outs[0]);
  });

  it.each([1, 2])('a failing task (workers %i) is reported with its policy, replication, seed and how to re-run it; the others finish; exit 1, no compare.csv', (w) => {
    const file = sweepScenario();
    const out = tmp();
    // The test hook names pool scenarios: 4 = point 1 under the second policy (best-fit), 2 =
    // point 0 under worst-fit. Tasks 10 and 23 of 30: both reported, so the run went on past the first.
    const r = spawnSync(process.execPath, [CLI, 'compare', file, ...args, '--workers', String(w), '--seed', '7', '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, KUBESIM_TEST_FAIL_TASKS: '4:3,2:0' },
    });
    expect(r.status).toBe(1);
    const seed = (point: number, rep: number) => replicationSeed(7, point, rep);
    expect(r.stderr).toContain('kubesim-des: 2 of 30 tasks failed; no compare.csv written:');
    expect(r.stderr).toContain(
      `  policy worst-fit, replication 0 of point 0 failed (seed ${seed(0, 0)}; re-run it alone with ` +
        '--only 0:0 --set scheduler.policy=worst-fit --seed 7): injected failure (KUBESIM_TEST_FAIL_TASKS)',
    );
    expect(r.stderr).toContain(`  policy best-fit, replication 3 of point 1 failed (seed ${seed(1, 3)}; re-run it alone with --only 1:3 --set scheduler.policy=best-fit --seed 7)`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('the re-run the message names gives the seed compare used', () => {
    // run --only P:R --seed S uses replicationSeed(S, P, R), the seed compare gave the task.
    const out = tmp();
    const r = cli(['run', sweepScenario(), '--only', '1:3', '--set', 'scheduler.policy=best-fit', '--seed', '7', '--out', out, '--quiet', '--workers', '1']);
    expect(r.code).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { seeds: { point: number; replication: number; seed: number }[] };
    expect(run.seeds).toEqual([{ point: 1, replication: 3, seed: replicationSeed(7, 1, 3) }]);
  });

  it('--workers 0 exits 2 before running anything', () => {
    const out = tmp();
    const r = cli(['compare', SCENARIO, ...args, '--workers', '0', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('kubesim-des: --workers: expected an integer >= 1, got 0');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('kubesim-des compare on a scenario that sweeps scheduler.policy', () => {
  // compare sets the policy itself: the axis is dropped as `run --set scheduler.policy=...`
  // drops it, leaving the points replicas 5 (point 0) and 9 (point 1).
  const axes = ['{set: scheduler.policy, values: [kube-default, most-allocated]}', '{set: "workloads[Deployment/checkout].spec.replicas", values: [5, 9]}'];
  const axisLine = readFileSync('scenarios/web-under-failures.yaml', 'utf8').split('\n').length + 1;
  const args = ['--policies', 'kube-default,first-fit', '--replications', '2', '--workers', '1', '--quiet'];

  it('drops the axis with a warning: no scheduler.policy column, every point under each policy', () => {
    const file = sweptWebUnderFailures(axes);
    const out = tmp();
    const r = cli(['compare', file, ...args, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${file}:${axisLine}:7: warning: sweep axis scheduler.policy is fixed by compare (it runs every point under each of --policies); the axis is dropped`);
    const lines = readFileSync(join(out, 'compare.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(
      'scenario,point,workloads[Deployment/checkout].spec.replicas,subject_kind,subject,metric,policy,mean,diff_vs_kube-default,diff_ci95_low,diff_ci95_high,n',
    );
    const cells = lines.slice(1).map((l) => l.split(','));
    expect([...new Set(cells.map((c) => `${c[1]}:${c[2]}`))]).toEqual(['0:5', '1:9']);
    expect([...new Set(cells.map((c) => c[6]))]).toEqual(['kube-default', 'first-fit']);
  });

  it('an axis over the whole scheduler, of which compare would change only the policy, is an error at the axis', () => {
    const file = sweptWebUnderFailures(['{set: scheduler, values: [{policy: kube-default}, {policy: most-allocated, percentageOfNodesToScore: 50}]}']);
    const out = tmp();
    const r = cli(['compare', file, ...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:${axisLine}:7: compare (it runs every point under each of --policies) changes part of what sweep axis scheduler sets`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('each failure names the run --only that re-runs that task: same point, same params, same seed', () => {
    const file = sweptWebUnderFailures(axes);
    // Replication 0 of every pool scenario (point x policy) there could be with the axis kept.
    const failAll = Array.from({ length: 8 }, (_, v) => `${v}:0`).join(',');
    const r = spawnSync(process.execPath, [CLI, 'compare', file, ...args, '--out', tmp()], { encoding: 'utf8', env: { ...process.env, KUBESIM_TEST_FAIL_TASKS: failAll } });
    expect(r.status).toBe(1);
    const hints = [...r.stderr.matchAll(/replication 0 of point (\d+) failed \(seed (\d+); re-run it alone with (--only \d+:0 --set scheduler\.policy=\S+)\)/g)];
    expect(hints.map((h) => h[3])).toEqual([
      '--only 0:0 --set scheduler.policy=kube-default',
      '--only 0:0 --set scheduler.policy=first-fit',
      '--only 1:0 --set scheduler.policy=kube-default',
      '--only 1:0 --set scheduler.policy=first-fit',
    ]);
    for (const [, point, seed, rerun] of hints) {
      const out = tmp();
      const run = cli(['run', file, ...rerun!.split(' '), '--workers', '1', '--quiet', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const json = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { seeds: { point: number; replication: number; seed: number }[] };
      expect(json.seeds).toEqual([{ point: Number(point), replication: 0, seed: Number(seed) }]);
      const metrics = readFileSync(join(out, 'metrics.csv'), 'utf8').split('\n');
      expect(metrics[0]).toBe('scenario,point,workloads[Deployment/checkout].spec.replicas,replication,seed,subject_kind,subject,metric,value');
      expect(metrics[1]!.split(',').slice(1, 3)).toEqual([point, point === '0' ? '5' : '9']);
    }
  });
});
