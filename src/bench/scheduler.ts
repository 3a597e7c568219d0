// The scheduler benchmark (issue #3): 150,000 pods placed one after another onto 5,000 nodes
// by each registered policy, with no simulation around it (no events, no controllers): pods/s
// is the cost of scheduleOne + binding alone. Each policy runs `runs` times after one warm-up
// run on a fresh cluster; the median is reported beside two naive baselines measured in the
// same run, which share nothing with src/sim/scheduler:
// - naive first-fit: one object per node, scan from node 0 for the first with room for cpu,
//   memory and one more pod (the floor for a feasibility scan without any framework);
// - naive best-fit: the same objects, every node examined, the fullest cpu+memory fit wins
//   (what an unsampled, unoptimised scoring scheduler costs).
//
// The cluster: 5,000 nodes in 3 zones, a third each of 8 cpu / 32 GiB, 16 / 64 and 32 / 128,
// 110 pods each; 1 node in 20 has a `dedicated=infra:NoSchedule` taint. The pods cycle through
// eight templates (100m-1.5 cpu, 128 MiB-3 GiB; one with a zone nodeSelector, one tolerating
// the taint, one without requests): 150,000 of them request 82% of the cluster's cpu and 45%
// of its memory, so the last placements search a nearly full cluster. percentageOfNodesToScore is kube's adaptive
// default: 50 - 5000/125 = 10% of 5,000, so 500 feasible nodes are scored per cycle.

import { performance } from 'node:perf_hooks';
import type { PodTemplate, Taint } from '../scenario/model.js';
import { NodeTable, type NodeInit } from '../sim/cluster/node-table.js';
import { RandomStreams } from '../sim/random/streams.js';
import { POLICY_NAMES, Scheduler } from '../sim/scheduler/scheduler.js';
import { quantileSorted } from '../stats/percentile.js';
import { podTemplate } from './synthetic.js';

const GI = 1024 ** 3;
const MI = 1024 ** 2;

export interface SchedulerBenchOptions {
  nodes: number;
  pods: number;
  /** Timed runs per policy (after one warm-up); the median is reported. */
  runs: number;
  /** Default: every registered policy. */
  policies?: readonly string[];
}

export interface SchedulerBenchRow {
  name: string;
  /** pods/s of each timed run. */
  podsPerS: number[];
  medianPodsPerS: number;
  /** Pods that found no node in the last run. */
  unschedulable: number;
}

const INFRA_TAINT: Taint = { key: 'dedicated', value: 'infra', effect: 'NoSchedule' };

function nodeInits(count: number): NodeInit[] {
  const shapes = [
    [8000, 32 * GI],
    [16000, 64 * GI],
    [32000, 128 * GI],
  ] as const;
  const zones = ['a', 'b', 'c'];
  return Array.from({ length: count }, (_, i) => {
    const [cpu, mem] = shapes[i % 3]!;
    const zone = zones[Math.floor(i / 3) % 3]!;
    return {
      name: `node-${i}`,
      pool: 0,
      zone,
      labels: { 'topology.kubernetes.io/zone': zone, 'kubernetes.io/hostname': `node-${i}` },
      taints: i % 20 === 19 ? [INFRA_TAINT] : [],
      allocatable: [cpu, mem, 100 * GI],
      maxPods: 110,
      unschedulable: false,
    };
  });
}

function templates(): PodTemplate[] {
  return [
    podTemplate({ cpuMilli: 100, memoryBytes: 128 * MI }),
    podTemplate({ cpuMilli: 250, memoryBytes: 512 * MI }),
    podTemplate({ cpuMilli: 500, memoryBytes: 1 * GI }),
    podTemplate({ cpuMilli: 1000, memoryBytes: 2 * GI }),
    podTemplate({ cpuMilli: 1500, memoryBytes: 3 * GI }),
    podTemplate({ cpuMilli: 500, memoryBytes: 2 * GI, nodeSelector: { 'topology.kubernetes.io/zone': 'b' } }),
    podTemplate({
      cpuMilli: 250,
      memoryBytes: 256 * MI,
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule', tolerationSeconds: null }],
    }),
    podTemplate({ cpuMilli: 0, memoryBytes: 0 }),
  ];
}

/** One run of a registered policy: pods/s and how many pods found no node. */
function runPolicy(policy: string, nodeCount: number, podCount: number, seed: number): { podsPerS: number; unschedulable: number } {
  const inits = nodeInits(nodeCount);
  const nodes = new NodeTable(3, inits.length);
  for (const init of inits) nodes.add(init);
  const scheduler = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0 }, new RandomStreams(seed).stream('scheduler'));
  const pods = templates().map((t) => scheduler.compile(t, 'pod'));
  let unschedulable = 0;
  const t0 = performance.now();
  for (let i = 0; i < podCount; i++) {
    const pod = pods[i % pods.length]!;
    const n = scheduler.scheduleOne(pod);
    if (n < 0) unschedulable++;
    else nodes.addPod(n, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
  }
  return { podsPerS: podCount / ((performance.now() - t0) / 1000), unschedulable };
}

interface NaiveNode {
  cpu: number;
  mem: number;
  maxPods: number;
  usedCpu: number;
  usedMem: number;
  pods: number;
  zone: string;
  taints: Taint[];
}

/** The naive baselines: objects, full scans, plain code. `best`: score every node, else first fit. */
function runNaive(best: boolean, nodeCount: number, podCount: number): { podsPerS: number; unschedulable: number } {
  const nodes: NaiveNode[] = nodeInits(nodeCount).map((n) => ({
    cpu: n.allocatable[0]!,
    mem: n.allocatable[1]!,
    maxPods: n.maxPods,
    usedCpu: 0,
    usedMem: 0,
    pods: 0,
    zone: n.zone!,
    taints: n.taints,
  }));
  const pods = templates();
  const fits = (node: NaiveNode, pod: PodTemplate): boolean =>
    node.pods + 1 <= node.maxPods &&
    node.usedCpu + pod.requests[0]! <= node.cpu &&
    node.usedMem + pod.requests[1]! <= node.mem &&
    (pod.nodeSelector['topology.kubernetes.io/zone'] === undefined || pod.nodeSelector['topology.kubernetes.io/zone'] === node.zone) &&
    node.taints.every((t) => pod.tolerations.some((tol) => tol.key === t.key && tol.value === t.value));
  let unschedulable = 0;
  const t0 = performance.now();
  for (let i = 0; i < podCount; i++) {
    const pod = pods[i % pods.length]!;
    let chosen = -1;
    let bestScore = -1;
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n]!;
      if (!fits(node, pod)) continue;
      if (!best) {
        chosen = n;
        break;
      }
      const score = (node.usedCpu + pod.requests[0]!) / node.cpu + (node.usedMem + pod.requests[1]!) / node.mem;
      if (score > bestScore) {
        bestScore = score;
        chosen = n;
      }
    }
    if (chosen < 0) {
      unschedulable++;
      continue;
    }
    const node = nodes[chosen]!;
    node.usedCpu += pod.requests[0]!;
    node.usedMem += pod.requests[1]!;
    node.pods++;
  }
  return { podsPerS: podCount / ((performance.now() - t0) / 1000), unschedulable };
}

const median = (xs: number[]) => quantileSorted(Float64Array.from(xs).sort(), 0.5);

/** Runs every policy and both baselines; `log` gets one line per run as it goes. */
export function schedulerBenchmark(opts: SchedulerBenchOptions, log: (line: string) => void = () => {}): SchedulerBenchRow[] {
  const contenders: { name: string; run: (seed: number) => { podsPerS: number; unschedulable: number } }[] = [
    ...(opts.policies ?? POLICY_NAMES).map((p) => ({ name: p, run: (seed: number) => runPolicy(p, opts.nodes, opts.pods, seed) })),
    { name: 'naive first-fit (baseline)', run: () => runNaive(false, opts.nodes, opts.pods) },
    { name: 'naive best-fit (baseline)', run: () => runNaive(true, opts.nodes, opts.pods) },
  ];
  const rows: SchedulerBenchRow[] = [];
  for (const c of contenders) {
    const rates: number[] = [];
    let unschedulable = 0;
    for (let i = 0; i <= opts.runs; i++) {
      const r = c.run(i + 1);
      if (i > 0) rates.push(r.podsPerS);
      unschedulable = r.unschedulable;
      log(`  ${c.name.padEnd(28)} ${i === 0 ? 'warm-up' : `run ${i}`.padEnd(7)} ${Math.round(r.podsPerS)} pods/s`);
    }
    rows.push({ name: c.name, podsPerS: rates, medianPodsPerS: median(rates), unschedulable });
  }
  return rows;
}

/** `kubesim-des bench --scheduler`: prints the per-run lines and a table of medians. */
export function schedulerBenchCommand(a: { runs: number; nodes: number; pods: number; policies?: string[] }): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`scheduler benchmark: ${a.pods} pods onto ${a.nodes} nodes per run, ${a.runs} runs + 1 warm-up per policy`);
  const rows = schedulerBenchmark({ nodes: a.nodes, pods: a.pods, runs: a.runs, policies: a.policies }, out);
  const width = Math.max(...rows.map((r) => r.name.length));
  const firstFit = rows.find((r) => r.name === 'naive first-fit (baseline)')!.medianPodsPerS;
  out('');
  out(`${'policy'.padEnd(width)}  median pods/s  vs naive first-fit  unschedulable`);
  for (const r of rows) {
    out(
      `${r.name.padEnd(width)}  ${String(Math.round(r.medianPodsPerS)).padStart(13)}  ${`${(r.medianPodsPerS / firstFit).toFixed(2)}x`.padStart(18)}  ${String(r.unschedulable).padStart(13)}`,
    );
  }
}
