// StatefulSet controller (reference section 8.1; kube: pkg/controller/statefulset,
// stateful_set_control.go, stateful_set_utils.go isRunningAndAvailable).
// - Pods have stable identities `<name>-<ordinal>`, ordinals 0..replicas-1.
// - OrderedReady (the default): ordinal i is created only once every ordinal below it is
//   Running and available (Ready for minReadySeconds); Parallel creates every missing pod at once.
// - A pod is recreated under the same name only after the old pod object is gone: a pod
//   taint-evicted from an unreachable node stays Terminating until the node returns, and its
//   replacement waits (unlike a ReplicaSet's, which is created at once).

import type { SimContext } from '../context.js';

export class StatefulSetController {
  /** podOf[w][i]: pod id of ordinal i, or -1; null for workloads that are not StatefulSets. */
  private readonly podOf: (Int32Array | null)[];
  private readonly syncKind: number;

  constructor(private readonly ctx: SimContext) {
    this.podOf = ctx.scenario.workloads.map((w) => (w.kind === 'StatefulSet' ? new Int32Array(w.replicas).fill(-1) : null));
    this.syncKind = ctx.engine.register('statefulset-sync', (w) => this.sync(w));
  }

  isStatefulSet(w: number): boolean {
    return this.podOf[w] !== null;
  }

  start(): void {
    this.podOf.forEach((a, w) => {
      if (a !== null) this.sync(w);
    });
  }

  /** Ready: the next ordinal may start once this one has been available for minReadySeconds. */
  onPodReady(p: number): void {
    const w = this.ctx.pods.owner[p]!;
    const minReady = this.ctx.scenario.workloads[w]!.minReadySeconds;
    if (minReady > 0) this.ctx.engine.schedule(this.ctx.engine.now + minReady, this.syncKind, w);
    else this.sync(w);
  }

  onPodGone(p: number): void {
    const { pods } = this.ctx;
    const w = pods.owner[p]!;
    const a = this.podOf[w]!;
    const i = pods.ordinal[p]!;
    if (a[i] === p) a[i] = -1;
    this.sync(w);
  }

  /** kube: isRunningAndAvailable. */
  private runningAndAvailable(p: number, minReadyS: number): boolean {
    const { pods, engine } = this.ctx;
    return pods.terminating[p] === 0 && pods.apiReady[p] === 1 && pods.readySince[p]! + minReadyS <= engine.now;
  }

  private sync(w: number): void {
    const a = this.podOf[w]!;
    const wl = this.ctx.scenario.workloads[w]!;
    const ordered = wl.statefulSet!.podManagementPolicy === 'OrderedReady';
    for (let i = 0; i < a.length; i++) {
      const p = a[i]!;
      if (p >= 0) {
        // OrderedReady waits on any predecessor that is not Running and available.
        if (ordered && !this.runningAndAvailable(p, wl.minReadySeconds)) return;
        continue;
      }
      const np = this.ctx.lifecycle.create(w, i);
      a[i] = np;
      this.ctx.queue.add(np);
      if (ordered) return;
    }
  }
}
