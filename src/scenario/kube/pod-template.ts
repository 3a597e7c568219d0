// Pod templates (and bare pods) -> PodTemplate, with Kubernetes' API defaulting applied.
//
// Order of the rules, as the API server applies them to a pod created from the template:
// 1. defaulting: container requests default to limits per missing key (kube: SetDefaults_Pod),
//    pod-level requests from limits/aggregates (kube: defaultPodRequests),
//    terminationGracePeriodSeconds 30 (kube: SetDefaults_PodSpec), a volume without a source
//    is an emptyDir (kube: SetDefaults_Volume);
// 2. validation of what we use (kube: ValidateResourceRequirements, ValidateTolerations, ...);
// 3. priority admission: priorityClassName -> priority (kube: plugin/pkg/admission/priority).

import type { Cur } from '../cursor.js';
import type { NodeSelectorTerm, PodAffinityRules, PodTemplate, PreferredSchedulingTerm, Toleration } from '../model.js';
import { didYouMean } from '../suggest.js';
import { readPreferredNodeAffinity, readRequiredNodeAffinity } from './node-affinity.js';
import { readPodAffinityRules, readTopologySpreadConstraints } from './pod-affinity.js';
import {
  aggregateContainerRequests,
  canonical,
  CPU,
  defaultPodLevelRequests,
  EPHEMERAL,
  isExtendedResourceName,
  isOvercommitAllowed,
  isSupportedPodLevelResource,
  MEMORY,
  NON_ZERO_DEFAULTS,
  podRequests,
  toVector,
  type ContainerRequests,
  type PodResources,
  type ResourceList,
} from './resources.js';
import { readLabels } from './labels.js';
import { dns1123LabelErrors } from './meta.js';
import { readTolerations } from './taints.js';
import { readGpuRequest } from './gpu.js';

/** kube: v1.DefaultTerminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_S = 30;

export type PreemptionPolicy = 'PreemptLowerPriority' | 'Never';

/** PriorityClasses of the scenario, for priority admission. */
export interface PriorityTable {
  classes: Map<string, { value: number; preemptionPolicy: PreemptionPolicy }>;
  /** Name of the class with globalDefault: true, if any. */
  globalDefault: string | null;
}

/** A PodTemplate whose resource amounts are still keyed by name (dimensions are fixed later). */
export interface TemplateDraft extends Omit<PodTemplate, 'requests' | 'nonZeroCpuMilli' | 'nonZeroMemoryBytes'> {
  requests: ResourceList;
  nonZero: ResourceList;
}

export function finishTemplate(d: TemplateDraft, resourceNames: readonly string[]): PodTemplate {
  const { nonZero, requests, ...rest } = d;
  return {
    ...rest,
    requests: toVector(requests, resourceNames),
    nonZeroCpuMilli: canonical(CPU, nonZero.get(CPU) ?? 0n),
    nonZeroMemoryBytes: canonical(MEMORY, nonZero.get(MEMORY) ?? 0n),
  };
}

/** kube: IsStandardContainerResourceName, or an extended resource. */
function isContainerResourceName(name: string): boolean {
  return name === CPU || name === MEMORY || name === EPHEMERAL || name.startsWith('hugepages-') || isExtendedResourceName(name);
}

const CONTAINER_RESOURCE_HINT =
  'container resources are cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource such as nvidia.com/gpu';

/** Reads a ResourceList (requests, limits, overhead) into milli-units; `accept` filters names. */
export function readResourceList(c: Cur, accept: (name: string) => boolean, hint: string): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, q] of c.entries() ?? []) {
    if (!accept(name)) {
      q.errorAtKey(`unknown resource ${JSON.stringify(name)}${didYouMean(name, [CPU, MEMORY, EPHEMERAL])} (${hint})`);
      continue;
    }
    if (q.missing) {
      q.mustBe('a quantity such as "500m", "2" or "1.5Gi"');
      continue;
    }
    const milli = q.milli();
    if (milli === undefined) continue;
    // kube: IsIntegerResourceName: extended resources are counted in whole units.
    if (isExtendedResourceName(name) && milli % 1000n !== 0n) {
      q.mustBe('a whole number', String(q.value));
      continue;
    }
    out.set(name, milli);
  }
  return out;
}

/** One container: requests after defaulting from limits, checked against limits. */
function readContainer(c: Cur, init: boolean): ContainerRequests | undefined {
  if (c.entries() === undefined) return undefined;
  const res = c.child('resources');
  if (!res.missing && res.entries() === undefined) return undefined;
  const requests = readResourceList(res.child('requests'), isContainerResourceName, CONTAINER_RESOURCE_HINT);
  const limits = readResourceList(res.child('limits'), isContainerResourceName, CONTAINER_RESOURCE_HINT);
  // kube: SetDefaults_Pod: "If limits are specified, but requests are not, default requests to limits".
  for (const [k, v] of limits) if (!requests.has(k)) requests.set(k, v);
  // kube: ValidateResourceRequirements.
  for (const [k, req] of requests) {
    const lim = limits.get(k);
    const at = res.child('requests').child(k);
    if (lim === undefined) {
      if (!isOvercommitAllowed(k)) res.child('limits').error(`limit must be set for non overcommitable resource ${k}`);
    } else if (req !== lim && !isOvercommitAllowed(k)) {
      at.error(`must be equal to ${k} limit of ${String(res.child('limits').child(k).value)}`);
    } else if (req > lim) {
      at.error(`must be less than or equal to ${k} limit of ${String(res.child('limits').child(k).value)}`);
    }
  }
  // An init container with restartPolicy Always is a sidecar (kube: validateInitContainers).
  // Any other value there, and a restartPolicy on a regular container, is not refused by the
  // v1.34 API server: with the ContainerRestartRules gate off (its v1.34 default) it clears them
  // before validation (kube: pkg/api/pod dropDisabledPodFields -> dropContainerRestartRules), so
  // they are ignored here: such an init container is a regular one.
  const restartable = init && c.child('restartPolicy').str() === 'Always';
  return { requests, restartable };
}

function readContainers(c: Cur, init: boolean): ContainerRequests[] {
  const out: ContainerRequests[] = [];
  for (const item of c.list() ?? []) {
    const r = readContainer(item, init);
    if (r !== undefined) out.push(r);
  }
  return out;
}

/**
 * Container names (kube: validateContainerCommon, validateContainers, validateInitContainers):
 * each required and a DNS-1123 label; containers and initContainers share one namespace. The
 * regular containers' names are taken first, so an init container that repeats one is the
 * duplicate, and within a list the later one is.
 */
function checkContainerNames(spec: Cur): void {
  const seen = new Set<string>();
  for (const field of ['containers', 'initContainers'] as const) {
    const list = spec.child(field);
    if (!Array.isArray(list.value)) continue; // reported by readContainers
    for (const item of list.list()!) {
      if (item.entries() === undefined) continue;
      const nameCur = item.requireChild('name');
      const name = nameCur.str();
      if (name === undefined) continue;
      if (name === '') {
        nameCur.error('must be non-empty');
        continue;
      }
      const invalid = dns1123LabelErrors(name);
      if (invalid.length > 0) nameCur.error(`${JSON.stringify(name)} is not a valid container name: ${invalid[0]}`);
      if (seen.has(name)) nameCur.error(`duplicate container name ${JSON.stringify(name)} (containers and initContainers share one namespace)`);
      else seen.add(name);
    }
  }
}

/** kube: SetDefaults_Volume: a volume with no source is an emptyDir. */
function usesEmptyDir(volumes: Cur): boolean {
  for (const v of volumes.list() ?? []) {
    if (v.has('emptyDir')) return true;
    if (v.value !== null && typeof v.value === 'object' && Object.keys(v.value).every((k) => k === 'name')) return true;
  }
  return false;
}

/**
 * Reads a pod template: `t` holds `metadata` and `spec` (a template, or a bare Pod object).
 * Returns undefined when the template is unusable (errors reported).
 */
export function readPodTemplate(t: Cur, priorities: PriorityTable): TemplateDraft | undefined {
  if (t.entries() === undefined) return undefined;
  // kube: ValidatePodTemplateSpec / ValidateObjectMeta -> ValidateLabels.
  const labels = readLabels(t.child('metadata').child('labels'));
  const spec = t.requireChild('spec');
  if (spec.missing || spec.entries() === undefined) return undefined;

  // Resources (kube: resourcehelper.PodRequests).
  const containersCur = spec.child('containers');
  const containers = readContainers(containersCur, false);
  if (containersCur.emptyList) {
    containersCur.error('must list at least one container');
  } else if (containersCur.missing) {
    spec.requireChild('containers');
  }
  const initContainers = readContainers(spec.child('initContainers'), true);
  checkContainerNames(spec);
  const overhead = readResourceList(spec.child('overhead'), isContainerResourceName, CONTAINER_RESOURCE_HINT);
  const podRes = spec.child('resources');
  const podLevelHint = 'pod-level resources are cpu, memory and hugepages-<size>';
  const podReqs = readResourceList(podRes.child('requests'), isSupportedPodLevelResource, podLevelHint);
  const podLims = readResourceList(podRes.child('limits'), isSupportedPodLevelResource, podLevelHint);
  const pod: PodResources = { containers, initContainers, overhead, podLevel: new Map() };
  pod.podLevel = defaultPodLevelRequests(podReqs, podLims, aggregateContainerRequests(pod));
  const requests = podRequests(pod);
  const nonZero = podRequests(pod, NON_ZERO_DEFAULTS);
  const gpu = readGpuRequest(t.child('metadata').child('annotations'), requests);

  // Placement.
  const nodeName = spec.child('nodeName').str() ?? null;
  // kube: ValidatePodSpec -> ValidateLabels(spec.NodeSelector).
  const nodeSelector = readLabels(spec.child('nodeSelector'));
  const affinity = spec.child('affinity');
  let requiredNodeAffinity: NodeSelectorTerm[] | null = null;
  let preferredNodeAffinity: PreferredSchedulingTerm[] = [];
  let podAffinity: PodAffinityRules = { required: [], preferred: [] };
  let podAntiAffinity: PodAffinityRules = { required: [], preferred: [] };
  if (!affinity.missing && affinity.entries() !== undefined) {
    const na = affinity.child('nodeAffinity');
    if (!na.missing && na.entries() !== undefined) {
      requiredNodeAffinity = readRequiredNodeAffinity(na);
      preferredNodeAffinity = readPreferredNodeAffinity(na);
    }
    podAffinity = readPodAffinityRules(affinity.child('podAffinity'), labels);
    podAntiAffinity = readPodAffinityRules(affinity.child('podAntiAffinity'), labels);
  }
  const topologySpreadConstraints = readTopologySpreadConstraints(spec.child('topologySpreadConstraints'), labels);
  const schedulerName = spec.child('schedulerName').str();
  if (schedulerName !== undefined && schedulerName !== 'default-scheduler') {
    spec.child('schedulerName').warn(`pods of scheduler ${JSON.stringify(schedulerName)} are scheduled by the scenario's scheduler policy`);
  }
  const tolerations: Toleration[] = readTolerations(spec.child('tolerations'));

  // Priority admission.
  const prio = admitPriority(spec, priorities);

  const grace = spec.child('terminationGracePeriodSeconds').int({ min: 0 });
  return {
    labels,
    requests,
    nonZero,
    nodeName,
    nodeSelector,
    requiredNodeAffinity,
    preferredNodeAffinity,
    podAffinity,
    podAntiAffinity,
    topologySpreadConstraints,
    tolerations,
    priorityClassName: prio.className,
    priority: prio.priority,
    preemptionPolicy: prio.preemptionPolicy,
    terminationGracePeriodS: grace ?? DEFAULT_TERMINATION_GRACE_PERIOD_S,
    usesEmptyDir: usesEmptyDir(spec.child('volumes')),
    restartPolicy: readRestartPolicy(spec.child('restartPolicy')),
    gpu,
  };
}

/** spec.restartPolicy; kube: SetDefaults_PodSpec defaults it to Always. */
function readRestartPolicy(c: Cur): PodTemplate['restartPolicy'] {
  const v = c.str();
  if (v === undefined) return 'Always';
  if (v === 'Always' || v === 'OnFailure' || v === 'Never') return v;
  c.error(`unsupported value ${JSON.stringify(v)}: supported values: "Always", "OnFailure", "Never"`);
  return 'Always';
}

/**
 * kube: plugin/pkg/admission/priority Plugin.admitPod: a named class must exist; no name means
 * the globalDefault class, or priority 0 and PreemptLowerPriority when there is none
 * (scheduling.DefaultPriorityWhenNoDefaultClassExists). A priority or preemptionPolicy written
 * in the pod spec must agree with the class.
 */
function admitPriority(spec: Cur, table: PriorityTable): { className: string | null; priority: number; preemptionPolicy: PreemptionPolicy } {
  const nameCur = spec.child('priorityClassName');
  const named = nameCur.str();
  let className: string | null = null;
  let priority = 0;
  let preemptionPolicy: PreemptionPolicy = 'PreemptLowerPriority';
  if (named !== undefined && named !== '') {
    const pc = table.classes.get(named);
    if (pc === undefined) {
      nameCur.error(`no PriorityClass with name ${JSON.stringify(named)} was found${didYouMean(named, [...table.classes.keys()])}`);
    } else {
      className = named;
      priority = pc.value;
      preemptionPolicy = pc.preemptionPolicy;
    }
  } else if (table.globalDefault !== null) {
    className = table.globalDefault;
    const pc = table.classes.get(className)!;
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy;
  }
  const written = spec.child('priority').int();
  if (written !== undefined && written !== priority) {
    spec.child('priority').error(`the integer value of priority (${written}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  const writtenPolicy = spec.child('preemptionPolicy').str();
  if (writtenPolicy !== undefined && writtenPolicy !== preemptionPolicy) {
    spec.child('preemptionPolicy').error(`the string value of PreemptionPolicy (${writtenPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`);
  }
  return { className, priority, preemptionPolicy };
}
