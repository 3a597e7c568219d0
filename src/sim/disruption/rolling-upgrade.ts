// `rolling-node-upgrade`: upgrade the target nodes in index order, at most `maxUnavailable`
// at a time, as managed node-pool upgrades do without surge: cordon and drain (PDB-gated,
// through the eviction API, with --ignore-daemonsets --force --delete-emptydir-data since the
// node is reimaged anyway), then reimage (the machine is down for `reimage`), then the node
// is Ready and uncordoned and the next one starts.
// At `drainTimeout` the entry's `onDrainTimeout` decides: `force` deletes the pods still on
// the node without asking their PDBs and reimages; `skip` uncordons and leaves the node on the
// old version. maxUnavailable as a percentage of the target nodes rounds down, at least 1.

import type { SimContext } from '../context.js';
import type { RollingNodeUpgrade } from '../../scenario/model.js';
import { scaledValue } from './pdb-math.js';
import { DrainOutcome, type DrainOptions } from './drain.js';
import { DeleteReason } from '../cluster/pod-lifecycle.js';
import { Cause } from '../metrics/causes.js';

interface Upgrade {
  entry: RollingNodeUpgrade;
  queue: number[];
  next: number;
  inFlight: number;
  maxInFlight: number;
  startedAt: number;
  opts: DrainOptions;
}

export class RollingUpgrades {
  private readonly upgrades: Upgrade[] = [];
  private readonly startKind: number;
  private readonly reimagedKind: number;

  constructor(private readonly ctx: SimContext) {
    this.startKind = ctx.engine.register('upgrade-start', (u) => this.begin(u));
    this.reimagedKind = ctx.engine.register('node-reimaged', (u, n) => this.reimaged(u, n));
  }

  start(): void {
    for (const d of this.ctx.scenario.disruptions) {
      if (d.type !== 'rolling-node-upgrade') continue;
      const u = this.upgrades.length;
      this.upgrades.push({
        entry: d,
        queue: [],
        next: 0,
        inFlight: 0,
        maxInFlight: 1,
        startedAt: NaN,
        opts: { timeoutS: d.drainTimeoutS, force: true, deleteEmptyDirData: true, label: `upgrade ${u}`, cause: Cause.RollingNodeUpgrade },
      });
      this.ctx.engine.schedule(d.atS, this.startKind, u);
    }
  }

  private begin(ui: number): void {
    const u = this.upgrades[ui]!;
    const { nodes, scenario, engine } = this.ctx;
    const pools = new Set(u.entry.target.pools.map((name) => scenario.nodePools.findIndex((p) => p.name === name)));
    const names = new Set(u.entry.target.names);
    for (let n = 0; n < nodes.count; n++) {
      if (nodes.exists[n] !== 1) continue;
      if (pools.size > 0 && !pools.has(nodes.pool[n]!)) continue;
      if (names.size > 0 && !names.has(nodes.names[n]!)) continue;
      u.queue.push(n);
    }
    u.maxInFlight = Math.max(1, scaledValue(u.entry.maxUnavailable, u.queue.length, false));
    u.startedAt = engine.now;
    this.fill(ui);
  }

  /** Starts nodes until maxUnavailable are in flight; ends the upgrade when all are done. */
  private fill(ui: number): void {
    const u = this.upgrades[ui]!;
    while (u.inFlight < u.maxInFlight && u.next < u.queue.length) {
      const n = u.queue[u.next++]!;
      u.inFlight++;
      this.ctx.drains.drainNode(n, u.opts, (outcome) => this.drained(ui, n, outcome));
    }
    if (u.inFlight === 0 && u.next >= u.queue.length) {
      this.ctx.metrics.onUpgradeFinished(this.ctx.engine.now - u.startedAt);
      if (this.ctx.trace.enabled) this.ctx.trace.add(this.ctx.engine.now, 'upgrade-complete', '', '', '', `upgrade ${ui}`);
    }
  }

  private drained(ui: number, n: number, outcome: DrainOutcome): void {
    const u = this.upgrades[ui]!;
    const { pods, engine } = this.ctx;
    if (outcome !== DrainOutcome.Completed && u.entry.onDrainTimeout === 'skip') {
      this.ctx.metrics.onUpgradeSkippedNode();
      this.ctx.drains.uncordon(n);
      u.inFlight--;
      this.fill(ui);
      return;
    }
    if (outcome !== DrainOutcome.Completed) {
      // force: delete what is left (DaemonSet pods stay; the reimage restarts them).
      for (const p of pods.podsOnNode(n)) {
        if (this.ctx.scenario.workloads[pods.owner[p]!]!.kind !== 'DaemonSet') this.ctx.lifecycle.delete(p, DeleteReason.Eviction, Cause.RollingNodeUpgrade);
      }
    }
    this.ctx.machines.down(n, 'reimage', Cause.RollingNodeUpgrade);
    engine.schedule(engine.now + u.entry.reimageS, this.reimagedKind, ui, n);
  }

  private reimaged(ui: number, n: number): void {
    const u = this.upgrades[ui]!;
    this.ctx.machines.up(n, 'reimaged');
    this.ctx.drains.uncordon(n);
    u.inFlight--;
    this.fill(ui);
  }
}
