// ReplicaSet and Deployment controllers, and bare pods (reference sections 3 and 4).
//
// Every replicated workload owns a list of ReplicaSets (a Deployment gets a new one per
// rollout; a bare ReplicaSet has one). Each ReplicaSet keeps `replicas` *active* pods:
// kube: ReplicaSetController.manageReplicas with FilterActivePods, which excludes terminating
// pods, so a pod being deleted is replaced at once, before it is gone. Scale-down picks
// victims with getPodsToDelete / ActivePodsWithRanks. Bare Pods are never replaced.
// With the idealised cluster (API calls take 0 s, controllers react at once) every reaction
// happens at the instant of the event that triggers it.
//
// Deployments: rolloutRolling (reconcileNewReplicaSet, then reconcileOldReplicaSets with
// cleanupUnhealthyReplicas and scaleDownOldReplicaSetsForRollingUpdate) and rolloutRecreate,
// with ResolveFenceposts (maxSurge rounds up, maxUnavailable down, 1 when both are 0).

import type { SimContext } from '../context.js';
import type { Workload } from '../../scenario/model.js';
import { scaledValue } from '../disruption/pdb-math.js';
import { DeleteReason } from '../cluster/pod-lifecycle.js';
import { Cause } from '../metrics/causes.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

interface ReplicaSet {
  /** spec.replicas */
  replicas: number;
  /** Active pods: not terminating. */
  active: number;
  /** Available pods (kube: IsPodAvailable). */
  available: number;
  /** Pod objects, terminating ones included (Recreate waits for them to be gone). */
  objects: number;
}

/** kube: deploymentutil.ResolveFenceposts. */
export function resolveFenceposts(w: Pick<Workload, 'strategy' | 'replicas'>): { maxSurge: number; maxUnavailable: number } {
  const desired = w.replicas;
  const maxSurge = scaledValue(w.strategy.maxSurge, desired, true);
  let maxUnavailable = scaledValue(w.strategy.maxUnavailable, desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export class WorkloadControllers {
  /** ReplicaSets per workload, oldest first; the last one of a Deployment is the new one. */
  private readonly sets: ReplicaSet[][];
  private readonly nextOrdinal: Int32Array;
  private readonly kind: Workload['kind'][];
  private readonly rolloutKind: number;
  private readonly availableKind: number;
  /** Start time of the rollout under way per workload (NaN: none). */
  private readonly rolloutStartedAt: Float64Array;
  /** spec.replicas per workload: the scenario's, then what the HorizontalPodAutoscaler sets. */
  private readonly replicas: Int32Array;
  /** Re-entrancy guard: deleting a pod inside a sync reports back into sync. */
  private readonly syncing: Uint8Array;
  private readonly dirty: Uint8Array;

  constructor(private readonly ctx: SimContext) {
    const ws = ctx.scenario.workloads;
    this.kind = packedMap(ws, (w) => w.kind);
    this.sets = packedMap(ws, (w) => (this.isReplicated(w.kind) ? [{ replicas: w.replicas, active: 0, available: 0, objects: 0 }] : []));
    this.nextOrdinal = replicationArray(Int32Array, ws.length);
    this.replicas = Int32Array.from(ws, (w) => w.replicas);
    this.rolloutStartedAt = replicationArray(Float64Array, ws.length).fill(NaN);
    this.syncing = replicationArray(Uint8Array, ws.length);
    this.dirty = replicationArray(Uint8Array, ws.length);
    this.rolloutKind = ctx.engine.register('rollout', (w) => {
      if (this.kind[w] === 'StatefulSet') ctx.statefulSets.startRollout(w);
      else if (this.kind[w] === 'DaemonSet') ctx.daemonSets.startRollout(w);
      else this.startRollout(w);
    });
    this.availableKind = ctx.engine.register('pod-available', (p, g) => this.onAvailable(p, g));
  }

  private isReplicated(k: Workload['kind']): boolean {
    return k === 'Deployment' || k === 'ReplicaSet';
  }

  /** Creates the initial pods at t = 0 in scenario order, and schedules rollouts. */
  start(): void {
    const { scenario, engine } = this.ctx;
    scenario.workloads.forEach((w, i) => {
      if (this.isReplicated(w.kind)) this.sync(i);
      else if (w.kind === 'Pod') this.createPod(i, 0);
    });
    for (const d of scenario.disruptions) {
      if (d.type !== 'rollout') continue;
      const w = scenario.workloads.findIndex((x) => x.key === d.workload);
      engine.schedule(d.atS, this.rolloutKind, w);
    }
  }

  private createPod(w: number, rs: number): void {
    const p = this.ctx.lifecycle.create(w, this.nextOrdinal[w]!++, rs);
    const set = this.sets[w]![rs];
    if (set !== undefined) {
      set.active++;
      set.objects++;
    }
    this.ctx.queue.add(p);
  }

  // --- pod events (called by the pod lifecycle) ----------------------------------------------

  /** spec.replicas of a Deployment, ReplicaSet or StatefulSet now (the scenario's for other kinds). */
  specReplicas(w: number): number {
    return this.replicas[w]!;
  }

  /**
   * The /scale subresource: sets spec.replicas of a Deployment, ReplicaSet or StatefulSet
   * (StatefulSetController scales by ordinal) and syncs it.
   * A ReplicaSet (or a Deployment's only ReplicaSet) scales with manageReplicas: new pods, or
   * victims by ActivePodsWithRanks. Simplified: during a rollout, upstream's
   * DeploymentController.scale spreads the change over the ReplicaSets in proportion
   * (getProportion); here rolloutRolling / rolloutRecreate reconcile the new total instead
   * (the new ReplicaSet grows within maxSurge, or is cut to the new size).
   */
  setReplicas(w: number, n: number): void {
    const before = this.replicas[w]!;
    if (n === before) return;
    this.replicas[w] = n;
    this.ctx.traffic.onDesiredChanged(w, n - before);
    if (this.kind[w] === 'StatefulSet') {
      this.ctx.statefulSets.onReplicasChanged(w);
      return;
    }
    if (this.kind[w] === 'ReplicaSet') this.sets[w]![0]!.replicas = n;
    this.sync(w);
  }

  /** Pod p became terminating or finished: no longer active. */
  onPodInactive(p: number): void {
    const { pods } = this.ctx;
    const w = pods.owner[p]!;
    if (this.kind[w] === 'Job' || this.kind[w] === 'CronJob') {
      this.ctx.jobs.onPodFailed(p);
      return;
    }
    const set = this.sets[w]![pods.rs[p]!];
    if (set === undefined) return;
    set.active--;
    this.setUnavailable(p);
    this.sync(w);
  }

  /** The pod object is gone. */
  onPodGone(p: number): void {
    const { pods } = this.ctx;
    const w = pods.owner[p]!;
    if (this.kind[w] === 'StatefulSet') {
      this.ctx.statefulSets.onPodGone(p);
      return;
    }
    const set = this.sets[w]![pods.rs[p]!];
    if (set === undefined) return;
    set.objects--;
    if (this.kind[w] === 'Deployment') this.sync(w);
  }

  /** Ready condition became True: available now or after minReadySeconds. */
  onPodReady(p: number): void {
    const { pods, engine, scenario } = this.ctx;
    const w = pods.owner[p]!;
    if (this.kind[w] === 'StatefulSet') {
      this.ctx.statefulSets.onPodReady(p);
      return;
    }
    if (this.kind[w] === 'DaemonSet') {
      this.ctx.daemonSets.onPodReady(p);
      return;
    }
    if (this.sets[w]!.length === 0) return;
    const minReady = scenario.workloads[w]!.minReadySeconds;
    // kube: IsPodAvailable — readyTime + minReadySeconds <= now (`<=` since v1.34, PR #132122).
    if (minReady <= 0) this.setAvailable(p);
    else engine.schedule(engine.now + minReady, this.availableKind, p, pods.gen[p]!);
  }

  /** Ready condition left True. */
  onPodNotReady(p: number): void {
    if (this.kind[this.ctx.pods.owner[p]!] === 'DaemonSet') {
      this.ctx.daemonSets.onPodNotReady(p);
      return;
    }
    if (this.setUnavailable(p)) this.sync(this.ctx.pods.owner[p]!);
  }

  private onAvailable(p: number, gen: number): void {
    const { pods, engine, scenario } = this.ctx;
    if (!pods.isLive(p, gen) || pods.apiReady[p] !== 1 || pods.terminating[p] === 1) return;
    // Still the same Ready period?
    if (pods.readySince[p]! + scenario.workloads[pods.owner[p]!]!.minReadySeconds > engine.now) return;
    this.setAvailable(p);
  }

  private setAvailable(p: number): void {
    const { pods } = this.ctx;
    if (pods.available[p] === 1) return;
    pods.available[p] = 1;
    const w = pods.owner[p]!;
    this.sets[w]![pods.rs[p]!]!.available++;
    this.sync(w);
  }

  private setUnavailable(p: number): boolean {
    const { pods } = this.ctx;
    if (pods.available[p] === 0) return false;
    pods.available[p] = 0;
    this.sets[pods.owner[p]!]![pods.rs[p]!]!.available--;
    return true;
  }

  // --- controllers -------------------------------------------------------------------------

  /** Runs the workload's controller until it reaches a fixed point; re-entrant calls (a pod it
   * deletes or creates reporting back) only mark it dirty. */
  private sync(w: number): void {
    if (this.syncing[w] === 1) {
      this.dirty[w] = 1;
      return;
    }
    this.syncing[w] = 1;
    do {
      this.dirty[w] = 0;
      if (this.kind[w] === 'Deployment') this.syncDeployment(w);
      else if (this.kind[w] === 'ReplicaSet') this.manageReplicas(w, 0);
    } while (this.dirty[w] === 1);
    this.syncing[w] = 0;
  }

  /** kube: manageReplicas — create or delete pods until `active == replicas`. */
  private manageReplicas(w: number, r: number): void {
    const set = this.sets[w]![r]!;
    while (set.active < set.replicas) this.createPod(w, r);
    if (set.active > set.replicas) this.scaleDown(w, r, set.active - set.replicas);
  }

  /** A rollout: the template changes, so a new ReplicaSet (revision) is created at 0 replicas. */
  private startRollout(w: number): void {
    const sets = this.sets[w]!;
    sets.push({ replicas: 0, active: 0, available: 0, objects: 0 });
    this.rolloutStartedAt[w] = this.ctx.engine.now;
    if (this.ctx.trace.enabled) this.ctx.trace.add(this.ctx.engine.now, 'rollout-start', '', '', this.ctx.scenario.workloads[w]!.key, `revision ${sets.length}`);
    this.sync(w);
  }

  private syncDeployment(w: number): void {
    const wl = this.ctx.scenario.workloads[w]!;
    const sets = this.sets[w]!;
    const desired = this.replicas[w]!;
    if (wl.strategy.type === 'Recreate') this.rolloutRecreate(w, desired);
    else this.rolloutRolling(w, wl, desired);
    for (let r = 0; r < sets.length; r++) this.manageReplicas(w, r);
    this.checkComplete(w, desired);
  }

  /** kube: rolloutRolling. */
  private rolloutRolling(w: number, wl: Workload, desired: number): void {
    const sets = this.sets[w]!;
    const newRS = sets[sets.length - 1]!;
    const maxSurge = scaledValue(wl.strategy.maxSurge, desired, true);
    let maxUnavailable = scaledValue(wl.strategy.maxUnavailable, desired, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1; // resolveFenceposts, inlined (no object per sync)
    // reconcileNewReplicaSet (NewRSNewReplicas)
    // Every ReplicaSet scaled here re-enqueues the Deployment (kube: the controller's
    // updateReplicaSet handler), and controllers react at once: `dirty` runs the sync again in
    // the same instant, so after a scale-up the old ReplicaSets are reconciled right away, as
    // upstream's next sync does, not at the next pod event.
    if (newRS.replicas > desired) {
      newRS.replicas = desired;
      this.dirty[w] = 1;
      return;
    }
    if (newRS.replicas < desired) {
      const maxTotal = desired + maxSurge;
      let current = 0;
      for (const s of sets) current += s.replicas;
      if (current < maxTotal) {
        newRS.replicas += Math.min(maxTotal - current, desired - newRS.replicas);
        this.dirty[w] = 1; // scaled up: the old ones are reconciled by the next sync (now)
        return;
      }
    }
    // reconcileOldReplicaSets
    let oldReplicas = 0;
    let all = 0;
    for (const s of sets) all += s.replicas;
    for (let r = 0; r < sets.length - 1; r++) oldReplicas += sets[r]!.replicas;
    if (oldReplicas === 0) return;
    const minAvailable = desired - maxUnavailable;
    const newRSUnavailable = newRS.replicas - newRS.available;
    const maxScaledDown = all - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) return;
    // cleanupUnhealthyReplicas: oldest first, only unavailable replicas.
    let cleaned = 0;
    for (let r = 0; r < sets.length - 1 && cleaned < maxScaledDown; r++) {
      const s = sets[r]!;
      const unhealthy = s.replicas - s.available;
      if (s.replicas === 0 || unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown - cleaned, unhealthy);
      s.replicas -= down;
      cleaned += down;
      this.dirty[w] = 1;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    let available = 0;
    for (const s of sets) available += s.available;
    if (available <= minAvailable) return;
    let total = available - minAvailable;
    for (let r = 0; r < sets.length - 1 && total > 0; r++) {
      const s = sets[r]!;
      if (s.replicas === 0) continue;
      const down = Math.min(s.replicas, total);
      s.replicas -= down;
      total -= down;
      this.dirty[w] = 1;
    }
  }

  /** kube: rolloutRecreate — old ReplicaSets to 0; the new one scales up once no old pod exists. */
  private rolloutRecreate(w: number, desired: number): void {
    const sets = this.sets[w]!;
    let oldObjects = 0;
    for (let r = 0; r < sets.length - 1; r++) {
      sets[r]!.replicas = 0;
      oldObjects += sets[r]!.objects;
    }
    if (oldObjects === 0) sets[sets.length - 1]!.replicas = desired;
  }

  /** kube: DeploymentComplete — updated == available == replicas and no old pods left. */
  private checkComplete(w: number, desired: number): void {
    const started = this.rolloutStartedAt[w]!;
    if (Number.isNaN(started)) return;
    const sets = this.sets[w]!;
    const newRS = sets[sets.length - 1]!;
    if (newRS.replicas !== desired || newRS.available !== desired || newRS.active !== desired) return;
    for (let r = 0; r < sets.length - 1; r++) if (sets[r]!.active > 0) return;
    this.rolloutStartedAt[w] = NaN;
    this.ctx.metrics.onRolloutComplete(w, this.ctx.engine.now - started);
    if (this.ctx.trace.enabled) this.ctx.trace.add(this.ctx.engine.now, 'rollout-complete', '', '', this.ctx.scenario.workloads[w]!.key, `revision ${sets.length}`);
  }

  /**
   * kube: getPodsToDelete — rank the ReplicaSet's active pods with ActivePodsWithRanks and
   * delete the first `diff`. O(pods of the workload) per call; scale-downs are rare.
   */
  private scaleDown(w: number, r: number, diff: number): void {
    const { pods, engine } = this.ctx;
    const candidates: number[] = [];
    // Rank: active pods of every ReplicaSet of the workload on the same node.
    const perNode = new Map<number, number>();
    for (let p = 0; p < pods.highWater; p++) {
      if (pods.owner[p] !== w || pods.terminating[p] === 1) continue;
      const n = pods.node[p]!;
      if (n >= 0) perNode.set(n, (perNode.get(n) ?? 0) + 1);
      if (pods.rs[p] === r) candidates.push(p);
    }
    const now = engine.now;
    const bucket = (t: number) => Math.floor(Math.log2(Math.max(1, (now - t) * 1e9)));
    candidates.sort((a, b) => {
      // 1. unassigned < assigned (2. Pending < Running follows: unbound pods are Pending)
      const na = pods.node[a]! >= 0 ? 1 : 0;
      const nb = pods.node[b]! >= 0 ? 1 : 0;
      if (na !== nb) return na - nb;
      // 3. not ready < ready
      if (pods.apiReady[a] !== pods.apiReady[b]) return pods.apiReady[a]! - pods.apiReady[b]!;
      // 5. higher rank (more pods of the workload on its node) first
      const ra = na === 1 ? perNode.get(pods.node[a]!)! : 0;
      const rb = nb === 1 ? perNode.get(pods.node[b]!)! : 0;
      if (ra !== rb) return rb - ra;
      // 6. both ready: Ready more recently first (LogarithmicScaleDown buckets)
      if (pods.apiReady[a] === 1) {
        const ba = bucket(pods.readySince[a]!);
        const bb = bucket(pods.readySince[b]!);
        if (ba !== bb) return ba - bb;
      }
      // 7. more restarts first
      if (pods.restartCount[a] !== pods.restartCount[b]) return pods.restartCount[b]! - pods.restartCount[a]!;
      // 8. newer first (bucketed), then by id for determinism (upstream: UID)
      const ca = bucket(pods.createdAt[a]!);
      const cb = bucket(pods.createdAt[b]!);
      if (ca !== cb) return ca - cb;
      return a - b;
    });
    // An old ReplicaSet scaled down is a rollout replacing its pods; the newest one scaled down
    // drops surplus pods.
    const cause = r < this.sets[w]!.length - 1 ? Cause.Rollout : Cause.Other;
    for (let i = 0; i < diff && i < candidates.length; i++) this.ctx.lifecycle.delete(candidates[i]!, DeleteReason.ScaleDown, cause);
  }
}
