// A run's identity: `inputsHash`, in the header of a shard's tasks.jsonl and of the resumable
// record (.partial/tasks.jsonl), and in run.json. Two records may be combined (`merge`, `run
// --resume`) only if it is equal: it covers what decides a task's numbers beyond the seed and the
// task list, which the header holds beside it (seed, replications, points, shard):
//
//   - the scenario file's text and each manifest file's (LoadedScenario.sourceText, whose hash
//     is also run.json's `scenarioHash`);
//   - the `--set` overrides, in the order given (a later one of the same path wins);
//   - the text of each scheduler policy module the points load, in order of first use; not its
//     path, so shards run from other folders or machines still merge.
//
// Not covered, as they do not change a task's numbers: --out, --workers, --quiet, --format,
// --trace and --shard (the header's `trace` and `shard` are checked on their own). Nor what a
// policy module imports in turn, nor the tool's version.

import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { LoadedScenario } from '../scenario/load.js';
import { sha256Hex } from '../output/run-json.js';

/** Bumped when what the hash covers changes, so an older identity never equals a newer one. */
const IDENTITY_VERSION = 1;

/**
 * SHA-256 (lowercase hex) of the run's inputs, as above. Reads the policy module files.
 * `scenarioHash`: sha256 of `loaded.sourceText`, when the caller has it already (run.json's).
 */
export function inputsHash(loaded: LoadedScenario, scenarioHash = sha256Hex(loaded.sourceText)): string {
  const modules: string[] = [];
  const seen = new Set<string>();
  for (const p of loaded.points) {
    const policy = p.scenario.scheduler.policy; // a module's path was made absolute by the loader
    if (!isAbsolute(policy) || seen.has(policy)) continue;
    seen.add(policy);
    modules.push(sha256Hex(readFileSync(policy)));
  }
  const inputs = {
    identity: IDENTITY_VERSION,
    scenario: scenarioHash,
    overrides: loaded.overrides.map((o) => [o.path, o.value]),
    policyModules: modules,
  };
  return sha256Hex(JSON.stringify(inputs));
}
