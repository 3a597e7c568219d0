// The one-line census that `kubesim-des validate` prints.

import type { Scenario } from './model.js';

export interface Census {
  nodes: number;
  pods: number;
  workloads: number;
  pdbs: number;
  pools: number;
}

/**
 * Counts at time 0. `pods` sums replicas; a DaemonSet counts one pod per node of the cluster
 * (an upper bound: the simulation's DaemonSet controller skips nodes whose taints, selector
 * or affinity exclude it). A CronJob has no pods at time 0: its first Job starts on schedule.
 */
export function census(s: Scenario): Census {
  const nodes = s.nodePools.reduce((a, p) => a + p.count, 0) + s.nodes.length;
  const pods = s.workloads.reduce((a, w) => a + (w.kind === 'DaemonSet' ? nodes : w.kind === 'CronJob' ? 0 : w.replicas), 0);
  return { nodes, pods, workloads: s.workloads.length, pdbs: s.pdbs.length, pools: s.nodePools.length };
}
