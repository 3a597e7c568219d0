// DefaultPreemption's selection logic (kube: default_preemption.go SelectVictimsOnNode,
// filterPodsWithPDBViolation, calculateNumCandidates, PodEligibleToPreemptOthers;
// preemption.go pickOneNodeForPreemption), with the arithmetic worked out in comments.
import { describe, expect, it } from 'vitest';
import type { PodTemplate } from '../../src/scenario/model.js';
import { PodStore, PodPhase } from '../../src/sim/cluster/pods.js';
import { withPostFilterMessage } from '../../src/sim/scheduler/fit-error.js';
import { NominatedOverlay, Nominator } from '../../src/sim/scheduler/nominator.js';
import {
  calculateNumCandidates,
  CandidateTable,
  Eligibility,
  NodeOutcome,
  pickOneNodeForPreemption,
  PreemptionEvaluator,
  PRIORITY_SUM_OFFSET,
} from '../../src/sim/scheduler/preemption.js';
import { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { cluster, constRandom, podTemplate, type NodeSpec } from './helpers.js';

/** Pods are described by (priority, cpu millicores); each gets its own template. */
interface PodSpec {
  prio: number;
  cpu: number;
  node: number;
  startS?: number;
  pdbs?: number[];
  never?: boolean;
}

function fixture(nodeSpecs: NodeSpec[], podSpecs: PodSpec[], preemptor: { prio: number; cpu: number; never?: boolean }) {
  const nodes = cluster(nodeSpecs);
  const pods = new PodStore(64, 16);
  const tmpls: PodTemplate[] = [
    podTemplate({ requests: [preemptor.cpu, 0, 0], priority: preemptor.prio, preemptionPolicy: preemptor.never === true ? 'Never' : 'PreemptLowerPriority' }),
    ...podSpecs.map((s) => podTemplate({ requests: [s.cpu, 0, 0], priority: s.prio })),
  ];
  const templates = tmpls.map((t) => new SchedPod(t, 'pod', nodes.R));
  const pdbsOfTemplate = [[], ...podSpecs.map((s) => s.pdbs ?? [])];
  const overlay = new NominatedOverlay(nodes);
  const ev = new PreemptionEvaluator({ nodes, pods, templates, pdbsOfTemplate, overlay });
  const ids = podSpecs.map((s, i) => {
    const t = i + 1;
    const p = pods.alloc(t, t, 0, 0);
    pods.linkToNode(p, s.node);
    nodes.addPod(s.node, templates[t]!.requests, templates[t]!.nonZeroCpuMilli, templates[t]!.nonZeroMemoryBytes);
    pods.phase[p] = PodPhase.Running;
    pods.boundAt[p] = s.startS ?? 0;
    return p;
  });
  return { nodes, pods, templates, overlay, ev, ids, pod: templates[0]! };
}

const victimsOf = (ev: PreemptionEvaluator) => Array.from(ev.victims.subarray(0, ev.victimsLen));

describe('calculateNumCandidates (10% of potential nodes, at least 100, at most all)', () => {
  it.each([
    [1, 1], // min(max(0, 100), 1)
    [50, 50], // 5 -> 100 -> capped at 50
    [100, 100],
    [999, 100], // 99 -> 100
    [1005, 100], // 100.5 truncated
    [2000, 200],
    [5000, 500],
  ])('%i potential nodes -> %i candidates', (n, want) => {
    expect(calculateNumCandidates(n)).toBe(want);
  });
});

describe('SelectVictimsOnNode', () => {
  it('removes every lower-priority pod, then reprieves from the most important down', () => {
    // Node 4000m, full: a(prio 50, 1000m, started 1 s), b(prio 50, 1000m, started 2 s),
    // c(prio 10, 1000m), d(prio 200, 1000m: not lower than the preemptor's 100, never a victim).
    // Preemptor: prio 100, 1500m. Removing a, b, c frees 3000m >= 1500m: fits.
    // MoreImportantPod order: a (50, earlier start), b (50), c (10).
    //   reprieve a: free 3000 - 1000 = 2000 >= 1500 -> a stays;
    //   reprieve b: free 2000 - 1000 = 1000 <  1500 -> victim (free back to 2000);
    //   reprieve c: same -> victim.
    const f = fixture(
      [{ cpu: 4000 }],
      [
        { prio: 50, cpu: 1000, node: 0, startS: 1 },
        { prio: 50, cpu: 1000, node: 0, startS: 2 },
        { prio: 10, cpu: 1000, node: 0, startS: 0 },
        { prio: 200, cpu: 1000, node: 0, startS: 0 },
      ],
      { prio: 100, cpu: 1500 },
    );
    const [, b, c] = f.ids;
    expect(f.ev.selectVictimsOnNode(f.pod, 0, new Int32Array(0))).toBe(NodeOutcome.Candidate);
    expect(victimsOf(f.ev)).toEqual([b, c]);
    expect(f.ev.numViolating).toBe(0);
  });

  it('with equal priorities the earlier-started pod is reprieved first', () => {
    // As above with the start times swapped: b (started 1 s) is now the more important one.
    const f = fixture(
      [{ cpu: 4000 }],
      [
        { prio: 50, cpu: 1000, node: 0, startS: 2 },
        { prio: 50, cpu: 1000, node: 0, startS: 1 },
        { prio: 10, cpu: 1000, node: 0 },
        { prio: 200, cpu: 1000, node: 0 },
      ],
      { prio: 100, cpu: 1500 },
    );
    const [a, , c] = f.ids;
    expect(f.ev.selectVictimsOnNode(f.pod, 0, new Int32Array(0))).toBe(NodeOutcome.Candidate);
    expect(victimsOf(f.ev)).toEqual([a, c]);
  });

  it('reprieves PDB-violating pods before the others (filterPodsWithPDBViolation)', () => {
    // Node 3000m, full: x(prio 30), y(prio 20), both under PDB 0 with disruptionsAllowed 1;
    // z(prio 10), no PDB. Preemptor prio 100, 2000m.
    // Importance order x, y, z. Budget: x takes 1 -> 0 (not violating), y takes 0 -> -1
    // (violating). violating = [y], nonViolating = [x, z].
    //   reprieve y first: free 3000 - 1000 = 2000 >= 2000 -> y stays;
    //   x: 2000 - 1000 = 1000 < 2000 -> victim; z: victim.
    // Plain importance order would have kept x and evicted y and z, violating the budget.
    const f = fixture(
      [{ cpu: 3000 }],
      [
        { prio: 30, cpu: 1000, node: 0, pdbs: [0] },
        { prio: 20, cpu: 1000, node: 0, pdbs: [0] },
        { prio: 10, cpu: 1000, node: 0 },
      ],
      { prio: 100, cpu: 2000 },
    );
    const [x, , z] = f.ids;
    expect(f.ev.selectVictimsOnNode(f.pod, 0, Int32Array.of(1))).toBe(NodeOutcome.Candidate);
    expect(victimsOf(f.ev)).toEqual([x, z]);
    expect(f.ev.numViolating).toBe(0);
  });

  it('counts a violating pod that cannot be reprieved, and sorts the victims by importance again', () => {
    // As above, preemptor 3000m: nothing can stay. violating = [y] (victim, numViolating 1),
    // nonViolating = [x, z] (victims). Collected as y, x, z; re-sorted: x, y, z.
    const f = fixture(
      [{ cpu: 3000 }],
      [
        { prio: 30, cpu: 1000, node: 0, pdbs: [0] },
        { prio: 20, cpu: 1000, node: 0, pdbs: [0] },
        { prio: 10, cpu: 1000, node: 0 },
      ],
      { prio: 100, cpu: 3000 },
    );
    const [x, y, z] = f.ids;
    expect(f.ev.selectVictimsOnNode(f.pod, 0, Int32Array.of(1))).toBe(NodeOutcome.Candidate);
    expect(victimsOf(f.ev)).toEqual([x, y, z]);
    expect(f.ev.numViolating).toBe(1);
  });

  it('a node where the pod does not fit even without every lower-priority pod is no candidate', () => {
    // 4000m node: 2000m at prio 500 (kept) + 1000m at prio 0. Removing the low pod frees
    // 1000 + 1000 idle = 2000m < 3000m requested.
    const f = fixture(
      [{ cpu: 4000 }],
      [
        { prio: 500, cpu: 2000, node: 0 },
        { prio: 0, cpu: 1000, node: 0 },
      ],
      { prio: 100, cpu: 3000 },
    );
    expect(f.ev.selectVictimsOnNode(f.pod, 0, new Int32Array(0))).toBe(NodeOutcome.DoesNotFit);
  });

  it('equal priority never preempts: no victims', () => {
    const f = fixture([{ cpu: 2000 }], [{ prio: 100, cpu: 2000, node: 0 }], { prio: 100, cpu: 1000 });
    expect(f.ev.selectVictimsOnNode(f.pod, 0, new Int32Array(0))).toBe(NodeOutcome.NoVictims);
  });

  it('"Too many pods" is resolved by removing pods too', () => {
    // maxPods 2, two 0-request low pods: removing both leaves 0 + 1 <= 2; reprieve the first
    // (1 + 1 <= 2), the second would make 2 + 1 > 2 -> one victim.
    const f = fixture(
      [{ cpu: 4000, maxPods: 2 }],
      [
        { prio: 1, cpu: 0, node: 0, startS: 1 },
        { prio: 1, cpu: 0, node: 0, startS: 2 },
      ],
      { prio: 100, cpu: 0 },
    );
    expect(f.ev.selectVictimsOnNode(f.pod, 0, new Int32Array(0))).toBe(NodeOutcome.Candidate);
    expect(victimsOf(f.ev)).toEqual([f.ids[1]]);
  });
});

describe('pickOneNodeForPreemption: each rule breaks the previous tie', () => {
  // Rows: [numPdbViolations, highestPriority, sumPriorities, numVictims, earliestStartOfHighest].
  type Row = [number, number, number, number, number];
  const O = PRIORITY_SUM_OFFSET;
  it.each<[string, Row[], number]>([
    ['1. fewest PDB violations', [[1, 0, O, 1, 0], [0, 1000, 1000 + O, 1, 0]], 1],
    ['2. lowest highest-victim priority', [[0, 10, 10 + O, 1, 0], [0, 5, 10 + 2 * O, 2, 0]], 1],
    // Victims [5, 1] vs [5, 3]: sums 6 + 2*2^31 < 8 + 2*2^31.
    ['3. smallest sum of priorities', [[0, 5, 8 + 2 * O, 2, 0], [0, 5, 6 + 2 * O, 2, 0]], 1],
    // Victims [5, -2^31] and [5]: sums (5 + 2^31) + (-2^31 + 2^31) = 5 + 2^31 both.
    ['4. fewest victims', [[0, 5, 5 + O, 2, 0], [0, 5, 5 + O, 1, 0]], 1],
    ['5. latest start of the highest-priority victims', [[0, 5, 5 + O, 1, 100], [0, 5, 5 + O, 1, 200]], 1],
    ['6. the first', [[0, 5, 5 + O, 1, 100], [0, 5, 5 + O, 1, 100]], 0],
  ])('%s', (_name, rows, want) => {
    const t = new CandidateTable();
    rows.forEach((r, i) => t.push(i, ...r));
    expect(pickOneNodeForPreemption(t, Int32Array.of(0, 1), 2, new Int32Array(2))).toBe(want);
    // Order matters only for the last rule: reversed, the first is candidate 1.
    const reversed = pickOneNodeForPreemption(t, Int32Array.of(1, 0), 2, new Int32Array(2));
    expect(reversed).toBe(_name.startsWith('6') ? 1 : want);
  });

  it('the MaxInt32+1 offset: two victims of priority -10 lose to one of priority -10', () => {
    // Without the offset: -20 < -10 would pick the two-victim node. With it:
    // 2 * (2^31 - 10) = 4294967276 > 2^31 - 10 = 2147483638 -> the one-victim node.
    const f = fixture(
      [{ cpu: 2000 }, { cpu: 2000 }],
      [
        { prio: -10, cpu: 1000, node: 0 },
        { prio: -10, cpu: 1000, node: 0 },
        { prio: -10, cpu: 2000, node: 1 },
      ],
      { prio: 0, cpu: 2000 },
    );
    expect(f.ev.findCandidates(f.pod, Int32Array.of(0, 1), 2, 0, 2, new Int32Array(0))).toBe(2);
    expect(Array.from(f.ev.candidates.sumPriorities.subarray(0, 2))).toEqual([2 * (O - 10), O - 10]);
    expect(f.ev.candidates.node[f.ev.selectCandidate()]).toBe(1);
  });
});

describe('findCandidates', () => {
  it('prefers the node whose victims respect their PDB over one with cheaper victims (issue #3)', () => {
    // node 0: one prio-1 pod under a PDB with disruptionsAllowed 0 -> 1 violation;
    // node 1: one prio-5 pod, no PDB -> 0 violations. Rule 2 alone would pick node 0 (1 < 5);
    // rule 1 comes first and picks node 1.
    const f = fixture(
      [{ cpu: 1000 }, { cpu: 1000 }],
      [
        { prio: 1, cpu: 1000, node: 0, pdbs: [0] },
        { prio: 5, cpu: 1000, node: 1 },
      ],
      { prio: 100, cpu: 1000 },
    );
    expect(f.ev.findCandidates(f.pod, Int32Array.of(0, 1), 2, 0, 2, Int32Array.of(0))).toBe(2);
    // Non-violating candidates come first in the output: node 1, then node 0.
    expect(Array.from(f.ev.order.subarray(0, 2)).map((c) => f.ev.candidates.node[c])).toEqual([1, 0]);
    expect(f.ev.candidates.numPdbViolations[f.ev.order[1]!]).toBe(1);
    expect(f.ev.candidates.node[f.ev.selectCandidate()]).toBe(1);
  });

  it('starts at the offset and stops at numCandidates once one candidate violates no PDB', () => {
    // Four identical nodes with one victim each; numCandidates 2 from offset 3: nodes 3, 0.
    const f = fixture(
      [{ cpu: 1000 }, { cpu: 1000 }, { cpu: 1000 }, { cpu: 1000 }],
      [0, 1, 2, 3].map((n) => ({ prio: 0, cpu: 1000, node: n })),
      { prio: 10, cpu: 1000 },
    );
    expect(f.ev.findCandidates(f.pod, Int32Array.of(0, 1, 2, 3), 4, 3, 2, new Int32Array(0))).toBe(2);
    expect(Array.from(f.ev.candidates.node.subarray(0, 2))).toEqual([3, 0]);
    // Equal on every rule: the first in output order, node 3.
    expect(f.ev.candidates.node[f.ev.selectCandidate()]).toBe(3);
  });

  it('keeps looking past violating candidates until one respects every PDB', () => {
    // numCandidates 1, but nodes 0 and 1 only have PDB-violating victims: the dry run goes on
    // to node 2 (non-violating) and stops there with 3 candidates.
    const f = fixture(
      [{ cpu: 1000 }, { cpu: 1000 }, { cpu: 1000 }, { cpu: 1000 }],
      [
        { prio: 0, cpu: 1000, node: 0, pdbs: [0] },
        { prio: 0, cpu: 1000, node: 1, pdbs: [0] },
        { prio: 0, cpu: 1000, node: 2 },
        { prio: 0, cpu: 1000, node: 3 },
      ],
      { prio: 10, cpu: 1000 },
    );
    expect(f.ev.findCandidates(f.pod, Int32Array.of(0, 1, 2, 3), 4, 0, 1, Int32Array.of(0))).toBe(3);
    expect(f.ev.candidates.node[f.ev.selectCandidate()]).toBe(2);
  });

  it('explains a failed dry run like upstream FitError', () => {
    // 3 nodes in the snapshot; node 0 holds only higher-priority pods, node 1 is too small even
    // when emptied; node 2 is not a potential node (e.g. tainted): absent.
    const f = fixture(
      [{ cpu: 1000 }, { cpu: 1000 }, { cpu: 1000 }],
      [
        { prio: 500, cpu: 1000, node: 0 },
        { prio: 0, cpu: 1000, node: 1 },
      ],
      { prio: 10, cpu: 2000 },
    );
    expect(f.ev.findCandidates(f.pod, Int32Array.of(0, 1), 2, 0, 2, new Int32Array(0))).toBe(0);
    const msg = f.ev.noCandidateMessage(3, ['cpu', 'memory', 'ephemeral-storage'], f.nodes.names);
    expect(msg).toBe('0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
    expect(withPostFilterMessage('0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable.', `preemption: ${msg}`)).toBe(
      '0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 Insufficient cpu, ' +
        '1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
  });

  it('counts the nominated pods of higher or equal priority as present in the dry run', () => {
    // Node 0 (2000m) is full with a prio-0 pod of 2000m; a prio-100 pod of 1500m is nominated
    // there. A prio-50 preemptor of 1000m: free = 2000 - 2000 - 1500 = -1500; evicting the
    // victim gives 500 < 1000 -> does not fit. A prio-200 preemptor ignores the lower
    // nomination: free 0 + 2000 = 2000 >= 1000 -> a candidate.
    const f = fixture([{ cpu: 2000 }], [{ prio: 0, cpu: 2000, node: 0 }], { prio: 50, cpu: 1000 });
    const nominatedTmpl = new SchedPod(podTemplate({ requests: [1500, 0, 0], priority: 100 }), 'pod', 3);
    const templates = [...f.templates, nominatedTmpl];
    const nominator = new Nominator(f.pods, templates);
    const q = f.pods.alloc(templates.length - 1, templates.length - 1, 0, 0);
    nominator.nominate(q, 0);
    f.overlay.build(nominator, 50, -1);
    expect(f.ev.selectVictimsOnNode(f.pod, 0, new Int32Array(0))).toBe(NodeOutcome.DoesNotFit);
    f.overlay.build(nominator, 200, -1);
    expect(f.ev.selectVictimsOnNode(f.pod, 0, new Int32Array(0))).toBe(NodeOutcome.Candidate);
  });
});

describe('PodEligibleToPreemptOthers', () => {
  it('preemptionPolicy Never is not eligible', () => {
    const f = fixture([{}], [], { prio: 100, cpu: 0, never: true });
    expect(f.ev.eligibleToPreemptOthers(f.pod, -1, false)).toBe(Eligibility.PolicyNever);
  });

  it('waits while a lower-priority pod it preempted is still terminating on its nominated node', () => {
    const f = fixture([{}], [{ prio: 0, cpu: 1000, node: 0 }], { prio: 100, cpu: 1000 });
    const v = f.ids[0]!;
    expect(f.ev.eligibleToPreemptOthers(f.pod, 0, false)).toBe(Eligibility.Eligible);
    // Terminating for another reason (e.g. a drain): still eligible.
    f.pods.terminating[v] = 1;
    expect(f.ev.eligibleToPreemptOthers(f.pod, 0, false)).toBe(Eligibility.Eligible);
    f.ev.markDeletedByPreemption(v);
    expect(f.ev.eligibleToPreemptOthers(f.pod, 0, false)).toBe(Eligibility.TerminatingVictimOnNominatedNode);
    // Unless the nominated node now rejects the pod unresolvably.
    expect(f.ev.eligibleToPreemptOthers(f.pod, 0, true)).toBe(Eligibility.Eligible);
    // A recycled pod id is a different pod.
    f.pods.release(v);
    f.pods.terminating[v] = 1;
    expect(f.ev.terminatingByPreemption(v)).toBe(false);
  });
});

describe('nominated pods in the filters (RunFilterPluginsWithNominatedPods, evaluateNominatedNode)', () => {
  // Two 4000m nodes; node 1 has 1000m used, so LeastAllocated prefers node 0. Pod id 0 (prio
  // 100, 3000m) is nominated to node 0.
  function setup() {
    const nodes = cluster([{ cpu: 4000 }, { cpu: 4000 }]);
    const pods = new PodStore(16, 4);
    const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    const tmpl = (prio: number, cpu: number) => s.compile(podTemplate({ requests: [cpu, 0, 0], priority: prio }), 'pod');
    const templates = [tmpl(100, 3000), tmpl(50, 2000), tmpl(100, 2000), tmpl(200, 2000)];
    const nominator = new Nominator(pods, templates);
    s.useNominator(nominator);
    nodes.addPod(1, [1000, 0, 0], 1000, 0);
    const preemptor = pods.alloc(0, 0, 0, 0);
    nominator.nominate(preemptor, 0);
    return { nodes, s, templates, preemptor };
  }

  it('lower- and equal-priority pods do not get the nominated room; higher ones do', () => {
    const { nodes, s, templates } = setup();
    nodes.addPod(1, [3000, 0, 0], 3000, 0); // node 1 now full
    // Node 0: 4000 - 0 - 3000 nominated = 1000 free for prio <= 100 -> 2000m does not fit.
    expect(s.scheduleOne(templates[1]!, -1)).toBe(-1);
    expect(s.lastFailureMessage()).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    expect(s.scheduleOne(templates[2]!, -1)).toBe(-1);
    // Prio 200 > 100: the nomination does not count; 2000 <= 4000.
    expect(s.scheduleOne(templates[3]!, -1)).toBe(0);
  });

  it('the nominated pod itself is not blocked by its own nomination and tries its node first', () => {
    const { nodes, s, templates, preemptor } = setup();
    // Node 1 empty, node 0 with 500m used: scoring prefers node 1 (LeastAllocated cpu
    // (4000 - 3000) * 100 / 4000 = 25 vs (4000 - 3500) * 100 / 4000 = 12), as a prio-200 pod
    // (which ignores the nomination) shows; the nominated pod still takes node 0, unscored.
    nodes.removePod(1, [1000, 0, 0], 1000, 0);
    nodes.addPod(0, [500, 0, 0], 500, 0);
    const prio200 = s.compile(podTemplate({ requests: [3000, 0, 0], priority: 200 }), 'pod');
    expect(s.scheduleOne(prio200, -1)).toBe(1);
    const before = s.nextStartNodeIndex;
    expect(s.scheduleOne(templates[0]!, preemptor)).toBe(0);
    expect(s.nextStartNodeIndex).toBe((before + 1) % 2);
    // Without its id the same template counts the nomination: 500 + 3000 + 3000 > 4000 on
    // node 0, so only node 1 fits.
    expect(s.scheduleOne(templates[0]!, -1)).toBe(1);
  });

  it('a FitError message gets the PostFilter message appended', () => {
    const { nodes, s, templates } = setup();
    nodes.addPod(1, [3000, 0, 0], 3000, 0);
    expect(s.scheduleOne(templates[1]!, -1)).toBe(-1);
    s.setPostFilterResult({ message: () => 'preemption: not eligible due to preemptionPolicy=Never.' });
    expect(s.lastFailureMessage()).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
    s.setPostFilterResult({ message: () => '' });
    expect(s.lastFailureMessage()).toBe('0/2 nodes are available: 2 Insufficient cpu.');
  });
});
