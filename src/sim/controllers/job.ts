// batch/v1 Job controller (reference section 6.2; kube: pkg/controller/job/job_controller.go
// manageJob, syncJob, backoff_utils.go getRemainingTime).
// - Active target: min(parallelism, completions - succeeded); without completions, parallelism
//   until the first success, then no new pods.
// - A failed pod (container exit with restartPolicy Never, eviction, taint eviction) counts
//   toward backoffLimit: the Job fails when failed > backoffLimit (backoffLimit 6 -> the 7th
//   failure). With restartPolicy OnFailure, container restarts count instead (>= backoffLimit).
// - New pods wait min(10 s x 2^(n-1), 600 s) after the last failure, n = failures since the
//   last success (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff).
// - activeDeadlineSeconds from the Job's start fails it (DeadlineExceeded).
// - A finished Job deletes its remaining active pods.
// A pod's run time is `behavior.runtime`, counted from Ready (startup is image pull and start).

import type { SimContext } from '../context.js';
import { DeleteReason } from '../cluster/pod-lifecycle.js';
import { Cause } from '../metrics/causes.js';
import { NO_EVENT } from '../engine/engine.js';
import { sample } from '../random/sample.js';
import type { Rng } from '../random/streams.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

export const JOB_BACKOFF_INITIAL_S = 10;
export const JOB_BACKOFF_MAX_S = 600;

/** kube: getRemainingTime's delay for n failures since the last success (n >= 1). */
export function jobBackoffS(n: number): number {
  return Math.min(JOB_BACKOFF_INITIAL_S * 2 ** (n - 1), JOB_BACKOFF_MAX_S);
}

const Phase = { Running: 0, Complete: 1, Failed: 2, Deleted: 3 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** One Job object: a kind-Job workload has one, a CronJob one per run. */
interface JobState {
  w: number;
  succeeded: number;
  failed: number;
  active: number;
  restarts: number;
  failuresSinceSuccess: number;
  lastFailureAt: number;
  phase: Phase;
  startedAt: number;
  syncKey: number;
  deadlineKey: number;
  /** Active pod ids (small: at most parallelism). */
  pods: Set<number>;
}

/**
 * Jobs are instances indexed by an id that their pods carry in `pods.rs` (the "revision" slot,
 * unused by Jobs otherwise). Instances are never reused: a finished Job's pods may still be
 * terminating and report back. One small object per Job, not per event: a CronJob creates at
 * most one Job per schedule time.
 */
export class JobController {
  private readonly jobs: JobState[] = [];
  private readonly runtimeRng: (Rng | null)[];
  private readonly syncKind: number;
  private readonly deadlineKind: number;
  private readonly finishKind: number;
  private nextOrdinal: Int32Array;

  constructor(private readonly ctx: SimContext) {
    const ws = ctx.scenario.workloads;
    this.runtimeRng = packedMap(ws, (w) => (w.job !== null && w.behavior.runtime !== null ? ctx.streams.stream(`runtime/${w.key}`) : null));
    this.nextOrdinal = replicationArray(Int32Array, ws.length);
    this.syncKind = ctx.engine.register('job-sync', (j) => {
      this.jobs[j]!.syncKey = NO_EVENT;
      this.manage(j);
    });
    this.deadlineKind = ctx.engine.register('job-deadline', (j) => {
      this.jobs[j]!.deadlineKey = NO_EVENT;
      this.finish(j, Phase.Failed);
    });
    this.finishKind = ctx.engine.register('job-pod-succeeded', (p, g) => this.onPodSucceeded(p, g));
  }

  /** Workload w's pods are Job pods (kind Job, or a CronJob's Jobs). */
  isJob(w: number): boolean {
    return this.ctx.scenario.workloads[w]!.job !== null;
  }

  /** Starts the kind-Job workloads at t = 0 (CronJobs start theirs on schedule). */
  start(): void {
    this.ctx.scenario.workloads.forEach((wl, w) => {
      if (wl.kind === 'Job') this.startJob(w);
    });
  }

  /** Creates a Job of workload w now; returns its id. */
  startJob(w: number): number {
    const j = this.jobs.length;
    this.jobs.push({
      w,
      succeeded: 0,
      failed: 0,
      active: 0,
      restarts: 0,
      failuresSinceSuccess: 0,
      lastFailureAt: 0,
      phase: Phase.Running,
      startedAt: this.ctx.engine.now,
      syncKey: NO_EVENT,
      deadlineKey: NO_EVENT,
      pods: new Set(),
    });
    const deadline = this.ctx.scenario.workloads[w]!.job!.activeDeadlineSeconds;
    if (deadline !== null) this.jobs[j]!.deadlineKey = this.ctx.engine.schedule(this.ctx.engine.now + deadline, this.deadlineKind, j);
    if (this.ctx.trace.enabled && this.ctx.scenario.workloads[w]!.cronJob !== null) this.ctx.trace.add(this.ctx.engine.now, 'job-created', '', '', this.ctx.scenario.workloads[w]!.key, `job ${j}`);
    this.manage(j);
    return j;
  }

  /** Deletes a running Job and its pods (a CronJob's Replace policy); no completion is recorded. */
  deleteJob(j: number): void {
    this.end(j, Phase.Deleted);
  }

  /** kube: manageJob. */
  private manage(id: number): void {
    const j = this.jobs[id]!;
    const { engine } = this.ctx;
    if (j.phase !== Phase.Running) return;
    const w = j.w;
    const spec = this.ctx.scenario.workloads[w]!.job!;
    const want = spec.completions !== null ? Math.max(0, Math.min(spec.parallelism, spec.completions - j.succeeded)) : j.succeeded > 0 ? 0 : spec.parallelism;
    if (j.active >= want) return;
    if (j.failuresSinceSuccess > 0) {
      const at = j.lastFailureAt + jobBackoffS(j.failuresSinceSuccess);
      if (engine.now < at) {
        if (j.syncKey === NO_EVENT) j.syncKey = engine.schedule(at, this.syncKind, id);
        return;
      }
    }
    while (j.active < want) {
      j.active++;
      const p = this.ctx.lifecycle.create(w, this.nextOrdinal[w]!++, id);
      j.pods.add(p);
      this.ctx.queue.add(p);
    }
  }

  /** A Job pod became Ready: it completes after its run time. */
  onPodReady(p: number): void {
    const { pods, engine } = this.ctx;
    const rng = this.runtimeRng[pods.owner[p]!];
    if (rng === null || rng === undefined) return;
    const d = sample(this.ctx.scenario.workloads[pods.owner[p]!]!.behavior.runtime!, rng);
    pods.timer[p] = engine.schedule(engine.now + d, this.finishKind, p, pods.gen[p]!);
  }

  private onPodSucceeded(p: number, gen: number): void {
    const { pods } = this.ctx;
    if (!pods.isLive(p, gen) || pods.terminating[p] === 1) return;
    pods.timer[p] = NO_EVENT;
    const id = pods.rs[p]!;
    const j = this.jobs[id]!;
    const w = j.w;
    j.pods.delete(p);
    j.active--;
    j.succeeded++;
    j.failuresSinceSuccess = 0;
    this.ctx.metrics.onJobPodSucceeded(w);
    this.ctx.lifecycle.succeed(p);
    const spec = this.ctx.scenario.workloads[w]!.job!;
    if ((spec.completions !== null && j.succeeded >= spec.completions) || (spec.completions === null && j.active === 0)) {
      this.finish(id, Phase.Complete);
    } else this.manage(id);
  }

  /** A Job pod failed or was deleted before succeeding. */
  onPodFailed(p: number): void {
    const id = this.ctx.pods.rs[p]!;
    const j = this.jobs[id]!;
    if (!j.pods.delete(p)) return;
    j.active--;
    if (j.phase !== Phase.Running) return;
    j.failed++;
    j.failuresSinceSuccess++;
    j.lastFailureAt = this.ctx.engine.now;
    // kube: exceedsBackoffLimit := failed > backoffLimit
    if (j.failed > this.ctx.scenario.workloads[j.w]!.job!.backoffLimit) this.finish(id, Phase.Failed);
    else this.manage(id);
  }

  /** restartPolicy OnFailure: container restarts count toward backoffLimit (>=). */
  onContainerRestart(p: number): void {
    const { pods } = this.ctx;
    if (!this.isJob(pods.owner[p]!)) return;
    const id = pods.rs[p]!;
    const j = this.jobs[id]!;
    if (j.phase !== Phase.Running) return;
    j.restarts++;
    if (j.restarts >= this.ctx.scenario.workloads[j.w]!.job!.backoffLimit) this.finish(id, Phase.Failed);
  }

  private finish(id: number, phase: typeof Phase.Complete | typeof Phase.Failed): void {
    const j = this.jobs[id]!;
    if (j.phase !== Phase.Running) return;
    const wl = this.ctx.scenario.workloads[j.w]!;
    const now = this.ctx.engine.now;
    this.ctx.metrics.onJobFinished(j.w, phase === Phase.Complete, now - j.startedAt);
    if (this.ctx.trace.enabled) this.ctx.trace.add(now, phase === Phase.Complete ? 'job-complete' : 'job-failed', '', '', wl.key, wl.cronJob !== null ? `job ${id}` : '');
    this.end(id, phase);
    if (wl.cronJob !== null) this.ctx.cronJobs.onJobFinished(j.w, id);
  }

  /** The Job stops: its backoff and deadline timers go, its remaining active pods are deleted. */
  private end(id: number, phase: Phase): void {
    const j = this.jobs[id]!;
    if (j.phase !== Phase.Running) return;
    j.phase = phase;
    this.ctx.engine.cancel(j.syncKey);
    this.ctx.engine.cancel(j.deadlineKey);
    for (const p of [...j.pods]) this.ctx.lifecycle.delete(p, DeleteReason.ScaleDown, Cause.Other);
  }
}
