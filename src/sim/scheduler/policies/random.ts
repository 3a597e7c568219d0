// The default filters and node sampling, no score plugin: every feasible node scores 1 and
// selectHost's reservoir sampling picks one uniformly with the scheduler's random stream
// (kube: prioritizeNodes "If no priority configs are provided, then all nodes will have a
// score of one"). Uniform among the feasible nodes the search found: all of them below 100
// nodes or with percentageOfNodesToScore 100, otherwise the numFeasibleNodesToFind found
// from the rotating start.

import type { PolicyFactory } from '../framework.js';

export const random: PolicyFactory = () => ({
  name: 'random',
  search: 'sampled',
  scorePlugins: [],
});
