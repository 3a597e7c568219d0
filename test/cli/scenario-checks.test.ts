// Scenario and flag checks through the real CLI: `validate` and `run` report the same positioned
// error and exit 2 (no run starts, nothing is written).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/cli.js';

/** scenarios/quickstart.yaml with `edit` applied, written to a temp folder; returns its path. */
function quickstartWith(edit: (src: string) => string): string {
  const dir = tempDir();
  const file = join(dir, 's.yaml');
  writeFileSync(file, edit(readFileSync('scenarios/quickstart.yaml', 'utf8')));
  return file;
}

/** `validate` and `run` on the same input: both exit 2 with the same stderr; returns it. */
function bothRefuse(file: string, extra: string[] = []): string {
  const v = runCli(['validate', file, ...extra]);
  const out = tempDir();
  const r = runCli(['run', file, ...extra, '--out', out, '--quiet', '--replications', '1']);
  expect(v.code).toBe(2);
  expect(r.code).toBe(2);
  expect(v.stdout).toBe('');
  expect(r.stderr).toBe(v.stderr);
  expect(existsSync(join(out, 'metrics.csv'))).toBe(false);
  return v.stderr;
}

describe('scheduler.policy', () => {
  it('an unknown policy: validate and run give the same error at the value (not at 1:1)', () => {
    const file = quickstartWith((s) => s.replace('scheduler: {policy: kube-default}', 'scheduler: {policy: kube-defualt}'));
    const err = bothRefuse(file);
    // quickstart.yaml line 13: `  scheduler: {policy: kube-default}`
    expect(err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:13:23: spec\\.scheduler\\.policy: unknown scheduler policy "kube-defualt" \\(did you mean "kube-default"\\?\\)`));
  });

  it('--set scheduler.policy=nope: the same in both, naming the flag', () => {
    const err = bothRefuse('scenarios/quickstart.yaml', ['--set', 'scheduler.policy=nope']);
    expect(err).toMatch(/^scenarios\/quickstart\.yaml:13:23: spec\.scheduler\.policy: unknown scheduler policy "nope"; .*\(from --set scheduler\.policy=nope\)\n$/);
  });
});

describe('a sweep axis named like a fixed column', () => {
  it('sweeping seed: refused by validate and run alike (no metrics.csv with two seed columns)', () => {
    const file = quickstartWith((s) => s.replace('  disruptions:', '  sweep:\n    - {set: seed, values: [1, 2]}\n  disruptions:'));
    const err = bothRefuse(file);
    expect(err).toMatch(/:\d+:13: spec\.sweep\[0\]\.set: seed cannot be swept: .*use --seed N for another base seed, or more replications for more seeds\n$/);
  });
});

describe('metadata.name', () => {
  it('"../../escape": refused by validate and run alike; nothing is written outside results/', () => {
    const file = quickstartWith((s) => s.replace('metadata: {name: quickstart}', 'metadata: {name: "../../escape"}'));
    const cwd = join(tempDir(), 'a', 'b');
    mkdirSync(cwd, { recursive: true });
    const v = runCli(['validate', file], { cwd });
    const r = runCli(['run', file, '--quiet', '--replications', '1'], { cwd });
    expect([v.code, r.code]).toEqual([2, 2]);
    expect(r.stderr).toBe(v.stderr);
    expect(v.stderr).toMatch(/:7:18: metadata\.name: "\.\.\/\.\.\/escape" is not a valid name: it names the result folder/);
    expect(existsSync(join(cwd, '..', 'escape'))).toBe(false);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });
});

describe('node count', () => {
  it('--set count=1e9: exit 2 with the error at the count, from validate and run (not a V8 out-of-memory, exit 134)', () => {
    const err = bothRefuse('scenarios/quickstart.yaml', ['--set', 'cluster.nodePools[general].count=1e9']);
    expect(err).toMatch(/^scenarios\/quickstart\.yaml:17:16: spec\.cluster\.nodePools\[0\]\.count: must be at most 100000 .*got 1000000000 \(from --set cluster\.nodePools\[general\]\.count=1e9\)\n$/);
  });
});
