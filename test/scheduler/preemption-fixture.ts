// A hand-built SimContext for DefaultPreemption tests: the real NodeTable, PodStore, Scheduler,
// Nominator and DefaultPreemption, with stub metrics, PDBs, queue and lifecycle that record
// what preemption did. Template 0 is the preemptor; `placed` binds running pods.

import type { PodTemplate } from '../../src/scenario/model.js';
import type { SimContext } from '../../src/sim/context.js';
import type { NodeTable } from '../../src/sim/cluster/node-table.js';
import { DeleteReason } from '../../src/sim/cluster/pod-lifecycle.js';
import { PodPhase, PodStore } from '../../src/sim/cluster/pods.js';
import { RandomStreams } from '../../src/sim/random/streams.js';
import { DefaultPreemption } from '../../src/sim/scheduler/default-preemption.js';
import { Nominator } from '../../src/sim/scheduler/nominator.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { PodTopology } from '../../src/sim/scheduler/topology/pod-topology.js';
import { pdb, scenario, workload } from '../../src/bench/synthetic.js';
import { constRandom } from './helpers.js';

export interface PreemptionFixtureOptions {
  /** Pods bound at t = 0: (template, node). */
  placed: [tmpl: number, node: number][];
  /** One PDB per entry over the pods labelled app=<app>, with `allowed` disruptions. */
  pdbs?: { app: string; allowed: number }[];
  /** Give the scheduler a PodTopology over the templates (pod affinity, topology spread). */
  topology?: boolean;
}

export function preemptionFixture(nodes: NodeTable, tmpls: PodTemplate[], opts: PreemptionFixtureOptions) {
  const pdbs = opts.pdbs ?? [];
  const topo =
    opts.topology === true
      ? PodTopology.fromTemplates(nodes, tmpls.map((template) => ({ template, namespace: 'default', controllerSelector: null })))
      : null;
  const pods = new PodStore(64, 16);
  const scheduler = new Scheduler(
    nodes,
    { policy: 'kube-default', percentageOfNodesToScore: 0, ...(topo !== null ? { podTopology: topo } : {}) },
    constRandom(),
  );
  const templates = tmpls.map((t, i) => scheduler.compile(t, 'pod', topo !== null ? { topologyId: i } : {}));
  const nominator = new Nominator(pods, templates);
  scheduler.useNominator(nominator);
  const deleted: string[] = [];
  const ctx = {
    scenario: scenario({
      horizonS: 1,
      workloads: tmpls.map((template, i) => workload({ name: `w${i}`, template })),
      pdbs: pdbs.map((b) => pdb({ name: b.app, app: b.app })),
    }),
    nodes,
    pods,
    templates,
    scheduler,
    streams: new RandomStreams(1),
    engine: { now: 0 },
    trace: { enabled: false },
    metrics: { onPreemptionAttempt() {}, onPreempted() {} },
    pdbs: {
      pdbsOf: (t: number) => pdbs.flatMap((b, i) => (tmpls[t]!.labels.app === b.app ? [i] : [])),
      status: (i: number) => ({ disruptionsAllowed: pdbs[i]!.allowed }),
    },
    queue: { nominator, version: 1, nominate: (p: number, n: number) => nominator.nominate(p, n), clearNomination: (p: number) => nominator.clear(p) },
    lifecycle: {
      delete(p: number, reason: DeleteReason) {
        pods.terminating[p] = 1;
        deleted.push(`${p}:${reason === DeleteReason.Preemption ? 'preemption' : reason}`);
      },
    },
  } as unknown as SimContext;
  for (const [t, n] of opts.placed) {
    const p = pods.alloc(t, t, 0, 0);
    pods.linkToNode(p, n);
    nodes.addPod(n, templates[t]!.requests, templates[t]!.nonZeroCpuMilli, templates[t]!.nonZeroMemoryBytes);
    topo?.onBind(t, n);
    pods.phase[p] = PodPhase.Running;
    pods.boundAt[p] = 0;
  }
  const preemptorId = pods.alloc(0, 0, 0, 0);
  return { ctx, nodes, pods, topo, scheduler, nominator, templates, deleted, preemptorId, dp: new DefaultPreemption(ctx) };
}
