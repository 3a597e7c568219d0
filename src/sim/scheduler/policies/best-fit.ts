// The default filters and node sampling, scored by best fit on the dominant resource: the
// node whose tightest resource (cpu or memory share, actual requests) is fullest after the
// placement wins (plugins/best-fit.ts). Ties are broken uniformly by the scheduler's stream.

import type { PolicyFactory } from '../framework.js';
import { BestFit } from '../plugins/best-fit.js';

export const bestFit: PolicyFactory = ({ nodes }) => ({
  name: 'best-fit',
  search: 'sampled',
  scorePlugins: [{ plugin: new BestFit(nodes), weight: 1 }],
});
