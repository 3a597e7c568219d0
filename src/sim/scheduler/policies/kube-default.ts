// kube-scheduler's default profile (kube: pkg/scheduler/apis/config/v1/default_plugins.go
// getDefaultPlugins), with the score plugins implemented so far, in upstream order.
// Not yet: ImageLocality [1]. DefaultPreemption (PostFilter) is the same for every policy:
// default-preemption.ts.

import type { PolicyFactory } from '../framework.js';
import { BalancedAllocation } from '../plugins/balanced-allocation.js';
import { LeastAllocated } from '../plugins/least-allocated.js';
import { InterPodAffinityScore } from '../plugins/inter-pod-affinity.js';
import { NodeAffinityScore } from '../plugins/node-affinity.js';
import { PodTopologySpreadScore } from '../plugins/pod-topology-spread.js';
import { TaintTolerationScore } from '../plugins/taint-toleration.js';

export const kubeDefault: PolicyFactory = ({ nodes, podTopology }) => ({
  name: 'kube-default',
  search: 'sampled',
  scorePlugins: [
    { plugin: new TaintTolerationScore(), weight: 3 },
    { plugin: new NodeAffinityScore(), weight: 2 },
    { plugin: new LeastAllocated(nodes), weight: 1 },
    { plugin: new PodTopologySpreadScore(nodes, podTopology), weight: 2 },
    { plugin: new InterPodAffinityScore(podTopology), weight: 2 },
    { plugin: new BalancedAllocation(nodes), weight: 1 },
  ],
});
