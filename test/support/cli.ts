// Running the real CLI (dist/, built once by the vitest globalSetup) from end-to-end tests.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

/** Runs `kubesim-des ARGS`; the shard and test-hook variables are cleared unless given. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, JOB_COMPLETION_INDEX: '', KUBESIM_TEST_INTERRUPT_AFTER: '', ...opts.env };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? process.cwd(), encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'kubesim-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const readText = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

/** scenarios/quickstart.yaml with a two-point sweep over web's replicas (6, 9); returns its path. */
export function sweptQuickstart(): string {
  const dir = tempDir();
  const src = readFileSync('scenarios/quickstart.yaml', 'utf8').replace(
    '  disruptions:',
    '  sweep:\n    - {set: "workloads[Deployment/web].spec.replicas", values: [6, 9]}\n  disruptions:',
  );
  writeFileSync(join(dir, 's.yaml'), src);
  return join(dir, 's.yaml');
}

/** A copy of scenarios/web-under-failures.yaml (and its manifests) with these sweep axes; returns its path. */
export function sweptWebUnderFailures(axes: string[]): string {
  const dir = tempDir();
  cpSync('scenarios/manifests/web', join(dir, 'manifests', 'web'), { recursive: true });
  const src = readFileSync('scenarios/web-under-failures.yaml', 'utf8') + `  sweep:\n${axes.map((a) => `    - ${a}\n`).join('')}`;
  writeFileSync(join(dir, 's.yaml'), src);
  return join(dir, 's.yaml');
}
