// The default filters and node sampling, scored by worst fit on the dominant resource: the
// node whose tightest resource keeps the most headroom after the placement wins
// (plugins/worst-fit.ts).

import type { PolicyFactory } from '../framework.js';
import { WorstFit } from '../plugins/worst-fit.js';

export const worstFit: PolicyFactory = ({ nodes }) => ({
  name: 'worst-fit',
  search: 'sampled',
  scorePlugins: [{ plugin: new WorstFit(nodes), weight: 1 }],
});
