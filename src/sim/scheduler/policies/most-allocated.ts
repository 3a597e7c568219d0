// The default filters and node sampling, scored by NodeResourcesFit MostAllocated alone (bin packing).

import type { PolicyFactory } from '../framework.js';
import { MostAllocated } from '../plugins/most-allocated.js';

export const mostAllocated: PolicyFactory = ({ nodes }) => ({
  name: 'most-allocated',
  search: 'sampled',
  scorePlugins: [{ plugin: new MostAllocated(nodes), weight: 1 }],
});
