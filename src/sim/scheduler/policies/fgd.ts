// Fragmentation Gradient Descent (openb's FGDScore plugin alone, plugins/fgd.ts): the default
// filters and node sampling, the node (and, for a shared pod, the device) whose fragmentation
// for the scenario's pod mix grows least.

import type { PolicyFactory } from '../framework.js';
import { Fgd, TargetMix } from '../plugins/fgd.js';

export const fgd: PolicyFactory = ({ nodes, gpu, targetPods }) => {
  const plugin = new Fgd(nodes, gpu, targetPods === null ? null : new TargetMix(targetPods));
  return {
    name: 'fgd',
    search: 'sampled',
    scorePlugins: [{ plugin, weight: 1 }],
    gpuDevice: (pod, n) => plugin.device(pod, n),
  };
};
