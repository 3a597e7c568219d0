// The policy contract: every name in POLICY_NAMES, on random clusters with random mutations
// between cycles, (1) never places a pod on a node an independent brute-force feasibility
// check rejects, (2) returns -1 exactly when no node is feasible, and (3) places the same
// pods on the same nodes for the same seed. A new policy is checked by registering it.
//
// The brute-force check below shares no code with the scheduler: it re-derives feasibility
// from the NodeTable and the pod template with the rules of kubernetes-semantics.md section 7,
// for the features the generator uses (resources, max pods, nodeSelector, nodeName, NoSchedule /
// NoExecute static taints with Exists or Equal tolerations, cordon and the node lifecycle's
// NoSchedule taints, which a plain pod's default tolerations do not cover).

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { PodTemplate, Taint, Toleration } from '../../src/scenario/model.js';
import { DynamicTaint, type NodeTable } from '../../src/sim/cluster/node-table.js';
import { POLICY_NAMES, Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { cluster, GiB, podTemplate, toleration, type NodeSpec } from './helpers.js';

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
      labels: { zone: pick(['a', 'b']) },
      taints: rng() < 0.25 ? [pick(TAINTS)] : [],
      unschedulable: rng() < 0.1,
    }));
    const nodes = cluster(specs);
    // The scheduler's own stream, separate from the generator's, as in a replication.
    const s = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0 }, seedrandom(`scheduler/${seed}/${trial}`));
    const pods = TEMPLATES.map((t) => s.compile(t, 'pod'));
    for (let step = 0; step < 80; step++) {
      const k = Math.floor(rng() * pods.length);
      const pod = pods[k]!;
      let anyFeasible = false;
      for (let n = 0; n < nodes.count && !anyFeasible; n++) anyFeasible = feasible(nodes, TEMPLATES[k]!, n);
      const got = s.scheduleOne(pod);
      trace.placements.push(got);
      if (got === -1) {
        expect(anyFeasible, `${policy}: -1 although a node is feasible`).toBe(false);
        trace.outcomes[1]++;
      } else {
        expect(feasible(nodes, TEMPLATES[k]!, got), `${policy}: placed on infeasible node n${got}`).toBe(true);
        nodes.addPod(got, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
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
