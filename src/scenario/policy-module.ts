// `scheduler.policy` naming a JavaScript module: resolved against the scenario file's folder
// and checked to be a readable file here, at the boundary, with the value's position. Whether it
// exports a `score` function is checked when it is imported (asynchronously, before the run:
// src/cli/commands/common.ts preloadPolicies), with the same position.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Cur } from './cursor.js';

/** True for a `scheduler.policy` value that names a module file rather than a built-in policy. */
export function isPolicyModulePath(policy: string): boolean {
  return /\.(js|mjs|cjs)$/i.test(policy) || policy.startsWith('./') || policy.startsWith('../') || path.isAbsolute(policy);
}

/** A built-in name unchanged; a module path made absolute (errors reported at `cur`). */
export function resolvePolicy(cur: Cur, policy: string, baseDir: string): string {
  if (!isPolicyModulePath(policy)) return policy;
  const abs = path.resolve(baseDir, policy);
  if (!/\.(js|mjs|cjs)$/i.test(abs)) {
    cur.error(`a policy module must be a .js, .mjs or .cjs file, got ${JSON.stringify(policy)}`);
    return abs;
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch {
    stat = undefined;
  }
  if (stat === undefined || !stat.isFile()) {
    cur.error(`policy module ${JSON.stringify(policy)} not found (looked for ${abs})`);
  }
  return abs;
}
