// The default filters and node sampling, scored by Tetris-style alignment of the pod's request
// vector with the node's free vector, normalised by capacity (plugins/dot-product.ts).

import type { PolicyFactory } from '../framework.js';
import { DotProduct } from '../plugins/dot-product.js';

export const dotProduct: PolicyFactory = ({ nodes }) => ({
  name: 'dot-product',
  search: 'sampled',
  scorePlugins: [{ plugin: new DotProduct(nodes), weight: 1 }],
});
