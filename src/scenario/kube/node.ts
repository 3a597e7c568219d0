// v1 Node manifests -> explicit nodes.
//
// Uses status.allocatable, or status.capacity when allocatable is absent (kube:
// SetDefaults_NodeStatus); metadata.labels; spec.taints; spec.unschedulable (cordoned).
// `pods` becomes maxPods (110, the kubelet's default MaxPods, when the manifest omits it);
// names that pods cannot request (e.g. attachable-volumes-*) are ignored.

import type { Cur } from '../cursor.js';
import type { ExplicitNode } from '../model.js';
import type { KubeObject } from './meta.js';
import { canonical, isDimension, PODS, type ResourceList } from './resources.js';
import { readResourceList } from './pod-template.js';
import { readTaints } from './taints.js';

/** kube: kubelet config v1beta1 defaults MaxPods = 110. */
export const DEFAULT_MAX_PODS = 110;

/** An explicit node before resource dimensions are fixed. */
export interface NodeDraft extends Omit<ExplicitNode, 'capacity'> {
  capacity: ResourceList;
}

/** Reads `allocatable` into dimensions and maxPods. */
export function readAllocatable(c: Cur, hint: string): { capacity: ResourceList; maxPods: number | undefined } {
  const all = readResourceList(c, () => true, hint);
  const capacity: ResourceList = new Map();
  for (const [k, v] of all) if (isDimension(k)) capacity.set(k, v);
  const pods = all.get(PODS);
  return { capacity, maxPods: pods === undefined ? undefined : canonical(PODS, pods) };
}

export function readNode(o: KubeObject): NodeDraft | undefined {
  const c = o.cur;
  const meta = c.child('metadata');
  const labels = meta.child('labels').strMap();
  const spec = c.child('spec');
  const taints = spec.missing ? [] : readTaints(spec.child('taints'));
  const unschedulable = spec.missing ? false : (spec.child('unschedulable').bool() ?? false);
  const status = c.child('status');
  const alloc = status.child('allocatable').missing ? status.child('capacity') : status.child('allocatable');
  if (alloc.missing) {
    (status.missing ? c : status).error('a Node needs status.allocatable (or status.capacity) to be simulated');
    return undefined;
  }
  const { capacity, maxPods } = readAllocatable(alloc, 'node resources');
  return { name: o.name, capacity, maxPods: maxPods ?? DEFAULT_MAX_PODS, labels, taints, unschedulable, source: o.pos };
}
