// What `run --resume` and `merge` combine must be of one run: the same scenario, --set overrides
// and policy module text (inputsHash, src/sweep/identity.ts), and, for --resume, the same
// --trace. Anything else is refused with exit 2 and the file named.

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText, runCli, tempDir } from '../support/cli.js';

const S = 'scenarios/web-under-failures.yaml';
const base = (out: string, ...more: string[]) => ['run', S, '--out', out, '--quiet', '--replications', '12', ...more];
const interrupted = (args: string[]) => runCli([...args, '--workers', '1'], { env: { KUBESIM_TEST_INTERRUPT_AFTER: '5' } });
const partialTasks = (dir: string) => readText(dir, '.partial/tasks.jsonl').split('\n').filter((l) => l !== '').length - 1;

/** Rewrites the header (line 1) of a tasks.jsonl as an earlier version wrote it: no inputsHash, no trace. */
function asEarlierVersion(file: string): void {
  const [head, ...rest] = readFileSync(file, 'utf8').split('\n');
  const h = JSON.parse(head!) as Record<string, unknown>;
  delete h.inputsHash;
  delete h.trace;
  writeFileSync(file, [JSON.stringify(h), ...rest].join('\n'));
}

/** A copy of web-under-failures (and its manifests) using a policy module, in a new folder; returns the scenario's path. */
function withPolicyModule(): string {
  const dir = tempDir('kubesim-identity-');
  cpSync('scenarios/manifests', join(dir, 'manifests'), { recursive: true });
  writeFileSync(join(dir, 'policy.js'), 'export function score(pod, node) { return 100 - node.pods; }\n');
  writeFileSync(join(dir, 's.yaml'), readText('scenarios', 'web-under-failures.yaml').replace('spec:\n', 'spec:\n  scheduler: {policy: ./policy.js}\n'));
  return join(dir, 's.yaml');
}

describe('--resume: only a record of the same run', () => {
  it('refuses other --set overrides (exit 2, the record kept); the same ones, on other --workers, finish it as one run', () => {
    const out = tempDir();
    expect(interrupted(base(out, '--set', 'horizon=2d')).code).toBe(130);
    const kept = partialTasks(out);
    for (const sets of [[], ['--set', 'horizon=3d'], ['--set', 'horizon=2d', '--set', 'warmup=2h']]) {
      const r = runCli([...base(out, '--resume'), ...sets]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--resume: .*\.partial\/tasks\.jsonl: recorded for another run \(.*inputs [0-9a-f]{12}.*other --set overrides or policy module contents/);
    }
    expect(partialTasks(out)).toBe(kept);
    const r = runCli([...base(out, '--resume', '--set', 'horizon=2d'), '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    const full = tempDir();
    expect(runCli(base(full, '--set', 'horizon=2d')).code).toBe(0);
    for (const f of ['metrics.csv', 'summary.csv']) expect(readText(out, f)).toBe(readText(full, f));
    expect(JSON.parse(readText(out, 'run.json')).inputsHash).toBe(JSON.parse(readText(full, 'run.json')).inputsHash);
  });

  it("refuses a policy module whose text changed since the record", () => {
    const scenario = withPolicyModule();
    const out = tempDir();
    const args = ['run', scenario, '--out', out, '--quiet', '--replications', '12'];
    expect(interrupted(args).code).toBe(130);
    const policy = join(scenario, '..', 'policy.js');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace('100', '110'));
    const r = runCli([...args, '--resume']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/recorded for another run.*other --set overrides or policy module contents/);
  });

  it('refuses --trace added to a record made without it, as it refused the reverse', () => {
    const out = tempDir();
    expect(interrupted(base(out)).code).toBe(130);
    const r = runCli(base(out, '--resume', '--trace'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--resume: .*recorded without --trace; resume with the same flags \(without --trace\), or run without --resume/);

    const traced = tempDir();
    expect(interrupted(base(traced, '--trace')).code).toBe(130);
    const t = runCli(base(traced, '--resume'));
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/recorded with --trace; resume with the same flags \(with --trace\)/);
    expect(runCli(base(traced, '--resume', '--trace')).code).toBe(0);
  });

  it('refuses, without crashing, a record of an earlier version (no inputsHash)', () => {
    const out = tempDir();
    expect(interrupted(base(out)).code).toBe(130);
    asEarlierVersion(join(out, '.partial', 'tasks.jsonl'));
    const r = runCli(base(out, '--resume'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--resume: .*tasks\.jsonl: recorded by an earlier kubesim-des, .*Run without --resume to start over/);
  });
});

describe('merge: only shards of the same run', () => {
  /** Shards 0/2 and 1/2 of S with `flags`, plus `more` given to shard 1 only; returns their folders. */
  function shards(flags: string[], more: string[] = []): string[] {
    return [0, 1].map((i) => {
      const out = tempDir();
      const r = runCli([...base(out, '--shard', `${i}/2`, '--workers', '1', ...flags), ...(i === 1 ? more : [])]);
      expect(r.code, r.stderr).toBe(0);
      return out;
    });
  }

  it('refuses shards run with other --set overrides; merges those with the same, keeping their inputsHash', () => {
    const dirs = shards(['--set', 'horizon=2d'], ['--set', 'horizon=3d']);
    const r = runCli(['merge', ...dirs, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`merge: ${dirs[1]}: not a shard of the same run as ${dirs[0]}`);
    expect(r.stderr).toMatch(/other --set overrides or policy module contents/);

    const same = tempDir();
    expect(runCli(base(same, '--shard', '1/2', '--workers', '1', '--set', 'horizon=2d')).code).toBe(0);
    const out = tempDir();
    expect(runCli(['merge', dirs[0]!, same, '--out', out]).code).toBe(0);
    expect(JSON.parse(readText(out, 'run.json')).inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(readText(out, 'run.json')).inputsHash).toBe(JSON.parse(readText(dirs[0]!, 'run.json')).inputsHash);
  });

  it('merges shards of an earlier version with each other (with a warning), not with newer ones', () => {
    const dirs = shards([]);
    const mixed = [dirs[0]!, tempDir()];
    cpSync(dirs[1]!, mixed[1]!, { recursive: true });
    asEarlierVersion(join(mixed[1]!, 'tasks.jsonl'));
    const m = runCli(['merge', ...mixed, '--out', tempDir()]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/written by an earlier kubesim-des \(no inputsHash/);

    for (const d of dirs) asEarlierVersion(join(d, 'tasks.jsonl'));
    const out = tempDir();
    const r = runCli(['merge', ...dirs, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/earlier kubesim-des .*not checked/);
    expect(JSON.parse(readText(out, 'run.json')).inputsHash).toBeUndefined();
  });
});
