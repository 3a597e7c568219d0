// spec.autoscaling -> the typed autoscaler configuration.
//
// `cluster` is cluster-autoscaler: defaults are its flags' defaults
// (cluster-autoscaler/config/flags: --scale-down-utilization-threshold 0.5,
// --scale-down-unneeded-time 10m, --scale-down-delay-after-add 10m, --scan-interval 10s,
// --max-graceful-termination-sec 600).

import { MAX_NODES, MAX_NODES_WHY } from './cluster.js';
import type { Cur } from './cursor.js';
import type { ClusterAutoscaler } from './model.js';
import { didYouMean } from './suggest.js';

export const CLUSTER_AUTOSCALER_DEFAULTS = {
  scaleDownUtilization: 0.5,
  scaleDownDelayS: 600,
  scaleDownDelayAfterAddS: 600,
  scanIntervalS: 10,
  maxGracefulTerminationS: 600,
} as const;

/** Pools as read so far: name and node count at t = 0. */
export interface PoolRef {
  name: string;
  count: number;
}

export function readClusterAutoscaler(c: Cur, pools: PoolRef[]): ClusterAutoscaler | null {
  if (c.missing || c.value === null) return null;
  if (c.entries() === undefined) return null;
  const names = pools.map((p) => p.name);
  const poolsCur = c.requireChild('pools');
  const indices: number[] = [];
  for (const p of poolsCur.list() ?? []) {
    const name = p.str();
    if (name === undefined) continue;
    const i = names.indexOf(name);
    if (i < 0) p.error(`no node pool named ${JSON.stringify(name)}${didYouMean(name, names)}`);
    else if (indices.includes(i)) p.error(`pool ${JSON.stringify(name)} is listed twice`);
    else indices.push(i);
  }
  if (poolsCur.emptyList) poolsCur.error('must list at least one node pool');
  const min = c.child('min').int({ min: 0 }) ?? 0;
  const maxCur = c.requireChild('max');
  let max = maxCur.int({ min: 0 });
  if (max !== undefined && max > MAX_NODES) {
    maxCur.error(`must be at most ${MAX_NODES} (${MAX_NODES_WHY}), got ${max}`);
    max = undefined;
  }
  if (max !== undefined && max < min) maxCur.error(`must be at least min (${min}), got ${max}`);
  const scaleDownUtilization = c.child('scaleDownUtilization').num({ min: 0, max: 1 }) ?? CLUSTER_AUTOSCALER_DEFAULTS.scaleDownUtilization;
  const scaleDownDelayS = c.child('scaleDownDelay').duration() ?? CLUSTER_AUTOSCALER_DEFAULTS.scaleDownDelayS;
  const scaleDownDelayAfterAddS = c.child('scaleDownDelayAfterAdd').duration() ?? CLUSTER_AUTOSCALER_DEFAULTS.scaleDownDelayAfterAddS;
  const scanIntervalS = c.child('scanInterval').duration({ gt: 0 }) ?? CLUSTER_AUTOSCALER_DEFAULTS.scanIntervalS;
  const maxGracefulTerminationS = c.child('maxGracefulTermination').duration() ?? CLUSTER_AUTOSCALER_DEFAULTS.maxGracefulTerminationS;
  if (max === undefined) return null;
  for (const i of indices) {
    const p = pools[i]!;
    if (p.count < min || p.count > max) poolsCur.warn(`pool ${JSON.stringify(p.name)} starts with ${p.count} nodes, outside [min ${min}, max ${max}]; the autoscaler does not resize it until it needs to`);
  }
  return { pools: indices, min, max, scaleDownUtilization, scaleDownDelayS, scaleDownDelayAfterAddS, scanIntervalS, maxGracefulTerminationS, source: c.pos };
}
