// Collects SPEC section 4 metrics for one replication, incrementally: every figure is a
// running sum, a time integral closed at each change, or a sample list, so reporting at the
// end is O(workloads + pools), not O(events).

import type { SimContext } from '../context.js';
import { Condition, Gauge, Samples, type MeasureWindow } from './window.js';
import { DrainOutcome } from '../disruption/drain.js';
import { RESOURCE_CPU, RESOURCE_MEMORY, type Scenario } from '../../scenario/model.js';
import { scaledValue } from '../disruption/pdb-math.js';
import { quantileSorted } from '../../stats/percentile.js';
import type { TimeseriesSampler } from './timeseries.js';
import { Cause, CAUSE_COUNT, CAUSE_NAMES } from './causes.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

/** `downtime_<cause>_s`, indexed by Cause (built once, not per event). */
const DOWNTIME_BY_CAUSE = CAUSE_NAMES.map((name) => `downtime_${name}_s`);

/** One metric value of one replication, in output order. */
export interface MetricRecord {
  subjectKind: 'workload' | 'service' | 'pool' | 'cluster';
  subject: string;
  metric: string;
  value: number;
}

class WorkloadStats {
  readonly serving: Gauge;
  readonly down: Condition;
  /** What began the outage under way (valid while `down.active`). */
  outageCause: Cause = Cause.Scheduling;
  /** down, split by outageCause: the same periods, each in its cause's condition. */
  readonly downByCause: Condition[];
  readonly pdbViolated: Condition;
  violatedPdbs = 0;
  /** Pods created and not yet bound (timeseries `pending`). */
  pending = 0;
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
    this.downByCause = Array.from({ length: CAUSE_COUNT }, () => new Condition(w));
    this.pdbViolated = new Condition(w);
  }
}

/** Per CronJob: every schedule time is started (on time or late) or skipped. */
class CronStats {
  started = 0;
  skipped = 0;
  replaced = 0;
  succeeded = 0;
  failed = 0;
  startDelayMaxS = 0;
  readonly active: Gauge;
  readonly durations = new Samples();
  constructor(w: MeasureWindow) {
    this.active = new Gauge(w);
  }
}

class AllocStats {
  readonly nodesReady: Gauge;
  nodeFailures = 0;
  /** Nodes that joined after t = 0 / were deleted, inside the window. */
  nodesAdded = 0;
  nodesRemoved = 0;
  /** Σ requests of bound pods and Σ allocatable of existing nodes, per tracked dimension. */
  readonly requested: Float64Array;
  readonly allocatable: Float64Array;
  readonly ratio: Gauge[];
  constructor(w: MeasureWindow, dims: number) {
    this.nodesReady = new Gauge(w);
    this.requested = replicationArray(Float64Array, dims);
    this.allocatable = replicationArray(Float64Array, dims);
    this.ratio = Array.from({ length: dims }, () => new Gauge(w));
  }
}

export class Recorder {
  private readonly wl: WorkloadStats[];
  private readonly cron: (CronStats | null)[];
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
    this.wl = packedMap(s.workloads, (w) => new WorkloadStats(ctx.window, resolveMinReady(w.minReady, w.replicas)));
    this.cron = packedMap(s.workloads, (w) => (w.cronJob !== null ? new CronStats(ctx.window) : null));
    const gpu = s.resourceNames.indexOf('nvidia.com/gpu');
    this.allocDims = gpu >= 0 ? [RESOURCE_CPU, RESOURCE_MEMORY, gpu] : [RESOURCE_CPU, RESOURCE_MEMORY];
    this.allocNames = gpu >= 0 ? ['cpu_alloc_mean', 'memory_alloc_mean', 'gpu_alloc_mean'] : ['cpu_alloc_mean', 'memory_alloc_mean'];
    this.pools = packedMap(s.nodePools, () => new AllocStats(ctx.window, this.allocDims.length));
    this.cluster = new AllocStats(ctx.window, this.allocDims.length);
    this.pending = new Gauge(ctx.window);
    this.preemptionPossible = new Set(s.workloads.map((w) => w.template.priority)).size > 1;
  }

  /** Starts the clock on every condition at t = 0 (workloads begin below their minReady). */
  start(): void {
    this.wl.forEach((st) => this.setDown(st, 0, Cause.Scheduling));
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
      if (this.inWindow()) a.nodesRemoved++;
      for (let k = 0; k < this.allocDims.length; k++) a.allocatable[k] -= nodes.allocatable[n * nodes.R + this.allocDims[k]!]!;
      if (nodes.up[n] === 1) a.nodesReady.add(this.now(), -1);
      this.refreshRatios(a);
    }
  }

  /** A node joined after t = 0 (replacement, autoscaler). */
  onNodeJoined(n: number): void {
    if (this.inWindow()) {
      this.nodesAdded++;
      for (const a of this.targets(n)) a.nodesAdded++;
    }
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

  onPodCreated(p: number): void {
    this.pending.add(this.now(), 1);
    this.wl[this.ctx.pods.owner[p]!]!.pending++;
  }

  onPodBound(p: number, n: number): void {
    const { pods, templates } = this.ctx;
    const now = this.now();
    this.pending.add(now, -1);
    const st = this.wl[pods.owner[p]!]!;
    st.pending--;
    if (this.inWindow()) st.schedLatency.push(now - pods.createdAt[p]!);
    const t = templates[pods.tmpl[p]!]!;
    const req = t.requests;
    for (const a of this.targets(n)) {
      for (let k = 0; k < this.allocDims.length; k++) a.requested[k] += req[this.allocDims[k]!]!;
      // A shared GPU request is not in `requests` (GpuTable accounts it per device): k = 2 is nvidia.com/gpu.
      if (t.gpuShareUnits !== 0 && this.allocDims.length > 2) a.requested[2] += t.gpuShareUnits;
      this.refreshRatios(a);
    }
  }

  onPodUnbound(p: number, n: number): void {
    const t = this.ctx.templates[this.ctx.pods.tmpl[p]!]!;
    const req = t.requests;
    for (const a of this.targets(n)) {
      for (let k = 0; k < this.allocDims.length; k++) a.requested[k] -= req[this.allocDims[k]!]!;
      if (t.gpuShareUnits !== 0 && this.allocDims.length > 2) a.requested[2] -= t.gpuShareUnits;
      this.refreshRatios(a);
    }
  }

  /** A pod deleted before it was ever bound. */
  onPodUnboundGone(p: number): void {
    this.pending.add(this.now(), -1);
    this.wl[this.ctx.pods.owner[p]!]!.pending--;
  }

  onFirstReady(p: number, sinceCreateS: number): void {
    if (this.inWindow()) this.wl[this.ctx.pods.owner[p]!]!.startupLatency.push(sinceCreateS);
  }

  onServingStarted(p: number): void {
    const st = this.wl[this.ctx.pods.owner[p]!]!;
    const now = this.now();
    st.serving.add(now, 1);
    this.setDown(st, now, Cause.Other);
  }

  /** A pod stopped serving because of `cause` (the failure or disruption that took it down). */
  onServingStopped(p: number, cause: Cause): void {
    const st = this.wl[this.ctx.pods.owner[p]!]!;
    const now = this.now();
    st.serving.add(now, -1);
    this.setDown(st, now, cause);
  }

  /**
   * Downtime attribution: an outage (serving < minReady) is charged, whole, to the cause of the
   * pod loss that began it, even if other causes strike before it ends; the outage under way at
   * t = 0 is Scheduling. So the downtime_<cause>_s of a workload sum to its downtime_s.
   */
  private setDown(st: WorkloadStats, now: number, cause: Cause): void {
    const down = st.serving.value < st.minReady;
    if (down === st.down.active) return;
    if (down) st.outageCause = cause;
    st.down.set(now, down);
    st.downByCause[st.outageCause]!.set(now, down);
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

  /** A Job completed or failed `durationS` after it was created (a kind-Job workload's at t = 0). */
  onJobFinished(w: number, complete: boolean, durationS: number): void {
    const cs = this.cron[w];
    if (cs === null || cs === undefined) {
      const st = this.wl[w]!;
      st.jobFinishedAt = durationS;
      st.jobFailed = complete ? 0 : 1;
      return;
    }
    if (!this.inWindow()) return;
    if (complete) {
      cs.succeeded++;
      cs.durations.push(durationS);
    } else cs.failed++;
  }

  /** A CronJob created a Job `delayS` after its schedule time; `active` Jobs now run. */
  onCronJobStarted(w: number, delayS: number, active: number): void {
    const cs = this.cron[w]!;
    cs.active.set(this.now(), active);
    if (!this.inWindow()) return;
    cs.started++;
    if (delayS > cs.startDelayMaxS) cs.startDelayMaxS = delayS;
  }

  onCronJobActive(w: number, active: number): void {
    this.cron[w]!.active.set(this.now(), active);
  }

  /** A schedule time that will get no Job (Forbid). */
  onCronJobSkipped(w: number): void {
    if (this.inWindow()) this.cron[w]!.skipped++;
  }

  /** An active Job deleted by the Replace policy. */
  onCronJobReplaced(w: number): void {
    if (this.inWindow()) this.cron[w]!.replaced++;
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

  // --- timeseries ---------------------------------------------------------------------------

  /**
   * Registers the cluster's series (timeseries.csv), once at set-up, in output order: per
   * workload `ready` (pods serving) and `pending` (created, not bound); per pool, then for the
   * cluster, `nodes_ready` (machines up) and `cpu_alloc`, `memory_alloc` (and `gpu_alloc`):
   * requested / allocatable as the scheduler sees it; the cluster's `pods_pending`.
   */
  registerSeries(ts: TimeseriesSampler): void {
    const s = this.ctx.scenario;
    s.workloads.forEach((w, i) => {
      const st = this.wl[i]!;
      ts.register('workload', w.name, 'ready', () => st.serving.value);
      ts.register('workload', w.name, 'pending', () => st.pending);
    });
    const alloc = (kind: 'pool' | 'cluster', subject: string, a: AllocStats): void => {
      ts.register(kind, subject, 'nodes_ready', () => a.nodesReady.value);
      // cpu_alloc_mean -> cpu_alloc: the instantaneous value of the gauge that metric averages.
      a.ratio.forEach((g, k) => ts.register(kind, subject, this.allocNames[k]!.slice(0, -'_mean'.length), () => g.value));
    };
    s.nodePools.forEach((p, i) => alloc('pool', p.name, this.pools[i]!));
    alloc('cluster', 'cluster', this.cluster);
    ts.register('cluster', 'cluster', 'pods_pending', () => this.pending.value);
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
      for (const c of this.attributedCauses(i)) {
        st.downByCause[c]!.finish();
        add(DOWNTIME_BY_CAUSE[c]!, st.downByCause[c]!.totalS);
      }
      add('outages', st.down.periods);
      // Mean and longest outage (each clipped to the window); no outage: mean empty, max 0.
      add('outage_mean_s', st.down.periods > 0 ? st.down.totalS / st.down.periods : NaN);
      add('outage_max_s', st.down.longestS);
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
      const cs = this.cron[i];
      if (cs !== null && cs !== undefined) {
        cs.active.finish();
        const d = cs.durations.sorted();
        add('completions', st.completions);
        add('jobs_started', cs.started);
        // A schedule time still waiting at the horizon never ran: skipped.
        add('jobs_skipped', cs.skipped + (this.ctx.cronJobs.hasUnmet(i) ? 1 : 0));
        add('jobs_replaced', cs.replaced);
        add('jobs_succeeded', cs.succeeded);
        add('jobs_failed', cs.failed);
        add('job_duration_mean_s', d.length > 0 ? d.reduce((a, b) => a + b, 0) / d.length : NaN);
        add('job_duration_max_s', d.length > 0 ? d[d.length - 1]! : NaN);
        add('start_delay_max_s', cs.startDelayMaxS);
        add('active_jobs_max', cs.active.max);
        add('active_jobs_mean', cs.active.mean());
      } else if (w.job !== null) {
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
    if (spot || s.autoscaling.cluster !== null) {
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
    // Drains also run for spot notices and cluster-autoscaler removals.
    if (spot || upgrades || s.autoscaling.cluster !== null || s.disruptions.some((d) => d.type === 'drain')) {
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

  /**
   * The causes reported for workload w: none without failures, disruptions or container
   * crashes (all downtime is then Scheduling: downtime_s says it); else Scheduling, each failure
   * and disruption type of the scenario (a rollout only for its workload), crash when w has
   * behavior.crash, Other, Autoscaler with a cluster autoscaler, and Preemption when pods of
   * different priorities exist. The same list for every replication of a point.
   */
  private attributedCauses(w: number): Cause[] {
    const s = this.ctx.scenario;
    const wl = s.workloads[w]!;
    const has = (type: string) => s.failures.some((f) => f.type === type) || s.disruptions.some((d) => d.type === type);
    const rollout = s.disruptions.some((d) => d.type === 'rollout' && d.workload === wl.key);
    const autoscaler = s.autoscaling.cluster !== null;
    if (s.failures.length === 0 && !s.disruptions.some((d) => d.type !== 'rollout') && !rollout && wl.behavior.crash === null && !autoscaler && !this.preemptionPossible) return [];
    const out: Cause[] = [Cause.Scheduling];
    if (has('node-crash')) out.push(Cause.NodeCrash);
    if (has('zone-outage')) out.push(Cause.ZoneOutage);
    if (has('spot-interruption')) out.push(Cause.SpotInterruption);
    if (has('drain')) out.push(Cause.Drain);
    if (has('rolling-node-upgrade')) out.push(Cause.RollingNodeUpgrade);
    if (rollout) out.push(Cause.Rollout);
    if (wl.behavior.crash !== null) out.push(Cause.ContainerCrash);
    out.push(Cause.Other);
    if (autoscaler) out.push(Cause.Autoscaler);
    if (this.preemptionPossible) out.push(Cause.Preemption);
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
    // Per pool; the cluster's totals are reported with the other cluster metrics.
    const s = this.ctx.scenario;
    if (kind === 'pool' && (s.autoscaling.cluster !== null || s.failures.some((f) => f.type === 'spot-interruption'))) {
      out.push({ subjectKind: kind, subject, metric: 'nodes_added', value: a.nodesAdded });
      out.push({ subjectKind: kind, subject, metric: 'nodes_removed', value: a.nodesRemoved });
    }
  }
}

/**
 * `slo.minReady` as a pod count. A percentage is of the desired replicas, rounded up (the SLO
 * is met only with at least that share: 80% of 6 replicas needs 5 pods).
 */
export function resolveMinReady(v: Scenario['workloads'][number]['minReady'], replicas: number): number {
  return scaledValue(v, replicas, true);
}
