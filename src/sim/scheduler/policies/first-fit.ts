// The lowest-index node that passes the default filters: every node in index order, no
// sampling, no scoring, no randomness.

import type { PolicyFactory } from '../framework.js';

export const firstFit: PolicyFactory = () => ({
  name: 'first-fit',
  search: 'first-fit',
  scorePlugins: [],
});
