// `zone-outage`: every node of a zone goes down at once and comes back after `duration`.
// The node lifecycle controller then sees the zone fully disrupted (ComputeZoneState
// FullDisruption) and taints none of its nodes for eviction, as upstream: pods on them are
// neither evicted nor replaced until the zone returns (unless every zone is down).

import type { SimContext } from '../context.js';
import type { Failure } from '../../scenario/model.js';
import type { Machines } from './machine.js';
import { Cause } from '../metrics/causes.js';

type ZoneOutage = Extract<Failure, { type: 'zone-outage' }>;

export class ZoneOutages {
  private readonly entries: ZoneOutage[];
  private readonly downKind: number;
  private readonly upKind: number;

  constructor(
    private readonly ctx: SimContext,
    private readonly machines: Machines,
  ) {
    this.entries = ctx.scenario.failures.filter((f): f is ZoneOutage => f.type === 'zone-outage');
    this.downKind = ctx.engine.register('zone-outage', (e) => this.each(e, (n) => this.machines.down(n, 'zone-outage', Cause.ZoneOutage)));
    this.upKind = ctx.engine.register('zone-restored', (e) => this.each(e, (n) => this.machines.up(n, 'zone-restored')));
  }

  start(): void {
    this.entries.forEach((f, e) => {
      this.ctx.engine.schedule(f.atS, this.downKind, e);
      this.ctx.engine.schedule(f.atS + f.durationS, this.upKind, e);
    });
  }

  private each(e: number, act: (n: number) => void): void {
    const { nodes } = this.ctx;
    const z = nodes.zoneNames.indexOf(this.entries[e]!.zone);
    for (let n = 0; n < nodes.count; n++) if (nodes.zone[n] === z && nodes.exists[n] === 1) act(n);
  }
}
