// Pod resource requests, as kube computes them.
//
// Amounts are exact BigInt milli-units per resource name: kube rounds every ResourceList
// quantity up to milli scale when it defaults the object (SetDefaults_ResourceList), then sums
// and compares Quantities exactly, and only the final accessors round (cpu: MilliValue,
// everything else: Value = ceil). A key that is present with 0 differs from a missing key
// (the scheduler's non-zero defaults replace only missing requests), so lists are Maps.

/** Resource name -> amount in milli-units (1 cpu = 1000; 1 byte of memory = 1000). */
export type ResourceList = Map<string, bigint>;

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL = 'ephemeral-storage';
export const PODS = 'pods';

/** kube: schedutil.DefaultMilliCPURequest = 100 (100m), in milli-units of cpu. */
export const DEFAULT_MILLI_CPU_REQUEST = 100n;
/** kube: schedutil.DefaultMemoryRequest = 200 MiB, in milli-units of bytes. */
export const DEFAULT_MEMORY_REQUEST = 200n * 1024n * 1024n * 1000n;

/** The scheduler's NonMissingContainerRequests (kube: framework NodeInfo calculateResource). */
export const NON_ZERO_DEFAULTS: ResourceList = new Map([
  [CPU, DEFAULT_MILLI_CPU_REQUEST],
  [MEMORY, DEFAULT_MEMORY_REQUEST],
]);

/** One container as far as requests go (after API defaulting of requests from limits). */
export interface ContainerRequests {
  requests: ResourceList;
  /** Init container with `restartPolicy: Always` (a sidecar, KEP-753). */
  restartable: boolean;
}

export interface PodResources {
  containers: ContainerRequests[];
  initContainers: ContainerRequests[];
  /** spec.overhead (RuntimeClass), added once per pod. */
  overhead: ResourceList;
  /** spec.resources.requests (pod-level resources, KEP-2837) after API defaulting; cpu, memory, hugepages-* only. */
  podLevel: ResourceList;
}

function addInto(acc: ResourceList, add: ResourceList): void {
  for (const [k, v] of add) acc.set(k, (acc.get(k) ?? 0n) + v);
}

function maxInto(acc: ResourceList, other: ResourceList): void {
  for (const [k, v] of other) {
    const cur = acc.get(k);
    if (cur === undefined || v > cur) acc.set(k, v);
  }
}

/** kube: resourcehelper applyNonMissing: defaults fill only keys the container does not set. */
function applyNonMissing(reqs: ResourceList, nonMissing: ResourceList | null): ResourceList {
  if (nonMissing === null) return reqs;
  const cp = new Map(reqs);
  for (const [k, v] of nonMissing) if (!reqs.has(k)) cp.set(k, v);
  return cp;
}

/**
 * kube: resourcehelper.AggregateContainerRequests (aggregateContainerResourcesByFn):
 *   result = Σ containers + Σ sidecars, then max with every init container's use, where
 *   InitContainerUse(i) = Σ sidecars declared before i + init container i, and a sidecar's
 *   own entry is the running sum of sidecars up to and including it.
 */
export function aggregateContainerRequests(pod: PodResources, nonMissing: ResourceList | null = null): ResourceList {
  const result: ResourceList = new Map();
  for (const c of pod.containers) addInto(result, applyNonMissing(c.requests, nonMissing));

  const restartable: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of pod.initContainers) {
    let use = applyNonMissing(c.requests, nonMissing);
    if (c.restartable) {
      addInto(result, use);
      addInto(restartable, use);
      use = restartable;
    } else {
      const combined: ResourceList = new Map();
      addInto(combined, use);
      addInto(combined, restartable);
      use = combined;
    }
    maxInto(initMax, use);
  }
  maxInto(result, initMax);
  return result;
}

/** kube: resourcehelper.IsSupportedPodLevelResource (cpu, memory, hugepages-*). */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === CPU || name === MEMORY || name.startsWith('hugepages-');
}

/**
 * kube: resourcehelper.PodRequests: the container aggregate, with pod-level requests replacing
 * the supported resources they set (PodLevelResources, on by default since v1.34), plus
 * spec.overhead. With `nonMissing` this is the scheduler's non-zero variant.
 */
export function podRequests(pod: PodResources, nonMissing: ResourceList | null = null): ResourceList {
  const reqs = aggregateContainerRequests(pod, nonMissing);
  for (const [k, v] of pod.podLevel) if (isSupportedPodLevelResource(k)) reqs.set(k, v);
  addInto(reqs, pod.overhead);
  return reqs;
}

/**
 * kube: core/v1 defaults defaultPodRequests: when pod-level limits are set, a supported resource
 * without a pod-level request gets the containers' aggregate request (overcommittable cpu and
 * memory only) or else the pod-level limit.
 */
export function defaultPodLevelRequests(
  requests: ResourceList,
  limits: ResourceList,
  aggregate: ResourceList,
): ResourceList {
  if (limits.size === 0) return requests;
  const out = new Map(requests);
  for (const [k, v] of aggregate) {
    if (!out.has(k) && isSupportedPodLevelResource(k) && (k === CPU || k === MEMORY)) out.set(k, v);
  }
  for (const [k, v] of limits) if (!out.has(k) && isSupportedPodLevelResource(k)) out.set(k, v);
  return out;
}

/**
 * Canonical integer for one dimension: cpu in millicores (MilliValue), everything else in
 * units (Value, which rounds up: 500 milli-bytes -> 1 byte).
 */
export function canonical(name: string, milli: bigint): number {
  if (name === CPU) return Number(milli);
  return Number(milli >= 0n ? (milli + 999n) / 1000n : milli / 1000n);
}

/** A ResourceList as a vector over `names` (missing names are 0). */
export function toVector(list: ResourceList, names: readonly string[]): number[] {
  return names.map((n) => canonical(n, list.get(n) ?? 0n));
}

/**
 * Names that become resource dimensions: cpu, memory, ephemeral-storage, hugepages-* and
 * extended resources (kube: IsExtendedResourceName: domain-qualified, not kubernetes.io/).
 * `pods` is not a dimension (nodes' maxPods), and other node-reported names such as
 * attachable-volumes-* are not requested by pods.
 */
export function isDimension(name: string): boolean {
  return name === CPU || name === MEMORY || name === EPHEMERAL || name.startsWith('hugepages-') || isExtendedResourceName(name);
}

/** kube: v1helper.IsExtendedResourceName: fully qualified and outside the kubernetes.io/ namespace. */
export function isExtendedResourceName(name: string): boolean {
  // kube: IsNativeResource = no '/' or IsPrefixedNativeResource (contains "kubernetes.io/").
  if (!name.includes('/') || name.includes('kubernetes.io/')) return false;
  return !name.startsWith('requests.');
}

/** kube: helper.IsOvercommitAllowed: native resources except hugepages (cpu, memory, ephemeral-storage). */
export function isOvercommitAllowed(name: string): boolean {
  return !isExtendedResourceName(name) && !name.startsWith('hugepages-');
}
