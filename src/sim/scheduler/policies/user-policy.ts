// `scheduler.policy: ./my-policy.js`: the default filters and node sampling (like every policy),
// scored by the module's `score` function alone (user/api.ts documents the interface).

import type { Policy, PolicyContext } from '../framework.js';
import { userScoreFunction } from '../user/registry.js';
import { UserScore } from '../user/user-score.js';

export function userPolicy(absPath: string, { nodes, resourceNames }: PolicyContext): Policy {
  return {
    name: absPath,
    search: 'sampled',
    scorePlugins: [{ plugin: new UserScore(nodes, resourceNames, absPath, userScoreFunction(absPath)), weight: 1 }],
  };
}
