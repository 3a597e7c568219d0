// The nodes a scenario declares, as NodeTable rows: pools first (`<pool>-<i>`), then explicit
// Node manifests.

import { LABEL_HOSTNAME, LABEL_ZONE, type Scenario } from '../../scenario/model.js';
import type { NodeInit } from './node-table.js';

/** nodeInits per scenario point: every replication of a point starts from the same nodes. */
const initsByScenario = new WeakMap<Scenario, readonly NodeInit[]>();

/**
 * The nodes of a scenario, in index order: pools first (`<pool>-<i>`), then explicit nodes.
 * Worked out once per scenario object and shared by its replications (a replication of a small
 * scenario lasts about a millisecond; building 30 label maps took 3% of it), so the rows and their
 * label maps are frozen: NodeTable keeps them, and nothing may edit them in place.
 */
export function nodeInits(s: Scenario): readonly NodeInit[] {
  let inits = initsByScenario.get(s);
  if (inits === undefined) {
    inits = Object.freeze(buildNodeInits(s).map((init) => Object.freeze({ ...init, labels: Object.freeze(init.labels) })));
    initsByScenario.set(s, inits);
  }
  return inits;
}

function buildNodeInits(s: Scenario): NodeInit[] {
  const out: NodeInit[] = [];
  s.nodePools.forEach((pool, pi) => {
    for (let i = 0; i < pool.count; i++) out.push(poolNodeInit(s, pi, i));
  });
  for (const n of s.nodes) {
    const labels: Record<string, string> = { [LABEL_HOSTNAME]: n.name, ...n.labels };
    out.push({
      name: n.name,
      pool: -1,
      zone: labels[LABEL_ZONE] ?? null,
      labels,
      taints: n.taints,
      allocatable: n.capacity,
      maxPods: n.maxPods,
      unschedulable: n.unschedulable,
    });
  }
  return out;
}

/** Node `i` of pool `pi`: named `<pool>-<i>`, zones round-robin (also for nodes added later). */
export function poolNodeInit(s: Scenario, pi: number, i: number): NodeInit {
  const pool = s.nodePools[pi]!;
  const name = `${pool.name}-${i}`;
  const zone = pool.zones.length > 0 ? pool.zones[i % pool.zones.length]! : null;
  const labels: Record<string, string> = { ...pool.labels, [LABEL_HOSTNAME]: name };
  if (zone !== null) labels[LABEL_ZONE] = zone;
  return { name, pool: pi, zone, labels, taints: pool.taints, allocatable: pool.capacity, maxPods: pool.maxPods, unschedulable: false };
}

