// The typed, validated scenario the simulation consumes.
//
// Everything here has been checked at the boundary (scenario/load.ts): durations are seconds,
// quantities are canonical integers (cpu in millicores, memory and storage in bytes, extended
// resources in units), percentages are resolved into `IntOrPercent`, distributions are in
// their sampling parameters. The simulation trusts this data and never re-validates it.

/** Where a value came from, for messages that point the user at their YAML. */
export interface SourcePos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

/** A Kubernetes int-or-string such as `maxUnavailable: 25%` or `minAvailable: 3`. */
export type IntOrPercent = { kind: 'int'; value: number } | { kind: 'percent'; value: number };

/** Sampling distributions; every duration-valued parameter is in seconds. */
export type Distribution =
  | { dist: 'fixed'; value: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'normal'; mean: number; stddev: number } // truncated at 0 when sampled
  | { dist: 'lognormal'; mu: number; sigma: number } // `{median, p99}` is converted at load
  | { dist: 'weibull'; shape: number; scale: number }
  | { dist: 'empirical'; values: number[] };

// ---------------------------------------------------------------------------------------------
// Resources

/**
 * Resource dimensions of one scenario, in a fixed order. Index 0 is always `cpu` (millicores),
 * 1 `memory` (bytes), 2 `ephemeral-storage` (bytes); extended resources (e.g. `nvidia.com/gpu`)
 * follow in order of first appearance. Pod count (`pods`) is not a dimension: it is tracked
 * separately as nodes' maxPods.
 */
export const RESOURCE_CPU = 0;
export const RESOURCE_MEMORY = 1;
export const RESOURCE_EPHEMERAL = 2;

/** Well-known node labels (kube: the kubelet's node labels); the zone label is a node's zone. */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** A resource amount per dimension, indexed like `Scenario.resourceNames`. */
export type ResourceVector = number[];

// ---------------------------------------------------------------------------------------------
// Label selectors, affinity, taints (Kubernetes shapes, names kept)

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** metav1.LabelSelector; an empty selector matches everything. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: string[];
}

/** v1.NodeSelectorTerm: requirements ANDed. (matchFields on metadata.name is folded in as key `metadata.name`.) */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
  matchFields: NodeSelectorRequirement[];
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value: string;
  effect: TaintEffect;
}

export interface Toleration {
  key: string; // '' with operator Exists tolerates every taint
  operator: 'Equal' | 'Exists';
  value: string;
  effect: TaintEffect | ''; // '' matches every effect
  tolerationSeconds: number | null; // null = forever; only meaningful for NoExecute
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

/**
 * v1.PodAffinityTerm. `matchLabelKeys` / `mismatchLabelKeys` are already merged into
 * `labelSelector` as `key In [value]` / `key NotIn [value]` (kube: the API server does this at pod
 * creation, MatchLabelKeysInPodAffinity).
 */
export interface PodAffinityTerm {
  /** null: the field is absent, which selects no pod (kube: LabelSelectorAsSelector(nil) = Nothing). */
  labelSelector: LabelSelector | null;
  namespaces: string[];
  /** null: absent; an empty selector selects every namespace. */
  namespaceSelector: LabelSelector | null;
  topologyKey: string;
}

export interface WeightedPodAffinityTerm {
  weight: number; // 1..100
  term: PodAffinityTerm;
}

/** v1.PodAffinity or v1.PodAntiAffinity: the required terms (ANDed) and the preferred ones. */
export interface PodAffinityRules {
  required: PodAffinityTerm[];
  preferred: WeightedPodAffinityTerm[];
}

export type NodeInclusionPolicy = 'Honor' | 'Ignore';

/** v1.TopologySpreadConstraint; `matchLabelKeys` already merged into `labelSelector` (kube: v1.34 API server). */
export interface TopologySpreadConstraint {
  maxSkew: number; // >= 1
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  /** null: absent, which counts no pod. */
  labelSelector: LabelSelector | null;
  /** null: absent (the scheduler uses 1); only with DoNotSchedule. */
  minDomains: number | null;
  nodeAffinityPolicy: NodeInclusionPolicy; // default Honor
  nodeTaintsPolicy: NodeInclusionPolicy; // default Ignore
}

// ---------------------------------------------------------------------------------------------
// Pods and workloads

/** A pod template resolved for scheduling; one per workload (per revision in later issues). */
export interface PodTemplate {
  labels: Record<string, string>;
  /** kube: resourcehelper.PodRequests: max(sum(containers) + sidecars, max(init)) + overhead. */
  requests: ResourceVector;
  /** The same with the scheduler's non-zero defaults (100m cpu, 200Mi memory) for missing container requests. */
  nonZeroCpuMilli: number;
  nonZeroMemoryBytes: number;
  nodeName: string | null;
  nodeSelector: Record<string, string>;
  /** requiredDuringSchedulingIgnoredDuringExecution terms, ORed; null = none. */
  requiredNodeAffinity: NodeSelectorTerm[] | null;
  preferredNodeAffinity: PreferredSchedulingTerm[];
  /** spec.affinity.podAffinity / podAntiAffinity (empty rules when absent). */
  podAffinity: PodAffinityRules;
  podAntiAffinity: PodAffinityRules;
  topologySpreadConstraints: TopologySpreadConstraint[];
  /** As written in the manifest; the simulation adds the DefaultTolerationSeconds ones. */
  tolerations: Toleration[];
  priorityClassName: string | null;
  priority: number;
  preemptionPolicy: 'PreemptLowerPriority' | 'Never';
  terminationGracePeriodS: number; // default 30
  /** Pod uses an emptyDir volume (kubectl drain refuses unless deleteEmptyDirData). */
  usesEmptyDir: boolean;
  /** spec.restartPolicy (default Always; Jobs require OnFailure or Never). */
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  /** GPU devices the pod needs (README "GPUs"); absent or null = none. */
  gpu?: GpuRequest | null;
}

/**
 * A pod's GPU demand, per device: `count` devices with `milliPerGpu` (1..1000) free each. A
 * shared request (milliPerGpu < 1000) has count 1 and must fit on one device; whole GPUs take
 * fully free devices. From `nvidia.com/gpu: N` (N whole GPUs) or the openb annotations
 * `alibabacloud.com/gpu-milli` / `gpu-count`; `models` from `alibabacloud.com/gpu-card-model`.
 */
export interface GpuRequest {
  count: number;
  milliPerGpu: number;
  /** Allowed GPU models (node label alibabacloud.com/gpu-card-model); empty = any model. */
  models: string[];
}

/** batch/v1 Job fields (kube: SetDefaults_Job). */
export interface JobSpec {
  /** null: complete after the first success ("work queue" Job). */
  completions: number | null;
  parallelism: number;
  backoffLimit: number; // default 6
  activeDeadlineSeconds: number | null;
}

/**
 * batch/v1 CronJob fields (kube: SetDefaults_CronJob: concurrencyPolicy Allow, suspend false).
 * Its Jobs use the workload's `job` spec and pod template (spec.jobTemplate).
 */
export interface CronJobSpec {
  /**
   * The schedule in cron-parser's syntax with robfig/cron's meaning (kube: cron.ParseStandard;
   * written at load from the manifest's 5-field cron or descriptor, see
   * scenario/kube/cron-schedule.ts); null when it never fires (`0 0 30 2 *`).
   */
  schedule: string | null;
  /** IANA zone the schedule is read in; null = UTC (the simulated clock starts at CRON_EPOCH_MS). */
  timeZone: string | null;
  concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
  startingDeadlineSeconds: number | null;
  suspend: boolean;
}

/** Simulated time 0 as a wall-clock instant for cron schedules: Monday 2024-01-01T00:00:00Z. */
export const CRON_EPOCH_MS = Date.UTC(2024, 0, 1);

export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Pod';

/** Simulation-only facts about a workload (`spec.behavior` rules, resolved per workload). */
export interface Behavior {
  /** create (bound) -> Ready. Default: fixed 0 s. */
  startup: Distribution;
  /** Time to terminate once deleted; null = the pod's terminationGracePeriodSeconds. */
  shutdownS: number | null;
  /** Container crash: time between crashes while running; null = never. */
  crash: Distribution | null;
  /** Jobs: time for one pod to complete; null = never completes. */
  runtime: Distribution | null;
}

/** `spec.slo[].minReady`: Ready pods needed for the workload to count as available. */
export type MinReady = IntOrPercent;

export interface RollingUpdateStrategy {
  /** Deployments: RollingUpdate | Recreate; DaemonSets: RollingUpdate | OnDelete. */
  type: 'RollingUpdate' | 'Recreate' | 'OnDelete';
  maxSurge: IntOrPercent; // default 25%
  maxUnavailable: IntOrPercent; // default 25%
}

/** apps/v1 StatefulSet fields (kube: SetDefaults_StatefulSet). */
export interface StatefulSetSpec {
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  /** updateStrategy: RollingUpdate (default, partition 0, maxUnavailable 1) or OnDelete. */
  updateStrategy: { type: 'RollingUpdate' | 'OnDelete'; partition: number; maxUnavailable: IntOrPercent };
}

export const DEFAULT_STATEFULSET_UPDATE: StatefulSetSpec['updateStrategy'] = { type: 'RollingUpdate', partition: 0, maxUnavailable: { kind: 'int', value: 1 } };

export interface Workload {
  kind: WorkloadKind;
  name: string;
  namespace: string; // default 'default'
  /** `KIND/NAME`, unique in a scenario; the subject in outputs is `name` (kind in subject_kind). */
  key: string;
  replicas: number; // Pod: 1
  selector: LabelSelector;
  template: PodTemplate;
  strategy: RollingUpdateStrategy;
  minReadySeconds: number;
  behavior: Behavior;
  minReady: MinReady; // default {int, 1}
  /** Set for kind Job, and for kind CronJob (its jobTemplate). */
  job: JobSpec | null;
  /** Set for kind CronJob. */
  cronJob: CronJobSpec | null;
  /** Set for kind StatefulSet (kube: SetDefaults_StatefulSet: OrderedReady). */
  statefulSet: StatefulSetSpec | null;
  source: SourcePos;
}

export interface PodDisruptionBudget {
  name: string;
  namespace: string;
  selector: LabelSelector;
  /** Exactly one of minAvailable / maxUnavailable is set (validated at load). */
  minAvailable: IntOrPercent | null;
  maxUnavailable: IntOrPercent | null;
  unhealthyPodEvictionPolicy: 'IfHealthyBudget' | 'AlwaysAllow';
  source: SourcePos;
}

// ---------------------------------------------------------------------------------------------
// Cluster

export interface NodePool {
  name: string;
  count: number;
  /** allocatable per dimension (see ResourceVector). */
  capacity: ResourceVector;
  maxPods: number; // capacity.pods, default 110
  zones: string[]; // round-robin over nodes; [] = no zone label
  labels: Record<string, string>;
  taints: Taint[];
  provisioningTimeS: number; // default 0
  source: SourcePos;
}

/** An explicit v1 Node manifest (status.allocatable, labels, taints, spec.unschedulable). */
export interface ExplicitNode {
  name: string;
  capacity: ResourceVector;
  maxPods: number;
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  source: SourcePos;
}

// ---------------------------------------------------------------------------------------------
// Failures and disruptions

/** Which nodes an entry applies to: pools and/or names; both empty = every node. */
export interface NodeTarget {
  pools: string[];
  names: string[];
}

export type Failure =
  | {
      type: 'node-crash';
      target: NodeTarget;
      /** Recurring crashes: time between failures per node, or null for a one-off at `atS`. */
      mtbf: Distribution | null;
      atS: number | null;
      repair: Distribution; // default fixed 1h
      source: SourcePos;
    }
  | {
      /** Per target node: after `mtbf`, a notice, a PDB-gated drain, then the node is deleted at
       * the deadline and a replacement joins its pool after the pool's provisioningTime. */
      type: 'spot-interruption';
      target: NodeTarget;
      mtbf: Distribution;
      noticeS: number; // default 120
      source: SourcePos;
    }
  | {
      /** Every node of `zone` (topology.kubernetes.io/zone) down at `atS` for `durationS`. */
      type: 'zone-outage';
      zone: string;
      atS: number;
      durationS: number;
      source: SourcePos;
    };

export type Disruption = DrainDisruption | RolloutDisruption | RollingNodeUpgrade;

/** Cordon + PDB-gated drain + reimage, `maxUnavailable` nodes at a time, in node order. */
export interface RollingNodeUpgrade {
  type: 'rolling-node-upgrade';
  target: NodeTarget;
  atS: number;
  maxUnavailable: IntOrPercent; // default 1
  drainTimeoutS: number | null; // null = wait forever
  onDrainTimeout: 'force' | 'skip'; // default force
  reimageS: number; // default 10 min
  source: SourcePos;
}

/** `{type: rollout, workload: Deployment/web, at: 2d}`: the template changes, the update runs. */
export interface RolloutDisruption {
  type: 'rollout';
  /** `KIND/NAME` of a Deployment in the scenario. */
  workload: string;
  atS: number;
  source: SourcePos;
}

export type DrainDisruption = {
  type: 'drain';
  target: NodeTarget;
  /** Drain `count` random nodes of the target (null: every target node, i.e. the names). */
  count: number | null;
  atS: number;
  /** kubectl drain --timeout; null = wait forever. */
  timeoutS: number | null;
  /** kubectl drain --force: delete pods with no controller. */
  force: boolean;
  /** kubectl drain --delete-emptydir-data. */
  deleteEmptyDirData: boolean;
  /** Uncordon this long after the drain completes (maintenance time); null = stay cordoned. */
  uncordonAfterS: number | null;
  source: SourcePos;
};

// ---------------------------------------------------------------------------------------------
// Traffic

/** `spec.traffic[]`: Poisson requests to a service, resolved to the workloads behind it. */
export interface TrafficEntry {
  /** The subject in outputs: the Service manifest's name, or the workload's name. */
  service: string;
  /** Indexes into `Scenario.workloads` of the workloads whose pods are its endpoints. */
  workloads: number[];
  /** Arrival rate, requests per second. */
  ratePerS: number;
  serviceTime: Distribution;
  /** Requests one serving pod handles at once (>= 1). */
  concurrency: number;
  mode: 'exact' | 'fast';
  /** Waiting places in front of the pods; null = bounded by the timeout only. */
  maxQueue: number | null;
  /** A request still waiting after this long is dropped (default 60 s). */
  timeoutS: number;
  source: SourcePos;
}

// ---------------------------------------------------------------------------------------------
// Autoscaling

/**
 * `spec.autoscaling.cluster` (cluster-autoscaler). `min`/`max` bound each listed pool's node
 * count, as a node group's --nodes=min:max does. Durations in seconds.
 */
export interface ClusterAutoscaler {
  /** Pool indices (into Scenario.nodePools) it may resize, in the order listed. */
  pools: number[];
  min: number;
  max: number;
  /** --scale-down-utilization-threshold, default 0.5. */
  scaleDownUtilization: number;
  /** --scale-down-unneeded-time, default 10 min. */
  scaleDownDelayS: number;
  /** --scale-down-delay-after-add, default 10 min. */
  scaleDownDelayAfterAddS: number;
  /** --scan-interval, default 10 s. */
  scanIntervalS: number;
  /** --max-graceful-termination-sec: drain timeout of a node being removed, default 600 s. */
  maxGracefulTerminationS: number;
  source: SourcePos;
}

/** autoscaling/v2 HPAScalingPolicy: at most `value` pods (Pods) or percent (Percent) per `periodS`. */
export interface HpaScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodS: number;
}

/** autoscaling/v2 HPAScalingRules, defaults applied (kube: SetDefaults_HorizontalPodAutoscalerBehavior). */
export interface HpaScalingRules {
  stabilizationWindowS: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: HpaScalingPolicy[];
}

/**
 * autoscaling/v2 HorizontalPodAutoscaler with one CPU Utilization target. The pods' CPU usage
 * comes from the traffic model: see README "Horizontal pod autoscaling".
 */
export interface HorizontalPodAutoscaler {
  name: string;
  namespace: string;
  /** Index into `Scenario.workloads` of spec.scaleTargetRef (a Deployment, ReplicaSet or StatefulSet). */
  target: number;
  minReplicas: number; // default 1
  maxReplicas: number;
  /** target.averageUtilization: percent of the pods' CPU request (default 80). */
  targetUtilization: number;
  /** spec.behavior with defaults; null when unset (normalizeDesiredReplicas applies). */
  behavior: { scaleUp: HpaScalingRules; scaleDown: HpaScalingRules } | null;
  source: SourcePos;
}

// ---------------------------------------------------------------------------------------------
// Sweeps

export interface SweepAxis {
  /** Dot path into spec, e.g. `scheduler.policy` or `workloads[Deployment/web].spec.replicas`. */
  path: string;
  values: unknown[];
  source: SourcePos;
}

// ---------------------------------------------------------------------------------------------
// The whole scenario

/**
 * The built-in scheduler policies, in the order messages list them. sim/scheduler/policies/index.ts
 * has a factory for each (its table is typed by these names, so the two lists cannot differ);
 * the names live here so that the loader checks `scheduler.policy` without importing the simulator.
 */
export const BUILTIN_POLICIES = [
  'kube-default', 'least-allocated', 'most-allocated', 'balanced-allocation', 'requested-to-capacity-ratio', 'first-fit', 'best-fit', 'worst-fit',
  'random', 'dot-product', 'gpu-packing', 'gpu-clustering', 'fgd',
] as const;
export type BuiltinPolicy = (typeof BUILTIN_POLICIES)[number];

export interface SchedulerConfig {
  /** A built-in policy name, or the absolute path of a user policy module (`./my-policy.js` resolved against the scenario's folder). */
  policy: string;
  /** Where a policy module was named (for errors found when it is imported); absent for built-in names. */
  policySource?: SourcePos;
  /** 0 = kube-scheduler's adaptive rule. */
  percentageOfNodesToScore: number;
}

export interface Scenario {
  name: string;
  /** The scenario file's path as the user gave it ('<embedded>' for built-ins). */
  file: string;
  horizonS: number;
  warmupS: number;
  seed: number;
  replications: number;
  scheduler: SchedulerConfig;
  /** Names of the resource dimensions, see RESOURCE_CPU etc. */
  resourceNames: string[];
  nodePools: NodePool[];
  nodes: ExplicitNode[];
  workloads: Workload[];
  pdbs: PodDisruptionBudget[];
  /** PriorityClass name -> value, with `globalDefault` resolved into `defaultPriority`. */
  priorityClasses: Record<string, { value: number; preemptionPolicy: 'PreemptLowerPriority' | 'Never' }>;
  failures: Failure[];
  disruptions: Disruption[];
  traffic: TrafficEntry[];
  autoscaling: { cluster: ClusterAutoscaler | null };
  /** autoscaling/v2 HorizontalPodAutoscalers, in load order. */
  horizontalPodAutoscalers: HorizontalPodAutoscaler[];
  sweep: SweepAxis[];
  output: { timeseriesStepS: number | null };
  /** Non-fatal notes for the user (skipped kinds, ignored fields), already positioned. */
  warnings: string[];
}
