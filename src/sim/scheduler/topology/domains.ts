// Topology domains: for each topology key that some pod's affinity term or spread constraint
// names, the domain (label value) of every node as a small integer, so the scheduler's per-node
// loops index typed arrays instead of hashing label values (kube keeps
// map[topologyPair]count; a pair here is (key id, domain id)).
//
// Domain ids are dense per key, assigned in node index order (deterministic). Rebuilt when the
// NodeTable's node set changes (staticVersion, count; labels are immutable after add):
// O(nodes × keys), cold.

import type { NodeTable } from '../../cluster/node-table.js';
import { packedMap } from '../../packed.js';
import { replicationArray } from '../../typed-arrays.js';

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
    this.domainOf = packedMap(keys, () => replicationArray(Int32Array, 0));
    this.numDomains = replicationArray(Int32Array, keys.length);
  }

  /** Nodes covered by the last sync (NodeTable.count then). */
  get numNodes(): number {
    return this.count;
  }

  /** Id of `key`, or -1 when no pod names it. */
  idOf(key: string): number {
    return this.keys.indexOf(key);
  }

  /**
   * Brings the domain ids up to date with the NodeTable. O(1) when nothing changed; after a
   * staticVersion bump (a node added or removed) O(nodes × keys). True only when some node's
   * domain id or a key's domain count really changed.
   */
  sync(): boolean {
    const nodes = this.nodes;
    if (nodes.staticVersion === this.version && nodes.count === this.count) return false;
    let changed = nodes.count !== this.count;
    this.version = nodes.staticVersion;
    this.count = nodes.count;
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k]!;
      if (this.domainOf[k]!.length < nodes.count) {
        const grownDom = replicationArray(Int32Array, Math.max(16, nodes.count * 2)).fill(-1);
        grownDom.set(this.domainOf[k]!);
        this.domainOf[k] = grownDom;
      }
      const dom = this.domainOf[k]!;
      const ids = new Map<string, number>();
      for (let n = 0; n < nodes.count; n++) {
        const labels = nodes.labels[n]!;
        let id = -1;
        if (nodes.exists[n] !== 0 && Object.hasOwn(labels, key)) {
          const v = labels[key]!;
          const known = ids.get(v);
          if (known === undefined) ids.set(v, (id = ids.size));
          else id = known;
        }
        if (dom[n] !== id) {
          dom[n] = id;
          changed = true;
        }
      }
      if (this.numDomains[k] !== ids.size) changed = true;
      this.numDomains[k] = ids.size;
    }
    return changed;
  }
}
