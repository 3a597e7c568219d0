// Why a pod stopped serving: the failure or disruption behind it, for downtime attribution
// (`downtime_<cause>_s`). Each place that stops a pod serving names its cause; the recorder
// charges a workload's outage to the cause of the pod loss that began it (see recorder.ts).

export const Cause = {
  /** The outage under way from t = 0: first scheduling and startup of the workload's pods. */
  Scheduling: 0,
  NodeCrash: 1,
  ZoneOutage: 2,
  SpotInterruption: 3,
  Drain: 4,
  RollingNodeUpgrade: 5,
  /** Old pods deleted by a Deployment rollout (an old ReplicaSet scaled down). */
  Rollout: 6,
  /** A container crash (behavior.crash) and its CrashLoopBackOff. */
  ContainerCrash: 7,
  /** Anything else: Job pods finishing, a scale-down of surplus pods, taint evictions. */
  Other: 8,
  /** The cluster autoscaler draining and removing an unneeded node. */
  Autoscaler: 9,
  /** The scheduler preempting the pod for a higher-priority one (DefaultPreemption). */
  Preemption: 10,
} as const;
export type Cause = (typeof Cause)[keyof typeof Cause];

export const CAUSE_COUNT = 11;

/** The `<cause>` of `downtime_<cause>_s`, indexed by Cause. */
export const CAUSE_NAMES: readonly string[] = [
  'scheduling', 'node_crash', 'zone_outage', 'spot_interruption', 'drain', 'rolling_node_upgrade', 'rollout', 'crash', 'other', 'autoscaler', 'preemption',
];
