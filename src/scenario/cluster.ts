// spec.cluster.nodePools -> node pools, and the index of every node name of the scenario.

import type { Cur } from './cursor.js';
import { DEFAULT_MAX_PODS, readAllocatable, type NodeDraft } from './kube/node.js';
import { CPU, EPHEMERAL, isDimension, MEMORY, PODS, type ResourceList } from './kube/resources.js';
import { readTaints } from './kube/taints.js';
import type { NodePool } from './model.js';
import { didYouMean } from './suggest.js';

/** A pool before resource dimensions are fixed. */
export interface PoolDraft extends Omit<NodePool, 'capacity'> {
  capacity: ResourceList;
}

/** kube: IsDNS1123Label; pool nodes are named <pool>-<index>, which must be a valid node name. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const CAPACITY_HINT = 'capacity names are cpu, memory, pods, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource such as nvidia.com/gpu';

export function readNodePools(c: Cur): PoolDraft[] {
  const out: PoolDraft[] = [];
  const seen = new Map<string, Cur>();
  for (const p of c.list() ?? []) {
    if (p.entries() === undefined) continue;
    const nameCur = p.requireChild('name');
    const name = nameCur.str();
    const count = p.requireChild('count').int({ min: 0 });
    const capCur = p.requireChild('capacity');
    const zones = p.child('zones').strList();
    const labels = p.child('labels').strMap();
    const taints = readTaints(p.child('taints'));
    const provisioningTimeS = p.child('provisioningTime').duration() ?? 0;
    for (const [k, q] of capCur.entries() ?? []) {
      if (k !== PODS && !isDimension(k)) q.errorAtKey(`unknown resource ${JSON.stringify(k)}${didYouMean(k, [CPU, MEMORY, PODS, EPHEMERAL])} (${CAPACITY_HINT})`);
    }
    const { capacity, maxPods } = readAllocatable(capCur, CAPACITY_HINT);
    if (!capCur.missing && capCur.entries() !== undefined) {
      if (!capCur.has(CPU)) capCur.requireChild(CPU);
      if (!capCur.has(MEMORY)) capCur.requireChild(MEMORY);
    }
    if (name === undefined || count === undefined || capCur.missing) continue;
    if (!DNS1123_LABEL.test(name) || name.length > 63) {
      nameCur.error(`${JSON.stringify(name)} is not a valid pool name: use lower case letters, digits and '-', starting and ending with a letter or digit (nodes are named ${name}-0, ...)`);
      continue;
    }
    if (seen.has(name)) {
      nameCur.error(`duplicate pool name ${JSON.stringify(name)} (pool names must be unique)`);
      continue;
    }
    seen.set(name, p);
    out.push({ name, count, capacity, maxPods: maxPods ?? DEFAULT_MAX_PODS, zones, labels, taints, provisioningTimeS, source: p.pos });
  }
  return out;
}

/** Every node name of the scenario: `<pool>-<i>` for pool nodes, and the explicit ones. */
export class NodeIndex {
  private readonly poolCount = new Map<string, number>();
  private readonly explicit = new Set<string>();
  /** Zones that have at least one node (topology.kubernetes.io/zone). */
  readonly zones = new Set<string>();

  constructor(pools: readonly PoolDraft[], nodes: readonly NodeDraft[]) {
    for (const p of pools) {
      this.poolCount.set(p.name, p.count);
      p.zones.slice(0, p.count).forEach((z) => this.zones.add(z));
    }
    for (const n of nodes) {
      this.explicit.add(n.name);
      const z = n.labels['topology.kubernetes.io/zone'];
      if (z !== undefined) this.zones.add(z);
    }
  }

  hasPool(name: string): boolean {
    return this.poolCount.has(name);
  }

  get poolNames(): string[] {
    return [...this.poolCount.keys()];
  }

  /** The pool node `name` would be (pool, index), if its pool exists and is big enough. */
  poolNode(name: string): { pool: string; index: number } | null {
    const m = /^(.*)-(0|[1-9]\d*)$/.exec(name);
    if (m === null) return null;
    const count = this.poolCount.get(m[1]!);
    const index = Number(m[2]);
    return count !== undefined && index < count ? { pool: m[1]!, index } : null;
  }

  has(name: string): boolean {
    return this.explicit.has(name) || this.poolNode(name) !== null;
  }

  poolSize(name: string): number {
    return this.poolCount.get(name) ?? 0;
  }

  /** Nodes in the given pools, or in the whole cluster when `pools` is empty. */
  size(pools: readonly string[]): number {
    if (pools.length === 0) return [...this.poolCount.values()].reduce((a, b) => a + b, 0) + this.explicit.size;
    return pools.reduce((a, p) => a + this.poolSize(p), 0);
  }
}
