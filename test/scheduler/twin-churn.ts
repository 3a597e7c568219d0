// Two identical NodeTables changed in lockstep, for contract tests that run a fast scheduler
// path on one and the plain path on the other: every kind of node change a cache must follow
// (binds and deletions, dynamic taints, nodes added and deleted, bursts of changes).

import { CHANGE_LOG_SIZE, DynamicTaint, type NodeTable } from '../../src/sim/cluster/node-table.js';
import type { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { cluster, nodeInit, type NodeSpec } from './helpers.js';

export class TwinChurn {
  readonly a: NodeTable;
  readonly b: NodeTable;
  /** Pods bound on both sides: node and template index. */
  readonly bound: { n: number; t: number }[] = [];
  /** Journal overflows caused (every per-template cache had to rebuild). */
  overflows = 0;

  constructor(
    specs: NodeSpec[],
    private readonly spec: () => NodeSpec,
    private readonly random: () => number,
  ) {
    this.a = cluster(specs);
    this.b = cluster(specs);
  }

  /** Applies f to both tables. */
  both(f: (nodes: NodeTable) => void): void {
    f(this.a);
    f(this.b);
  }

  bind(n: number, t: number, pods: readonly SchedPod[]): void {
    const p = pods[t]!;
    this.both((x) => x.addPod(n, p.requests, p.nonZeroCpuMilli, p.nonZeroMemoryBytes));
    this.bound.push({ n, t });
  }

  /**
   * One random change after a cycle, with `pods` the templates as compiled (requests only are
   * read): a bound pod deleted (probability pDelete), a cordon / not-ready taint flipped, a node
   * added or deleted, a burst of 20 binds (more than a template recomputes at once), or more
   * changes than NodeTable.changeLog keeps (net zero); otherwise nothing.
   */
  step(pods: readonly SchedPod[], pDelete: number): void {
    const { random, a, bound } = this;
    const u = random();
    if (bound.length > 0 && u < pDelete) {
      const { n, t } = bound.splice(Math.floor(random() * bound.length), 1)[0]!;
      const p = pods[t]!;
      this.both((x) => x.removePod(n, p.requests, p.nonZeroCpuMilli, p.nonZeroMemoryBytes));
    } else if (u < 0.45) {
      const n = Math.floor(random() * a.count);
      const bit = random() < 0.5 ? DynamicTaint.Unschedulable : DynamicTaint.NotReadyNoSchedule;
      const on = random() < 0.6;
      this.both((x) => x.setDynTaint(n, bit, on));
    } else if (u < 0.452) {
      const s = this.spec();
      this.both((x) => x.add(nodeInit(s, x.count)));
    } else if (u < 0.454) {
      const n = Math.floor(random() * a.count);
      this.both((x) => {
        x.exists[n] = 0;
        x.staticChanged();
      });
    } else if (u < 0.47) {
      for (let i = 0; i < 20; i++) this.bind(Math.floor(random() * a.count), 1, pods);
    } else if (u < 0.476) {
      this.overflows++;
      const n = Math.floor(random() * a.count);
      const p = pods[0]!;
      for (let i = 0; i <= CHANGE_LOG_SIZE; i++) {
        this.both((x) => x.addPod(n, p.requests, p.nonZeroCpuMilli, p.nonZeroMemoryBytes));
        this.both((x) => x.removePod(n, p.requests, p.nonZeroCpuMilli, p.nonZeroMemoryBytes));
      }
    }
  }
}
