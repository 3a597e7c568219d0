// openb's gpu-clustering policy (the GpuClusteringScore plugin alone): the default filters and
// node sampling, GPU pods placed with pods of the same GPU class (shared, 1, 2, 4, 8 GPUs);
// shared pods go to the best-fit device.

import type { PolicyFactory } from '../framework.js';
import { GpuClustering } from '../plugins/gpu-clustering.js';

export const gpuClustering: PolicyFactory = ({ gpu }) => ({
  name: 'gpu-clustering',
  search: 'sampled',
  scorePlugins: [{ plugin: new GpuClustering(gpu), weight: 1 }],
});
