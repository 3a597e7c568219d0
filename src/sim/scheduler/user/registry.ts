// User policy modules, imported once per process (the main thread, and each worker thread at
// start-up) before any replication runs: `import()` is asynchronous, a replication is not, so
// the scheduler only looks a module up here by its absolute path.

import { pathToFileURL } from 'node:url';
import type { ScoreFunction } from './api.js';

const loaded = new Map<string, ScoreFunction>();

/**
 * Imports the module at `absPath` (once per process) and checks it exports a `score` function.
 * Resolves to null on success, or to a one-line reason ("the module threw while loading: ...",
 * "expected the module to export a function `score`, got undefined").
 */
export async function loadUserPolicy(absPath: string): Promise<string | null> {
  if (loaded.has(absPath)) return null;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(absPath).href)) as Record<string, unknown>;
  } catch (e) {
    return `cannot load the policy module: ${errorMessage(e)}`;
  }
  // A CommonJS module's exports arrive as `default`.
  const fromDefault = mod.default as Record<string, unknown> | null | undefined;
  const score = mod.score !== undefined ? mod.score : typeof fromDefault === 'object' && fromDefault !== null ? fromDefault.score : undefined;
  if (typeof score !== 'function') {
    return `expected the policy module to export a function \`score(pod, node)\`, got ${describe(score)}`;
  }
  loaded.set(absPath, score as ScoreFunction);
  return null;
}

/** The `score` export of a module loaded by loadUserPolicy; throws if it was not loaded. */
export function userScoreFunction(absPath: string): ScoreFunction {
  const fn = loaded.get(absPath);
  if (fn === undefined) throw new Error(`Expected the policy module ${absPath} to be loaded before the replication, got none`);
  return fn;
}

/** A value as an error message shows it: `"abc"`, `NaN`, `undefined`, `an object`. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === undefined || v === null) return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return 'an array';
  return 'an object';
}

/** An error's message; also for errors from another realm (a vm context, a test runner's loader). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  return String(e);
}
