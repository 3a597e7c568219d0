// batch/v1 CronJob controller (reference section 6.3; kube: pkg/controller/cronjob/
// cronjob_controllerv2.go syncCronJob, utils.go mostRecentScheduleTime / nextScheduleTime).
//
// - The CronJob exists from t = 0, its creationTimestamp. Schedule times are strictly after it
//   (robfig/cron Schedule.Next(earliestTime) is exclusive), read in `timeZone` (else UTC), with
//   simulated time 0 = CRON_EPOCH_MS (Monday 2024-01-01T00:00:00Z).
// - The controller is on time (the idealised cluster reacts at once), so every schedule time
//   is handled at that instant:
//   - a time already met (lastScheduleTime >= it) does nothing;
//   - Forbid with an active Job: JobAlreadyActive, no Job. The time stays "unmet": when the
//     active Job finishes, the resync creates a Job for the most recent unmet time, late,
//     unless `startingDeadlineSeconds` has passed (scheduled + deadline < now: missed);
//     older unmet times are superseded by newer ones (mostRecentScheduleTime keeps the latest);
//   - Replace deletes every active Job, then creates one;
//   - Allow creates one whatever is active.
// - suspend, or a schedule that never fires (`0 0 30 2 *`, which robfig/cron parses and whose
//   Next finds no time; schedule null here): no Job is ever created. The "more than 100 missed start times" warning concerns a
//   controller that was down or a CronJob unsuspended late; neither happens here.
// Accounting, per schedule time: started (on time or late) or skipped (superseded, deadline
// passed, or still waiting at the horizon).

import { CronExpressionParser, type CronExpression } from 'cron-parser';
import type { SimContext } from '../context.js';
import { CRON_EPOCH_MS } from '../../scenario/model.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

export class CronJobController {
  /** Schedule iterators per workload; null for workloads that are not (unsuspended) CronJobs. */
  private readonly schedules: (CronExpression | null)[];
  /** Active Job ids per workload (small lists: at most a few runs overlap). */
  private readonly active: number[][];
  /** Schedule time (s) of the last Job created, -Infinity before the first. */
  private readonly lastScheduleS: Float64Array;
  /** Forbid: the most recent schedule time blocked by an active Job, NaN if none. */
  private readonly unmetS: Float64Array;
  /** Time of the pending schedule-time event, NaN if none. */
  private readonly nextTickS: Float64Array;
  private readonly tickKind: number;

  constructor(private readonly ctx: SimContext) {
    const ws = ctx.scenario.workloads;
    this.schedules = packedMap(ws, (w) =>
      w.cronJob === null || w.cronJob.suspend || w.cronJob.schedule === null
        ? null
        : CronExpressionParser.parse(w.cronJob.schedule, { currentDate: CRON_EPOCH_MS, tz: w.cronJob.timeZone ?? 'UTC' }),
    );
    this.active = packedMap(ws, () => []);
    this.lastScheduleS = replicationArray(Float64Array, ws.length).fill(-Infinity);
    this.unmetS = replicationArray(Float64Array, ws.length).fill(NaN);
    this.nextTickS = replicationArray(Float64Array, ws.length).fill(NaN);
    this.tickKind = ctx.engine.register('cronjob-schedule', (w) => this.onScheduleTime(w));
  }

  start(): void {
    this.schedules.forEach((s, w) => {
      if (s !== null) this.scheduleNext(w);
    });
  }

  /** One Date per schedule time (cron-parser's API): schedule times are minutes apart at least. */
  private scheduleNext(w: number): void {
    const t = (this.schedules[w]!.next().getTime() - CRON_EPOCH_MS) / 1000;
    this.nextTickS[w] = t <= this.ctx.scenario.horizonS ? t : NaN;
    if (t <= this.ctx.scenario.horizonS) this.ctx.engine.schedule(t, this.tickKind, w);
  }

  /** Active Jobs of workload w right now. */
  activeJobs(w: number): number {
    return this.active[w]!.length;
  }

  /** Forbid: a schedule time still waiting for the active Job (counted as skipped at the end). */
  hasUnmet(w: number): boolean {
    return !Number.isNaN(this.unmetS[w]!);
  }

  private onScheduleTime(w: number): void {
    this.scheduleNext(w);
    this.sync(w, this.ctx.engine.now);
  }

  /** kube: syncCronJob for the schedule time `scheduledS` (<= now). */
  private sync(w: number, scheduledS: number): void {
    if (scheduledS <= this.lastScheduleS[w]!) return;
    const spec = this.ctx.scenario.workloads[w]!.cronJob!;
    const active = this.active[w]!;
    const { metrics, engine } = this.ctx;
    if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
      // JobAlreadyActive. A newer unmet time supersedes the older one.
      if (this.hasUnmet(w)) metrics.onCronJobSkipped(w);
      this.unmetS[w] = scheduledS;
      return;
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const j of active) {
        this.ctx.jobs.deleteJob(j);
        metrics.onCronJobReplaced(w);
      }
      active.length = 0;
    }
    this.lastScheduleS[w] = scheduledS;
    active.push(this.ctx.jobs.startJob(w));
    metrics.onCronJobStarted(w, engine.now - scheduledS, active.length);
  }

  /** A Job of CronJob w completed or failed: the CronJob resyncs (kube: job informer update). */
  onJobFinished(w: number, job: number): void {
    const active = this.active[w]!;
    const i = active.indexOf(job);
    if (i < 0) return;
    active.splice(i, 1);
    this.ctx.metrics.onCronJobActive(w, active.length);
    let unmet = this.unmetS[w]!;
    if (Number.isNaN(unmet) || active.length > 0) return;
    this.unmetS[w] = NaN;
    const now = this.ctx.engine.now;
    // mostRecentScheduleTime(now) includes a schedule time equal to now whose event has not
    // run yet (same instant, later in the queue): it supersedes the blocked one.
    if (this.nextTickS[w] === now) {
      this.ctx.metrics.onCronJobSkipped(w);
      unmet = now;
    }
    const deadline = this.ctx.scenario.workloads[w]!.cronJob!.startingDeadlineSeconds;
    // kube: `scheduledTime.Add(startingDeadline).Before(now)` -> missed, no Job.
    if (deadline !== null && unmet + deadline < now) {
      this.ctx.metrics.onCronJobSkipped(w);
      if (this.ctx.trace.enabled) this.ctx.trace.add(now, 'cronjob-missed', '', '', this.ctx.scenario.workloads[w]!.key, String(unmet));
      return;
    }
    this.sync(w, unmet);
  }
}
