// spec.cluster.nodePools -> node pools, and the index of every node name of the scenario.

import type { Cur } from './cursor.js';
import { DEFAULT_MAX_PODS, readAllocatable, type NodeDraft } from './kube/node.js';
import { CPU, EPHEMERAL, isDimension, MEMORY, PODS, type ResourceList } from './kube/resources.js';
import { readTaints } from './kube/taints.js';
import { readLabels } from './kube/labels.js';
import { dns1123LabelErrors } from './kube/meta.js';
import { LABEL_ZONE, type NodePool } from './model.js';
import { didYouMean } from './suggest.js';

/** A pool before resource dimensions are fixed. */
export interface PoolDraft extends Omit<NodePool, 'capacity'> {
  capacity: ResourceList;
}

/**
 * The most nodes a scenario may have, per pool and in all (pools, explicit nodes, and the
 * autoscaler's max per pool). Kubernetes supports 5,000 nodes per cluster (its scalability
 * thresholds); the largest managed offerings go to tens of thousands. 100,000 is 20 times
 * upstream's limit, and a replication of it stays small: 100,000 nodes for 1 h of crashes ran in
 * 2.4 s and 290 MB (1,000,000 took 1.7 GB; 10^9 exhausted the V8 heap, exit 134).
 */
export const MAX_NODES = 100_000;
export const MAX_NODES_WHY = `a scenario's limit, 20 times the 5,000 nodes per cluster Kubernetes supports`;

const CAPACITY_HINT = 'capacity names are cpu, memory, pods, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource such as nvidia.com/gpu';

export function readNodePools(c: Cur): PoolDraft[] {
  const out: PoolDraft[] = [];
  const seen = new Map<string, Cur>();
  let total = 0;
  for (const p of c.list() ?? []) {
    if (p.entries() === undefined) continue;
    const nameCur = p.requireChild('name');
    const name = nameCur.str();
    const countCur = p.requireChild('count');
    const count = countCur.int({ min: 0 });
    // Reported, but the pool is kept (nothing is built per node at load) so that entries naming
    // it do not report it missing too.
    const tooMany = count !== undefined && count > MAX_NODES;
    if (tooMany) countCur.error(`must be at most ${MAX_NODES} (${MAX_NODES_WHY}), got ${count}`);
    const capCur = p.requireChild('capacity');
    const zonesCur = p.child('zones');
    let zones = zonesCur.strList();
    const labelsCur = p.child('labels');
    // A pool's labels are its nodes' labels: kube ValidateLabels (ValidateObjectMeta of a Node).
    const labels = readLabels(labelsCur);
    // The zone label is the zone, as for explicit nodes: without `zones` it is the pool's one
    // zone (zone-outage, the node lifecycle's zone rate limits and topology spread agree); with
    // `zones`, which set the label on every node round-robin, a different value is an error.
    const labelZone = labels[LABEL_ZONE];
    if (labelZone !== undefined) {
      if (zonesCur.missing) zones = [labelZone];
      else if (zones.some((z) => z !== labelZone)) {
        labelsCur.child(LABEL_ZONE).error(
          `conflicts with zones [${zones.join(', ')}], which set ${LABEL_ZONE} on the pool's nodes round-robin: give the zone in one place (zones: [${labelZone}], or drop the label)`,
        );
      }
    }
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
    // kube: IsDNS1123Label; pool nodes are named <pool>-<index>, which must be a valid node name.
    if (dns1123LabelErrors(name).length > 0) {
      nameCur.error(`${JSON.stringify(name)} is not a valid pool name: use lower case letters, digits and '-', starting and ending with a letter or digit (nodes are named ${name}-0, ...)`);
      continue;
    }
    if (seen.has(name)) {
      nameCur.error(`duplicate pool name ${JSON.stringify(name)} (pool names must be unique)`);
      continue;
    }
    seen.set(name, p);
    const before = total;
    total += count;
    if (!tooMany && before <= MAX_NODES && total > MAX_NODES) countCur.error(`brings the node pools to ${total} nodes in all, more than ${MAX_NODES} (${MAX_NODES_WHY})`);
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
      const z = n.labels[LABEL_ZONE];
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
