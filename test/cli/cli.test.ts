// End-to-end: the real CLI on the example scenarios and on bad input.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

function cli(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kubesim-'));
}

describe('kubesim-des run', () => {
  it('writes metrics.csv, summary.csv and run.json with the SPEC columns, and prints a table', () => {
    const out = tmp();
    const r = cli(['run', 'scenarios/quickstart.yaml', '--out', out, '--replications', '3', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/workload web\s+availability\s+\d+\.\d+%/);
    const metrics = readFileSync(join(out, 'metrics.csv'), 'utf8').split('\n');
    expect(metrics[0]).toBe('scenario,point,replication,seed,subject_kind,subject,metric,value');
    expect(metrics[1]).toMatch(/^quickstart,0,0,\d+,workload,web,availability,(1|0\.\d+)$/);
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8').split('\n');
    expect(summary[0]).toBe('scenario,point,subject_kind,subject,metric,n,mean,stddev,ci95_low,ci95_high,p50,p95,p99,min,max');
    expect(summary.some((l) => l.startsWith('quickstart,0,cluster,cluster,drains_completed,3,2,'))).toBe(true);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.scenario).toBe('quickstart');
    expect(run.replications).toBe(3);
    expect(run.seeds).toHaveLength(3);
    expect(run.eventsProcessed).toBeGreaterThan(0);
    // Atomic writes leave no temp files behind.
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'run.json', 'summary.csv']);
  });

  it('is deterministic: the same seed gives byte-identical CSV files', () => {
    const a = tmp();
    const b = tmp();
    for (const out of [a, b]) {
      expect(cli(['run', 'scenarios/web-under-failures.yaml', '--out', out, '--replications', '4', '--quiet', '--trace']).code).toBe(0);
    }
    for (const f of ['metrics.csv', 'summary.csv', 'events.csv']) {
      expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
    }
    // A different seed gives different numbers.
    const c = tmp();
    cli(['run', 'scenarios/web-under-failures.yaml', '--out', c, '--replications', '4', '--quiet', '--seed', '99']);
    expect(readFileSync(join(c, 'metrics.csv'), 'utf8')).not.toBe(readFileSync(join(a, 'metrics.csv'), 'utf8'));
  });

  it('adds a column per swept parameter', () => {
    const dir = tmp();
    const src = readFileSync('scenarios/quickstart.yaml', 'utf8').replace(
      '  disruptions:',
      '  sweep:\n    - {set: "workloads[Deployment/web].spec.replicas", values: [6, 9]}\n  disruptions:',
    );
    writeFileSync(join(dir, 's.yaml'), src);
    const out = join(dir, 'out');
    const r = cli(['run', join(dir, 's.yaml'), '--out', out, '--replications', '2', '--quiet']);
    expect(r.code).toBe(0);
    const lines = readFileSync(join(out, 'metrics.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe('scenario,point,workloads[Deployment/web].spec.replicas,replication,seed,subject_kind,subject,metric,value');
    expect(lines.some((l) => l.startsWith('quickstart,1,9,1,'))).toBe(true);
  });

  it('applies --set overrides', () => {
    const out = tmp();
    const r = cli(['run', 'scenarios/quickstart.yaml', '--out', out, '--replications', '1', '--quiet', '--set', 'workloads[Deployment/web].spec.replicas=2', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { subject: string; metric: string; mean: number }[];
    const ready = rows.find((x) => x.subject === 'web' && x.metric === 'ready_mean')!;
    expect(ready.mean).toBeLessThanOrEqual(2);
  });
});

describe('bad input: FILE:LINE:COL: message, exit 2, no stack trace', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown field', 'spec:\n  horizon: 1d\n  cluster:\n    nodePols: []\n', /s\.yaml:7:5: spec\.cluster\.nodePols: unknown field "nodePols" \(did you mean "nodePools"\?\)/],
    ['unknown failure type', 'spec:\n  horizon: 1d\n  failures:\n    - {type: node-explode, at: 1h}\n', /s\.yaml:7:14: .*unknown failure type "node-explode"/],
    ['negative replicas', 'spec:\n  horizon: 1d\n  workloads:\n    - {apiVersion: apps/v1, kind: Deployment, metadata: {name: w}, spec: {replicas: -2, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}}\n', /s\.yaml:7:\d+: .*replicas must be >= 0, got -2/],
    ['unknown manifest field', 'spec:\n  horizon: 1d\n  workloads:\n    - {apiVersion: apps/v1, kind: Deployment, metadata: {name: w}, spec: {replica: 6, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}}\n', /s\.yaml:7:75: unknown field "spec\.replica" in Deployment "w" \(did you mean "replicas"\?\)/],
    ['bad quantity', 'spec:\n  horizon: 1d\n  cluster:\n    nodePools:\n      - {name: g, count: 1, capacity: {cpu: "4K", memory: 1Gi}}\n', /s\.yaml:8:\d+: .*invalid quantity "4K"/],
    ['YAML syntax error', 'spec:\n  horizon: [1d\n', /s\.yaml:\d+:\d+: invalid YAML/],
    ['missing manifests file', 'spec:\n  horizon: 1d\n  manifests: [nope.yaml]\n', /s\.yaml:6:\d+: .*cannot read "nope\.yaml"/],
    ['invalid label key', 'spec:\n  horizon: 1d\n  workloads:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}], nodeSelector: {"bad key!": x}}}\n', /s\.yaml:7:103: Pod "p": spec\.nodeSelector\["bad key!"\]: invalid label key "bad key!"/],
    ['CronJob day-of-week 7', 'spec:\n  horizon: 1d\n  workloads:\n    - {apiVersion: batch/v1, kind: CronJob, metadata: {name: c}, spec: {schedule: "0 0 * * 7", jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}}}\n', /s\.yaml:7:83: CronJob "c": spec\.schedule: invalid schedule "0 0 \* \* 7": end of range \(7\) above maximum \(6\)/],
  ];
  it.each(cases)('%s', (_name, spec, expected) => {
    const dir = tmp();
    writeFileSync(join(dir, 's.yaml'), `apiVersion: kubesim.dev/v1\nkind: Scenario\nmetadata: {name: s}\n${spec}`);
    for (const cmd of ['validate', 'run']) {
      const r = cli([cmd, 's.yaml'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
    }
  });

  it('runs a CronJob whose schedule never fires (`0 0 30 2 *`, accepted as robfig/cron parses it): no Job, exit 0', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 's.yaml'),
      'apiVersion: kubesim.dev/v1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  horizon: 30d\n  replications: 2\n  cluster:\n    nodePools:\n      - {name: g, count: 1, capacity: {cpu: "4", memory: 8Gi}}\n' +
        '  workloads:\n    - {apiVersion: batch/v1, kind: CronJob, metadata: {name: c}, spec: {schedule: "0 0 30 2 *", jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}}}\n',
    );
    expect(cli(['validate', 's.yaml'], dir).code).toBe(0);
    const r = cli(['run', 's.yaml', '--out', join(dir, 'out'), '--quiet', '--workers', '1', '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'metrics.csv'), 'utf8')).toMatch(/,workload,c,jobs_started,0\n/);
  });

  it('reports an unknown scheduler policy', () => {
    const r = cli(['run', 'scenarios/quickstart.yaml', '--set', 'scheduler.policy=fastest', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown scheduler policy "fastest"; expected one of kube-default/);
  });

  it('rejects unknown flags with exit 2', () => {
    const r = cli(['run', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument: bogus/);
  });

  it('validate prints ok and a census', () => {
    const r = cli(['validate', 'scenarios/drain-tight-pdb.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: drain-tight-pdb: 12 nodes in 1 pool, 28 pods, 3 workloads, 1 PDB\n');
  });

  it('schema prints a JSON Schema', () => {
    const r = cli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema ?? schema.type).toBeDefined();
  });
});

describe('--out that cannot be written: exit 2 before any replication runs, no stack trace', () => {
  const commands: [string, (out: string) => string[]][] = [
    ['run', (out) => ['run', 'scenarios/quickstart.yaml', '--replications', '2', '--quiet', '--out', out]],
    ['compare', (out) => ['compare', 'scenarios/quickstart.yaml', '--policies', 'kube-default,most-allocated', '--replications', '2', '--quiet', '--out', out]],
    ['merge', (out) => ['merge', tmp(), '--out', out]],
  ];
  it.each(commands)('%s --out FILE, and --out inside a file', (_name, args) => {
    const dir = tmp();
    const file = join(dir, 'afile');
    writeFileSync(file, 'not a folder');
    for (const out of [file, join(file, 'below')]) {
      const r = cli(args(out));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`kubesim-des: --out ${out}: a file is in the way of this folder`);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('run --out in a place that cannot hold folders (sysfs)', () => {
    const r = cli(['run', 'scenarios/quickstart.yaml', '--replications', '2', '--quiet', '--out', '/sys/kubesim-out/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubesim-des: --out \/sys\/kubesim-out\/x: cannot create this folder \(E[A-Z]+\)$/m);
  });
});
