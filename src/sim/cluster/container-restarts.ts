// Container crashes and the kubelet's CrashLoopBackOff (reference section 6.1).
//
// kube: pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff with client-go
// flowcontrol.Backoff (initial 10 s, MaxContainerBackOff 300 s):
// - on exit, if the pod's backoff entry exists and has not expired, the container waits until
//   `finishedAt + backoff` (IsInBackOffSince); otherwise it restarts at once;
// - at each restart `Next` doubles the delay (capped at 300 s) or, for a missing or expired
//   entry, sets it to 10 s; `lastUpdate` = now;
// - an entry expires when `now - lastUpdate > 2 * 300 s` (hasExpired), i.e. a run of more than
//   10 minutes resets the backoff.
// So the first restart is immediate, then 10, 20, 40, 80, 160, 300, 300... s after each exit.
// While crashed or backing off, the pod is neither serving nor Ready. The time to the next crash
// (behavior.crash.mtbf) is counted from each container start.

import type { SimContext } from '../context.js';
import { NO_EVENT } from '../engine/engine.js';
import { sample } from '../random/sample.js';
import type { Rng } from '../random/streams.js';
import { packedMap } from '../packed.js';

export const INITIAL_BACKOFF_S = 10;
export const MAX_CONTAINER_BACKOFF_S = 300;
const BACKOFF_EXPIRY_S = 2 * MAX_CONTAINER_BACKOFF_S;

/**
 * The restart delay after an exit at `exitAt`, and the backoff entry after that restart.
 * Pure: (entry delay, entry lastUpdate, exit time) -> (restart time, new delay, new lastUpdate).
 */
export function restartAfterExit(backoffS: number, updatedAt: number, exitAt: number): { restartAt: number; backoffS: number } {
  const live = backoffS > 0 && !(exitAt - updatedAt > BACKOFF_EXPIRY_S);
  if (!live) return { restartAt: exitAt, backoffS: INITIAL_BACKOFF_S };
  const restartAt = exitAt + backoffS;
  return { restartAt, backoffS: Math.min(2 * backoffS, MAX_CONTAINER_BACKOFF_S) };
}

export class ContainerRestarts {
  private readonly crashKind: number;
  private readonly restartKind: number;
  private readonly rngs: (Rng | null)[];

  constructor(private readonly ctx: SimContext) {
    this.crashKind = ctx.engine.register('container-crash', (p, g) => this.onCrash(p, g));
    this.restartKind = ctx.engine.register('container-restart', (p, g) => this.onRestart(p, g));
    this.rngs = packedMap(ctx.scenario.workloads, (w) => (w.behavior.crash === null ? null : ctx.streams.stream(`crash/${w.key}`)));
  }

  /** Containers of p (re)started: draw the time of their next crash. */
  onContainersStarted(p: number): void {
    const { pods, engine } = this.ctx;
    const owner = pods.owner[p]!;
    const rng = this.rngs[owner];
    if (rng === null || rng === undefined) return;
    const d = sample(this.ctx.scenario.workloads[owner]!.behavior.crash!, rng);
    pods.crashTimer[p] = engine.schedule(engine.now + d, this.crashKind, p, pods.gen[p]!);
  }

  /** The pod stops (deleted, machine down): no crash or restart of this run happens. */
  cancel(p: number): void {
    this.ctx.engine.cancel(this.ctx.pods.crashTimer[p]!);
    this.ctx.pods.crashTimer[p] = NO_EVENT;
  }

  private onCrash(p: number, gen: number): void {
    const { pods, engine } = this.ctx;
    if (!pods.isLive(p, gen)) return;
    pods.crashTimer[p] = NO_EVENT;
    // restartPolicy Never: the exit ends the pod (phase Failed).
    if (this.ctx.scenario.workloads[pods.tmpl[p]!]!.template.restartPolicy === 'Never') {
      this.ctx.lifecycle.fail(p);
      return;
    }
    this.ctx.lifecycle.stopContainers(p);
    const r = restartAfterExit(pods.backoffS[p]!, pods.backoffUpdatedAt[p]!, engine.now);
    pods.backoffS[p] = r.backoffS;
    pods.backoffUpdatedAt[p] = r.restartAt;
    // The restart event reuses crashTimer: cancelled together if the pod goes away meanwhile.
    pods.crashTimer[p] = engine.schedule(r.restartAt, this.restartKind, p, gen);
  }

  private onRestart(p: number, gen: number): void {
    const { pods } = this.ctx;
    if (!pods.isLive(p, gen)) return;
    pods.crashTimer[p] = NO_EVENT;
    pods.restartCount[p]!++;
    this.ctx.metrics.onContainerRestart(p);
    this.ctx.jobs.onContainerRestart(p);
    this.ctx.lifecycle.restartContainers(p);
  }
}
