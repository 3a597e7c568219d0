// The policy contract: every name in POLICY_NAMES, on random clusters with random mutations
// between cycles, (1) never places a pod on a node an independent brute-force feasibility
// check rejects, (2) returns -1 exactly when no node is feasible, and (3) places the same
// pods on the same nodes for the same seed. A new policy is checked by registering it.
//
// The brute-force check below shares no code with the scheduler: it re-derives feasibility
// from the NodeTable and the pod template with the rules of kubernetes-semantics.md section 7,
// for the features the generator uses (resources, max pods, nodeSelector, nodeName, NoSchedule /
// NoExecute static taints with Exists or Equal tolerations, cordon and the node lifecycle's
// NoSchedule taints, which a plain pod's default tolerations do not cover; required pod
// affinity and anti-affinity, existing pods' anti-affinity, DoNotSchedule zone spread, each
// re-derived from the list of placed pods).

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { PodTemplate, Taint, Toleration } from '../../src/scenario/model.js';
import { DynamicTaint, type NodeTable } from '../../src/sim/cluster/node-table.js';
import { POLICY_NAMES, Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { PodTopology } from '../../src/sim/scheduler/topology/pod-topology.js';
import { cluster, GiB, podTemplate, toleration, type NodeSpec } from './helpers.js';

const HOST = 'kubernetes.io/hostname';
const app = (a: string) => ({ matchLabels: { app: a }, matchExpressions: [] });
const term = (a: string, topologyKey: string) => ({ labelSelector: app(a), namespaces: [], namespaceSelector: null, topologyKey });
const none = { required: [], preferred: [] };

interface Placed {
  k: number;
  n: number;
}

const selects = (sel: { matchLabels: Record<string, string> }, labels: Record<string, string>) =>
  Object.entries(sel.matchLabels).every(([k, v]) => labels[k] === v);

/**
 * Brute force over the placed pods (templates here use matchLabels only, one namespace):
 * InterPodAffinity and PodTopologySpread DoNotSchedule for a pod of template k on node n.
 */
function podRulesAllow(nodes: NodeTable, placed: readonly Placed[], k: number, n: number): boolean {
  const t = TEMPLATES[k]!;
  const label = (m: number, key: string): string | undefined => nodes.labels[m]![key];
  // Required affinity: every term's key on n; some placed pod matching all terms shares each
  // term's domain, unless none matches anywhere and the pod matches its own terms.
  const req = t.podAffinity.required;
  if (req.length > 0) {
    if (req.some((r) => label(n, r.topologyKey) === undefined)) return false;
    const matchAll = (p: Placed) => req.every((r) => selects(r.labelSelector!, TEMPLATES[p.k]!.labels));
    const inDomain = req.every((r) => placed.some((p) => matchAll(p) && label(p.n, r.topologyKey) === label(n, r.topologyKey)));
    const anyAnywhere = placed.some((p) => matchAll(p) && req.some((r) => label(p.n, r.topologyKey) !== undefined));
    const self = req.every((r) => selects(r.labelSelector!, t.labels));
    if (!inDomain && !(!anyAnywhere && self)) return false;
  }
  for (const r of t.podAntiAffinity.required) {
    const v = label(n, r.topologyKey);
    if (v !== undefined && placed.some((p) => selects(r.labelSelector!, TEMPLATES[p.k]!.labels) && label(p.n, r.topologyKey) === v)) return false;
  }
  for (const p of placed) {
    for (const r of TEMPLATES[p.k]!.podAntiAffinity.required) {
      const v = label(n, r.topologyKey);
      if (v !== undefined && selects(r.labelSelector!, t.labels) && label(p.n, r.topologyKey) === v) return false;
    }
  }
  for (const c of t.topologySpreadConstraints) {
    const v = label(n, c.topologyKey);
    if (v === undefined) return false;
    const perDomain = new Map<string, number>();
    for (let m = 0; m < nodes.count; m++) {
      const d = label(m, c.topologyKey);
      if (d !== undefined && !perDomain.has(d)) perDomain.set(d, 0);
    }
    for (const p of placed) {
      if (selects(c.labelSelector!, TEMPLATES[p.k]!.labels)) perDomain.set(label(p.n, c.topologyKey)!, perDomain.get(label(p.n, c.topologyKey)!)! + 1);
    }
    const min = Math.min(...perDomain.values());
    if (perDomain.get(v)! + (selects(c.labelSelector!, t.labels) ? 1 : 0) - min > c.maxSkew) return false;
  }
  return true;
}

const HARD_DYNAMIC = DynamicTaint.Unschedulable | DynamicTaint.UnreachableNoSchedule | DynamicTaint.NotReadyNoSchedule;

function tolerated(taint: Taint, tolerations: readonly Toleration[]): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === '' || t.effect === taint.effect) &&
      (t.key === '' || t.key === taint.key) &&
      (t.operator === 'Exists' || t.value === taint.value),
  );
}

/** Brute force: may a plain pod (kind 'pod') of template `t` be bound to node n right now? */
function feasible(nodes: NodeTable, t: PodTemplate, n: number): boolean {
  if (nodes.exists[n] === 0) return false;
  if (t.nodeName !== null && t.nodeName !== nodes.names[n]) return false;
  for (const [k, v] of Object.entries(t.nodeSelector)) if (nodes.labels[n]![k] !== v) return false;
  for (const taint of nodes.staticTaints[n]!) {
    if (taint.effect !== 'PreferNoSchedule' && !tolerated(taint, t.tolerations)) return false;
  }
  if ((nodes.dynTaints[n]! & HARD_DYNAMIC) !== 0) return false; // templates here tolerate none of them
  if (nodes.podCount[n]! + 1 > nodes.maxPods[n]!) return false;
  for (let r = 0; r < nodes.R; r++) {
    const want = t.requests[r] ?? 0;
    if (want > 0 && want > nodes.allocatable[n * nodes.R + r]! - nodes.requested[n * nodes.R + r]!) return false;
  }
  return true;
}

const TAINTS: Taint[] = [
  { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
  { key: 'spot', value: '', effect: 'PreferNoSchedule' },
  { key: 'maint', value: '', effect: 'NoExecute' },
];

const TEMPLATES: PodTemplate[] = [
  podTemplate({ requests: [500, 1 * GiB, 0] }),
  podTemplate({ requests: [2000, 256 * 1024 * 1024, 0] }),
  podTemplate({ requests: [250, 6 * GiB, 0] }),
  podTemplate({ requests: [0, 0, 0], tolerations: [toleration({ key: 'dedicated', operator: 'Exists' })] }),
  podTemplate({ requests: [1500, 2 * GiB, 0], nodeSelector: { zone: 'a' } }),
  podTemplate({ requests: [100, 0, 0], tolerations: [toleration({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })] }),
  podTemplate({ requests: [300, 512 * 1024 * 1024, 0], nodeName: 'n7' }),
  // 7..10: one per host; zone spread; affinity to web's zones; guard repelling cache from its zone.
  podTemplate({ labels: { app: 'db' }, requests: [200, 256 * 1024 * 1024, 0], podAntiAffinity: { required: [term('db', HOST)], preferred: [] } }),
  podTemplate({
    labels: { app: 'web' },
    requests: [300, 512 * 1024 * 1024, 0],
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: app('web'), minDomains: null, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' },
    ],
  }),
  podTemplate({ labels: { app: 'cache' }, requests: [100, 0, 0], podAffinity: { required: [term('web', 'zone')], preferred: [] } }),
  podTemplate({ labels: { app: 'guard' }, requests: [100, 0, 0], podAffinity: none, podAntiAffinity: { required: [term('cache', 'zone')], preferred: [] } }),
];

interface Trace {
  placements: number[];
  outcomes: [number, number]; // [scheduled, unschedulable]
}

/**
 * 15 random clusters of `size` nodes, 80 cycles each, checking every answer against the brute
 * force; returns the placements for the determinism check.
 */
function exercise(policy: string, seed: string, size: number): Trace {
  const rng = seedrandom(`contract/${seed}`); // the cluster and the mutations
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const bits = [DynamicTaint.Unschedulable, DynamicTaint.UnreachableNoSchedule, DynamicTaint.UnreachableNoExecute, DynamicTaint.NotReadyNoSchedule];
  const trace: Trace = { placements: [], outcomes: [0, 0] };
  for (let trial = 0; trial < 15; trial++) {
    const specs: NodeSpec[] = Array.from({ length: size }, (_, i) => ({
      name: `n${i}`,
      cpu: pick([1000, 2000, 4000, 8000]),
      memory: pick([2, 4, 8, 16]) * GiB,
      maxPods: pick([4, 110]),
      labels: { zone: pick(['a', 'b', 'c']), [HOST]: `n${i}` },
      taints: rng() < 0.25 ? [pick(TAINTS)] : [],
      unschedulable: rng() < 0.1,
    }));
    const nodes = cluster(specs);
    // The scheduler's own stream, separate from the generator's, as in a replication.
    const podTopology = PodTopology.fromTemplates(nodes, TEMPLATES.map((template) => ({ template, namespace: 'default', controllerSelector: null })));
    const s = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0, podTopology }, seedrandom(`scheduler/${seed}/${trial}`));
    const pods = TEMPLATES.map((t, i) => s.compile(t, 'pod', { topologyId: i }));
    const placed: Placed[] = [];
    const ok = (k: number, n: number) => feasible(nodes, TEMPLATES[k]!, n) && podRulesAllow(nodes, placed, k, n);
    for (let step = 0; step < 80; step++) {
      const k = Math.floor(rng() * pods.length);
      const pod = pods[k]!;
      let anyFeasible = false;
      for (let n = 0; n < nodes.count && !anyFeasible; n++) anyFeasible = ok(k, n);
      const got = s.scheduleOne(pod);
      trace.placements.push(got);
      if (got === -1) {
        expect(anyFeasible, `${policy}: -1 although a node is feasible`).toBe(false);
        trace.outcomes[1]++;
      } else {
        expect(ok(k, got), `${policy}: placed on infeasible node n${got}`).toBe(true);
        nodes.addPod(got, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
        podTopology.onBind(k, got);
        placed.push({ k, n: got });
        trace.outcomes[0]++;
      }
      // Mutations between cycles: node lifecycle taints and cordons, pods leaving.
      const r = rng();
      const n = Math.floor(rng() * nodes.count);
      if (r < 0.15) nodes.setDynTaint(n, pick(bits), rng() < 0.5);
      else if (r < 0.35 && nodes.podCount[n]! > 0) {
        // Free a random share of the node (as if a pod left); keeps requested >= 0.
        const base = n * nodes.R;
        const f = rng();
        const freed = [nodes.requested[base]! * f, nodes.requested[base + 1]! * f, 0];
        nodes.removePod(n, freed, nodes.nonZeroCpu[n]! * f, nodes.nonZeroMem[n]! * f);
      } else if (r < 0.5 && placed.length > 0) {
        // A placed pod is deleted: it leaves the pod counts (and its resources the node).
        const [p] = placed.splice(Math.floor(rng() * placed.length), 1);
        const q = pods[p!.k]!;
        nodes.removePod(p!.n, Array.from(q.requests), q.nonZeroCpuMilli, q.nonZeroMemoryBytes);
        podTopology.onRemove(p!.k, p!.n, false);
      }
    }
  }
  return trace;
}

describe.each(POLICY_NAMES.map((p) => [p]))('policy contract: %s', (policy) => {
  it('never places on an infeasible node and returns -1 exactly when nothing fits (30-node clusters, all examined)', () => {
    const t = exercise(policy, 'small', 30);
    // both outcomes exercised
    expect(t.outcomes[0]).toBeGreaterThan(200);
    expect(t.outcomes[1]).toBeGreaterThan(50);
  });

  it('the same on 150-node clusters, where the sampled search stops after 100 feasible nodes', () => {
    const t = exercise(policy, 'large', 150);
    expect(t.outcomes[0]).toBeGreaterThan(200);
  });

  it('is deterministic for a seed', () => {
    expect(exercise(policy, 'det', 30).placements).toEqual(exercise(policy, 'det', 30).placements);
  });
});

it('POLICY_NAMES lists every policy of SPEC section 3 implemented so far', () => {
  expect([...POLICY_NAMES].sort()).toEqual(
    [
      'balanced-allocation', 'best-fit', 'dot-product', 'fgd', 'first-fit', 'gpu-clustering', 'gpu-packing',
      'kube-default', 'least-allocated', 'most-allocated', 'random', 'requested-to-capacity-ratio', 'worst-fit',
    ],
  );
});
