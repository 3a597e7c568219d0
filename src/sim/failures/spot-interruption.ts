// `spot-interruption`: per node of the target pools, after a time drawn from `mtbf` the cloud
// gives notice; the node is cordoned and drained through its PDBs (as node termination
// handlers do: kubectl drain --ignore-daemonsets --force --delete-emptydir-data, bounded by
// the notice); at the deadline the machine is gone whatever the PDBs say, the node object is
// deleted (its pods with it), and a replacement joins the pool after the pool's
// provisioningTime, itself subject to the same interruptions.

import type { SimContext } from '../context.js';
import type { Failure } from '../../scenario/model.js';
import { sample } from '../random/sample.js';
import type { Rng } from '../random/streams.js';
import type { NodeChanges } from '../cluster/node-changes.js';
import { Cause } from '../metrics/causes.js';
import { packedMap } from '../packed.js';

type Spot = Extract<Failure, { type: 'spot-interruption' }>;

export class SpotInterruptions {
  private readonly entries: Spot[];
  private readonly noticeKind: number;
  private readonly deadlineKind: number;
  private readonly provisionedKind: number;
  /** Per entry: the streams `spot/<entry>/<node name>`. */
  private readonly streams: { of(member: string): Rng }[];

  constructor(
    private readonly ctx: SimContext,
    private readonly changes: NodeChanges,
  ) {
    this.entries = ctx.scenario.failures.filter((f): f is Spot => f.type === 'spot-interruption');
    this.streams = packedMap(this.entries, (_, e) => ctx.streams.family(`spot/${e}/`));
    this.noticeKind = ctx.engine.register('spot-notice', (e, n) => this.notice(e, n));
    this.deadlineKind = ctx.engine.register('spot-deadline', (e, n) => this.deadline(e, n));
    this.provisionedKind = ctx.engine.register('node-provisioned', (e, pool) => this.provisioned(e, pool));
  }

  start(): void {
    this.entries.forEach((_, e) => {
      for (let n = 0; n < this.ctx.nodes.count; n++) this.arm(e, n);
    });
  }

  private targets(e: number, n: number): boolean {
    const pools = this.entries[e]!.target.pools;
    const pool = this.ctx.nodes.pool[n]!;
    return pools.length === 0 ? pool >= 0 : pools.includes(this.ctx.scenario.nodePools[pool]?.name ?? '');
  }

  /** Draws node n's interruption time from its own stream (common random numbers). */
  private arm(e: number, n: number): void {
    if (!this.targets(e, n)) return;
    const rng = this.streams[e]!.of(this.ctx.nodes.names[n]!);
    this.ctx.engine.schedule(this.ctx.engine.now + sample(this.entries[e]!.mtbf, rng), this.noticeKind, e, n);
  }

  private notice(e: number, n: number): void {
    const { ctx } = this;
    if (ctx.nodes.exists[n] !== 1) return;
    const f = this.entries[e]!;
    if (ctx.trace.enabled) ctx.trace.add(ctx.engine.now, 'spot-notice', ctx.nodes.names[n]!, '', '');
    ctx.drains.drainNode(n, { timeoutS: f.noticeS, force: true, deleteEmptyDirData: true, label: `spot ${e}`, cause: Cause.SpotInterruption });
    ctx.engine.schedule(ctx.engine.now + f.noticeS, this.deadlineKind, e, n);
  }

  private deadline(e: number, n: number): void {
    const { ctx } = this;
    if (ctx.nodes.exists[n] !== 1) return;
    ctx.machines.down(n, 'spot-terminated', Cause.SpotInterruption);
    this.changes.removeNode(n, Cause.SpotInterruption);
    const pool = ctx.nodes.pool[n]!;
    ctx.engine.schedule(ctx.engine.now + ctx.scenario.nodePools[pool]!.provisioningTimeS, this.provisionedKind, e, pool);
  }

  private provisioned(e: number, pool: number): void {
    const n = this.changes.addPoolNode(pool);
    this.arm(e, n);
  }
}
