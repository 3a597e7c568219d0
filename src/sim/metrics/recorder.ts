// Collects SPEC section 4 metrics for one replication, incrementally: every figure is a
// running sum, a time integral closed at each change, or a sample list, so reporting at the
// end is O(workloads + pools), not O(events).

import type { SimContext } from '../context.js';
import { Condition, Gauge, Samples, type MeasureWindow } from './window.js';
import { DrainOutcome } from '../disruption/drain.js';
import { RESOURCE_CPU, RESOURCE_MEMORY, type Scenario } from '../../scenario/model.js';
import { scaledValue } from '../disruption/pdb-math.js';
import { quantileSorted } from '../../stats/percentile.js';

/** One metric value of one replication, in output order. */
export interface MetricRecord {
  subjectKind: 'workload' | 'pool' | 'cluster';
  subject: string;
  metric: string;
  value: number;
}

class WorkloadStats {
  readonly serving: Gauge;
  readonly down: Condition;
  readonly pdbViolated: Condition;
  violatedPdbs = 0;
  evictions = 0;
  podFailures = 0;
  restarts = 0;
  /** Pods of this workload deleted by scheduler preemption. */
  preemptions = 0;
  readonly rolloutDurations = new Samples();
  completions = 0;
  jobFinishedAt = NaN;
  jobFailed = 0;
  readonly schedLatency = new Samples();
  readonly startupLatency = new Samples();
  constructor(
    w: MeasureWindow,
    readonly minReady: number,
  ) {
    this.serving = new Gauge(w);
    this.down = new Condition(w);
    this.pdbViolated = new Condition(w);
  }
}

class AllocStats {
  readonly nodesReady: Gauge;
  nodeFailures = 0;
  /** Σ requests of bound pods and Σ allocatable of existing nodes, per tracked dimension. */
  readonly requested: Float64Array;
  readonly allocatable: Float64Array;
  readonly ratio: Gauge[];
  constructor(w: MeasureWindow, dims: number) {
    this.nodesReady = new Gauge(w);
    this.requested = new Float64Array(dims);
    this.allocatable = new Float64Array(dims);
    this.ratio = Array.from({ length: dims }, () => new Gauge(w));
  }
}

export class Recorder {
  private readonly wl: WorkloadStats[];
  private readonly pools: AllocStats[];
  private readonly cluster: AllocStats;
  /** Dimensions reported as *_alloc_mean: cpu, memory, and nvidia.com/gpu when present. */
  private readonly allocDims: number[];
  private readonly allocNames: string[];
  private readonly pending: Gauge;
  private unschedulableAttempts = 0;
  private preemptionAttempts = 0;
  /** Preemption metrics are reported when pods of different priorities exist. */
  private readonly preemptionPossible: boolean;
  private drainsCompleted = 0;
  private drainsTimedOut = 0;
  private drainsFailed = 0;
  private evictionsRefused = 0;
  private readonly upgradeDurations = new Samples();
  private upgradeSkippedNodes = 0;
  private nodesAdded = 0;
  private nodesRemoved = 0;
  private readonly drainDurations = new Samples();
  private readonly w: MeasureWindow;

  constructor(private readonly ctx: SimContext) {
    const s = ctx.scenario;
    this.w = ctx.window;
    this.wl = s.workloads.map((w) => new WorkloadStats(ctx.window, resolveMinReady(w.minReady, w.replicas)));
    const gpu = s.resourceNames.indexOf('nvidia.com/gpu');
    this.allocDims = gpu >= 0 ? [RESOURCE_CPU, RESOURCE_MEMORY, gpu] : [RESOURCE_CPU, RESOURCE_MEMORY];
    this.allocNames = gpu >= 0 ? ['cpu_alloc_mean', 'memory_alloc_mean', 'gpu_alloc_mean'] : ['cpu_alloc_mean', 'memory_alloc_mean'];
    this.pools = s.nodePools.map(() => new AllocStats(ctx.window, this.allocDims.length));
    this.cluster = new AllocStats(ctx.window, this.allocDims.length);
    this.pending = new Gauge(ctx.window);
    this.preemptionPossible = new Set(s.workloads.map((w) => w.template.priority)).size > 1;
  }

  /** Starts the clock on every condition at t = 0 (workloads begin below their minReady). */
  start(): void {
    this.wl.forEach((st) => st.down.set(0, st.minReady > 0));
  }

  private now(): number {
    return this.ctx.engine.now;
  }

  private inWindow(): boolean {
    return this.w.contains(this.ctx.engine.now);
  }

  // --- nodes ---------------------------------------------------------------------------------

  onNodeAdded(n: number): void {
    const { nodes } = this.ctx;
    const now = this.now();
    const targets = this.targets(n);
    for (const a of targets) {
      for (let k = 0; k < this.allocDims.length; k++) a.allocatable[k] += nodes.allocatable[n * nodes.R + this.allocDims[k]!]!;
      if (nodes.up[n] === 1) a.nodesReady.add(now, 1);
      this.refreshRatios(a);
    }
  }

  onNodeRemoved(n: number): void {
    const { nodes } = this.ctx;
    if (this.inWindow()) this.nodesRemoved++;
    for (const a of this.targets(n)) {
      for (let k = 0; k < this.allocDims.length; k++) a.allocatable[k] -= nodes.allocatable[n * nodes.R + this.allocDims[k]!]!;
      if (nodes.up[n] === 1) a.nodesReady.add(this.now(), -1);
      this.refreshRatios(a);
    }
  }

  /** A node joined after t = 0 (replacement, autoscaler). */
  onNodeJoined(n: number): void {
    if (this.inWindow()) this.nodesAdded++;
    this.onNodeAdded(n);
  }

  onNodeUpChanged(n: number, up: boolean): void {
    const now = this.now();
    for (const a of this.targets(n)) {
      a.nodesReady.add(now, up ? 1 : -1);
      if (!up && this.inWindow()) a.nodeFailures++;
    }
  }

  private targets(n: number): AllocStats[] {
    const pool = this.ctx.nodes.pool[n]!;
    return pool >= 0 ? [this.cluster, this.pools[pool]!] : [this.cluster];
  }

  private refreshRatios(a: AllocStats): void {
    const now = this.now();
    for (let k = 0; k < this.allocDims.length; k++) {
      const alloc = a.allocatable[k]!;
      a.ratio[k]!.set(now, alloc > 0 ? a.requested[k]! / alloc : 0);
    }
  }

  // --- pods ----------------------------------------------------------------------------------

  onPodCreated(_p: number): void {
    this.pending.add(this.now(), 1);
  }

  onPodBound(p: number, n: number): void {
    const { pods, templates } = this.ctx;
    const now = this.now();
    this.pending.add(now, -1);
    if (this.inWindow()) this.wl[pods.owner[p]!]!.schedLatency.push(now - pods.createdAt[p]!);
    const req = templates[pods.tmpl[p]!]!.requests;
    for (const a of this.targets(n)) {
      for (let k = 0; k < this.allocDims.length; k++) a.requested[k] += req[this.allocDims[k]!]!;
      this.refreshRatios(a);
    }
  }

  onPodUnbound(p: number, n: number): void {
    const req = this.ctx.templates[this.ctx.pods.tmpl[p]!]!.requests;
    for (const a of this.targets(n)) {
      for (let k = 0; k < this.allocDims.length; k++) a.requested[k] -= req[this.allocDims[k]!]!;
      this.refreshRatios(a);
    }
  }

  /** A pod deleted before it was ever bound. */
  onPodUnboundGone(_p: number): void {
    this.pending.add(this.now(), -1);
  }

  onFirstReady(p: number, sinceCreateS: number): void {
    if (this.inWindow()) this.wl[this.ctx.pods.owner[p]!]!.startupLatency.push(sinceCreateS);
  }

  onServingChanged(p: number, delta: number): void {
    const st = this.wl[this.ctx.pods.owner[p]!]!;
    const now = this.now();
    st.serving.add(now, delta);
    st.down.set(now, st.serving.value < st.minReady);
  }

  /** A running pod's machine died under it (involuntary disruption). */
  onPodFailed(p: number): void {
    if (this.inWindow()) this.wl[this.ctx.pods.owner[p]!]!.podFailures++;
  }

  onEvicted(p: number): void {
    if (this.inWindow()) this.wl[this.ctx.pods.owner[p]!]!.evictions++;
  }

  onContainerRestart(p: number): void {
    if (this.inWindow()) this.wl[this.ctx.pods.owner[p]!]!.restarts++;
  }

  onJobPodSucceeded(w: number): void {
    if (this.inWindow()) this.wl[w]!.completions++;
  }

  /** A Job completed or failed at `at` (it started at t = 0). */
  onJobFinished(w: number, complete: boolean, at: number): void {
    const st = this.wl[w]!;
    st.jobFinishedAt = at;
    st.jobFailed = complete ? 0 : 1;
  }

  onRolloutComplete(w: number, durationS: number): void {
    if (this.inWindow()) this.wl[w]!.rolloutDurations.push(durationS);
  }

  onUnschedulable(_p: number): void {
    if (this.inWindow()) this.unschedulableAttempts++;
  }

  /** kube: scheduler_preemption_attempts_total — one per PostFilter run. */
  onPreemptionAttempt(): void {
    if (this.inWindow()) this.preemptionAttempts++;
  }

  /** Pod p is deleted by preemption (a victim that was not already terminating). */
  onPreempted(p: number): void {
    if (this.inWindow()) this.wl[this.ctx.pods.owner[p]!]!.preemptions++;
  }

  onPdbViolation(w: number, delta: number): void {
    const st = this.wl[w]!;
    st.violatedPdbs += delta;
    st.pdbViolated.set(this.now(), st.violatedPdbs > 0);
  }

  // --- drains --------------------------------------------------------------------------------

  onEvictionRefused(): void {
    if (this.inWindow()) this.evictionsRefused++;
  }

  onDrainFinished(_d: number, outcome: DrainOutcome, durationS: number): void {
    if (!this.inWindow()) return;
    if (outcome === DrainOutcome.Completed) {
      this.drainsCompleted++;
      this.drainDurations.push(durationS);
    } else if (outcome === DrainOutcome.TimedOut) this.drainsTimedOut++;
    else if (outcome === DrainOutcome.Failed) this.drainsFailed++;
  }

  onUpgradeFinished(durationS: number): void {
    if (this.inWindow()) this.upgradeDurations.push(durationS);
  }

  onUpgradeSkippedNode(): void {
    if (this.inWindow()) this.upgradeSkippedNodes++;
  }

  // --- report --------------------------------------------------------------------------------

  /** Closes every integral at the end of the window and lists the metrics in output order. */
  finish(): MetricRecord[] {
    const s = this.ctx.scenario;
    const out: MetricRecord[] = [];
    const len = this.w.lengthS;
    s.workloads.forEach((w, i) => {
      const st = this.wl[i]!;
      st.serving.finish();
      st.down.finish();
      st.pdbViolated.finish();
      const add = (metric: string, value: number) => out.push({ subjectKind: 'workload', subject: w.name, metric, value });
      add('availability', len > 0 ? 1 - st.down.totalS / len : NaN);
      add('downtime_s', st.down.totalS);
      add('outages', st.down.periods);
      add('ready_mean', st.serving.mean());
      if (this.ctx.pdbs.pdbsOf(i).length > 0) add('pdb_violation_s', st.pdbViolated.totalS);
      const sched = st.schedLatency.sorted();
      add('sched_latency_p50_s', quantileSorted(sched, 0.5));
      add('sched_latency_p99_s', quantileSorted(sched, 0.99));
      add('startup_latency_p99_s', quantileSorted(st.startupLatency.sorted(), 0.99));
      add('evictions', st.evictions);
      add('pod_failures', st.podFailures);
      add('restarts', st.restarts);
      if (this.preemptionPossible) add('preemptions', st.preemptions);
      if (w.job !== null) {
        add('completions', st.completions);
        add('job_duration_s', st.jobFailed === 0 ? st.jobFinishedAt : NaN);
        add('job_failed', st.jobFailed);
      }
      if (s.disruptions.some((d) => d.type === 'rollout' && d.workload === w.key)) {
        const rd = st.rolloutDurations.sorted();
        add('rollouts_completed', rd.length);
        add('rollout_duration_max_s', rd.length > 0 ? rd[rd.length - 1]! : NaN);
      }
    });
    s.nodePools.forEach((p, i) => this.reportAlloc(out, 'pool', p.name, this.pools[i]!));
    this.reportAlloc(out, 'cluster', 'cluster', this.cluster);
    this.pending.finish();
    const c = (metric: string, value: number) => out.push({ subjectKind: 'cluster', subject: 'cluster', metric, value });
    c('pods_pending_max', this.pending.max);
    c('pending_pod_s', this.pending.integral);
    c('unschedulable_attempts', this.unschedulableAttempts);
    if (this.preemptionPossible) c('preemption_attempts', this.preemptionAttempts);
    const spot = s.failures.some((f) => f.type === 'spot-interruption');
    if (spot) {
      c('nodes_added', this.nodesAdded);
      c('nodes_removed', this.nodesRemoved);
    }
    const upgrades = s.disruptions.some((d) => d.type === 'rolling-node-upgrade');
    if (upgrades) {
      const ud = this.upgradeDurations.sorted();
      c('upgrades_completed', ud.length);
      c('upgrade_duration_s', ud.length > 0 ? ud[ud.length - 1]! : NaN);
      c('upgrade_nodes_skipped', this.upgradeSkippedNodes);
    }
    if (spot || upgrades || s.disruptions.some((d) => d.type === 'drain')) {
      c('drains_completed', this.drainsCompleted);
      c('drains_timed_out', this.drainsTimedOut);
      c('drains_failed', this.drainsFailed);
      const dd = this.drainDurations.sorted();
      c('drain_duration_p50_s', quantileSorted(dd, 0.5));
      c('drain_duration_max_s', dd.length > 0 ? dd[dd.length - 1]! : NaN);
      c('evictions_refused', this.evictionsRefused);
    }
    return out;
  }

  private reportAlloc(out: MetricRecord[], kind: 'pool' | 'cluster', subject: string, a: AllocStats): void {
    a.nodesReady.finish();
    out.push({ subjectKind: kind, subject, metric: 'nodes_ready_mean', value: a.nodesReady.mean() });
    out.push({ subjectKind: kind, subject, metric: 'node_failures', value: a.nodeFailures });
    a.ratio.forEach((g, k) => {
      g.finish();
      out.push({ subjectKind: kind, subject, metric: this.allocNames[k]!, value: g.mean() });
    });
  }
}

/**
 * `slo.minReady` as a pod count. A percentage is of the desired replicas, rounded up (the SLO
 * is met only with at least that share: 80% of 6 replicas needs 5 pods).
 */
export function resolveMinReady(v: Scenario['workloads'][number]['minReady'], replicas: number): number {
  return scaledValue(v, replicas, true);
}
