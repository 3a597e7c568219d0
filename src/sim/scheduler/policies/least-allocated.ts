// The default filters and node sampling, scored by NodeResourcesFit LeastAllocated alone (spreading).

import type { PolicyFactory } from '../framework.js';
import { LeastAllocated } from '../plugins/least-allocated.js';

export const leastAllocated: PolicyFactory = ({ nodes }) => ({
  name: 'least-allocated',
  search: 'sampled',
  scorePlugins: [{ plugin: new LeastAllocated(nodes), weight: 1 }],
});
