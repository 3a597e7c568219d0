// `merge` refuses a shard whose files are not what its tasks.jsonl says: an events.csv or
// timeseries.csv of another length than its lines' traceChars / timeseriesChars give (it would
// merge into a silently shorter file), an events.csv missing from a shard run with --trace, or a
// tasks.jsonl cut inside a line (FILE:LINE:COL).

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

/** Shards 0/2 and 1/2 of web-under-failures with `flags`; returns their folders. */
function shards(flags: string[]): string[] {
  return [0, 1].map((i) => {
    const out = tempDir();
    const r = runCli(['run', 'scenarios/web-under-failures.yaml', '--out', out, '--quiet', '--workers', '1', '--replications', '12', '--shard', `${i}/2`, ...flags]);
    expect(r.code, r.stderr).toBe(0);
    return out;
  });
}

describe('merge: damaged shard files', () => {
  it('refuses a shard whose events.csv or timeseries.csv is cut short, naming the file', () => {
    const dirs = shards(['--trace', '--set', 'output.timeseries=12h']);
    expect(runCli(['merge', ...dirs, '--out', tempDir()]).code).toBe(0);
    for (const f of ['events.csv', 'timeseries.csv']) {
      const file = join(dirs[1]!, f);
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.slice(0, 1000)); // `head -c 1000`
      const r = runCli(['merge', ...dirs, '--out', tempDir()]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`merge: ${file}: expected ${text.length} characters`);
      writeFileSync(file, text);
    }
    const file = join(dirs[0]!, 'events.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('scenario,', 'Scenario,')); // same length, another header
    const r = runCli(['merge', ...dirs, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/events\.csv: expected \d+ characters .* not starting with the header line/);
  });

  it('refuses shards run with --trace whose events.csv files are all gone (not a merge without events)', () => {
    const dirs = shards(['--trace']);
    for (const d of dirs) rmSync(join(d, 'events.csv'));
    const r = runCli(['merge', ...dirs, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`merge: ${dirs[0]}: run with --trace, but its events.csv is missing`);
  });

  it('refuses a tasks.jsonl cut inside a line as FILE:LINE:COL', () => {
    const dirs = shards([]);
    const file = join(dirs[1]!, 'tasks.jsonl');
    const text = readFileSync(file, 'utf8');
    const cutAt = text.indexOf('\n', text.indexOf('\n') + 1) + 40; // 40 characters into line 3
    writeFileSync(file, text.slice(0, cutAt));
    const r = runCli(['merge', ...dirs, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`merge: ${file}:3:\\d+: expected a JSON object on this line: .*cut short`));
    expect(r.stderr).not.toMatch(/internal error|at JSON\.parse/);
  });
});
