// Builders for scheduler tests: pod templates and small hand-built NodeTables.

import type { PodTemplate, Taint, Toleration } from '../../src/scenario/model.js';
import { NodeTable, type NodeInit } from '../../src/sim/cluster/node-table.js';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** A PodTemplate literal; non-zero requests default like a single-container pod (100m / 200Mi). */
export function podTemplate(over: Partial<PodTemplate> = {}): PodTemplate {
  const requests = over.requests ?? [0, 0, 0];
  return {
    labels: {},
    requests,
    nonZeroCpuMilli: requests[0] || 100,
    nonZeroMemoryBytes: requests[1] || 200 * MiB,
    nodeName: null,
    nodeSelector: {},
    requiredNodeAffinity: null,
    preferredNodeAffinity: [],
    podAffinity: { required: [], preferred: [] },
    podAntiAffinity: { required: [], preferred: [] },
    topologySpreadConstraints: [],
    tolerations: [],
    priorityClassName: null,
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    terminationGracePeriodS: 30,
    usesEmptyDir: false,
    restartPolicy: 'Always',
    ...over,
  } as PodTemplate;
}

export interface NodeSpec {
  name?: string;
  cpu?: number; // millicores
  memory?: number; // bytes
  ephemeral?: number;
  extra?: number[]; // dims 3..
  maxPods?: number;
  zone?: string | null;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function nodeInit(spec: NodeSpec, i: number): NodeInit {
  return {
    name: spec.name ?? `node-${i}`,
    pool: 0,
    zone: spec.zone ?? null,
    labels: spec.labels ?? {},
    taints: spec.taints ?? [],
    allocatable: [spec.cpu ?? 4000, spec.memory ?? 8 * GiB, spec.ephemeral ?? 100 * GiB, ...(spec.extra ?? [])],
    maxPods: spec.maxPods ?? 110,
    unschedulable: spec.unschedulable ?? false,
  };
}

/** A NodeTable with one node per spec (3 resource dimensions unless `dims` says more). */
export function cluster(specs: NodeSpec[], dims = 3): NodeTable {
  const nodes = new NodeTable(dims, 16);
  specs.forEach((s, i) => nodes.add(nodeInit(s, i)));
  return nodes;
}

/** Accounts an already-running pod with these requests on node n (non-zero defaults like podTemplate). */
export function bind(nodes: NodeTable, n: number, requests: number[]): void {
  const full = Array.from({ length: nodes.R }, (_, r) => requests[r] ?? 0);
  nodes.addPod(n, full, full[0] || 100, full[1] || 200 * MiB);
}

export function toleration(over: Partial<Toleration>): Toleration {
  return { key: '', operator: 'Equal', value: '', effect: '', tolerationSeconds: null, ...over };
}

/** A deterministic stream for tests that must not depend on the tie-break. */
export function constRandom(value = 0): () => number {
  return () => value;
}
