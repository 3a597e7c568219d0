// HorizontalPodAutoscaler controller (reference section 8.3), CPU Utilization targets.
//
// kube: pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler, every
// --horizontal-pod-autoscaler-sync-period (15 s) from t = 0. The metric is the pods' CPU usage
// as metrics-server would report it; the traffic model supplies it (README "Horizontal pod
// autoscaling"): a serving pod uses `cpu request x U`, U the busy share of its service's
// request slots (Traffic.workloadUtilization). More replicas spread the same arrivals over
// more slots, so U falls as the HPA scales up: load and replicas interact.
//
// Per sync: O(the target's pods) to group them (PodStore's per-owner list), O(window / 15 s)
// over the fixed-size recommendation and scale-event buffers; no allocation.

import type { SimContext } from '../context.js';
import type { HorizontalPodAutoscaler, HpaScalingRules } from '../../scenario/model.js';
import { RESOURCE_CPU } from '../../scenario/model.js';
import { Gauge } from '../metrics/window.js';
import type { MetricRecord } from '../metrics/recorder.js';
import type { TimeseriesSampler } from '../metrics/timeseries.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

/** kube: --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_S = 15;
/** kube: --horizontal-pod-autoscaler-tolerance. */
export const HPA_TOLERANCE = 0.1;
/** kube: --horizontal-pod-autoscaler-downscale-stabilization. */
export const DOWNSCALE_STABILIZATION_S = 300;
/** kube: --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_S = 300;
/** kube: --horizontal-pod-autoscaler-initial-readiness-delay. */
export const INITIAL_READINESS_DELAY_S = 30;
/** metrics-server --metric-resolution: a pod's CPU rate needs one window of samples, and
 * metric.Window in groupPods is this long. */
export const METRIC_WINDOW_S = 15;
/** kube: scaleUpLimitFactor, scaleUpLimitMinimum (calculateScaleUpLimit). */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

/** kube: calculateScaleUpLimit. */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM);
}

/** kube: Tolerances.isWithin with the default 0.1 both ways. */
function isWithin(ratio: number): boolean {
  return 1 - HPA_TOLERANCE <= ratio && ratio <= 1 + HPA_TOLERANCE;
}

/** kube: convertDesiredReplicasWithRules — clamp to [min, min(max, scale-up limit)]. */
export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): number {
  const limit = calculateScaleUpLimit(current);
  const maximumAllowed = max > limit ? limit : max;
  if (desired < min) return min;
  if (desired > maximumAllowed) return maximumAllowed;
  return desired;
}

/** What groupPods made of the target's pods at one sync (replica_calculator.go). */
export interface PodGroups {
  /** Ready pods with metrics: count, Σ usage (milli-cpu). */
  ready: number;
  readyUsageMilli: number;
  unready: number;
  missing: number;
  /** All pods of the target, ignored ones included (an empty list is an error upstream). */
  total: number;
}

/**
 * kube: ReplicaCalculator.GetResourceReplicas (replica_calculator.go) with
 * metricsclient.GetResourceUtilizationRatio: utilization = int32(Σusage * 100 / Σrequest)
 * over the pods in the metrics map, all pods requesting `requestMilli`. Returns -1 where
 * upstream returns an error (no pods, no metrics): reconcileAutoscaler then does not scale.
 */
export function getResourceReplicas(current: number, targetUtilization: number, requestMilli: number, g: PodGroups): number {
  if (g.total === 0 || g.ready === 0) return -1;
  const utilization = Math.trunc((g.readyUsageMilli * 100) / (g.ready * requestMilli));
  const usageRatio = utilization / targetUtilization;
  const scaleUpWithUnready = g.unready > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && g.missing === 0) {
    if (isWithin(usageRatio)) return current;
    return Math.ceil(usageRatio * g.ready);
  }
  let usage = g.readyUsageMilli;
  let counted = g.ready;
  if (g.missing > 0) {
    if (usageRatio < 1.0) {
      // Missing pods are assumed at max(100 %, target) of their request on a scale-down.
      const fallback = Math.max(100, targetUtilization);
      usage += g.missing * Math.trunc((requestMilli * fallback) / 100);
      counted += g.missing;
    } else if (usageRatio > 1.0) {
      counted += g.missing; // 0 % on a scale-up
    }
  }
  if (scaleUpWithUnready) counted += g.unready; // unready pods count 0 %
  const newUsageRatio = Math.trunc((usage * 100) / (counted * requestMilli)) / targetUtilization;
  if (isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) return current;
  const newReplicas = Math.ceil(newUsageRatio * counted);
  if ((newUsageRatio < 1.0 && newReplicas > current) || (newUsageRatio > 1.0 && newReplicas < current)) return current;
  return newReplicas;
}

/** Timestamped values in a fixed-capacity array (kube keeps a slice and reuses old slots). */
export class Timestamped {
  readonly value: Int32Array;
  readonly time: Float64Array;
  /** Scale events only: marked for reuse (kube: markScaleEventsOutdated). */
  readonly outdated: Uint8Array;
  len = 0;
  constructor(capacity: number) {
    this.value = replicationArray(Int32Array, capacity);
    this.time = replicationArray(Float64Array, capacity);
    this.outdated = replicationArray(Uint8Array, capacity);
  }
  /** Appends; the capacity covers every record that can still be in use (see callers). */
  push(v: number, t: number): void {
    if (this.len === this.value.length) throw new Error('internal: HPA history buffer full');
    this.value[this.len] = v;
    this.time[this.len] = t;
    this.outdated[this.len] = 0;
    this.len++;
  }
}

/** kube: getReplicasChangePerPeriod — Σ changes with timestamp After(now - period). */
function changeInPeriod(ev: Timestamped, periodS: number, now: number): number {
  const cutoff = now - periodS;
  let n = 0;
  for (let i = 0; i < ev.len; i++) if (ev.time[i]! > cutoff) n += ev.value[i]!;
  return n;
}

/** kube: calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimitWithRules(current: number, up: Timestamped, down: Timestamped, rules: HpaScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.periodS, now) + changeInPeriod(down, p.periodS, now);
    // Percent rounds up, so that a small target can still grow.
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** kube: calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimitWithRules(current: number, up: Timestamped, down: Timestamped, rules: HpaScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min'; // the smallest change is the largest count
  let result = useMin ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.periodS, now) + changeInPeriod(down, p.periodS, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** Overwrites record `old` (a stale one) or appends. */
function recordAt(recs: Timestamped, old: number, value: number, now: number): void {
  if (old >= 0) {
    recs.value[old] = value;
    recs.time[old] = now;
  } else recs.push(value, now);
}

/**
 * kube: stabilizeRecommendation (behavior unset) — the max of this recommendation and those
 * not Before(now - 5 min); records this one over the last old record found, else appends.
 */
export function stabilizeRecommendation(recs: Timestamped, prenormalized: number, now: number): number {
  const cutoff = now - DOWNSCALE_STABILIZATION_S;
  let max = prenormalized;
  let old = -1;
  for (let i = 0; i < recs.len; i++) {
    if (recs.time[i]! < cutoff) old = i;
    else if (recs.value[i]! > max) max = recs.value[i]!;
  }
  recordAt(recs, old, prenormalized, now);
  return max;
}

export class HpaController {
  private readonly hpas: HorizontalPodAutoscaler[];
  private readonly requestMilli: Float64Array;
  /** kube: HorizontalController.recommendations (unstabilised desired replicas per sync). */
  private readonly recs: Timestamped[];
  /** kube: scaleUpEvents / scaleDownEvents (kept only with spec.behavior). */
  private readonly upEvents: Timestamped[];
  private readonly downEvents: Timestamped[];
  private readonly replicas: Gauge[];
  private readonly scaleUps: Int32Array;
  private readonly scaleDowns: Int32Array;
  private readonly syncKind: number;
  private readonly groups: PodGroups = { ready: 0, readyUsageMilli: 0, unready: 0, missing: 0, total: 0 };

  constructor(private readonly ctx: SimContext) {
    const { scenario, engine, window } = ctx;
    this.hpas = scenario.horizontalPodAutoscalers;
    this.requestMilli = Float64Array.from(this.hpas, (h) => scenario.workloads[h.target]!.template.requests[RESOURCE_CPU]!);
    // One record per sync; a record older than the window is reused, so at most
    // window / period + 2 are ever held.
    const windowOf = (h: HorizontalPodAutoscaler) =>
      h.behavior === null ? DOWNSCALE_STABILIZATION_S : Math.max(h.behavior.scaleUp.stabilizationWindowS, h.behavior.scaleDown.stabilizationWindowS);
    this.recs = packedMap(this.hpas, (h) => new Timestamped(Math.floor(windowOf(h) / HPA_SYNC_PERIOD_S) + 2));
    // At most one scale event per sync; one older than the longest policy period is reused.
    const longest = (r: HpaScalingRules | undefined) => (r === undefined ? 0 : Math.max(0, ...r.policies.map((p) => p.periodS)));
    this.upEvents = packedMap(this.hpas, (h) => new Timestamped(Math.floor(longest(h.behavior?.scaleUp) / HPA_SYNC_PERIOD_S) + 2));
    this.downEvents = packedMap(this.hpas, (h) => new Timestamped(Math.floor(longest(h.behavior?.scaleDown) / HPA_SYNC_PERIOD_S) + 2));
    this.replicas = packedMap(this.hpas, () => new Gauge(window));
    this.scaleUps = replicationArray(Int32Array, this.hpas.length);
    this.scaleDowns = replicationArray(Int32Array, this.hpas.length);
    this.syncKind = engine.register('hpa-sync', (h) => this.sync(h));
  }

  start(): void {
    for (let h = 0; h < this.hpas.length; h++) {
      this.replicas[h]!.set(0, this.ctx.workloads.specReplicas(this.hpas[h]!.target));
      this.ctx.engine.schedule(0, this.syncKind, h);
    }
  }

  /** timeseries.csv: each scaled workload's `replicas` (spec.replicas) at every step. */
  registerSeries(ts: TimeseriesSampler): void {
    for (const h of this.hpas) ts.register('workload', this.ctx.scenario.workloads[h.target]!.name, 'replicas', () => this.ctx.workloads.specReplicas(h.target));
  }

  /** kube: reconcileAutoscaler. */
  private sync(h: number): void {
    const { engine } = this.ctx;
    const now = engine.now;
    engine.schedule(now + HPA_SYNC_PERIOD_S, this.syncKind, h);
    const hpa = this.hpas[h]!;
    const current = this.ctx.workloads.specReplicas(hpa.target);
    let desired: number;
    if (current === 0 && hpa.minReplicas !== 0) return; // "scaling is disabled since the replica count of the target is zero"
    if (current > hpa.maxReplicas) desired = hpa.maxReplicas;
    else if (current < hpa.minReplicas) desired = hpa.minReplicas;
    else {
      this.groupPods(h, now);
      const proposal = getResourceReplicas(current, hpa.targetUtilization, this.requestMilli[h]!, this.groups);
      if (proposal < 0) return; // computeReplicasForMetrics failed: no rescale
      desired = hpa.behavior === null ? this.normalize(h, current, proposal) : this.normalizeWithBehaviors(h, current, proposal);
    }
    if (desired === current) return;
    this.ctx.workloads.setReplicas(hpa.target, desired);
    this.replicas[h]!.set(now, desired);
    if (this.ctx.window.contains(now)) {
      if (desired > current) this.scaleUps[h]++;
      else this.scaleDowns[h]++;
    }
    if (hpa.behavior !== null) this.storeScaleEvent(h, current, desired, now);
    if (this.ctx.trace.enabled) this.ctx.trace.add(now, 'hpa-scale', '', '', this.ctx.scenario.workloads[hpa.target]!.key, `${current} -> ${desired}`);
  }

  /**
   * kube: groupPods (replica_calculator.go) over the target's pods, for the CPU resource.
   * Ignored: deletionTimestamp set. Unready: Pending (unbound); within the cpu initialization
   * period (5 min from StartTime = bind time) not Ready, or Ready for less than one metric
   * window; after it, not Ready and never Ready (the 30 s initial-readiness delay only
   * separates "never ready" from "lost readiness" — simplified: a pod that became Ready and
   * lost it within 30 s of starting counts as ready here, unready upstream). Missing: no
   * metric — running for less than one metric window, or on a machine that is down
   * (metrics-server cannot scrape its kubelet). A ready pod's usage: request x U while it
   * serves, 0 otherwise.
   */
  private groupPods(h: number, now: number): void {
    const { pods, nodes } = this.ctx;
    const w = this.hpas[h]!.target;
    const g = this.groups;
    g.ready = 0;
    g.readyUsageMilli = 0;
    g.unready = 0;
    g.missing = 0;
    g.total = 0;
    const req = this.requestMilli[h]!;
    const usage = Math.floor(req * this.ctx.traffic.workloadUtilization(w));
    for (let p = pods.firstOfOwner(w); p >= 0; p = pods.nextOfOwner[p]!) {
      g.total++;
      if (pods.terminating[p] === 1) continue;
      const n = pods.node[p]!;
      if (n < 0) {
        g.unready++;
        continue;
      }
      const start = pods.boundAt[p]!;
      if (now < start + METRIC_WINDOW_S || nodes.up[n] !== 1) {
        g.missing++;
        continue;
      }
      const ready = pods.apiReady[p] === 1;
      const unready =
        start + CPU_INITIALIZATION_PERIOD_S > now
          ? !ready || now < pods.readySince[p]! + METRIC_WINDOW_S
          : !ready && pods.everReady[p] === 0;
      if (unready) {
        g.unready++;
        continue;
      }
      g.ready++;
      if (pods.serving[p] === 1) g.readyUsageMilli += usage;
    }
  }

  /** kube: normalizeDesiredReplicas — stabilizeRecommendation, then convertDesiredReplicasWithRules. */
  private normalize(h: number, current: number, prenormalized: number): number {
    const hpa = this.hpas[h]!;
    const stabilized = stabilizeRecommendation(this.recs[h]!, prenormalized, this.ctx.engine.now);
    return convertDesiredReplicasWithRules(current, stabilized, hpa.minReplicas, hpa.maxReplicas);
  }

  /** kube: normalizeDesiredReplicasWithBehaviors — stabilizeRecommendationWithBehaviors, then
   * convertDesiredReplicasWithBehaviorRate. */
  private normalizeWithBehaviors(h: number, current: number, prenormalized: number): number {
    const now = this.ctx.engine.now;
    const hpa = this.hpas[h]!;
    const { scaleUp, scaleDown } = hpa.behavior!;
    const recs = this.recs[h]!;
    const upCutoff = now - scaleUp.stabilizationWindowS;
    const downCutoff = now - scaleDown.stabilizationWindowS;
    let upRec = prenormalized;
    let downRec = prenormalized;
    let old = -1;
    for (let i = 0; i < recs.len; i++) {
      const t = recs.time[i]!;
      const v = recs.value[i]!;
      if (t > upCutoff && v < upRec) upRec = v;
      if (t > downCutoff && v > downRec) downRec = v;
      if (t < upCutoff && t < downCutoff) old = i;
    }
    let desired = current;
    if (desired < upRec) desired = upRec;
    if (desired > downRec) desired = downRec;
    recordAt(recs, old, prenormalized, now);

    const up = this.upEvents[h]!;
    const down = this.downEvents[h]!;
    if (desired > current) {
      let limit = scaleUpLimitWithRules(current, up, down, scaleUp, now);
      if (limit < current) limit = current;
      const maximumAllowed = hpa.maxReplicas > limit ? limit : hpa.maxReplicas;
      if (desired > maximumAllowed) return maximumAllowed;
    } else if (desired < current) {
      let limit = scaleDownLimitWithRules(current, up, down, scaleDown, now);
      if (limit > current) limit = current;
      const minimumAllowed = hpa.minReplicas < limit ? limit : hpa.minReplicas;
      if (desired < minimumAllowed) return minimumAllowed;
    }
    return desired;
  }

  /** kube: storeScaleEvent with markScaleEventsOutdated (Before(now - longest period)). */
  private storeScaleEvent(h: number, prev: number, next: number, now: number): void {
    const { scaleUp, scaleDown } = this.hpas[h]!.behavior!;
    const upward = next > prev;
    const ev = upward ? this.upEvents[h]! : this.downEvents[h]!;
    const rules = upward ? scaleUp : scaleDown;
    let longest = 0;
    for (const p of rules.policies) if (p.periodS > longest) longest = p.periodS;
    const cutoff = now - longest;
    for (let i = 0; i < ev.len; i++) if (ev.time[i]! < cutoff) ev.outdated[i] = 1;
    const change = upward ? next - prev : prev - next;
    for (let i = 0; i < ev.len; i++) {
      if (ev.outdated[i] === 1) {
        ev.value[i] = change;
        ev.time[i] = now;
        ev.outdated[i] = 0;
        return;
      }
    }
    ev.push(change, now);
  }

  /** `replicas_mean`, `replicas_max`, `scale_ups`, `scale_downs` per scaled workload. */
  finish(): MetricRecord[] {
    const out: MetricRecord[] = [];
    this.hpas.forEach((hpa, h) => {
      const g = this.replicas[h]!;
      g.finish();
      const subject = this.ctx.scenario.workloads[hpa.target]!.name;
      out.push(
        { subjectKind: 'workload', subject, metric: 'replicas_mean', value: g.mean() },
        { subjectKind: 'workload', subject, metric: 'replicas_max', value: g.max },
        { subjectKind: 'workload', subject, metric: 'scale_ups', value: this.scaleUps[h]! },
        { subjectKind: 'workload', subject, metric: 'scale_downs', value: this.scaleDowns[h]! },
      );
    });
    return out;
  }
}
