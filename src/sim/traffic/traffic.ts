// Request traffic to services (spec.traffic): one entry per service, fed by the serving-pod
// count of the workloads behind it (the same `serving` that availability measures: a pod on a
// crashed machine stops serving at the instant of the crash).
//
// A service is *disrupted* while fewer of its pods serve than its workloads desire (the sum of
// their replicas; a DaemonSet desires one pod per node at the start): a drain, an upgrade, an
// outage, a crash or a rollout has taken capacity away and it is not back yet. Its
// `disrupted_*` metrics cover those periods only.
//
// Per change of a pod's serving state: O(services of its workload), no allocation.

import type { TimeseriesSampler } from '../metrics/timeseries.js';
import type { SimContext } from '../context.js';
import type { MetricRecord } from '../metrics/recorder.js';
import { ServingHistory } from './history.js';
import { ExactService } from './exact.js';
import { allTime, fastFigures, StateCache, type TrafficFigures } from './fast.js';
import { ServiceLaw, type TrafficParams } from './state-model.js';
import { quantileSorted } from '../../stats/percentile.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

export class Traffic {
  private readonly n: number;
  private readonly histories: ServingHistory[];
  private readonly caches: StateCache[];
  /** Exact-mode simulators by service (null for fast services). */
  private readonly exact: (ExactService | null)[];
  private readonly desired: Int32Array;
  private readonly concurrency: Int32Array;
  /** Services of workload w: svcOf[svcStart[w] .. svcStart[w+1]). */
  private readonly svcStart: Int32Array;
  private readonly svcOf: Int32Array;
  private readonly arrivalKind: number;

  constructor(private readonly ctx: SimContext, initialNodes: number) {
    const { scenario, engine, window, streams } = ctx;
    const entries = scenario.traffic;
    this.n = entries.length;
    this.histories = packedMap(entries, () => new ServingHistory(window));
    this.desired = Int32Array.from(entries, (e) =>
      e.workloads.reduce((s, w) => {
        const wl = scenario.workloads[w]!;
        return s + (wl.kind === 'DaemonSet' ? initialNodes : wl.replicas);
      }, 0),
    );
    this.concurrency = Int32Array.from(entries, (e) => e.concurrency);
    const params: TrafficParams[] = packedMap(entries, (e) => ({
      lambda: e.ratePerS,
      serviceTime: e.serviceTime,
      concurrency: e.concurrency,
      maxQueue: e.maxQueue ?? Infinity,
      timeoutS: e.timeoutS,
    }));
    this.caches = packedMap(params, (p) => new StateCache(new ServiceLaw(p)));

    this.arrivalKind = engine.register('traffic-arrival', (s) => this.onArrival(s));
    const doneKind = engine.register('traffic-done', (s, id) => this.exact[s]!.onDone(id));
    this.exact = packedMap(entries, (e, i) =>
      e.mode === 'exact'
        ? new ExactService(params[i]!, engine, window, streams.stream(`traffic/${e.service}/arrivals`), streams.stream(`traffic/${e.service}/service`), doneKind, i)
        : null,
    );

    const lists: number[][] = packedMap(scenario.workloads, () => []);
    entries.forEach((e, i) => e.workloads.forEach((w) => lists[w]!.push(i)));
    this.svcStart = replicationArray(Int32Array, lists.length + 1);
    lists.forEach((l, w) => (this.svcStart[w + 1] = this.svcStart[w]! + l.length));
    this.svcOf = Int32Array.from(lists.flat());
  }

  /** Starts the arrival processes of exact-mode services; every service starts disrupted
   * (no pod serves yet) when it desires any pod. */
  start(): void {
    for (let s = 0; s < this.n; s++) {
      this.histories[s]!.set(0, 0, this.desired[s]! > 0);
      const x = this.exact[s];
      if (x !== null && x !== undefined) {
        x.disrupted = this.desired[s]! > 0;
        this.ctx.engine.schedule(x.nextGap(), this.arrivalKind, s);
      }
    }
  }

  /** A pod of workload `w` started (+1) or stopped (-1) serving. */
  onServingChanged(w: number, delta: number): void {
    const now = this.ctx.engine.now;
    for (let i = this.svcStart[w]!; i < this.svcStart[w + 1]!; i++) {
      const s = this.svcOf[i]!;
      const h = this.histories[s]!;
      const pods = h.pods + delta;
      const disrupted = pods < this.desired[s]!;
      h.set(now, pods, disrupted);
      const x = this.exact[s];
      if (x !== null && x !== undefined) {
        x.disrupted = disrupted;
        x.setSlots(pods * this.concurrency[s]!);
      }
    }
  }

  /** Workload w's spec.replicas changed by `delta` (HorizontalPodAutoscaler): its services
   * desire that many more pods. */
  onDesiredChanged(w: number, delta: number): void {
    const now = this.ctx.engine.now;
    for (let i = this.svcStart[w]!; i < this.svcStart[w + 1]!; i++) {
      const s = this.svcOf[i]!;
      this.desired[s] = this.desired[s]! + delta;
      const h = this.histories[s]!;
      const disrupted = h.pods < this.desired[s]!;
      h.set(now, h.pods, disrupted);
      const x = this.exact[s];
      if (x !== null && x !== undefined) x.disrupted = disrupted;
    }
  }

  /** Sum of currentUtilization over workload w's services: the busy share of one of its
   * serving pods (a pod behind two services serves both). */
  workloadUtilization(w: number): number {
    let u = 0;
    for (let i = this.svcStart[w]!; i < this.svcStart[w + 1]!; i++) u += this.currentUtilization(this.svcOf[i]!);
    return u;
  }

  private onArrival(s: number): void {
    const x = this.exact[s]!;
    x.onArrival();
    this.ctx.engine.schedule(this.ctx.engine.now + x.nextGap(), this.arrivalKind, s);
  }

  /** Busy slots / slots now (0 with no slot): measured in exact mode, the steady state's
   * carried load in fast mode. For timeseries sampling and CPU-driven autoscaling. */
  currentUtilization(s: number): number {
    const x = this.exact[s];
    if (x !== null && x !== undefined) return x.slots > 0 ? x.busy / x.slots : 0;
    return this.caches[s]!.at(this.histories[s]!.pods).utilization;
  }

  /** p99 latency (s) of the steady state at the current serving count; NaN with no pod. */
  currentP99(s: number): number {
    return this.caches[s]!.p99At(this.histories[s]!.pods);
  }

  /** timeseries.csv: each service's utilisation and steady-state p99 latency at every step. */
  registerSeries(ts: TimeseriesSampler): void {
    this.ctx.scenario.traffic.forEach((e, s) => {
      ts.register('service', e.service, 'utilization', () => this.currentUtilization(s));
      ts.register('service', e.service, 'latency_p99_s', () => this.currentP99(s));
    });
  }

  /** Number of services, in `scenario.traffic` order. */
  get size(): number {
    return this.n;
  }

  finish(): MetricRecord[] {
    const out: MetricRecord[] = [];
    const len = this.ctx.window.lengthS;
    this.ctx.scenario.traffic.forEach((e, s) => {
      const h = this.histories[s]!;
      h.finish();
      const cache = this.caches[s]!;
      const all = fastFigures(cache, allTime(h));
      const hit = fastFigures(cache, h.hit);
      const add = (metric: string, value: number) => out.push({ subjectKind: 'service', subject: e.service, metric, value });
      const x = this.exact[s];
      let f: TrafficFigures = all;
      let hitDropped = hit.requests > 0 ? hit.dropped / hit.requests : NaN;
      let hitP99 = hit.latencyP99S;
      if (x !== null && x !== undefined) {
        x.finish();
        const lat = x.latency.sorted();
        let sum = 0;
        for (let i = 0; i < lat.length; i++) sum += lat[i]!;
        f = {
          ...all,
          requests: x.arrivals,
          dropped: x.dropped,
          latencyMeanS: lat.length > 0 ? sum / lat.length : NaN,
          latencyP50S: quantileSorted(lat, 0.5),
          latencyP99S: quantileSorted(lat, 0.99),
          utilizationMean: x.slotTimeS > 0 ? x.utilIntegral / x.slotTimeS : NaN,
        };
        hitDropped = x.arrivalsHit > 0 ? x.droppedHit / x.arrivalsHit : NaN;
        hitP99 = quantileSorted(x.latencyHit.sorted(), 0.99);
      }
      add('requests', f.requests);
      add('latency_mean_s', f.latencyMeanS);
      add('latency_p50_s', f.latencyP50S);
      add('latency_p99_s', f.latencyP99S);
      add('dropped_fraction', f.requests > 0 ? f.dropped / f.requests : NaN);
      add('utilization_mean', f.utilizationMean);
      add('availability', len > 0 ? all.availableS / len : NaN);
      add('disrupted_s', hit.timeS);
      add('disrupted_latency_p99_s', hitP99);
      add('disrupted_dropped_fraction', hitDropped);
    });
    return out;
  }
}
