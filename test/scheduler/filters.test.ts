// The filters every policy honours, and the FitError messages they produce.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { NodeSelectorRequirement, PodTemplate, Taint } from '../../src/scenario/model.js';
import { DynamicTaint, type NodeTable } from '../../src/sim/cluster/node-table.js';
import type { FilterPlugin } from '../../src/sim/scheduler/framework.js';
import { Status } from '../../src/sim/scheduler/framework.js';
import { NodeAffinityFilter } from '../../src/sim/scheduler/plugins/node-affinity.js';
import { NodeName } from '../../src/sim/scheduler/plugins/node-name.js';
import { NodeResourcesFitFilter } from '../../src/sim/scheduler/plugins/node-resources-fit.js';
import { NodeUnschedulable } from '../../src/sim/scheduler/plugins/node-unschedulable.js';
import { TaintTolerationFilter } from '../../src/sim/scheduler/plugins/taint-toleration.js';
import type { SchedPod } from '../../src/sim/scheduler/sched-pod.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { bind, cluster, constRandom, GiB, nodeInit, podTemplate, toleration, type NodeSpec } from './helpers.js';

/** Schedules one pod on a one-node cluster; returns whether it fits and the FitError message. */
function tryOne(node: NodeSpec, pod: Partial<PodTemplate>, setup?: (nodes: NodeTable) => void, kind: 'pod' | 'daemonset' = 'pod') {
  const nodes = cluster([{ name: 'n0', ...node }]);
  setup?.(nodes);
  const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
  const got = s.scheduleOne(s.compile(podTemplate(pod), kind));
  return { fits: got === 0, message: s.lastFailureMessage() };
}

describe('NodeResourcesFit', () => {
  it('insufficient cpu', () => {
    // 1500 > 1000 - 0
    expect(tryOne({ cpu: 1000 }, { requests: [1500, 0, 0] })).toEqual({
      fits: false,
      message: '0/1 nodes are available: 1 Insufficient cpu.',
    });
  });

  it('exactly the remaining amount fits', () => {
    // 600 > 1000 - 400 is false
    expect(tryOne({ cpu: 1000 }, { requests: [600, 0, 0] }, (n) => bind(n, 0, [400])).fits).toBe(true);
  });

  it('uses actual requests: a pod without requests fits a full node', () => {
    // request 0 is never checked, although its non-zero cpu would be 100m
    expect(tryOne({ cpu: 1000 }, { requests: [0, 0, 0] }, (n) => bind(n, 0, [1000])).fits).toBe(true);
  });

  it('reports every insufficient resource', () => {
    expect(tryOne({ cpu: 1000, memory: 1 * GiB }, { requests: [2000, 2 * GiB, 0] }).message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.',
    );
  });

  it('too many pods: podCount + 1 > maxPods', () => {
    const r = tryOne({ maxPods: 2 }, {}, (n) => {
      bind(n, 0, []);
      bind(n, 0, []);
    });
    expect(r).toEqual({ fits: false, message: '0/1 nodes are available: 1 Too many pods.' });
    expect(tryOne({ maxPods: 2 }, {}, (n) => bind(n, 0, [])).fits).toBe(true);
  });

  it('extended resources use the scenario names; absent on the node means insufficient', () => {
    const nodes = cluster([{ extra: [0] }, { extra: [2] }], 4);
    const s = new Scheduler(
      nodes,
      { policy: 'kube-default', percentageOfNodesToScore: 0, resourceNames: ['cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu'] },
      constRandom(),
    );
    const pod = s.compile(podTemplate({ requests: [100, 0, 0, 1] }), 'pod');
    expect(s.scheduleOne(pod)).toBe(1);
    bind(nodes, 1, [0, 0, 0, 2]);
    expect(s.scheduleOne(pod)).toBe(-1);
    expect(s.lastFailureMessage()).toBe('0/2 nodes are available: 2 Insufficient nvidia.com/gpu.');
  });
});

describe('NodeUnschedulable (cordon)', () => {
  it('rejects a cordoned node', () => {
    expect(tryOne({ unschedulable: true }, {})).toEqual({
      fits: false,
      message: '0/1 nodes are available: 1 node(s) were unschedulable.',
    });
  });

  it('unless the pod tolerates node.kubernetes.io/unschedulable:NoSchedule', () => {
    const tol = toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    expect(tryOne({ unschedulable: true }, { tolerations: [tol] }).fits).toBe(true);
  });

  it('DaemonSet pods land on cordoned nodes', () => {
    expect(tryOne({ unschedulable: true }, {}, undefined, 'daemonset').fits).toBe(true);
  });
});

describe('TaintToleration filter', () => {
  const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const evict: Taint = { key: 'maintenance', value: '', effect: 'NoExecute' };
  const soft: Taint = { key: 'spot', value: 'true', effect: 'PreferNoSchedule' };

  it.each([
    { name: 'untolerated NoSchedule rejects', taints: [gpu], tols: [], fits: false },
    { name: 'Equal with the same value', taints: [gpu], tols: [toleration({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })], fits: true },
    { name: 'Equal with another value', taints: [gpu], tols: [toleration({ key: 'dedicated', value: 'cpu' })], fits: false },
    { name: 'Exists on the key', taints: [gpu], tols: [toleration({ key: 'dedicated', operator: 'Exists' })], fits: true },
    { name: 'empty key with Exists', taints: [gpu], tols: [toleration({ operator: 'Exists' })], fits: true },
    { name: 'toleration for another effect', taints: [gpu], tols: [toleration({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' })], fits: false },
    { name: 'PreferNoSchedule never filters', taints: [soft], tols: [], fits: true },
    { name: 'untolerated NoExecute rejects', taints: [evict], tols: [], fits: false },
    {
      name: 'NoExecute tolerated for a while',
      taints: [evict],
      tols: [toleration({ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 })],
      fits: true,
    },
    { name: 'all taints must be tolerated', taints: [gpu, evict], tols: [toleration({ key: 'dedicated', operator: 'Exists' })], fits: false },
  ])('$name', ({ taints, tols, fits }) => {
    expect(tryOne({ taints }, { tolerations: tols }).fits).toBe(fits);
  });

  it('names the first untolerated taint', () => {
    expect(tryOne({ taints: [soft, gpu, evict] }, {}).message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.',
    );
  });

  it('dynamic taints: unreachable:NoSchedule rejects even DaemonSet pods', () => {
    const taint = (n: NodeTable) => n.setDynTaint(0, DynamicTaint.UnreachableNoSchedule, true);
    expect(tryOne({}, {}, taint)).toEqual({
      fits: false,
      message: '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.',
    });
    expect(tryOne({}, {}, taint, 'daemonset').fits).toBe(false);
  });

  it('dynamic taints: not-ready:NoExecute alone is tolerated by the 300 s default toleration', () => {
    const taint = (n: NodeTable) => n.setDynTaint(0, DynamicTaint.NotReadyNoExecute, true);
    expect(tryOne({}, {}, taint).fits).toBe(true);
    // A toleration covering not-ready NoExecute suppresses the default; here it is NoSchedule-only.
    const nsOnly = toleration({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' });
    expect(tryOne({}, { tolerations: [nsOnly] }, taint).fits).toBe(true);
  });

  it('the scheduler ignores `up`: a dead machine looks fine until tainted', () => {
    expect(tryOne({}, {}, (n) => (n.up[0] = 0)).fits).toBe(true);
  });
});

describe('NodeAffinity', () => {
  const labels = { zone: 'a', gen: '5', ssd: '' };
  const term = (...expr: NodeSelectorRequirement[]) => ({ matchExpressions: expr, matchFields: [] });
  const req = (key: string, operator: NodeSelectorRequirement['operator'], ...values: string[]) => ({ key, operator, values });

  it.each<{ name: string; pod: Partial<PodTemplate>; fits: boolean }>([
    { name: 'nodeSelector matches', pod: { nodeSelector: { zone: 'a' } }, fits: true },
    { name: 'nodeSelector differs', pod: { nodeSelector: { zone: 'a', gen: '4' } }, fits: false },
    { name: 'In', pod: { requiredNodeAffinity: [term(req('zone', 'In', 'a', 'b'))] }, fits: true },
    { name: 'NotIn', pod: { requiredNodeAffinity: [term(req('zone', 'NotIn', 'a'))] }, fits: false },
    { name: 'Exists', pod: { requiredNodeAffinity: [term(req('ssd', 'Exists'))] }, fits: true },
    { name: 'DoesNotExist', pod: { requiredNodeAffinity: [term(req('ssd', 'DoesNotExist'))] }, fits: false },
    // 5 > 4
    { name: 'Gt', pod: { requiredNodeAffinity: [term(req('gen', 'Gt', '4'))] }, fits: true },
    // 5 < 5 is false
    { name: 'Lt', pod: { requiredNodeAffinity: [term(req('gen', 'Lt', '5'))] }, fits: false },
    { name: 'terms are ORed', pod: { requiredNodeAffinity: [term(req('zone', 'In', 'b')), term(req('gen', 'Lt', '6'))] }, fits: true },
    { name: 'an empty term matches nothing', pod: { requiredNodeAffinity: [term()] }, fits: false },
    {
      name: 'nodeSelector AND required terms',
      pod: { nodeSelector: { zone: 'b' }, requiredNodeAffinity: [term(req('zone', 'In', 'a'))] },
      fits: false,
    },
  ])('$name', ({ pod, fits }) => {
    const r = tryOne({ labels }, pod);
    expect(r.fits).toBe(fits);
    if (!fits) expect(r.message).toBe("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
  });

  it('matchFields metadata.name narrows the nodes examined (PreFilterResult)', () => {
    const nodes = cluster([{ name: 'a' }, { name: 'b', cpu: 100 }, { name: 'c' }]);
    const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    const pinned = (name: string) =>
      s.compile(
        podTemplate({
          requests: [500, 0, 0],
          requiredNodeAffinity: [{ matchExpressions: [], matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] }],
        }),
        'pod',
      );
    expect(s.scheduleOne(pinned('c'))).toBe(2);
    expect(s.scheduleOne(pinned('b'))).toBe(-1);
    expect(s.lastFailureMessage()).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
    expect(s.scheduleOne(pinned('gone'))).toBe(-1);
    expect(s.lastFailureMessage()).toBe("0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  });

  it('conflicting metadata.name terms fail at PreFilter', () => {
    const nodes = cluster([{ name: 'a' }, { name: 'b' }]);
    const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    const name = (v: string) => ({ key: 'metadata.name', operator: 'In' as const, values: [v] });
    const pod = s.compile(podTemplate({ requiredNodeAffinity: [{ matchExpressions: [], matchFields: [name('a'), name('b')] }] }), 'pod');
    expect(s.scheduleOne(pod)).toBe(-1);
    expect(s.lastFailureMessage()).toBe('0/2 nodes are available: pod affinity terms conflict.');
  });
});

describe('NodeName', () => {
  it('only the named node', () => {
    const nodes = cluster([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    expect(s.scheduleOne(s.compile(podTemplate({ nodeName: 'b' }), 'pod'))).toBe(1);
    expect(s.scheduleOne(s.compile(podTemplate({ nodeName: 'x' }), 'pod'))).toBe(-1);
    expect(s.lastFailureMessage()).toBe("0/3 nodes are available: 3 node(s) didn't match the requested node name.");
  });
});

describe('FitError message', () => {
  it('counts reasons across nodes, sorted as strings', () => {
    const specs: NodeSpec[] = Array.from({ length: 13 }, (_, i) => (i < 3 ? { cpu: 500 } : { unschedulable: true }));
    const s = new Scheduler(cluster(specs), { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    expect(s.scheduleOne(s.compile(podTemplate({ requests: [1000, 0, 0] }), 'pod'))).toBe(-1);
    // Go sort.Strings: "10 ..." < "3 ..."
    expect(s.lastFailureMessage()).toBe('0/13 nodes are available: 10 node(s) were unschedulable, 3 Insufficient cpu.');
  });

  it('the first failing filter in kube order is reported: NodeUnschedulable before NodeResourcesFit', () => {
    expect(tryOne({ cpu: 100, unschedulable: true }, { requests: [1000, 0, 0] }).message).toBe(
      '0/1 nodes are available: 1 node(s) were unschedulable.',
    );
  });

  it('no nodes at all', () => {
    const s = new Scheduler(cluster([]), { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    expect(s.scheduleOne(s.compile(podTemplate(), 'pod'))).toBe(-1);
    expect(s.lastFailureMessage()).toBe('no nodes available to schedule pods');
  });

  it('is empty after a success', () => {
    expect(tryOne({}, {}).message).toBe('');
  });

  it('nodes that no longer exist are not in the snapshot', () => {
    const r = tryOne({ cpu: 1 }, { requests: [10, 0, 0] }, (nodes) => {
      nodes.add(nodeInit({ name: 'gone', cpu: 1e6 }, 1));
      nodes.exists[1] = 0;
      nodes.staticChanged();
    });
    expect(r).toEqual({ fits: false, message: '0/1 nodes are available: 1 Insufficient cpu.' });
  });
});

describe('scheduleOn (DaemonSet pods pinned to a node)', () => {
  it('filters only that node, ignoring the template required affinity, and applies nodeSelector', () => {
    const nodes = cluster([{ labels: { os: 'linux' } }, { labels: { os: 'linux' }, unschedulable: true }, { labels: { os: 'windows' } }]);
    const s = new Scheduler(nodes, { policy: 'kube-default', percentageOfNodesToScore: 0 }, constRandom());
    const ds = s.compile(
      podTemplate({
        nodeSelector: { os: 'linux' },
        requiredNodeAffinity: [{ matchExpressions: [{ key: 'nope', operator: 'Exists', values: [] }], matchFields: [] }],
      }),
      'daemonset',
    );
    expect(s.scheduleOn(ds, 0)).toBe(0);
    // kube: each cycle processes one node, so the rotating start moves by one
    expect(s.nextStartNodeIndex).toBe(1);
    expect(s.scheduleOn(ds, 1)).toBe(1); // DaemonSet pods tolerate the cordon
    expect(s.scheduleOn(ds, 2)).toBe(-1);
    expect(s.lastFailureMessage()).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
    expect(s.nextStartNodeIndex).toBe(0); // 3 cycles: (0 + 1 + 1 + 1) % 3
  });
});

describe('extra filter plugins (framework contract)', () => {
  it('run after the built-in filters, only when their PreFilter does not Skip', () => {
    let skip = false;
    const oddOnly: FilterPlugin = {
      name: 'OddOnly',
      preFilter: () => (skip ? Status.Skip : Status.Success),
      filter: (_pod, n) => (n % 2 === 1 ? 0 : 7),
      reasons: (_pod, _n, code) => [`node(s) were even (code ${code})`],
    };
    const nodes = cluster([{}, {}, { cpu: 1 }]);
    const s = new Scheduler(nodes, { policy: 'first-fit', percentageOfNodesToScore: 0, extraFilters: [oddOnly] }, constRandom());
    const pod = s.compile(podTemplate({ requests: [100, 0, 0] }), 'pod');
    expect(s.scheduleOne(pod)).toBe(1);
    bind(nodes, 1, [4000]);
    expect(s.scheduleOne(pod)).toBe(-1);
    expect(s.lastFailureMessage()).toBe('0/3 nodes are available: 1 node(s) were even (code 7), 2 Insufficient cpu.');
    skip = true;
    expect(s.scheduleOne(pod)).toBe(0);
  });
});

describe('fused filter fast path agrees with the plugin chain (contract)', () => {
  /** The reference: run the plugins in kube order, uncached; the feasible node indices. */
  function reference(nodes: NodeTable, pod: SchedPod): number[] {
    const chain: FilterPlugin[] = [
      new NodeUnschedulable(nodes),
      new NodeName(nodes),
      new TaintTolerationFilter(nodes),
      new NodeAffinityFilter(nodes),
      new NodeResourcesFitFilter(nodes, ['cpu', 'memory', 'ephemeral-storage']),
    ];
    const feasible: number[] = [];
    for (let n = 0; n < nodes.count; n++) {
      if (nodes.exists[n] === 1 && chain.every((f) => f.filter(pod, n) === 0)) feasible.push(n);
    }
    return feasible;
  }

  // first-fit must return the lowest feasible index; a scoring policy (30 nodes < 100, so all
  // are examined) any feasible node, and -1 exactly when there is none.
  it.each(['first-fit', 'kube-default'])('%s, on random clusters with random mutations between cycles', (policy) => {
    const rng = seedrandom('fused-vs-chain');
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
    const taints: Taint[] = [
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'spot', value: '', effect: 'PreferNoSchedule' },
      { key: 'maint', value: '', effect: 'NoExecute' },
    ];
    const bits = Object.values(DynamicTaint);
    const outcomes = [0, 0]; // [scheduled, unschedulable]
    for (let trial = 0; trial < 20; trial++) {
      const specs: NodeSpec[] = Array.from({ length: 30 }, (_, i) => ({
        name: `n${i}`,
        cpu: pick([1000, 2000, 4000]),
        memory: pick([1, 2, 4]) * GiB,
        maxPods: pick([3, 110]),
        labels: { zone: pick(['a', 'b']), gen: pick(['3', '5']) },
        taints: rng() < 0.3 ? [pick(taints)] : [],
        unschedulable: rng() < 0.1,
      }));
      const nodes = cluster(specs);
      const s = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0 }, rng);
      const templates = [
        podTemplate({ requests: [500, 1 * GiB, 0] }),
        podTemplate({ requests: [0, 0, 0], tolerations: [toleration({ key: 'dedicated', operator: 'Exists' })] }),
        podTemplate({ requests: [1500, 0, 0], nodeSelector: { zone: 'a' } }),
        podTemplate({
          requests: [200, 0, 0],
          requiredNodeAffinity: [{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }], matchFields: [] }],
        }),
        podTemplate({ nodeName: 'n7' }),
      ];
      const pods = templates.map((t) => s.compile(t, rng() < 0.2 ? 'daemonset' : 'pod'));
      for (let step = 0; step < 60; step++) {
        const pod = pick(pods);
        const want = reference(nodes, pod);
        const got = s.scheduleOne(pod);
        if (policy === 'first-fit') expect(got).toBe(want.length === 0 ? -1 : want[0]);
        else if (want.length === 0) expect(got).toBe(-1);
        else expect(want).toContain(got);
        outcomes[got >= 0 ? 0 : 1]++;
        if (got >= 0) nodes.addPod(got, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
        // mutate: dynamic taints, labels (announced with staticChanged), or free a node
        const r = rng();
        const n = Math.floor(rng() * nodes.count);
        if (r < 0.2) nodes.setDynTaint(n, pick(bits), rng() < 0.5);
        else if (r < 0.25) {
          nodes.labels[n] = { ...nodes.labels[n], gen: pick(['3', '5']) };
          nodes.staticChanged();
        } else if (r < 0.3) {
          nodes.labels[n]!.zone = pick(['a', 'b']); // in place, as the NodeTable allows
          nodes.staticChanged();
        } else if (r < 0.4 && nodes.podCount[n]! > 0) {
          nodes.removePod(n, [0, 0, 0], 0, 0);
        }
      }
    }
    // both outcomes exercised
    expect(outcomes[0]).toBeGreaterThan(100);
    expect(outcomes[1]).toBeGreaterThan(100);
  });
});
