// Nodes joining and leaving the cluster after t = 0 (spot replacements, the cluster
// autoscaler). Node indices are never reused: a deleted node keeps its index with exists = 0.

import type { SimContext } from '../context.js';
import { poolNodeInit } from './node-inits.js';
import type { Cause } from '../metrics/causes.js';
import { packedMap } from '../packed.js';

export class NodeChanges {
  /** Next node index per pool (pool nodes are named <pool>-<index>). */
  private readonly nextIndex: number[];
  /** Told of every node added (node-crash failures arm the new node's stream). Set up once. */
  private readonly addedListeners: ((n: number) => void)[] = [];

  constructor(private readonly ctx: SimContext) {
    this.nextIndex = packedMap(ctx.scenario.nodePools, (p) => p.count);
  }

  onNodeAdded(listener: (n: number) => void): void {
    this.addedListeners.push(listener);
  }

  /** Index the next node of pool `pi` will get (its name is `<pool>-<index>`). */
  nextIndexOf(pi: number): number {
    return this.nextIndex[pi]!;
  }

  /** Adds a new node to pool `pi` and lets every controller see it. Returns its index. */
  addPoolNode(pi: number): number {
    const { ctx } = this;
    const n = ctx.nodes.add(poolNodeInit(ctx.scenario, pi, this.nextIndex[pi]!++));
    ctx.metrics.onNodeJoined(n);
    ctx.nodeLifecycle.onNodeAdded(n);
    ctx.daemonSets.onNodeAdded(n);
    if (ctx.trace.enabled) ctx.trace.add(ctx.engine.now, 'node-added', ctx.nodes.names[n]!, '', '');
    for (const l of this.addedListeners) l(n);
    ctx.queue.onClusterChanged();
    return n;
  }

  /**
   * Deletes node n (its machine should already be down): the node leaves the scheduler's
   * snapshot and its zone, and its pods are deleted at once (kube: PodGC gcOrphaned).
   */
  removeNode(n: number, cause: Cause): void {
    const { ctx } = this;
    const { nodes } = ctx;
    ctx.metrics.onNodeRemoved(n);
    nodes.exists[n] = 0;
    nodes.staticChanged();
    ctx.nodeLifecycle.onNodeRemoved(n);
    if (ctx.trace.enabled) ctx.trace.add(ctx.engine.now, 'node-deleted', nodes.names[n]!, '', '');
    ctx.lifecycle.onNodeDeleted(n, cause);
  }
}
