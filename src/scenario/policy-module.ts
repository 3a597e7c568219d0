// `scheduler.policy`: a built-in policy name, checked against the registry here, or a JavaScript
// module, resolved against the scenario file's folder and checked to be a readable file here; both
// at the boundary, with the value's position, so `validate` and `run` report the same error.
// Whether a module exports a `score` function is checked when it is imported (asynchronously,
// before the run: src/cli/commands/common.ts preloadPolicies), with the same position.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_POLICIES } from './model.js';
import type { Cur } from './cursor.js';
import { didYouMean } from './suggest.js';

/** True for a `scheduler.policy` value that names a module file rather than a built-in policy. */
export function isPolicyModulePath(policy: string): boolean {
  return /\.(js|mjs|cjs)$/i.test(policy) || policy.startsWith('./') || policy.startsWith('../') || path.isAbsolute(policy);
}

/** A built-in name unchanged; a module path made absolute (errors reported at `cur`). */
export function resolvePolicy(cur: Cur, policy: string, baseDir: string): string {
  if (!isPolicyModulePath(policy)) {
    if (policy !== '' && !(BUILTIN_POLICIES as readonly string[]).includes(policy)) {
      cur.error(
        `unknown scheduler policy ${JSON.stringify(policy)}${didYouMean(policy, BUILTIN_POLICIES)}; expected one of ${BUILTIN_POLICIES.join(', ')}, ` +
          'or a ./module.js exporting a score function',
      );
    }
    return policy;
  }
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
