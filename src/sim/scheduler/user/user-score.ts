// A user policy module's `score` as a ScorePlugin (kube: a Score plugin whose scores are already
// in [MinNodeScore, MaxNodeScore], so no NormalizeScore; kube's framework also rejects a score
// out of that range: runScorePlugins "plugin %q returns an invalid score %v, it should in the
// range of [%v, %v] after normalizing").
//
// Views: one frozen PolicyPod per template and one PolicyNode per node, made on first use.
// `requested` and `pods` are refreshed before each call; `labels` is a frozen copy remade only
// when the node's labels object changes; nothing in the simulation is reachable from a view,
// so a policy cannot change the cluster it scores. Per call: O(resources), no allocation.

import type { NodeTable } from '../../cluster/node-table.js';
import { MAX_NODE_SCORE, Status, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import type { PolicyNode, PolicyPod, ScoreFunction } from './api.js';
import { describe, errorMessage } from './registry.js';

interface NodeView {
  name: string;
  labels: Readonly<Record<string, string>>;
  allocatable: Record<string, number>;
  requested: Record<string, number>;
  pods: number;
  maxPods: number;
}

export class UserScore implements ScorePlugin {
  readonly name = 'UserPolicy';
  readonly normalizeScore = null;
  private readonly podViews = new WeakMap<SchedPod, PolicyPod>();
  private readonly nodeViews: NodeView[] = [];
  /** The labels object each node view's frozen copy was made from. */
  private readonly labelSources: Record<string, string>[] = [];
  private podView: PolicyPod | null = null;

  constructor(
    private readonly nodes: NodeTable,
    private readonly resourceNames: readonly string[],
    /** For error messages: the module as the user named it (resolved path). */
    private readonly module: string,
    private readonly fn: ScoreFunction,
  ) {}

  preScore(pod: SchedPod): Status {
    let view = this.podViews.get(pod);
    if (view === undefined) {
      const requests: Record<string, number> = {};
      this.resourceNames.forEach((r, d) => (requests[r] = pod.requests[d] ?? 0));
      view = Object.freeze({
        workload: pod.name,
        labels: Object.freeze({ ...pod.template.labels }),
        requests: Object.freeze(requests),
      });
      this.podViews.set(pod, view);
    }
    this.podView = view;
    return Status.Success;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const podView = this.podView!;
    for (let i = 0; i < count; i++) {
      const n = feasible[i]!;
      const node = this.nodeView(n);
      let v: unknown;
      try {
        v = this.fn(podView, node as PolicyNode);
      } catch (e) {
        throw new Error(`${this.where(pod, n)} threw: ${errorMessage(e)}`);
      }
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_NODE_SCORE) {
        throw new Error(`${this.where(pod, n)} returned ${describe(v)}: expected a finite number in [0, ${MAX_NODE_SCORE}]`);
      }
      out[i] = v;
    }
  }

  private where(pod: SchedPod, n: number): string {
    return `scheduler policy ${this.module}: score(pod of ${pod.name}, node ${this.nodes.names[n]})`;
  }

  /** Node n's view with `requested` and `pods` as of now. O(resources). */
  private nodeView(n: number): NodeView {
    const nodes = this.nodes;
    const names = this.resourceNames;
    const base = n * nodes.R;
    let view = this.nodeViews[n];
    if (view === undefined) {
      const allocatable: Record<string, number> = {};
      const requested: Record<string, number> = {};
      for (let d = 0; d < names.length; d++) {
        allocatable[names[d]!] = nodes.allocatable[base + d]!;
        requested[names[d]!] = 0;
      }
      view = { name: nodes.names[n]!, labels: {}, allocatable: Object.freeze(allocatable), requested, pods: 0, maxPods: 0 };
      this.nodeViews[n] = view;
    }
    const labels = nodes.labels[n]!;
    if (this.labelSources[n] !== labels) {
      view.labels = Object.freeze({ ...labels });
      this.labelSources[n] = labels;
    }
    const requested = view.requested;
    for (let d = 0; d < names.length; d++) requested[names[d]!] = nodes.requested[base + d]!;
    view.pods = nodes.podCount[n]!;
    view.maxPods = nodes.maxPods[n]!;
    return view;
  }
}
