// Builders for scenarios made in code (benchmarks, tests), with the same defaults the loader
// applies to manifests: replicas 1, RollingUpdate 25%/25%, grace period 30 s, minReady 1 pod.

import type {
  Behavior,
  NodePool,
  PodTemplate,
  Scenario,
  Workload,
  PodDisruptionBudget,
  Failure,
  Disruption,
  DrainDisruption,
  TrafficEntry,
  ClusterAutoscaler,
} from '../scenario/model.js';
import { DEFAULT_STATEFULSET_UPDATE } from '../scenario/model.js';

const GI = 1024 ** 3;

export function podTemplate(p: Partial<PodTemplate> & { cpuMilli?: number; memoryBytes?: number } = {}): PodTemplate {
  const cpu = p.cpuMilli ?? 100;
  const mem = p.memoryBytes ?? 128 * 1024 ** 2;
  return {
    labels: p.labels ?? {},
    requests: p.requests ?? [cpu, mem, 0],
    nonZeroCpuMilli: p.nonZeroCpuMilli ?? (cpu === 0 ? 100 : cpu),
    nonZeroMemoryBytes: p.nonZeroMemoryBytes ?? (mem === 0 ? 200 * 1024 ** 2 : mem),
    nodeName: p.nodeName ?? null,
    nodeSelector: p.nodeSelector ?? {},
    requiredNodeAffinity: p.requiredNodeAffinity ?? null,
    preferredNodeAffinity: p.preferredNodeAffinity ?? [],
    podAffinity: p.podAffinity ?? { required: [], preferred: [] },
    podAntiAffinity: p.podAntiAffinity ?? { required: [], preferred: [] },
    topologySpreadConstraints: p.topologySpreadConstraints ?? [],
    tolerations: p.tolerations ?? [],
    priorityClassName: p.priorityClassName ?? null,
    priority: p.priority ?? 0,
    preemptionPolicy: p.preemptionPolicy ?? 'PreemptLowerPriority',
    terminationGracePeriodS: p.terminationGracePeriodS ?? 30,
    usesEmptyDir: p.usesEmptyDir ?? false,
    restartPolicy: p.restartPolicy ?? 'Always',
  };
}

export function behavior(b: Partial<Behavior> = {}): Behavior {
  return { startup: b.startup ?? { dist: 'fixed', value: 0 }, shutdownS: b.shutdownS ?? null, crash: b.crash ?? null, runtime: b.runtime ?? null };
}

export function workload(
  w: Partial<Omit<Workload, 'template' | 'behavior'>> & { name: string; template?: PodTemplate; behavior?: Partial<Behavior> },
): Workload {
  const kind = w.kind ?? 'Deployment';
  const template = w.template ?? podTemplate({ labels: { app: w.name } });
  return {
    kind,
    name: w.name,
    namespace: w.namespace ?? 'default',
    key: `${kind}/${w.name}`,
    replicas: w.replicas ?? 1,
    selector: w.selector ?? { matchLabels: { ...template.labels }, matchExpressions: [] },
    template,
    strategy: w.strategy ?? { type: 'RollingUpdate', maxSurge: { kind: 'percent', value: 25 }, maxUnavailable: { kind: 'percent', value: 25 } },
    minReadySeconds: w.minReadySeconds ?? 0,
    behavior: behavior(w.behavior),
    minReady: w.minReady ?? { kind: 'int', value: 1 },
    job: w.job ?? null,
    statefulSet:
      w.statefulSet !== undefined && w.statefulSet !== null
        ? { ...w.statefulSet, updateStrategy: w.statefulSet.updateStrategy ?? DEFAULT_STATEFULSET_UPDATE }
        : kind === 'StatefulSet'
          ? { podManagementPolicy: 'OrderedReady', updateStrategy: DEFAULT_STATEFULSET_UPDATE }
          : null,
    cronJob: w.cronJob ?? null,
    source: w.source ?? { file: '<code>', line: 1, col: 1 },
  };
}

export function nodePool(p: Partial<NodePool> & { name: string; count: number }): NodePool {
  return {
    name: p.name,
    count: p.count,
    capacity: p.capacity ?? [4000, 16 * GI, 100 * GI],
    maxPods: p.maxPods ?? 110,
    zones: p.zones ?? [],
    labels: p.labels ?? {},
    taints: p.taints ?? [],
    provisioningTimeS: p.provisioningTimeS ?? 0,
    source: p.source ?? { file: '<code>', line: 1, col: 1 },
  };
}

/** `autoscaling.cluster` with cluster-autoscaler's defaults; `pools` are pool indices. */
export function clusterAutoscaler(c: Partial<ClusterAutoscaler> & { pools: number[]; max: number }): ClusterAutoscaler {
  return {
    pools: c.pools,
    min: c.min ?? 0,
    max: c.max,
    scaleDownUtilization: c.scaleDownUtilization ?? 0.5,
    scaleDownDelayS: c.scaleDownDelayS ?? 600,
    scaleDownDelayAfterAddS: c.scaleDownDelayAfterAddS ?? 600,
    scanIntervalS: c.scanIntervalS ?? 10,
    maxGracefulTerminationS: c.maxGracefulTerminationS ?? 600,
    source: c.source ?? { file: '<code>', line: 1, col: 1 },
  };
}

export function pdb(p: Partial<PodDisruptionBudget> & { name: string; app: string }): PodDisruptionBudget {
  return {
    name: p.name,
    namespace: p.namespace ?? 'default',
    selector: p.selector ?? { matchLabels: { app: p.app }, matchExpressions: [] },
    minAvailable: p.minAvailable ?? null,
    maxUnavailable: p.maxUnavailable ?? null,
    unhealthyPodEvictionPolicy: p.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget',
    source: p.source ?? { file: '<code>', line: 1, col: 1 },
  };
}

export function scenario(s: Partial<Scenario> & { horizonS: number }): Scenario {
  return {
    name: s.name ?? 'synthetic',
    file: s.file ?? '<code>',
    horizonS: s.horizonS,
    warmupS: s.warmupS ?? 0,
    seed: s.seed ?? 1,
    replications: s.replications ?? 1,
    scheduler: s.scheduler ?? { policy: 'kube-default', percentageOfNodesToScore: 0 },
    resourceNames: s.resourceNames ?? ['cpu', 'memory', 'ephemeral-storage'],
    nodePools: s.nodePools ?? [],
    nodes: s.nodes ?? [],
    workloads: s.workloads ?? [],
    pdbs: s.pdbs ?? [],
    priorityClasses: s.priorityClasses ?? {},
    failures: s.failures ?? [],
    disruptions: s.disruptions ?? [],
    traffic: s.traffic ?? [],
    autoscaling: s.autoscaling ?? { cluster: null },
    horizontalPodAutoscalers: s.horizontalPodAutoscalers ?? [],
    sweep: s.sweep ?? [],
    output: s.output ?? { timeseriesStepS: null },
    warnings: s.warnings ?? [],
  };
}

/** Traffic to `service` (workload indexes `workloads`); exponential 25 ms, concurrency 1, fast, 60 s timeout by default. */
export function traffic(t: Partial<TrafficEntry> & { service: string; workloads: number[]; ratePerS: number }): TrafficEntry {
  return {
    service: t.service,
    workloads: t.workloads,
    ratePerS: t.ratePerS,
    serviceTime: t.serviceTime ?? { dist: 'exponential', mean: 0.025 },
    concurrency: t.concurrency ?? 1,
    mode: t.mode ?? 'fast',
    maxQueue: t.maxQueue ?? null,
    timeoutS: t.timeoutS ?? 60,
    source: t.source ?? { file: '<code>', line: 1, col: 1 },
  };
}

export function nodeCrash(f: Partial<Extract<Failure, { type: 'node-crash' }>>): Failure {
  return {
    type: 'node-crash',
    target: f.target ?? { pools: [], names: [] },
    mtbf: f.mtbf ?? null,
    atS: f.atS ?? null,
    repair: f.repair ?? { dist: 'fixed', value: 3600 },
    source: f.source ?? { file: '<code>', line: 1, col: 1 },
  };
}

export function drain(d: Partial<DrainDisruption> & { atS: number }): Disruption {
  return {
    type: 'drain',
    target: d.target ?? { pools: [], names: [] },
    count: d.count ?? null,
    atS: d.atS,
    timeoutS: d.timeoutS ?? null,
    force: d.force ?? false,
    deleteEmptyDirData: d.deleteEmptyDirData ?? false,
    uncordonAfterS: d.uncordonAfterS ?? null,
    source: d.source ?? { file: '<code>', line: 1, col: 1 },
  };
}

export function rollout(workloadKey: string, atS: number): Disruption {
  return { type: 'rollout', workload: workloadKey, atS, source: { file: '<code>', line: 1, col: 1 } };
}

/**
 * The issue-2 benchmark cluster: `nodes` nodes (32 cpu, 128 GiB, 110 pods) in 3 zones,
 * `pods` pods in 100 Deployments of mixed sizes (each with a 20%-maxUnavailable PDB), node
 * crashes with a 30-day MTBF per node and lognormal repairs, over `days` days.
 */
export function benchmarkScenario(nodes: number, pods: number, days: number): Scenario {
  const deployments = 100;
  const sizes = [
    [250, 512 * 1024 ** 2],
    [500, 1 * GI],
    [1000, 2 * GI],
    [2000, 4 * GI],
  ] as const;
  const workloads: Workload[] = [];
  const pdbs: PodDisruptionBudget[] = [];
  for (let i = 0; i < deployments; i++) {
    const name = `svc-${i}`;
    const [cpu, mem] = sizes[i % sizes.length]!;
    const replicas = Math.floor(pods / deployments) + (i < pods % deployments ? 1 : 0);
    workloads.push(
      workload({
        name,
        replicas,
        template: podTemplate({ labels: { app: name }, cpuMilli: cpu, memoryBytes: mem }),
        behavior: { startup: { dist: 'lognormal', mu: Math.log(8), sigma: 0.7 } },
      }),
    );
    pdbs.push(pdb({ name, app: name, maxUnavailable: { kind: 'percent', value: 20 } }));
  }
  return scenario({
    name: 'bench-cluster',
    horizonS: days * 86400,
    nodePools: [nodePool({ name: 'general', count: nodes, capacity: [32000, 128 * GI, 500 * GI], zones: ['a', 'b', 'c'] })],
    workloads,
    pdbs,
    failures: [
      nodeCrash({
        mtbf: { dist: 'exponential', mean: 30 * 86400 },
        repair: { dist: 'lognormal', mu: Math.log(3600), sigma: 1 },
      }),
    ],
  });
}
