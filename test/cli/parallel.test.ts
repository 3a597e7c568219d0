// End-to-end: --workers, --only, --shard and merge give exactly the files of one in-process run;
// a failing task is reported with what reproduces it and no result files are written.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readText as read, runCli, sweptQuickstart as sweptScenario, tempDir } from '../support/cli.js';

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });
const tmp = () => tempDir('kubesim-par-');

describe('--workers', () => {
  it('writes byte-identical metrics.csv, summary.csv and events.csv for 1, 2 and 3 workers', () => {
    const outs = [1, 2, 3].map((w) => {
      const out = tmp();
      const r = cli(['run', 'scenarios/web-under-failures.yaml', '--out', out, '--replications', '5', '--quiet', '--trace', '--workers', String(w)]);
      expect(r.code).toBe(0);
      expect(JSON.parse(read(out, 'run.json')).workers).toBe(w);
      return out;
    });
    for (const f of ['metrics.csv', 'summary.csv', 'events.csv']) {
      expect(read(outs[1]!, f)).toBe(read(outs[0]!, f));
      expect(read(outs[2]!, f)).toBe(read(outs[0]!, f));
    }
    // 5 replications, one header: the rows are all there.
    expect(read(outs[0]!, 'metrics.csv').split('\n').filter((l) => /,0,4,\d+,/.test(l)).length).toBeGreaterThan(10);
  });

  it('is byte-identical when tasks go to the threads in chunks of several', () => {
    // 48 tasks on 2 threads: chunks of floor(48 / 16) = 3 tasks.
    const [a, b] = [1, 2].map((w) => {
      const out = tmp();
      expect(cli(['run', 'scenarios/quickstart.yaml', '--out', out, '--replications', '48', '--quiet', '--trace', '--workers', String(w)]).code).toBe(0);
      return out;
    });
    for (const f of ['metrics.csv', 'summary.csv', 'events.csv']) expect(read(b!, f)).toBe(read(a!, f));
    expect(JSON.parse(read(b!, 'run.json')).seeds).toEqual(JSON.parse(read(a!, 'run.json')).seeds);
  });

  it.each(['4096', '262144'])('is byte-identical when the metrics ring is %s bytes (chunks too big for it go as text; the rest wrap around it)', (ring) => {
    // 400 tasks on 2 threads: chunks of 25 tasks, ~140 KB of metrics.csv each: none fits a 4 KiB
    // ring; in 256 KiB one fits, or none while the main thread holds the bytes of another.
    const [a, b] = [1, 2].map((w) => {
      const out = tmp();
      const r = cli(['run', 'scenarios/web-under-failures.yaml', '--out', out, '--replications', '400', '--quiet', '--workers', String(w)], { KUBESIM_TEST_RING_BYTES: ring });
      expect(r.code).toBe(0);
      return out;
    });
    for (const f of ['metrics.csv', 'summary.csv']) expect(read(b!, f)).toBe(read(a!, f));
  });

  it('without --workers, a short run stays in-process (the probe finds too little work left for threads)', () => {
    // 200 replications of web-under-failures take well under a second in-process: the first
    // second's pace would have to exceed ~22 ms per replication ((3,400 + 1,000) / 200) for the
    // rest to reach the ~3.4 s that two threads need to pay off (threadsPayOff).
    const [auto, one] = [[], ['--workers', '1']].map((flags) => {
      const out = tmp();
      expect(cli(['run', 'scenarios/web-under-failures.yaml', '--out', out, '--replications', '200', '--quiet', ...flags]).code).toBe(0);
      return out;
    });
    expect(JSON.parse(read(auto!, 'run.json')).workers).toBe(1);
    for (const f of ['metrics.csv', 'summary.csv']) expect(read(auto!, f)).toBe(read(one!, f));
  });

  it('rejects --workers 0 with exit 2', () => {
    const r = cli(['run', 'scenarios/quickstart.yaml', '--workers', '0', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers: expected an integer >= 1, got 0/);
  });
});

describe('a failing task', () => {
  it.each([1, 2])('with %i worker(s): the others finish, each failure is reported, exit 1, no result files', (w) => {
    const out = tmp();
    const r = cli(['run', sweptScenario(), '--out', out, '--replications', '3', '--quiet', '--workers', String(w)], {
      KUBESIM_TEST_FAIL_TASKS: '0:1,1:2',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 of 6 tasks failed/);
    expect(r.stderr).toMatch(/replication 1 of point 0 failed \(seed \d+; re-run it alone with --only 0:1\): injected failure/);
    expect(r.stderr).toMatch(/replication 2 of point 1 failed \(seed \d+; re-run it alone with --only 1:2\)/);
    for (const f of ['metrics.csv', 'summary.csv', 'run.json']) expect(existsSync(join(out, f))).toBe(false);
  });

  it.each([1, 2])('with %i worker(s) and --seed: the re-run hint repeats --seed, and running it gives the failed seed', (w) => {
    const r = cli(['run', sweptScenario(), '--out', tmp(), '--replications', '3', '--seed', '5', '--quiet', '--workers', String(w)], {
      KUBESIM_TEST_FAIL_TASKS: '1:2',
    });
    expect(r.code).toBe(1);
    const m = /replication 2 of point 1 failed \(seed (\d+); re-run it alone with (--only 1:2 --seed 5)\)/.exec(r.stderr);
    expect(m).not.toBeNull();
    const out = tmp();
    const again = cli(['run', sweptScenario(), '--out', out, '--quiet', '--workers', '1', ...m![2]!.split(' ')]);
    expect(again.code).toBe(0);
    const row = read(out, 'metrics.csv').split('\n')[1]!.split(',');
    const header = read(out, 'metrics.csv').split('\n')[0]!.split(',');
    expect(row[header.indexOf('seed')]).toBe(m![1]);
  });
});

describe('a failing task inside a chunk', () => {
  it('fails alone: the rest of its chunk is not reported', () => {
    const out = tmp();
    // 40 tasks on 2 threads: chunks of 2; task 5 shares its chunk with task 4.
    const r = cli(['run', 'scenarios/quickstart.yaml', '--out', out, '--replications', '40', '--quiet', '--workers', '2'], { KUBESIM_TEST_FAIL_TASKS: '0:5' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 of 40 tasks failed/);
    expect(r.stderr).toMatch(/replication 5 of point 0 failed/);
    expect(r.stderr).not.toMatch(/replication 4 of point 0 failed/);
  });
});

describe('--only', () => {
  it('runs one task with the same numbers as in the full run', () => {
    const scenario = sweptScenario();
    const full = tmp();
    const one = tmp();
    expect(cli(['run', scenario, '--out', full, '--replications', '3', '--quiet', '--workers', '1']).code).toBe(0);
    expect(cli(['run', scenario, '--out', one, '--replications', '3', '--quiet', '--only', '1:2']).code).toBe(0);
    const fullRows = read(full, 'metrics.csv').split('\n').filter((l) => l.startsWith('quickstart,1,9,2,'));
    const oneLines = read(one, 'metrics.csv').split('\n');
    expect(oneLines[0]).toBe(read(full, 'metrics.csv').split('\n')[0]);
    expect(oneLines.slice(1).filter((l) => l !== '')).toEqual(fullRows);
    expect(fullRows.length).toBeGreaterThan(10);
    expect(JSON.parse(read(one, 'run.json')).seeds).toEqual([{ point: 1, replication: 2, seed: expect.any(Number) }]);
  });

  it('rejects a task that does not exist, and a malformed value, with exit 2', () => {
    expect(cli(['run', 'scenarios/quickstart.yaml', '--replications', '2', '--quiet', '--only', '0:5']).stderr).toMatch(/--only 0:5: no such task/);
    const r = cli(['run', 'scenarios/quickstart.yaml', '--quiet', '--only', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--only: expected POINT:REPLICATION/);
  });

  it('rejects a negative or fractional --seed with exit 2 (spec.seed is an integer >= 0)', () => {
    for (const seed of ['-1', '1.5']) {
      const r = cli(['run', 'scenarios/quickstart.yaml', '--replications', '1', '--quiet', '--seed', seed, '--out', tmp()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--seed: expected an integer >= 0 (as spec.seed), got ${seed}`);
    }
  });
});

describe('--shard and merge', () => {
  it('4 shards merged give byte for byte the files of one run', () => {
    const scenario = sweptScenario();
    const full = tmp();
    expect(cli(['run', scenario, '--out', full, '--replications', '5', '--quiet', '--trace', '--workers', '2']).code).toBe(0);
    const shards = [0, 1, 2, 3].map((i) => {
      const out = tmp();
      // Shard 2 takes its index from the environment, as in a Kubernetes Indexed Job.
      const r = i === 2
        ? cli(['run', scenario, '--out', out, '--replications', '5', '--quiet', '--trace'], { JOB_COMPLETION_INDEX: '2', KUBESIM_SHARDS: '4' })
        : cli(['run', scenario, '--out', out, '--replications', '5', '--quiet', '--trace', '--shard', `${i}/4`, '--workers', String(1 + (i % 2))]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`shard ${i}/4: \\d+ of 10 tasks`));
      expect(existsSync(join(out, 'summary.csv'))).toBe(false);
      return out;
    });
    const merged = tmp();
    const r = cli(['merge', shards[3]!, shards[0]!, shards[2]!, shards[1]!, '--out', merged]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/workload web\s+availability/);
    for (const f of ['metrics.csv', 'summary.csv', 'events.csv']) expect(read(merged, f)).toBe(read(full, f));
    const a = JSON.parse(read(full, 'run.json'));
    const b = JSON.parse(read(merged, 'run.json'));
    expect(b.seeds).toEqual(a.seeds);
    expect(b.eventsProcessed).toBe(a.eventsProcessed);
    expect([b.seed, b.replications, b.points, b.scenarioHash]).toEqual([a.seed, a.replications, a.points, a.scenarioHash]);
    expect(b.mergedShards.map((s: { shard: { index: number } }) => s.shard.index)).toEqual([0, 1, 2, 3]);
  });

  it('--format json: a shard prints a JSON record of what it ran, not text', () => {
    const out = tmp();
    const r = cli(['run', 'scenarios/quickstart.yaml', '--out', out, '--replications', '3', '--quiet', '--shard', '1/2', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ shard: { index: 1, count: 2 }, tasks: 1, of: 3, out });
  });

  it('refuses a missing shard, and JOB_COMPLETION_INDEX without a shard count, with exit 2', () => {
    const s0 = tmp();
    expect(cli(['run', 'scenarios/quickstart.yaml', '--out', s0, '--replications', '4', '--quiet', '--shard', '0/2']).code).toBe(0);
    const r = cli(['merge', s0, '--out', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing shard 1\/2/);
    const e = cli(['run', 'scenarios/quickstart.yaml', '--quiet'], { JOB_COMPLETION_INDEX: '1' });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/KUBESIM_SHARDS/);
    expect(cli(['run', 'scenarios/quickstart.yaml', '--quiet', '--shard', '4/4']).code).toBe(2);
  });
});
