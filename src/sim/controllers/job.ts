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

export const JOB_BACKOFF_INITIAL_S = 10;
export const JOB_BACKOFF_MAX_S = 600;

/** kube: getRemainingTime's delay for n failures since the last success (n >= 1). */
export function jobBackoffS(n: number): number {
  return Math.min(JOB_BACKOFF_INITIAL_S * 2 ** (n - 1), JOB_BACKOFF_MAX_S);
}

const Phase = { Running: 0, Complete: 1, Failed: 2 } as const;

interface JobState {
  w: number;
  succeeded: number;
  failed: number;
  active: number;
  restarts: number;
  failuresSinceSuccess: number;
  lastFailureAt: number;
  phase: (typeof Phase)[keyof typeof Phase];
  syncKey: number;
  /** Active pod ids (small: at most parallelism). */
  pods: Set<number>;
}

export class JobController {
  private readonly jobs: (JobState | null)[];
  private readonly runtimeRng: (Rng | null)[];
  private readonly syncKind: number;
  private readonly deadlineKind: number;
  private readonly finishKind: number;
  private nextOrdinal: Int32Array;

  constructor(private readonly ctx: SimContext) {
    const ws = ctx.scenario.workloads;
    this.jobs = ws.map((w, i) =>
      w.job === null
        ? null
        : { w: i, succeeded: 0, failed: 0, active: 0, restarts: 0, failuresSinceSuccess: 0, lastFailureAt: 0, phase: Phase.Running, syncKey: NO_EVENT, pods: new Set() },
    );
    this.runtimeRng = ws.map((w) => (w.job !== null && w.behavior.runtime !== null ? ctx.streams.stream(`runtime/${w.key}`) : null));
    this.nextOrdinal = new Int32Array(ws.length);
    this.syncKind = ctx.engine.register('job-sync', (w) => {
      this.jobs[w]!.syncKey = NO_EVENT;
      this.manage(w);
    });
    this.deadlineKind = ctx.engine.register('job-deadline', (w) => this.finish(w, Phase.Failed));
    this.finishKind = ctx.engine.register('job-pod-succeeded', (p, g) => this.onPodSucceeded(p, g));
  }

  isJob(w: number): boolean {
    return this.jobs[w] !== null;
  }

  start(): void {
    this.jobs.forEach((j, w) => {
      if (j === null) return;
      const deadline = this.ctx.scenario.workloads[w]!.job!.activeDeadlineSeconds;
      if (deadline !== null) this.ctx.engine.schedule(deadline, this.deadlineKind, w);
      this.manage(w);
    });
  }

  /** kube: manageJob. */
  private manage(w: number): void {
    const j = this.jobs[w]!;
    const { engine } = this.ctx;
    if (j.phase !== Phase.Running) return;
    const spec = this.ctx.scenario.workloads[w]!.job!;
    const want = spec.completions !== null ? Math.max(0, Math.min(spec.parallelism, spec.completions - j.succeeded)) : j.succeeded > 0 ? 0 : spec.parallelism;
    if (j.active >= want) return;
    if (j.failuresSinceSuccess > 0) {
      const at = j.lastFailureAt + jobBackoffS(j.failuresSinceSuccess);
      if (engine.now < at) {
        if (j.syncKey === NO_EVENT) j.syncKey = engine.schedule(at, this.syncKind, w);
        return;
      }
    }
    while (j.active < want) {
      j.active++;
      const p = this.ctx.lifecycle.create(w, this.nextOrdinal[w]!++);
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
    const w = pods.owner[p]!;
    const j = this.jobs[w]!;
    j.pods.delete(p);
    j.active--;
    j.succeeded++;
    j.failuresSinceSuccess = 0;
    this.ctx.metrics.onJobPodSucceeded(w);
    this.ctx.lifecycle.succeed(p);
    const spec = this.ctx.scenario.workloads[w]!.job!;
    if ((spec.completions !== null && j.succeeded >= spec.completions) || (spec.completions === null && j.active === 0)) {
      this.finish(w, Phase.Complete);
    } else this.manage(w);
  }

  /** A Job pod failed or was deleted before succeeding. */
  onPodFailed(p: number): void {
    const w = this.ctx.pods.owner[p]!;
    const j = this.jobs[w]!;
    if (!j.pods.delete(p)) return;
    j.active--;
    if (j.phase !== Phase.Running) return;
    j.failed++;
    j.failuresSinceSuccess++;
    j.lastFailureAt = this.ctx.engine.now;
    // kube: exceedsBackoffLimit := failed > backoffLimit
    if (j.failed > this.ctx.scenario.workloads[w]!.job!.backoffLimit) this.finish(w, Phase.Failed);
    else this.manage(w);
  }

  /** restartPolicy OnFailure: container restarts count toward backoffLimit (>=). */
  onContainerRestart(p: number): void {
    const w = this.ctx.pods.owner[p]!;
    const j = this.jobs[w];
    if (j === null || j === undefined || j.phase !== Phase.Running) return;
    j.restarts++;
    if (j.restarts >= this.ctx.scenario.workloads[w]!.job!.backoffLimit) this.finish(w, Phase.Failed);
  }

  private finish(w: number, phase: (typeof Phase)[keyof typeof Phase]): void {
    const j = this.jobs[w]!;
    if (j.phase !== Phase.Running) return;
    j.phase = phase;
    this.ctx.engine.cancel(j.syncKey);
    this.ctx.metrics.onJobFinished(w, phase === Phase.Complete, this.ctx.engine.now);
    if (this.ctx.trace.enabled) {
      this.ctx.trace.add(this.ctx.engine.now, phase === Phase.Complete ? 'job-complete' : 'job-failed', '', '', this.ctx.scenario.workloads[w]!.key);
    }
    for (const p of [...j.pods]) this.ctx.lifecycle.delete(p, DeleteReason.ScaleDown, Cause.Other);
  }
}
