// --target-ci METRIC=HALFWIDTH --max-replications M: batches of replications until the widest
// 95% CI half-width of METRIC (every point, every subject) meets the target, or M; the files are
// those of `run --replications n` for the n it stopped at.
import { describe, expect, it } from 'vitest';
import { nextBatchEnd, parseTargetCi, widestHalfWidth } from '../../src/sweep/target-ci.js';
import { readText as read, runCli as cli, sweptQuickstart as swept, tempDir } from '../support/cli.js';

const tmp = () => tempDir('kubesim-target-');

describe('--target-ci', () => {
  it('parses METRIC=HALFWIDTH and plans batches up to the maximum', () => {
    expect(parseTargetCi('availability=0.001')).toEqual({ metric: 'availability', halfWidth: 0.001 });
    for (const bad of ['availability', '=1', 'x=-1', 'x=abc']) expect(() => parseTargetCi(bad)).toThrow(/METRIC=HALFWIDTH/);
    expect([nextBatchEnd(0, 5, 12), nextBatchEnd(5, 5, 12), nextBatchEnd(10, 5, 12)]).toEqual([5, 10, 12]);
  });

  it('takes the widest half-width over points and subjects, skipping a subject with no defined value', () => {
    const keys = [{ subjectKind: 'workload', subject: 'a', metric: 'm' }, { subjectKind: 'workload', subject: 'b', metric: 'm' }, { subjectKind: 'cluster', subject: '', metric: 'other' }];
    const values = [Float64Array.of(1, NaN, 100), Float64Array.of(3, NaN, -100)];
    const w = widestHalfWidth([{ point: 0, keys, values }], 'm');
    // a: 1, 3 -> mean 2, standard error 1, t(0.975, 1) = 12.706: [-10.7, 14.7] clipped to [0, 14.7], half-width 7.35.
    expect(w.where).toBe('point 0, workload a');
    expect(w.halfWidth).toBeGreaterThan(5);
    expect(widestHalfWidth([{ point: 0, keys, values }], 'none').where).toBeNull();
  });

  it('stops early on an easy target, with the files of --replications n', () => {
    const s = swept();
    const out = tmp();
    const r = cli(['run', s, '--out', out, '--replications', '4', '--max-replications', '400', '--target-ci', 'evictions=1.5', '--quiet', '--trace']);
    expect(r.code, r.stderr).toBe(0);
    const n = JSON.parse(read(out, 'run.json')).seeds.length / 2;
    expect(n % 4).toBe(0);
    expect(n).toBeLessThan(400);
    expect(r.stderr).toMatch(new RegExp(`evictions=1.5: ${n} replications per point; widest 95% CI half-width`));
    expect(r.stderr).not.toMatch(/over the target/);
    // The widest half-width of evictions in summary.csv meets the target.
    const rows = read(out, 'summary.csv').trim().split('\n').slice(1).map((l) => l.split(','));
    const hw = rows.filter((c) => c[5] === 'evictions').map((c) => (Number(c[10]) - Number(c[9])) / 2);
    expect(hw.length).toBe(2);
    expect(Math.max(...hw)).toBeLessThanOrEqual(1.5);

    const plain = tmp();
    expect(cli(['run', s, '--out', plain, '--replications', String(n), '--quiet', '--trace', '--workers', '1']).code).toBe(0);
    for (const f of ['metrics.csv', 'summary.csv', 'events.csv']) expect(read(out, f)).toBe(read(plain, f));
  });

  it('stops at --max-replications on an impossible target', () => {
    const out = tmp();
    const r = cli(['run', 'scenarios/quickstart.yaml', '--out', out, '--replications', '5', '--max-replications', '12', '--target-ci', 'downtime_s=0.000001', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(read(out, 'run.json')).seeds.length).toBe(12);
    expect(r.stderr).toMatch(/12 replications per point.*over the target: stopped at --max-replications 12/);
    const plain = tmp();
    expect(cli(['run', 'scenarios/quickstart.yaml', '--out', plain, '--replications', '12', '--quiet']).code).toBe(0);
    expect(read(out, 'summary.csv')).toBe(read(plain, 'summary.csv'));
  });

  it('runs every batch on the same worker threads, with the bytes of one in-process run', () => {
    // 2 points x 3 batches of 4 on 2 threads: the threads send a point's metric keys only with
    // their first result for it, so the batches after the first rely on the keys the pool kept.
    // A small metrics ring: its bytes are overwritten while outcomes wait for the last batch, so
    // the outcomes kept must hold copies.
    const s = swept();
    const out = tmp();
    const args = ['run', s, '--out', out, '--replications', '4', '--max-replications', '12', '--target-ci', 'downtime_s=0.000001', '--quiet', '--trace', '--workers', '2'];
    const r = cli(args, { env: { KUBESIM_TEST_RING_BYTES: '8192' } });
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(read(out, 'run.json'));
    expect(run.seeds.length).toBe(24);
    expect(run.workers).toBe(2);
    const plain = tmp();
    expect(cli(['run', s, '--out', plain, '--replications', '12', '--quiet', '--trace', '--workers', '1']).code).toBe(0);
    for (const f of ['metrics.csv', 'summary.csv', 'events.csv']) expect(read(out, f)).toBe(read(plain, f));
  });

  it('refuses bad usage with exit 2', () => {
    const base = ['run', 'scenarios/quickstart.yaml', '--quiet', '--out', tmp()];
    expect(cli([...base, '--target-ci', 'evictions=1']).stderr).toMatch(/go together/);
    expect(cli([...base, '--max-replications', '10']).code).toBe(2);
    expect(cli([...base, '--target-ci', 'nope=1', '--max-replications', '10']).stderr).toMatch(/no subject has the metric "nope"/);
    expect(cli([...base, '--target-ci', 'evictions=1', '--max-replications', '10', '--shard', '0/2']).code).toBe(2);
  });

  it.each([1, 2])('a metric no subject has stops the first batch once every point has a result (--workers %i)', (w) => {
    // Two points of 30 replications a batch; point 1 begins at task 30. Had the batch run on, the
    // failing task 1:29 would make it exit 1 instead.
    const r = cli(['run', swept(), '--quiet', '--out', tmp(), '--replications', '30', '--max-replications', '300', '--target-ci', 'nope=1', '--workers', String(w)], {
      env: { KUBESIM_TEST_FAIL_TASKS: '1:29' },
    });
    expect(r.stderr).toMatch(/no subject has the metric "nope"; the metrics are availability, /);
    expect(r.code).toBe(2);
  });
});
