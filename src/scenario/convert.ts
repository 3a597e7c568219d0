// The conversion pass: one sweep point's raw data (scenario document + Kubernetes objects) ->
// the typed `Scenario`. Every problem is reported; the result is null when there was any.

import { resolveBehaviors, resolveSlos, DEFAULT_BEHAVIOR, DEFAULT_MIN_READY } from './behavior.js';
import { MAX_NODES, MAX_NODES_WHY, NodeIndex, readNodePools } from './cluster.js';
import type { Cur } from './cursor.js';
import { readDisruptions, readFailures } from './failures.js';
import { readClusterAutoscaler } from './autoscaling.js';
import { convertObjects } from './kube/objects.js';
import { resolveHpas } from './kube/hpa.js';
import { finishTemplate } from './kube/pod-template.js';
import { CPU, EPHEMERAL, MEMORY, toVector, type ResourceList } from './kube/resources.js';
import type { PodDisruptionBudget, Scenario, SweepAxis } from './model.js';
import type { Diagnostics } from './errors.js';
import { selectorMatches } from './kube/labels.js';
import { DNS1123_SUBDOMAIN_MAX, isDns1123Subdomain } from './kube/meta.js';
import type { WorkloadDraft } from './kube/workloads.js';
import { readTraffic } from './traffic.js';
import { resolvePolicy } from './policy-module.js';
import { checkGpuCapacity } from './kube/gpu.js';

/** Defaults of the scenario's own fields. */
export const SCENARIO_DEFAULTS = {
  warmupS: 0,
  seed: 1,
  replications: 1,
  policy: 'kube-default',
  percentageOfNodesToScore: 0,
} as const;

export interface ConvertInput {
  /** The Scenario document (overrides applied). */
  root: Cur;
  /** Kubernetes objects: manifest files' then inline workloads, in load order. */
  objects: Cur[];
  file: string;
  /** Name when metadata.name is absent (the file name without extension). */
  defaultName: string;
  sweep: SweepAxis[];
  /** Folder that relative paths in the scenario (policy modules) are resolved against. */
  baseDir: string;
}

/**
 * A PodDisruptionBudget that selects no workload's pods (in its namespace) guards nothing: a
 * warning, as for behavior and slo rules that match no workload.
 */
function warnUnusedPdbs(pdbs: readonly PodDisruptionBudget[], workloads: readonly WorkloadDraft[], diags: Diagnostics): void {
  for (const p of pdbs) {
    if (workloads.some((w) => w.namespace === p.namespace && selectorMatches(p.selector, w.template.labels))) continue;
    diags.warn(p.source, `PodDisruptionBudget ${JSON.stringify(p.name)}: its selector matches no workload's pods in namespace ${JSON.stringify(p.namespace)}, so it guards nothing`);
  }
}

/** Resource dimensions: cpu, memory, ephemeral-storage, then the others by first appearance. */
function resourceNames(lists: Iterable<ResourceList>): string[] {
  const names = [CPU, MEMORY, EPHEMERAL];
  for (const l of lists) for (const k of l.keys()) if (!names.includes(k)) names.push(k);
  return names;
}

export function convertScenario(input: ConvertInput): Scenario | null {
  const { root } = input;
  const diags = root.rc.diags;
  const before = diags.errorCount;
  const spec = root.child('spec');

  const nameCur = root.child('metadata').child('name');
  const name = nameCur.str() ?? input.defaultName;
  // The scenario's name is held to the rule of most Kubernetes object names (kube:
  // IsDNS1123Subdomain), which keeps the result folder one plain folder under results/ ('/',
  // '..' and upper case cannot occur).
  if (!nameCur.missing && name !== '' && !isDns1123Subdomain(name)) {
    nameCur.error(
      `${JSON.stringify(name)} is not a valid name: it names the result folder (results/<name>/), so like a Kubernetes object name it must be ` +
        `lower case letters, digits, '-' and '.', start and end with a letter or digit, at most ${DNS1123_SUBDOMAIN_MAX} characters`,
    );
  } else if (nameCur.missing && (name === '' || name === '.' || name === '..')) {
    root.error(`set metadata.name: the file name gives no usable result folder name (${JSON.stringify(name)})`);
  }
  const horizonS = spec.child('horizon').duration({ gt: 0 });
  const warmupCur = spec.child('warmup');
  const warmupS = warmupCur.duration() ?? SCENARIO_DEFAULTS.warmupS;
  if (horizonS !== undefined && warmupS >= horizonS) warmupCur.error(`must be shorter than the horizon (${horizonS}s), got ${warmupS}s`);
  const seed = spec.child('seed').int({ min: 0 }) ?? SCENARIO_DEFAULTS.seed;
  const replications = spec.child('replications').int({ min: 1 }) ?? SCENARIO_DEFAULTS.replications;
  const sched = spec.child('scheduler');
  const policyCur = sched.child('policy');
  const policyText = policyCur.str() ?? SCENARIO_DEFAULTS.policy;
  if (policyText === '') policyCur.error('must not be empty');
  const policy = resolvePolicy(policyCur, policyText, input.baseDir);
  const percentageOfNodesToScore = sched.child('percentageOfNodesToScore').int({ min: 0, max: 100 }) ?? SCENARIO_DEFAULTS.percentageOfNodesToScore;
  const timeseriesStepS = spec.child('output').child('timeseries').duration({ gt: 0 }) ?? null;

  // Cluster and Kubernetes objects.
  const cluster = spec.child('cluster');
  const pools = readNodePools(cluster.child('nodePools'));
  const clusterNodes: Cur[] = [];
  for (const n of cluster.child('nodes').list() ?? []) if (!n.missing) clusterNodes.push(n);
  const objs = convertObjects(input.objects, clusterNodes, diags);

  const index = new NodeIndex(pools, objs.nodes);
  const poolNodes = pools.reduce((a, p) => a + p.count, 0);
  if (poolNodes <= MAX_NODES && poolNodes + objs.nodes.length > MAX_NODES) {
    const n = objs.nodes[MAX_NODES - poolNodes]!;
    diags.error(n.source, `Node ${JSON.stringify(n.name)}: brings the cluster to more than ${MAX_NODES} nodes (${MAX_NODES_WHY})`);
  }
  for (const n of objs.nodes) {
    const pn = index.poolNode(n.name);
    if (pn !== null) diags.error(n.source, `Node ${JSON.stringify(n.name)}: the name is taken by node ${pn.index} of pool ${JSON.stringify(pn.pool)}`);
  }

  const names = resourceNames([...pools.map((p) => p.capacity), ...objs.nodes.map((n) => n.capacity), ...objs.workloads.map((w) => w.template.requests)]);

  checkGpuCapacity([...pools, ...objs.nodes], diags);

  // Pods that nothing can host stay Pending: say so once, where it can be fixed.
  const offered = new Set<string>();
  for (const l of [...pools.map((p) => p.capacity), ...objs.nodes.map((n) => n.capacity)]) for (const [k, v] of l) if (v > 0n) offered.add(k);
  if (index.size([]) === 0) {
    if (objs.workloads.length > 0) cluster.warn('the cluster has no nodes; every pod will stay Pending');
  } else {
    for (const w of objs.workloads) {
      for (const [k, v] of w.template.requests) {
        if (v > 0n && !offered.has(k)) diags.warn(w.source, `${w.key} requests ${k}, which no node pool or node offers; its pods will stay Pending`);
      }
    }
  }

  const behaviors = resolveBehaviors(spec.child('behavior'), objs.workloads);
  const failures = readFailures(spec.child('failures'), index, horizonS);
  const disruptions = readDisruptions(
    spec.child('disruptions'),
    index,
    horizonS,
    objs.workloads.filter((w) => w.kind === 'Deployment' || w.kind === 'StatefulSet' || w.kind === 'DaemonSet').map((w) => w.key),
  );

  const traffic = readTraffic(spec.child('traffic'), objs.services, objs.workloads, horizonS);
  const clusterAutoscaler = readClusterAutoscaler(spec.child('autoscaling').child('cluster'), pools);
  const hpas = resolveHpas(objs.hpas, objs.workloads, diags);
  const slos = resolveSlos(spec.child('slo'), objs.workloads, new Map(hpas.map((h) => [objs.workloads[h.target]!.key, h.maxReplicas])));
  warnUnusedPdbs(objs.pdbs, objs.workloads, diags);
  for (const h of hpas) {
    if (!traffic.some((t) => t.workloads.includes(h.target))) {
      diags.warn(h.source, `HorizontalPodAutoscaler ${JSON.stringify(h.name)}: ${objs.workloads[h.target]!.key} is behind no spec.traffic service, so its CPU usage is 0 and the HPA scales it down to minReplicas`);
    }
  }

  if (diags.errorCount > before || horizonS === undefined) return null;

  const priorityClasses: Scenario['priorityClasses'] = {};
  for (const [n, pc] of objs.priorities.classes) priorityClasses[n] = { ...pc };

  return {
    name,
    file: input.file,
    horizonS,
    warmupS,
    seed,
    replications,
    scheduler: { policy, percentageOfNodesToScore, ...(policy !== policyText ? { policySource: policyCur.pos } : {}) },
    resourceNames: names,
    nodePools: pools.map((p) => ({ ...p, capacity: toVector(p.capacity, names) })),
    nodes: objs.nodes.map((n) => ({ ...n, capacity: toVector(n.capacity, names) })),
    workloads: objs.workloads.map((w) => ({
      ...w,
      template: finishTemplate(w.template, names),
      behavior: behaviors.get(w.key) ?? DEFAULT_BEHAVIOR,
      minReady: slos.get(w.key) ?? DEFAULT_MIN_READY,
    })),
    pdbs: objs.pdbs,
    priorityClasses,
    failures,
    disruptions,
    traffic,
    autoscaling: { cluster: clusterAutoscaler },
    horizontalPodAutoscalers: hpas,
    sweep: input.sweep,
    output: { timeseriesStepS },
    warnings: [],
  };
}
