// Live PodDisruptionBudget status, kept incrementally.
//
// Pods of one template carry the same labels, so which PDBs select a pod is decided once per
// template (`pdbsOfTemplate`). Per PDB we keep the matched-pod and healthy counts; the status
// is then O(controllers matched) to compute (usually one), as the disruption controller
// would report it at that instant (idealised: it syncs at once on every pod change).

import type { SimContext } from '../context.js';
import { matchesLabelSelector } from '../cluster/selectors.js';
import { pdbStatus, type PdbStatus } from './pdb-math.js';
import { PodPhase } from '../cluster/pods.js';
import { packedMap } from '../packed.js';
import { replicationArray } from '../typed-arrays.js';

export class PdbTracker {
  /** PDB indices selecting pods of each template (template index == workload index). */
  readonly pdbsOfTemplate: number[][];
  /** Workloads whose pods each PDB selects. */
  private readonly ownersOfPdb: number[][];
  private readonly matched: Int32Array;
  private readonly healthy: Int32Array;
  /** Existing pods per workload (any phase, terminating included). */
  private readonly podsOfOwner: Int32Array;
  private readonly violated: Uint8Array;

  constructor(private readonly ctx: SimContext) {
    const { scenario } = ctx;
    const P = scenario.pdbs.length;
    this.pdbsOfTemplate = packedMap(scenario.workloads, (w) =>
      scenario.pdbs.flatMap((pdb, i) =>
        pdb.namespace === w.namespace && matchesLabelSelector(pdb.selector, w.template.labels) ? [i] : [],
      ),
    );
    this.ownersOfPdb = packedMap(scenario.pdbs, (_, i) => scenario.workloads.flatMap((_w, wi) => (this.pdbsOfTemplate[wi]!.includes(i) ? [wi] : [])));
    this.matched = replicationArray(Int32Array, P);
    this.healthy = replicationArray(Int32Array, P);
    this.podsOfOwner = replicationArray(Int32Array, scenario.workloads.length);
    this.violated = replicationArray(Uint8Array, P);
  }

  get count(): number {
    return this.ctx.scenario.pdbs.length;
  }

  /** PDB indices covering workload w. */
  pdbsOf(w: number): readonly number[] {
    return this.pdbsOfTemplate[w]!;
  }

  onPodAdded(p: number): void {
    const t = this.ctx.pods.tmpl[p]!;
    this.podsOfOwner[this.ctx.pods.owner[p]!]!++;
    for (const i of this.pdbsOfTemplate[t]!) {
      this.matched[i]!++;
      this.refresh(i);
    }
  }

  onPodRemoved(p: number): void {
    const { pods } = this.ctx;
    const t = pods.tmpl[p]!;
    this.podsOfOwner[pods.owner[p]!]!--;
    const wasHealthy = this.countedHealthy[p] === 1;
    for (const i of this.pdbsOfTemplate[t]!) {
      this.matched[i]!--;
      if (wasHealthy) this.healthy[i]!--;
      this.refresh(i);
    }
    this.countedHealthy[p] = 0;
  }

  /** Call after apiReady, terminating or phase of p changed. */
  onPodHealthChanged(p: number): void {
    const h = this.isHealthy(p) ? 1 : 0;
    const before = this.countedHealthy[p] ?? 0;
    if (h === before) return;
    this.countedHealthy[p] = h;
    for (const i of this.pdbsOfTemplate[this.ctx.pods.tmpl[p]!]!) {
      this.healthy[i]! += h - before;
      this.refresh(i);
    }
  }

  /** Healthiness each pod was last counted with (pod ids are reused, so reset on removal). */
  private readonly countedHealthy: number[] = [];

  /** kube: countHealthyPods — no deletionTimestamp and IsPodReady (minReadySeconds ignored). */
  private isHealthy(p: number): boolean {
    const { pods } = this.ctx;
    return pods.terminating[p] === 0 && pods.apiReady[p] === 1 && pods.phase[p] === PodPhase.Running;
  }

  /** The status the eviction API would read now. O(workloads matched by the PDB). */
  status(i: number): PdbStatus {
    const { scenario } = this.ctx;
    let expectedScale = 0;
    let scaleUnknown = false;
    for (const w of this.ownersOfPdb[i]!) {
      if (this.podsOfOwner[w] === 0) continue;
      const wl = scenario.workloads[w]!;
      // kube: getExpectedScale finders — Deployment (through its ReplicaSet), ReplicaSet,
      // StatefulSet, or anything with /scale. Bare pods are unmanaged: left out. A DaemonSet
      // has no scale subresource: "found no controllers" -> failSafe.
      if (wl.kind === 'Pod') continue;
      if (wl.kind === 'DaemonSet' || wl.kind === 'Job' || wl.kind === 'CronJob') scaleUnknown = true;
      else expectedScale += this.ctx.workloads.specReplicas(w); // spec.replicas now (a HorizontalPodAutoscaler may have changed it)
    }
    return pdbStatus(scenario.pdbs[i]!, {
      matchedPods: this.matched[i]!,
      expectedScale,
      scaleUnknown,
      currentHealthy: this.healthy[i]!,
    });
  }

  private refresh(i: number): void {
    const st = this.status(i);
    const v = st.currentHealthy < st.desiredHealthy ? 1 : 0;
    if (v !== this.violated[i]) {
      this.violated[i] = v;
      for (const w of this.ownersOfPdb[i]!) this.ctx.metrics.onPdbViolation(w, v === 1 ? +1 : -1);
    }
  }
}
