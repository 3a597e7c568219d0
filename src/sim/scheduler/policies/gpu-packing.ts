// openb's gpu-packing policy (the GpuPackingScore plugin alone): the default filters (GPU model
// and per-device fit included) and node sampling, GPU pods packed onto GPUs already in use,
// then onto nodes already in use; shared pods go to the best-fit device.

import type { PolicyFactory } from '../framework.js';
import { GpuPacking } from '../plugins/gpu-packing.js';

export const gpuPacking: PolicyFactory = ({ gpu }) => ({
  name: 'gpu-packing',
  search: 'sampled',
  scorePlugins: [{ plugin: new GpuPacking(gpu), weight: 1 }],
});
