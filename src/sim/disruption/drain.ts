// `kubectl drain --ignore-daemonsets` (reference section 2.3; kube: staging/src/k8s.io/kubectl/
// pkg/drain/drain.go and filters.go, pkg/cmd/drain/drain.go RunDrain):
// 1. cordon (spec.unschedulable = true);
// 2. GetPodsForDeletion with the filters in order: DaemonSet pods are skipped (warning only),
//    pods with emptyDir fail the drain unless deleteEmptyDirData, pods with no controller fail
//    it unless force. If any filter fails, nothing is evicted and the node stays cordoned;
// 3. evictPods: every eviction is issued at once; a 429 is retried after 5 s (client side,
//    whatever Retry-After says); any other error fails that pod;
// 4. waitForDelete polls every 1 s (PollImmediate) until the pod is gone;
// 5. --timeout bounds the whole thing (0 = forever).
// Every node of one `drain` entry is drained in parallel, as separate kubectl runs would.

import type { SimContext } from '../context.js';
import type { DrainDisruption } from '../../scenario/model.js';
import { DynamicTaint } from '../cluster/node-table.js';
import { evictPod, EvictionResult } from './eviction.js';
import { PodPhase } from '../cluster/pods.js';
import { Cause } from '../metrics/causes.js';

const EVICTION_RETRY_S = 5;
const DELETE_POLL_S = 1;

export const DrainOutcome = { Running: 0, Completed: 1, TimedOut: 2, Failed: 3 } as const;
export type DrainOutcome = (typeof DrainOutcome)[keyof typeof DrainOutcome];

/** kubectl drain flags that matter here. */
export interface DrainOptions {
  timeoutS: number | null;
  force: boolean;
  deleteEmptyDirData: boolean;
  /** Trace label (which disruption asked for the drain). */
  label: string;
  /** The disruption behind the drain, charged for the downtime its evictions cause. */
  cause: Cause;
}

interface DrainRun {
  opts: DrainOptions;
  /** Called once when the drain ends, whatever the outcome. */
  onDone: ((outcome: DrainOutcome) => void) | null;
  node: number;
  startedAt: number;
  outcome: DrainOutcome;
  /** Pods evicted or waiting to be: pod id -> generation. */
  waiting: Map<number, number>;
  /** Time each pod's eviction succeeded (start of waitForDelete polling). */
  evictedAt: Map<number, number>;
  /** A pod eviction failed for good (500): the drain ends Failed once the others finish. */
  podErrors: number;
  timeoutKey: number;
}

export class Drains {
  readonly runs: DrainRun[] = [];
  /** Drain currently waiting on each pod id (a pod is on one node, so one drain at most). */
  private readonly drainOfPod: number[] = [];
  private readonly startKind: number;
  private readonly retryKind: number;
  private readonly confirmKind: number;
  private readonly timeoutKind: number;
  private readonly uncordonKind: number;

  constructor(private readonly ctx: SimContext) {
    const e = ctx.engine;
    this.startKind = e.register('drain-start', (entry) => this.startEntry(entry));
    this.retryKind = e.register('drain-evict-retry', (d, p) => this.tryEvict(d, p));
    this.confirmKind = e.register('drain-pod-deleted', (d, p) => this.confirmDeleted(d, p));
    this.timeoutKind = e.register('drain-timeout', (d) => this.onTimeout(d));
    this.uncordonKind = e.register('uncordon', (n) => this.uncordon(n));
  }

  start(): void {
    this.ctx.scenario.disruptions.forEach((d, i) => {
      if (d.type === 'drain') this.ctx.engine.schedule(d.atS, this.startKind, i);
    });
  }

  private entry(i: number): DrainDisruption {
    return this.ctx.scenario.disruptions[i] as DrainDisruption;
  }

  /** Picks the nodes of one `drain` entry and drains each. */
  private startEntry(i: number): void {
    const d = this.entry(i);
    const { nodes, scenario } = this.ctx;
    const poolIdx = new Set(d.target.pools.map((name) => scenario.nodePools.findIndex((p) => p.name === name)));
    const names = new Set(d.target.names);
    const candidates: number[] = [];
    for (let n = 0; n < nodes.count; n++) {
      if (nodes.exists[n] !== 1) continue;
      const inPools = poolIdx.size === 0 || poolIdx.has(nodes.pool[n]!);
      const inNames = names.size === 0 || names.has(nodes.names[n]!);
      if (inPools && inNames) candidates.push(n);
    }
    let chosen = candidates;
    if (d.count !== null && d.count < candidates.length) {
      // Partial Fisher-Yates with this entry's own stream: the same nodes whatever the policy.
      const rng = this.ctx.streams.stream(`drain/${i}`);
      const a = candidates.slice();
      for (let k = 0; k < d.count; k++) {
        const j = k + Math.floor(rng() * (a.length - k));
        [a[k], a[j]] = [a[j]!, a[k]!];
      }
      chosen = a.slice(0, d.count).sort((x, y) => x - y);
    }
    const opts: DrainOptions = { timeoutS: d.timeoutS, force: d.force, deleteEmptyDirData: d.deleteEmptyDirData, label: `entry ${i}`, cause: Cause.Drain };
    const after = d.uncordonAfterS;
    for (const n of chosen) {
      this.drainNode(n, opts, (outcome) => {
        if (outcome === DrainOutcome.Completed && after !== null) this.ctx.engine.schedule(this.ctx.engine.now + after, this.uncordonKind, n);
      });
    }
  }

  /** Cordons node n and drains it as `kubectl drain --ignore-daemonsets` would. */
  drainNode(n: number, d: DrainOptions, onDone: ((outcome: DrainOutcome) => void) | null = null): void {
    const { ctx } = this;
    const { nodes, pods, engine, scenario } = ctx;
    const id = this.runs.length;
    const run: DrainRun = {
      opts: d,
      onDone,
      node: n,
      startedAt: engine.now,
      outcome: DrainOutcome.Running,
      waiting: new Map(),
      evictedAt: new Map(),
      podErrors: 0,
      timeoutKey: 0,
    };
    this.runs.push(run);
    // kube: RunCordonOrUncordon(true).
    nodes.setDynTaint(n, DynamicTaint.Unschedulable, true);
    if (ctx.trace.enabled) ctx.trace.add(engine.now, 'drain-start', nodes.names[n]!, '', '', d.label);

    // kube: GetPodsForDeletion / makeFilters.
    const toEvict: number[] = [];
    const problems: string[] = [];
    for (const p of pods.podsOnNode(n)) {
      const w = scenario.workloads[pods.owner[p]!]!;
      const finished = pods.phase[p] === PodPhase.Succeeded || pods.phase[p] === PodPhase.Failed;
      if (w.kind === 'DaemonSet' && !finished) continue; // daemonSetFilter with --ignore-daemonsets
      if (!finished && w.template.usesEmptyDir && !d.deleteEmptyDirData) problems.push('emptyDir');
      if (!finished && w.kind === 'Pod' && !d.force) problems.push('unreplicated');
      toEvict.push(p);
    }
    if (problems.length > 0) {
      this.finish(id, DrainOutcome.Failed);
      return;
    }
    if (d.timeoutS !== null) run.timeoutKey = engine.schedule(engine.now + d.timeoutS, this.timeoutKind, id);
    for (const p of toEvict) {
      run.waiting.set(p, pods.gen[p]!);
      this.drainOfPod[p] = id;
    }
    for (const p of toEvict) this.tryEvict(id, p);
    this.maybeComplete(id);
  }

  /** One eviction attempt of pod p for drain d (kube: evictPods' per-pod goroutine). */
  private tryEvict(d: number, p: number): void {
    const run = this.runs[d]!;
    if (run.outcome !== DrainOutcome.Running) return;
    const gen = run.waiting.get(p);
    if (gen === undefined || run.evictedAt.has(p)) return;
    const { pods, engine } = this.ctx;
    if (!pods.isLive(p, gen)) {
      // NotFound counts as done.
      run.waiting.delete(p);
      this.maybeComplete(d);
      return;
    }
    const r = evictPod(this.ctx, p, run.opts.cause);
    if (r === EvictionResult.Evicted) {
      run.evictedAt.set(p, engine.now);
      this.ctx.metrics.onEvicted(p);
    } else if (r === EvictionResult.TooManyRequests) {
      this.ctx.metrics.onEvictionRefused();
      engine.schedule(engine.now + EVICTION_RETRY_S, this.retryKind, d, p);
    } else {
      this.ctx.metrics.onEvictionRefused();
      run.waiting.delete(p);
      run.podErrors++;
      this.maybeComplete(d);
    }
  }

  /** The pod object is gone: the drain notices at its next 1 s poll. */
  onPodGone(p: number): void {
    const d = this.drainOfPod[p];
    if (d === undefined || d < 0) return;
    this.drainOfPod[p] = -1;
    const run = this.runs[d]!;
    if (run.outcome !== DrainOutcome.Running || !run.waiting.has(p)) return;
    const { engine } = this.ctx;
    const since = run.evictedAt.get(p);
    let seenAt = engine.now;
    if (since !== undefined) seenAt = since + Math.ceil((engine.now - since) / DELETE_POLL_S - 1e-9) * DELETE_POLL_S;
    engine.schedule(seenAt, this.confirmKind, d, p);
  }

  private confirmDeleted(d: number, p: number): void {
    const run = this.runs[d]!;
    if (run.outcome !== DrainOutcome.Running) return;
    run.waiting.delete(p);
    this.maybeComplete(d);
  }

  private maybeComplete(d: number): void {
    const run = this.runs[d]!;
    if (run.outcome !== DrainOutcome.Running || run.waiting.size > 0) return;
    this.finish(d, run.podErrors > 0 ? DrainOutcome.Failed : DrainOutcome.Completed);
  }

  private onTimeout(d: number): void {
    if (this.runs[d]!.outcome === DrainOutcome.Running) this.finish(d, DrainOutcome.TimedOut);
  }

  private finish(d: number, outcome: DrainOutcome): void {
    const { engine, nodes } = this.ctx;
    const run = this.runs[d]!;
    run.outcome = outcome;
    engine.cancel(run.timeoutKey);
    for (const p of run.waiting.keys()) if (this.drainOfPod[p] === d) this.drainOfPod[p] = -1;
    run.waiting.clear();
    this.ctx.metrics.onDrainFinished(d, outcome, engine.now - run.startedAt);
    if (this.ctx.trace.enabled) {
      this.ctx.trace.add(engine.now, 'drain-end', nodes.names[run.node]!, '', '', DRAIN_OUTCOME_NAMES[outcome]);
    }
    run.onDone?.(outcome);
  }

  uncordon(n: number): void {
    this.ctx.nodes.setDynTaint(n, DynamicTaint.Unschedulable, false);
    if (this.ctx.trace.enabled) this.ctx.trace.add(this.ctx.engine.now, 'uncordon', this.ctx.nodes.names[n]!, '', '');
    this.ctx.queue.onClusterChanged();
  }
}

const DRAIN_OUTCOME_NAMES: Record<DrainOutcome, string> = {
  [DrainOutcome.Running]: 'running',
  [DrainOutcome.Completed]: 'completed',
  [DrainOutcome.TimedOut]: 'timed-out',
  [DrainOutcome.Failed]: 'failed',
};
