// kube: pkg/scheduler/framework/plugins/nodename (Filter only in v1.34).

import type { NodeTable } from '../../cluster/node-table.js';
import type { FilterPlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';

/** kube: nodename.ErrReason. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** kube: nodename.Fits: no spec.nodeName, or it equals the node's name. */
export function nodeNameFits(pod: SchedPod, nodeName: string): boolean {
  return pod.nodeName === null || pod.nodeName === nodeName;
}

/** kube: NodeName.Filter. */
export class NodeName implements FilterPlugin {
  readonly name = 'NodeName';
  constructor(private readonly nodes: NodeTable) {}

  filter(pod: SchedPod, n: number): number {
    return nodeNameFits(pod, this.nodes.names[n]!) ? 0 : 1;
  }

  reasons(): string[] {
    return [ERR_REASON_NODE_NAME];
  }
}
