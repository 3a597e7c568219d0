// The real CLI on sweep axes and --set paths that overlap in different spellings: `run` writes
// no point under a label it did not run, and `validate` refuses what `run` refuses.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readText, runCli, sweptWebUnderFailures, tempDir } from '../support/cli.js';

const axisLine = readFileSync('scenarios/web-under-failures.yaml', 'utf8').split('\n').length + 1;

describe('kubesim-des run with a --set naming a swept field in another spelling', () => {
  it('drops the axis with a warning: one point, labelled and run with the --set value', () => {
    const file = sweptWebUnderFailures(['{set: "workloads[Deployment/checkout].spec.replicas", values: [5, 6, 9]}']);
    const out = tempDir();
    const r = runCli(['run', file, '--set', 'workloads[0].spec.replicas=7', '--replications', '2', '--workers', '1', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `${file}:${axisLine}:7: warning: sweep axis workloads[Deployment/checkout].spec.replicas is fixed by --set workloads[0].spec.replicas=7; the axis is dropped`,
    );
    const summary = readText(out, 'summary.csv').split('\n');
    expect(summary[0]).toBe('scenario,point,subject_kind,subject,metric,n,mean,stddev,ci95_low,ci95_high,p50,p95,p99,min,max');
    const readyMean = summary.filter((l) => l.includes(',workload,checkout,ready_mean,'));
    expect(readyMean).toHaveLength(1);
    expect(Number(readyMean[0]!.split(',')[6])).toBeCloseTo(7, 1);
  });
});

describe('kubesim-des validate agrees with run', () => {
  it('a --set inside a swept field: the same error at the axis, exit 2, from both', () => {
    const file = sweptWebUnderFailures(['{set: "failures[0]", values: [{type: node-crash, pools: [general], mtbf: 1d}, {type: node-crash, pools: [general], mtbf: 30d}]}']);
    const out = tempDir();
    const message = `${file}:${axisLine}:7: --set failures[0].mtbf=3d changes part of what sweep axis failures[0] sets`;
    const validate = runCli(['validate', file, '--set', 'failures[0].mtbf=3d']);
    const run = runCli(['run', file, '--set', 'failures[0].mtbf=3d', '--replications', '1', '--workers', '1', '--out', out, '--quiet']);
    expect([validate.code, run.code]).toEqual([2, 2]);
    expect(validate.stdout).toBe('');
    expect(validate.stderr).toContain(message);
    expect(run.stderr).toBe(validate.stderr);
    expect(readdirSync(out)).toEqual([]);
  });

  it('two axes over one failure entry: validate is not ok', () => {
    const file = sweptWebUnderFailures(['{set: "failures[0].mtbf", values: [1d, 30d]}', '{set: "failures[0]", values: [{type: node-crash, pools: [general], mtbf: 3d}]}']);
    const r = runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:${axisLine + 1}:13: spec.sweep[1].set: failures[0] contains failures[0].mtbf, which another axis sweeps (${axisLine}:7)`);
  });
});
