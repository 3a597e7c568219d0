// kube: pkg/scheduler/framework/plugins/nodeunschedulable (Filter).

import { DynamicTaint, type NodeTable } from '../../cluster/node-table.js';
import type { FilterPlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';

/** kube: nodeunschedulable.ErrReasonUnschedulable. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/**
 * kube: NodeUnschedulable.Filter. A cordoned node (spec.unschedulable, the DynamicTaint
 * Unschedulable bit) rejects the pod unless it tolerates node.kubernetes.io/unschedulable:NoSchedule.
 */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';
  constructor(private readonly nodes: NodeTable) {}

  filter(pod: SchedPod, n: number): number {
    return (this.nodes.dynTaints[n]! & DynamicTaint.Unschedulable & ~pod.toleratedDynTaints) !== 0 ? 1 : 0;
  }

  reasons(): string[] {
    return [ERR_REASON_UNSCHEDULABLE];
  }
}
