// Builders for InterPodAffinity / PodTopologySpread tests: a labelled cluster, a PodTopology over
// some templates, pods already placed, and the nodes a template's pod may go to.

import type { LabelSelector, PodAffinityTerm, PodTemplate, TopologySpreadConstraint } from '../../src/scenario/model.js';
import type { NodeTable } from '../../src/sim/cluster/node-table.js';
import type { ScorePlugin } from '../../src/sim/scheduler/framework.js';
import type { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { PodTopology } from '../../src/sim/scheduler/topology/pod-topology.js';
import { cluster, constRandom, podTemplate, type NodeSpec } from './helpers.js';

export const HOST = 'kubernetes.io/hostname';
export const ZONE = 'topology.kubernetes.io/zone';

/** Node `n<i>` with its hostname label and, unless zone is null, a zone label. */
export function zoned(zones: (string | null)[], extra: Partial<NodeSpec>[] = []): NodeSpec[] {
  return zones.map((z, i) => ({
    name: `n${i}`,
    ...extra[i],
    labels: { [HOST]: `n${i}`, ...(z === null ? {} : { [ZONE]: z }), ...extra[i]?.labels },
  }));
}

export function sel(matchLabels: Record<string, string>): LabelSelector {
  return { matchLabels, matchExpressions: [] };
}

export function term(matchLabels: Record<string, string>, topologyKey: string, over: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { labelSelector: sel(matchLabels), namespaces: [], namespaceSelector: null, topologyKey, ...over };
}

export function spread(over: Partial<TopologySpreadConstraint> & { topologyKey: string }): TopologySpreadConstraint {
  return {
    maxSkew: 1,
    whenUnsatisfiable: 'DoNotSchedule',
    labelSelector: null,
    minDomains: null,
    nodeAffinityPolicy: 'Honor',
    nodeTaintsPolicy: 'Ignore',
    ...over,
  };
}

export interface TemplateSpec extends Partial<PodTemplate> {
  namespace?: string;
  /** The controlling ReplicaSet / StatefulSet selector (system default spreading). */
  controller?: LabelSelector;
}

export interface World {
  nodes: NodeTable;
  topo: PodTopology;
  sched: Scheduler;
  pods: SchedPod[];
  /** Binds a pod of template t to node n (counts only). */
  place(t: number, n: number, times?: number): void;
  /** Indices of the nodes every filter accepts for a pod of template t. */
  feasible(t: number): number[];
  /** The FitError message for a pod of template t ('' when it fits somewhere). */
  why(t: number): string;
  /** Normalised scores of the named kube-default plugin for template t over `on` (default: all nodes). */
  scores(t: number, plugin: string, on?: number[]): number[];
}

export function world(specs: NodeSpec[], templates: TemplateSpec[], opts: { systemDefaultSpreading?: boolean } = {}): World {
  const nodes = cluster(specs);
  const topo = PodTopology.fromTemplates(
    nodes,
    templates.map(({ namespace, controller, ...t }) => ({
      template: podTemplate(t),
      namespace: namespace ?? 'default',
      controllerSelector: controller ?? null,
    })),
    opts,
  );
  const sched = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 100, podTopology: topo }, constRandom());
  const pods = templates.map(({ namespace: _ns, controller: _c, ...t }, i) => sched.compile(podTemplate(t), 'pod', { topologyId: i }));
  return {
    nodes,
    topo,
    sched,
    pods,
    place(t, n, times = 1) {
      for (let i = 0; i < times; i++) topo.onBind(t, n);
    },
    feasible(t) {
      const out: number[] = [];
      for (let n = 0; n < nodes.count; n++) if (sched.scheduleOn(pods[t]!, n) === n) out.push(n);
      return out;
    },
    why(t) {
      sched.scheduleOne(pods[t]!);
      return sched.lastFailureMessage();
    },
    scores(t, plugin, on) {
      const list = Int32Array.from(on ?? Array.from({ length: nodes.count }, (_, n) => n));
      const pod = pods[t]!;
      sched.scheduleOn(pod, list[0]!); // refreshes the pod's static per-node cache, as a cycle would
      const p: ScorePlugin = sched.policy.scorePlugins.find((w) => w.plugin.name === plugin)!.plugin;
      const out = new Float64Array(list.length);
      if (p.preScore(pod, list, list.length) === 1) return Array.from(out); // Skip: contributes 0
      p.score(pod, list, list.length, out);
      p.normalizeScore?.(out, list.length);
      return Array.from(out);
    },
  };
}

export { constRandom };
