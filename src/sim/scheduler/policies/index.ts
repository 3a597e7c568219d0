// The policy registry: `scenario.scheduler.policy` names -> factories. A new policy is one
// file in this folder, one line here and its name in BUILTIN_POLICIES (scenario/model.ts).

import { isAbsolute } from 'node:path';
import { BUILTIN_POLICIES, type BuiltinPolicy } from '../../../scenario/model.js';
import type { Policy, PolicyContext, PolicyFactory } from '../framework.js';
import { balancedAllocation } from './balanced-allocation.js';
import { bestFit } from './best-fit.js';
import { dotProduct } from './dot-product.js';
import { firstFit } from './first-fit.js';
import { kubeDefault } from './kube-default.js';
import { leastAllocated } from './least-allocated.js';
import { mostAllocated } from './most-allocated.js';
import { random } from './random.js';
import { requestedToCapacityRatio } from './requested-to-capacity-ratio.js';
import { worstFit } from './worst-fit.js';
import { userPolicy } from './user-policy.js';
import { gpuPacking } from './gpu-packing.js';
import { gpuClustering } from './gpu-clustering.js';
import { fgd } from './fgd.js';

/** One factory per built-in name (scenario/model.ts BUILTIN_POLICIES): a name without one, or one without a name, does not compile. */
const POLICIES: Readonly<Record<BuiltinPolicy, PolicyFactory>> = {
  'kube-default': kubeDefault,
  'least-allocated': leastAllocated,
  'most-allocated': mostAllocated,
  'balanced-allocation': balancedAllocation,
  'requested-to-capacity-ratio': requestedToCapacityRatio,
  'first-fit': firstFit,
  'best-fit': bestFit,
  'worst-fit': worstFit,
  random,
  'dot-product': dotProduct,
  'gpu-packing': gpuPacking,
  'gpu-clustering': gpuClustering,
  fgd,
};

/** Names accepted in `scenario.scheduler.policy`. */
export const POLICY_NAMES: readonly string[] = BUILTIN_POLICIES;

/**
 * Builds the named policy, or the user policy module at an absolute path (loaded beforehand by
 * user/registry.ts loadUserPolicy); throws for an unknown name, listing the valid ones.
 */
export function createPolicy(name: string, ctx: PolicyContext): Policy {
  if (isAbsolute(name)) return userPolicy(name, ctx);
  const factory = Object.hasOwn(POLICIES, name) ? POLICIES[name as BuiltinPolicy] : undefined;
  if (factory === undefined) {
    throw new Error(`Unknown scheduler policy "${name}": expected one of ${POLICY_NAMES.join(', ')}`);
  }
  return factory(ctx);
}
