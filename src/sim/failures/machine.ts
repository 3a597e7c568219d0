// A machine going down and coming back, shared by every failure type. Several failures may
// hold one machine down at once (a crashed node inside a zone outage): it comes back when the
// last of them releases it.

import type { SimContext } from '../context.js';
import type { Cause } from '../metrics/causes.js';
import { replicationArray } from '../typed-arrays.js';

export class Machines {
  /** Failures currently holding each node down. */
  private holds: Int32Array;

  constructor(private readonly ctx: SimContext) {
    this.holds = replicationArray(Int32Array, Math.max(16, ctx.nodes.count));
  }

  /** Takes node n down (or adds a hold if it is down already); `cause` is charged for the pods
   * that stop serving (a hold on a machine already down stops none). */
  down(n: number, event: string, cause: Cause): void {
    if (n >= this.holds.length) {
      const h = replicationArray(Int32Array, Math.max(n + 1, this.holds.length * 2));
      h.set(this.holds);
      this.holds = h;
    }
    if (this.holds[n]!++ > 0) return;
    const { nodes, engine } = this.ctx;
    nodes.up[n] = 0;
    this.ctx.metrics.onNodeUpChanged(n, false);
    if (this.ctx.trace.enabled) this.ctx.trace.add(engine.now, event, nodes.names[n]!, '', '');
    this.ctx.lifecycle.onNodeDown(n, cause);
    this.ctx.nodeLifecycle.onMachineDown(n);
  }

  /** Releases one hold; the machine boots when none is left. */
  up(n: number, event: string): void {
    if (this.holds[n]! <= 0 || --this.holds[n]! > 0) return;
    const { nodes, engine } = this.ctx;
    nodes.up[n] = 1;
    this.ctx.metrics.onNodeUpChanged(n, true);
    if (this.ctx.trace.enabled) this.ctx.trace.add(engine.now, event, nodes.names[n]!, '', '');
    this.ctx.nodeLifecycle.onMachineUp(n);
    this.ctx.lifecycle.onNodeUp(n);
  }
}
