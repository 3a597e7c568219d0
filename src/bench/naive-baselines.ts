// The scheduler benchmark's two naive baselines (issue #3): what a straightforward scheduler
// written with one JavaScript object per node costs. Nothing here is shared with
// src/sim/scheduler except numFeasibleNodesToFind (the sample size is a Kubernetes rule, not an
// optimisation), so the ratios measure the simulator's data layout and code, not its rules.
//
// Both filter like the benchmark cluster needs (pod slots, cpu, memory, the NoSchedule taints,
// a zone nodeSelector) and score with kube's LeastAllocated on the non-zero requests:
// `((allocatable - requested) * 100) / allocatable` per resource, truncated, then the mean of
// cpu and memory, truncated (kube: leastRequestedScore, resourceAllocationScorer.score). The
// first node with the top score wins (no random tie-break).
// - full scan: every node is filtered and every feasible node scored;
// - adaptive sample: like kube's findNodesThatPassFilters, nodes are examined from a rotating
//   start until numFeasibleNodesToFind feasible ones are found (10% of 5,000 nodes), and the
//   start then advances by the number examined.

import type { PodTemplate, Taint } from '../scenario/model.js';
import type { NodeInit } from '../sim/cluster/node-table.js';
import { numFeasibleNodesToFind } from '../sim/scheduler/sampling.js';

interface Resources {
  cpu: number;
  memory: number;
  pods: number;
}

interface NaiveNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  allocatable: Resources;
  /** Actual requests (the fit filter). */
  requested: Resources;
  /** Requests with kube's non-zero defaults (the score). */
  nonZeroRequested: Resources;
}

/** One timed run: pods per wall-clock second and per CPU second of this process. */
export interface BaselineRun {
  podsPerS: number;
  podsPerCpuS: number;
  unschedulable: number;
}

/** Starts a clock; the returned function gives the run's figures for `pods` pods. */
export function startClock(): (pods: number, unschedulable: number) => BaselineRun {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return (pods, unschedulable) => {
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    return { podsPerS: pods / wallS, podsPerCpuS: pods / ((cpu.user + cpu.system) / 1e6), unschedulable };
  };
}

function fits(node: NaiveNode, pod: PodTemplate): boolean {
  const { allocatable, requested } = node;
  if (requested.pods + 1 > allocatable.pods) return false;
  if (pod.requests[0]! > allocatable.cpu - requested.cpu) return false;
  if (pod.requests[1]! > allocatable.memory - requested.memory) return false;
  for (const key in pod.nodeSelector) if (node.labels[key] !== pod.nodeSelector[key]) return false;
  return node.taints.every(
    (t) => t.effect === 'PreferNoSchedule' || pod.tolerations.some((tol) => tol.key === t.key && tol.value === t.value && tol.effect === t.effect),
  );
}

function leastAllocated(node: NaiveNode, pod: PodTemplate): number {
  const cpu = node.allocatable.cpu;
  const mem = node.allocatable.memory;
  const reqCpu = node.nonZeroRequested.cpu + pod.nonZeroCpuMilli;
  const reqMem = node.nonZeroRequested.memory + pod.nonZeroMemoryBytes;
  const cpuScore = reqCpu > cpu ? 0 : Math.floor(((cpu - reqCpu) * 100) / cpu);
  const memScore = reqMem > mem ? 0 : Math.floor(((mem - reqMem) * 100) / mem);
  return Math.floor((cpuScore + memScore) / 2);
}

/**
 * Places `podCount` pods (cycling through `templates`) onto fresh object nodes built from
 * `inits`; `sampled` picks the adaptive sample instead of the full scan.
 */
export function runLeastAllocatedBaseline(sampled: boolean, inits: readonly NodeInit[], templates: readonly PodTemplate[], podCount: number): BaselineRun {
  const nodes: NaiveNode[] = inits.map((n) => ({
    name: n.name,
    labels: n.labels,
    taints: n.taints,
    allocatable: { cpu: n.allocatable[0]!, memory: n.allocatable[1]!, pods: n.maxPods },
    requested: { cpu: 0, memory: 0, pods: 0 },
    nonZeroRequested: { cpu: 0, memory: 0, pods: 0 },
  }));
  const k = sampled ? numFeasibleNodesToFind(0, nodes.length) : nodes.length;
  let nextStart = 0;
  let unschedulable = 0;
  const stop = startClock();
  for (let i = 0; i < podCount; i++) {
    const pod = templates[i % templates.length]!;
    let chosen: NaiveNode | null = null;
    let bestScore = -1;
    let found = 0;
    let examined = 0;
    while (examined < nodes.length && found < k) {
      const node = nodes[(nextStart + examined) % nodes.length]!;
      examined++;
      if (!fits(node, pod)) continue;
      found++;
      const score = leastAllocated(node, pod);
      if (score > bestScore) {
        bestScore = score;
        chosen = node;
      }
    }
    if (sampled) nextStart = (nextStart + examined) % nodes.length;
    if (chosen === null) {
      unschedulable++;
      continue;
    }
    chosen.requested.cpu += pod.requests[0]!;
    chosen.requested.memory += pod.requests[1]!;
    chosen.requested.pods++;
    chosen.nonZeroRequested.cpu += pod.nonZeroCpuMilli;
    chosen.nonZeroRequested.memory += pod.nonZeroMemoryBytes;
    chosen.nonZeroRequested.pods++;
  }
  return stop(podCount, unschedulable);
}
