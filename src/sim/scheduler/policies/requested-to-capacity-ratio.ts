// The default filters and node sampling, scored by NodeResourcesFit with strategy
// RequestedToCapacityRatio, cpu and memory weight 1, and the shape [{0, 0}, {100, 10}] that
// behaves like MostAllocated (kube-scheduler has no default shape; this is the bin-packing one
// of its documentation). Differs from most-allocated only in the arithmetic: utilisation is
// truncated to an integer percentage first and the mean is rounded, not truncated.

import type { PolicyFactory } from '../framework.js';
import { MOST_ALLOCATED_SHAPE, RequestedToCapacityRatio } from '../plugins/requested-to-capacity-ratio.js';

export const requestedToCapacityRatio: PolicyFactory = ({ nodes }) => ({
  name: 'requested-to-capacity-ratio',
  search: 'sampled',
  scorePlugins: [{ plugin: new RequestedToCapacityRatio(nodes, MOST_ALLOCATED_SHAPE), weight: 1 }],
});
