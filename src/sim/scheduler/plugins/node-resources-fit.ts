// kube: pkg/scheduler/framework/plugins/noderesources/fit.go (Filter: fitsRequest).
// The scoring strategies of the same plugin live in least-allocated.ts / most-allocated.ts.

import type { NodeTable } from '../../cluster/node-table.js';
import type { FilterPlugin } from '../framework.js';
import type { NominatedOverlay } from '../nominator.js';
import type { SchedPod } from '../sched-pod.js';

/** Reason code bit for "Too many pods"; bit (r + 1) means "Insufficient <resource r>". */
const TOO_MANY_PODS = 1;

/**
 * kube: noderesources fitsRequest. "Too many pods" when podCount + 1 > allocatable pods; for
 * every resource the pod requests (> 0), "Insufficient <name>" when
 * request > allocatable - requested. Actual requests, not the non-zero defaults. All failing
 * resources are reported, as upstream does.
 *
 * With an overlay, the nominated pods that count this cycle are added to the node first, as
 * kube's RunFilterPluginsWithNominatedPods does (see nominator.ts).
 */
export class NodeResourcesFitFilter implements FilterPlugin {
  readonly name = 'NodeResourcesFit';
  constructor(
    private readonly nodes: NodeTable,
    private readonly resourceNames: readonly string[],
    private readonly overlay: NominatedOverlay | null = null,
  ) {
    if (nodes.R > 30) throw new Error(`NodeResourcesFit: expected at most 30 resource dimensions, got ${nodes.R}`);
  }

  filter(pod: SchedPod, n: number): number {
    const nodes = this.nodes;
    const ov = this.overlay;
    const nominated = ov !== null && ov.active && ov.pods[n]! > 0;
    const extraPods = nominated ? ov.pods[n]! : 0;
    let code = nodes.podCount[n]! + extraPods + 1 > nodes.maxPods[n]! ? TOO_MANY_PODS : 0;
    const base = n * nodes.R;
    const dims = pod.requestedDims;
    for (let i = 0; i < dims.length; i++) {
      const r = dims[i]!;
      const used = nodes.requested[base + r]! + (nominated ? ov.req[base + r]! : 0);
      if (pod.requests[r]! > nodes.allocatable[base + r]! - used) code |= 1 << (r + 1);
    }
    return code;
  }

  reasons(pod: SchedPod, n: number, code: number): string[] {
    const out: string[] = [];
    if ((code & TOO_MANY_PODS) !== 0) out.push('Too many pods');
    for (let r = 0; r < this.nodes.R; r++) {
      if ((code & (1 << (r + 1))) !== 0) out.push(`Insufficient ${this.resourceNames[r] ?? `resource-${r}`}`);
    }
    return out;
  }
}
