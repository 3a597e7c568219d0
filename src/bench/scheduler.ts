// The scheduler benchmark (issue #3): 150,000 pods placed one after another onto 5,000 nodes
// by each registered policy, with no simulation around it (no events, no controllers): pods/s
// is the cost of scheduleOne + binding alone. Each policy runs `runs` times after one warm-up
// run on a fresh cluster; the median is reported beside the two naive baselines the issue
// names, measured in the same run (naive-baselines.ts): object-per-node LeastAllocated over
// every node, and the same over kube's adaptive sample. On this shared machine absolute pods/s
// move with the load; the ratios to the baselines are the fair figure.
//
// The cluster: 5,000 nodes of 32 cpu / 128 GiB / 110 pods in 3 zones; 1 node in 20 has a
// `dedicated=infra:NoSchedule` taint. The pods cycle through eight templates (100m-1.5 cpu,
// 128 MiB-3 GiB; one with a zone nodeSelector, one tolerating the taint, one without
// requests): 150,000 of them request 48% of the cluster's cpu and 26% of its memory and fill
// 27% of its pod slots. percentageOfNodesToScore is kube's adaptive default:
// 50 - 5000/125 = 10% of 5,000, so 500 feasible nodes are scored per cycle.

import type { PodTemplate, Taint } from '../scenario/model.js';
import { NodeTable, type NodeInit } from '../sim/cluster/node-table.js';
import { RandomStreams } from '../sim/random/streams.js';
import { POLICY_NAMES, Scheduler } from '../sim/scheduler/scheduler.js';
import { quantileSorted } from '../stats/percentile.js';
import { runLeastAllocatedBaseline, startClock, type BaselineRun } from './naive-baselines.js';
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
  /** pods per wall-clock second of each timed run. */
  podsPerS: number[];
  medianPodsPerS: number;
  /** pods per CPU second of each timed run (what one core does, whatever else loads the machine). */
  podsPerCpuS: number[];
  medianPodsPerCpuS: number;
  /** Pods that found no node in the last run. */
  unschedulable: number;
}

const INFRA_TAINT: Taint = { key: 'dedicated', value: 'infra', effect: 'NoSchedule' };

export function nodeInits(count: number): NodeInit[] {
  const zones = ['a', 'b', 'c'];
  return Array.from({ length: count }, (_, i) => {
    const zone = zones[Math.floor(i / 3) % 3]!;
    return {
      name: `node-${i}`,
      pool: 0,
      zone,
      labels: { 'topology.kubernetes.io/zone': zone, 'kubernetes.io/hostname': `node-${i}` },
      taints: i % 20 === 19 ? [INFRA_TAINT] : [],
      allocatable: [32000, 128 * GI, 100 * GI],
      maxPods: 110,
      unschedulable: false,
    };
  });
}

export function templates(): PodTemplate[] {
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
export function runPolicy(policy: string, nodeCount: number, podCount: number, seed: number): BaselineRun {
  const inits = nodeInits(nodeCount);
  const nodes = new NodeTable(3, inits.length);
  for (const init of inits) nodes.add(init);
  const scheduler = new Scheduler(nodes, { policy, percentageOfNodesToScore: 0 }, new RandomStreams(seed).stream('scheduler'));
  const pods = templates().map((t) => scheduler.compile(t, 'pod'));
  let unschedulable = 0;
  const stop = startClock();
  for (let i = 0; i < podCount; i++) {
    const pod = pods[i % pods.length]!;
    const n = scheduler.scheduleOne(pod);
    if (n < 0) unschedulable++;
    else nodes.addPod(n, pod.requests, pod.nonZeroCpuMilli, pod.nonZeroMemoryBytes);
  }
  return stop(podCount, unschedulable);
}

const median = (xs: number[]) => quantileSorted(Float64Array.from(xs).sort(), 0.5);

export const FULL_SCAN_BASELINE = 'naive LeastAllocated, all nodes';
export const SAMPLED_BASELINE = 'naive LeastAllocated, sampled';

/** Runs every policy and both baselines; `log` gets one line per run as it goes. */
export function schedulerBenchmark(opts: SchedulerBenchOptions, log: (line: string) => void = () => {}): SchedulerBenchRow[] {
  const inits = nodeInits(opts.nodes);
  const podTemplates = templates();
  const contenders: { name: string; run: (seed: number) => BaselineRun }[] = [
    ...(opts.policies ?? POLICY_NAMES).map((p) => ({ name: p, run: (seed: number) => runPolicy(p, opts.nodes, opts.pods, seed) })),
    { name: FULL_SCAN_BASELINE, run: () => runLeastAllocatedBaseline(false, inits, podTemplates, opts.pods) },
    { name: SAMPLED_BASELINE, run: () => runLeastAllocatedBaseline(true, inits, podTemplates, opts.pods) },
  ];
  const rows: SchedulerBenchRow[] = [];
  for (const c of contenders) {
    const rates: number[] = [];
    const cpuRates: number[] = [];
    let unschedulable = 0;
    for (let i = 0; i <= opts.runs; i++) {
      const r = c.run(i + 1);
      if (i > 0) {
        rates.push(r.podsPerS);
        cpuRates.push(r.podsPerCpuS);
      }
      unschedulable = r.unschedulable;
      log(`  ${c.name.padEnd(32)} ${i === 0 ? 'warm-up' : `run ${i}`.padEnd(7)} ${Math.round(r.podsPerS)} pods/s, ${Math.round(r.podsPerCpuS)} pods/cpu-s`);
    }
    rows.push({ name: c.name, podsPerS: rates, medianPodsPerS: median(rates), podsPerCpuS: cpuRates, medianPodsPerCpuS: median(cpuRates), unschedulable });
  }
  return rows;
}

/** `kubesim-des bench --scheduler`: prints the per-run lines and a table of medians and ratios. */
export function schedulerBenchCommand(a: { runs: number; nodes: number; pods: number; policies?: string[] }): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`scheduler benchmark: ${a.pods} pods onto ${a.nodes} nodes per run, ${a.runs} runs + 1 warm-up per policy`);
  const rows = schedulerBenchmark({ nodes: a.nodes, pods: a.pods, runs: a.runs, policies: a.policies }, out);
  const width = Math.max(...rows.map((r) => r.name.length));
  const full = rows.find((r) => r.name === FULL_SCAN_BASELINE)!.medianPodsPerCpuS;
  const sampled = rows.find((r) => r.name === SAMPLED_BASELINE)!.medianPodsPerCpuS;
  const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}x`;
  const num = (x: number, w: number) => String(Math.round(x)).padStart(w);
  out('');
  out('medians; the ratios are of pods per CPU second');
  out(`${'policy'.padEnd(width)}  pods/s (wall)  pods/cpu-s  vs all nodes  vs sampled  unschedulable`);
  for (const r of rows) {
    out(
      `${r.name.padEnd(width)}  ${num(r.medianPodsPerS, 13)}  ${num(r.medianPodsPerCpuS, 10)}  ${ratio(r.medianPodsPerCpuS, full).padStart(12)}  ${ratio(r.medianPodsPerCpuS, sampled).padStart(10)}  ${num(r.unschedulable, 13)}`,
    );
  }
}
