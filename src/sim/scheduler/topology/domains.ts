// Topology domains: for each topology key that some pod's affinity term or spread constraint
// names, the domain (label value) of every node as a small integer, so the scheduler's per-node
// loops index typed arrays instead of hashing label values (kube keeps
// map[topologyPair]count; a pair here is (key id, domain id)).
//
// Domain ids are dense per key, assigned in node index order (deterministic). Rebuilt when the
// NodeTable's labels or node set change (topologyVersion, count): O(nodes × keys), cold.

import type { NodeTable } from '../../cluster/node-table.js';

export class TopologyDomains {
  /** The keys, by key id. */
  readonly keys: readonly string[];
  /** domainOf[k][n]: domain id of node n under key k; -1 when the node lacks the label or does not exist. */
  readonly domainOf: Int32Array[];
  /** numDomains[k]: distinct values of key k over existing nodes. */
  readonly numDomains: Int32Array;
  private version = -1;
  private count = -1;

  constructor(
    private readonly nodes: NodeTable,
    keys: readonly string[],
  ) {
    this.keys = keys;
    this.domainOf = keys.map(() => new Int32Array(0));
    this.numDomains = new Int32Array(keys.length);
  }

  /** Nodes covered by the last sync (NodeTable.count then). */
  get numNodes(): number {
    return this.count;
  }

  /** Id of `key`, or -1 when no pod names it. */
  idOf(key: string): number {
    return this.keys.indexOf(key);
  }

  /** Brings the domain ids up to date with the NodeTable. O(1) when nothing changed. */
  sync(): void {
    const nodes = this.nodes;
    if (nodes.topologyVersion === this.version && nodes.count === this.count) return;
    this.version = nodes.topologyVersion;
    this.count = nodes.count;
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k]!;
      if (this.domainOf[k]!.length < nodes.count) this.domainOf[k] = new Int32Array(Math.max(16, nodes.count * 2));
      const dom = this.domainOf[k]!;
      const ids = new Map<string, number>();
      for (let n = 0; n < nodes.count; n++) {
        const labels = nodes.labels[n]!;
        if (nodes.exists[n] === 0 || !Object.hasOwn(labels, key)) {
          dom[n] = -1;
          continue;
        }
        const v = labels[key]!;
        let id = ids.get(v);
        if (id === undefined) {
          id = ids.size;
          ids.set(v, id);
        }
        dom[n] = id;
      }
      this.numDomains[k] = ids.size;
    }
  }
}
