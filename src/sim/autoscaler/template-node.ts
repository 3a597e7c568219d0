// A node that does not exist yet: what cluster-autoscaler calls a node group's template
// NodeInfo (core/utils GetNodeInfoFromTemplate / simulator.BuildNodeInfoForNode): the pool's
// allocatable, labels and taints, plus the DaemonSet pods that would land on it at once
// (daemonset.GetDaemonSetPodsForNode). Pods are checked against it with the scheduler's own
// filter functions (NodeName, TaintToleration, NodeAffinity / nodeSelector, NodeResourcesFit),
// as the autoscaler runs kube-scheduler's Filter plugins on the template.
//
// A binpacking estimate opens several such nodes; `used` (per dimension) and `podsUsed` hold
// what has been packed on one of them so far.

import type { SimContext } from '../context.js';
import { poolNodeInit } from '../cluster/node-inits.js';
import type { SchedPod } from '../scheduler/scheduler.js';
import { nodeNameFits } from '../scheduler/plugins/node-name.js';
import { firstUntoleratedHardTaint } from '../scheduler/plugins/taint-toleration.js';
import { requiredNodeAffinityMatches } from '../scheduler/plugins/node-affinity.js';
import type { Taint } from '../../scenario/model.js';

export class TemplateNode {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly taints: Taint[];
  readonly allocatable: Float64Array;
  readonly maxPods: number;
  /** Requests of the DaemonSet pods a fresh node runs, and their count. */
  readonly daemonSetRequests: Float64Array;
  readonly daemonSetPods: number;

  /** The template of pool `pi`, labelled as its node number `index` would be. */
  constructor(ctx: SimContext, pi: number, index: number) {
    const init = poolNodeInit(ctx.scenario, pi, index);
    const R = ctx.nodes.R;
    this.name = init.name;
    this.labels = init.labels;
    this.taints = init.taints;
    this.allocatable = Float64Array.from({ length: R }, (_, r) => init.allocatable[r] ?? 0);
    this.maxPods = init.maxPods;
    this.daemonSetRequests = new Float64Array(R);
    let dsPods = 0;
    ctx.scenario.workloads.forEach((w, i) => {
      if (w.kind !== 'DaemonSet') return;
      const sp = ctx.templates[i]!;
      // kube: NodeShouldRunDaemonPod's predicates.
      if (!nodeNameFits(sp, this.name) || !requiredNodeAffinityMatches(sp, this.name, this.labels)) return;
      if (firstUntoleratedHardTaint(this.taints, sp.tolerations) >= 0) return;
      for (let r = 0; r < R; r++) this.daemonSetRequests[r] += sp.requests[r]!;
      dsPods++;
    });
    this.daemonSetPods = dsPods;
  }

  /** Starts an empty new node's usage: its DaemonSet pods. */
  reset(used: Float64Array): number {
    used.set(this.daemonSetRequests);
    return this.daemonSetPods;
  }

  /** The static filters: could the pod ever run on a node of this pool? */
  admits(pod: SchedPod): boolean {
    return nodeNameFits(pod, this.name) && requiredNodeAffinityMatches(pod, this.name, this.labels) && firstUntoleratedHardTaint(this.taints, pod.tolerations) < 0;
  }

  /** kube: NodeResourcesFit's fitsRequest on a template node already holding `used` / `podsUsed`. */
  fitsResources(pod: SchedPod, used: Float64Array, podsUsed: number): boolean {
    if (podsUsed + 1 > this.maxPods) return false;
    const dims = pod.requestedDims;
    for (let i = 0; i < dims.length; i++) {
      const r = dims[i]!;
      if (pod.requests[r]! > this.allocatable[r]! - used[r]!) return false;
    }
    return true;
  }
}
