// Best fit, as in bin packing: over every node (no sampling), the one that passes the default
// filters and is left fullest by the placement, measured on its dominant resource: the larger of
// the cpu and memory shares `(requested + pod) / allocatable` with actual requests (a pod without
// requests adds nothing; a resource the node lacks is skipped), capped at 1. Ties go to the
// lowest node index, so nothing is drawn. A fuller node on its tightest resource wins where
// MostAllocated (the mean of the shares) may disagree: cpu 90% / memory 10% beats 60% / 60%.
//
// Served by the free-capacity index's branch-and-bound search (FreeCapacityIndex.fullest) in
// O(log n) per cycle when its bounds prune well, instead of a scan of every node.

import type { PolicyFactory } from '../framework.js';

export const bestFit: PolicyFactory = () => ({
  name: 'best-fit',
  search: 'best-fit',
  scorePlugins: [],
});
