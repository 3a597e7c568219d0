// The default filters and node sampling, scored by NodeResourcesBalancedAllocation alone.

import type { PolicyFactory } from '../framework.js';
import { BalancedAllocation } from '../plugins/balanced-allocation.js';

export const balancedAllocation: PolicyFactory = ({ nodes }) => ({
  name: 'balanced-allocation',
  search: 'sampled',
  scorePlugins: [{ plugin: new BalancedAllocation(nodes), weight: 1 }],
});
