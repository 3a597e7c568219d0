// `node-crash` failures: a machine dies and is repaired after a sampled time.
//
// Each (failure entry, node) pair has its own random stream, so adding a node, changing the
// scheduler policy or another entry leaves this node's crash times unchanged (common random
// numbers). With `mtbf`, the next crash is drawn when the node comes back (time between
// failures is up-time); with `at`, the node crashes once at that time. Nodes that join later
// (autoscaler, spot replacements) and match an entry's pools or names get their own stream
// the same way (keyed by node name, so deterministic), from the time they join; a one-off
// `at` already past is not replayed.

import type { SimContext } from '../context.js';
import type { Failure } from '../../scenario/model.js';
import { sample } from '../random/sample.js';
import type { Rng } from '../random/streams.js';
import type { Machines } from './machine.js';
import { Cause } from '../metrics/causes.js';

type NodeCrash = Extract<Failure, { type: 'node-crash' }>;

export class NodeCrashes {
  private readonly crashKind: number;
  private readonly repairKind: number;
  /** rngs[entry][node], created on first use. */
  private readonly rngs: (Rng | undefined)[][] = [];
  /** Per entry: the streams `node-crash/<entry>/<node name>`. */
  private readonly streams: { of(member: string): Rng }[] = [];
  private readonly entries: NodeCrash[];
  /** Target pool indices and node names per entry (empty = any). */
  private readonly pools: Set<number>[] = [];
  private readonly names: Set<string>[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly machines: Machines,
  ) {
    this.entries = ctx.scenario.failures.filter((f): f is NodeCrash => f.type === 'node-crash');
    this.crashKind = ctx.engine.register('node-crash', (e, n) => this.crash(e, n));
    this.repairKind = ctx.engine.register('node-repair', (e, n) => this.repair(e, n));
  }

  start(): void {
    const { nodes, scenario } = this.ctx;
    this.entries.forEach((f, e) => {
      this.rngs.push([]);
      this.streams.push(this.ctx.streams.family(`node-crash/${e}/`));
      this.pools.push(new Set(f.target.pools.map((name) => scenario.nodePools.findIndex((p) => p.name === name))));
      this.names.push(new Set(f.target.names));
    });
    for (let e = 0; e < this.entries.length; e++) for (let n = 0; n < nodes.count; n++) this.arm(e, n);
  }

  /** A node joined after t = 0: every entry targeting it is armed from now. */
  onNodeAdded(n: number): void {
    for (let e = 0; e < this.entries.length; e++) this.arm(e, n);
  }

  private arm(e: number, n: number): void {
    const { nodes, engine } = this.ctx;
    const f = this.entries[e]!;
    const pools = this.pools[e]!;
    const names = this.names[e]!;
    if (pools.size > 0 && !pools.has(nodes.pool[n]!)) return;
    if (names.size > 0 && !names.has(nodes.names[n]!)) return;
    if (f.atS !== null && f.atS >= engine.now) engine.schedule(f.atS, this.crashKind, e, n);
    if (f.mtbf !== null) engine.schedule(engine.now + sample(f.mtbf, this.rng(e, n)), this.crashKind, e, n);
  }

  private rng(e: number, n: number): Rng {
    const row = this.rngs[e]!;
    let r = row[n];
    if (r === undefined) {
      r = this.streams[e]!.of(this.ctx.nodes.names[n]!);
      row[n] = r;
    }
    return r;
  }

  private crash(e: number, n: number): void {
    const { nodes, engine } = this.ctx;
    const f = this.entries[e]!;
    if (nodes.up[n] === 0 || nodes.exists[n] === 0) {
      // Already down (another entry or an outage): a recurring process draws its next crash.
      if (f.mtbf !== null) engine.schedule(engine.now + sample(f.mtbf, this.rng(e, n)), this.crashKind, e, n);
      return;
    }
    this.machines.down(n, 'node-crash', Cause.NodeCrash);
    engine.schedule(engine.now + sample(f.repair, this.rng(e, n)), this.repairKind, e, n);
  }

  private repair(e: number, n: number): void {
    const { engine } = this.ctx;
    const f = this.entries[e]!;
    this.machines.up(n, 'node-repaired');
    if (f.mtbf !== null) engine.schedule(engine.now + sample(f.mtbf, this.rng(e, n)), this.crashKind, e, n);
  }
}
