// Pieces shared by the commands: loading a scenario with --set overrides, printing errors.

import { accessSync, constants, mkdirSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { loadScenarioFile, ScenarioError, type LoadedScenario, type Override } from '../../scenario/load.js';
import { loadUserPolicy } from '../../sim/scheduler/user/registry.js';
import { UsageError } from '../errors.js';

/** Parses `--set PATH=VALUE` flags. */
export function parseOverrides(sets: readonly string[] | undefined): Override[] {
  return (sets ?? []).map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set: expected PATH=VALUE, got "${s}"`);
    return { path: s.slice(0, eq).trim(), value: s.slice(eq + 1) };
  });
}

/** --replications (an integer >= 1) and --seed (an integer >= 0, as spec.seed) of `run` and `compare`. */
export function checkReplicationsAndSeed(a: { replications?: number; seed?: number }): void {
  if (a.replications !== undefined && (!Number.isInteger(a.replications) || a.replications < 1)) {
    throw new UsageError(`--replications: expected an integer >= 1, got ${a.replications}`);
  }
  if (a.seed !== undefined && !(Number.isSafeInteger(a.seed) && a.seed >= 0)) throw new UsageError(`--seed: expected an integer >= 0 (as spec.seed), got ${a.seed}`);
}

/** --workers: an integer >= 1; default 'auto' (see runTasks); `run` and `compare`. */
export function parseWorkers(n: number | undefined): number | 'auto' {
  if (n === undefined) return 'auto';
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--workers: expected an integer >= 1, got ${n}`);
  return n;
}

/**
 * The output folder, created if missing, checked writable before any replication runs: a
 * --out naming a file or a read-only place is bad input (exit 2) found in milliseconds, not an
 * internal error after the whole run.
 */
export function ensureOutDir(dir: string): void {
  const say = (why: string): UsageError => new UsageError(`--out ${dir}: ${why}`);
  try {
    mkdirSync(dir, { recursive: true }); // a file at `dir` or above it: EEXIST / ENOTDIR
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw say(code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way of this folder' : `cannot create this folder (${code ?? String(err)})`);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw say(`cannot write in this folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Loads a scenario; prints warnings; on invalid input prints every error and throws. */
export function loadOrExit(file: string, overrides: Override[]): LoadedScenario {
  const res = loadScenarioFile(file, overrides);
  for (const w of res.warnings) process.stderr.write(`${w}\n`);
  if (!res.ok) {
    throw new InvalidScenario(res.errors.map((e) => e.format()));
  }
  return res.loaded;
}

/**
 * Imports every user policy module the points name (`scheduler.policy` resolved to an absolute
 * path by the loader), so replications can run; a module that fails to import or exports no
 * `score` function is invalid input at the policy's position.
 */
export async function preloadPolicies(loaded: LoadedScenario): Promise<void> {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const point of loaded.points) {
    const { policy, policySource } = point.scenario.scheduler;
    if (!isAbsolute(policy) || seen.has(policy)) continue;
    seen.add(policy);
    const why = await loadUserPolicy(policy);
    if (why === null) continue;
    const pos = policySource ?? { file: loaded.file, line: 1, col: 1 };
    errors.push(new ScenarioError(pos.file, pos.line, pos.col, `spec.scheduler.policy: ${why}`).format());
  }
  if (errors.length > 0) throw new InvalidScenario(errors);
}

/** Invalid scenario: each line is FILE:LINE:COL: message. */
export class InvalidScenario extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}
