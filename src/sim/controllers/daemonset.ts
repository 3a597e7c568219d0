// DaemonSet controller: one pod per eligible node.
//
// kube: NodeShouldRunDaemonPod decides eligibility from nodeName, nodeSelector / required
// node affinity, and taints: an untolerated NoSchedule or NoExecute taint keeps a new pod off
// the node. DaemonSet pods get AddOrUpdateDaemonPodTolerations (not-ready, unreachable
// NoExecute forever; unschedulable NoSchedule...), so they survive node failures, land on
// cordoned nodes and are never taint-evicted; `kubectl drain --ignore-daemonsets` leaves them.
//
// Placement: upstream creates the pod with a node affinity to its node and the default
// scheduler binds it; here `scheduler.scheduleOn(pod, n)` runs the same filters for that one
// node. A pod that does not fit yet is retried when capacity frees on that node.

import type { SimContext } from '../context.js';
import { matchesNodeSelector } from '../cluster/selectors.js';
import { grown } from '../typed-arrays.js';
import { toleratesTaint } from '../cluster/tolerations.js';

export class DaemonSetController {
  private readonly dsIndices: number[];
  /** podOnNode[k][n]: pod id of DaemonSet k on node n, or -1. */
  private readonly podOnNode: Int32Array[];
  /** waiting[k][n] = 1 when DaemonSet k should run on node n but its pod did not fit yet. */
  private readonly waiting: Uint8Array[];
  private waitingCount = 0;
  private readonly nextOrdinal: Int32Array;

  constructor(private readonly ctx: SimContext) {
    this.dsIndices = [];
    ctx.scenario.workloads.forEach((w, i) => {
      if (w.kind === 'DaemonSet') this.dsIndices.push(i);
    });
    this.podOnNode = this.dsIndices.map(() => new Int32Array(64).fill(-1));
    this.waiting = this.dsIndices.map(() => new Uint8Array(64));
    this.nextOrdinal = new Int32Array(this.dsIndices.length);
  }

  get count(): number {
    return this.dsIndices.length;
  }

  start(): void {
    for (let n = 0; n < this.ctx.nodes.count; n++) this.onNodeAdded(n);
  }

  onNodeAdded(n: number): void {
    for (let k = 0; k < this.dsIndices.length; k++) {
      this.ensureCapacity(k, n);
      if (this.shouldRun(this.dsIndices[k]!, n)) this.place(k, n);
    }
  }

  /** A pod left node n; if it was a DaemonSet pod, or capacity was waited for, act. */
  onPodGone(owner: number, n: number): void {
    if (n < 0 || this.dsIndices.length === 0) return;
    const k = this.dsIndices.indexOf(owner);
    if (k >= 0 && this.podOnNode[k]![n] !== -1) {
      this.podOnNode[k]![n] = -1;
      if (this.ctx.nodes.exists[n] === 1 && this.shouldRun(owner, n)) this.place(k, n);
    }
    if (this.waitingCount > 0) {
      for (let j = 0; j < this.dsIndices.length; j++) {
        if (this.waiting[j]![n] === 1) this.place(j, n);
      }
    }
  }

  isDaemonSet(owner: number): boolean {
    return this.ctx.scenario.workloads[owner]!.kind === 'DaemonSet';
  }

  /** kube: NodeShouldRunDaemonPod (predicates part). */
  private shouldRun(w: number, n: number): boolean {
    const { nodes } = this.ctx;
    if (nodes.exists[n] !== 1) return false;
    const t = this.ctx.scenario.workloads[w]!.template;
    const sp = this.ctx.templates[w]!;
    if (t.nodeName !== null && t.nodeName !== nodes.names[n]) return false;
    const labels = nodes.labels[n]!;
    for (const k in t.nodeSelector) if (labels[k] !== t.nodeSelector[k]) return false;
    if (t.requiredNodeAffinity !== null && !matchesNodeSelector(t.requiredNodeAffinity, nodes.names[n]!, labels)) return false;
    for (const taint of nodes.staticTaints[n]!) {
      if (taint.effect === 'PreferNoSchedule') continue;
      if (!sp.tolerations.some((tol) => toleratesTaint(tol, taint))) return false;
    }
    return true;
  }

  private place(k: number, n: number): void {
    const w = this.dsIndices[k]!;
    // The filters the default scheduler would run for a pod pinned to node n.
    const fits = this.ctx.scheduler.scheduleOn(this.ctx.templates[w]!, n) === n;
    if (!fits) {
      if (this.waiting[k]![n] === 0) {
        this.waiting[k]![n] = 1;
        this.waitingCount++;
      }
      return;
    }
    if (this.waiting[k]![n] === 1) {
      this.waiting[k]![n] = 0;
      this.waitingCount--;
    }
    const p = this.ctx.lifecycle.create(w, this.nextOrdinal[k]!++);
    this.podOnNode[k]![n] = p;
    this.ctx.lifecycle.bind(p, n);
  }

  private ensureCapacity(k: number, n: number): void {
    const cur = this.podOnNode[k]!;
    if (n < cur.length) return;
    const size = Math.max(n + 1, cur.length * 2);
    this.podOnNode[k] = grown(cur, size).fill(-1, cur.length);
    this.waiting[k] = grown(this.waiting[k]!, size);
  }
}
