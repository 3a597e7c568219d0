export { Scheduler, POLICY_NAMES, type SchedulerOptions } from './scheduler.js';
export { SchedPod, type PodKind } from './sched-pod.js';
export {
  MAX_NODE_SCORE,
  Status,
  type FilterPlugin,
  type ScorePlugin,
  type WeightedScorePlugin,
  type Policy,
  type PolicyContext,
  type PolicyFactory,
  type SearchMode,
} from './framework.js';
export { createPolicy } from './policies/index.js';
export { numFeasibleNodesToFind } from './sampling.js';
