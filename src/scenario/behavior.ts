// spec.behavior and spec.slo: rules matched against workloads.
//
// A rule matches a workload when every field of `match` (kind, name, namespace) and every
// label of `matchLabels` (on the pod template labels) agree; a rule with neither matches every
// workload. Every matching rule applies, in file order; a later rule's fields override an
// earlier one's, field by field. A rule that matches nothing is a warning.

import type { Cur } from './cursor.js';
import { readDistribution } from './distribution.js';
import type { WorkloadDraft } from './kube/workloads.js';
import type { Behavior, MinReady } from './model.js';

export const DEFAULT_BEHAVIOR: Behavior = { startup: { dist: 'fixed', value: 0 }, shutdownS: null, crash: null, runtime: null };
export const DEFAULT_MIN_READY: MinReady = { kind: 'int', value: 1 };

interface Matcher {
  kind?: string;
  name?: string;
  namespace?: string;
  labels: Record<string, string>;
}

function readMatcher(rule: Cur): Matcher {
  const m = rule.child('match');
  const labels = rule.child('matchLabels').strMap();
  if (m.missing || m.entries() === undefined) return { labels };
  const out: Matcher = { labels };
  const kind = m.child('kind').str();
  const name = m.child('name').str();
  const namespace = m.child('namespace').str();
  if (kind !== undefined) out.kind = kind;
  if (name !== undefined) out.name = name;
  if (namespace !== undefined) out.namespace = namespace;
  return out;
}

function matches(m: Matcher, w: WorkloadDraft): boolean {
  if (m.kind !== undefined && m.kind !== w.kind) return false;
  if (m.name !== undefined && m.name !== w.name) return false;
  if (m.namespace !== undefined && m.namespace !== w.namespace) return false;
  for (const [k, v] of Object.entries(m.labels)) if (w.template.labels[k] !== v) return false;
  return true;
}

/** Resolves every workload's Behavior (by key). */
export function resolveBehaviors(rules: Cur, workloads: readonly WorkloadDraft[]): Map<string, Behavior> {
  const out = new Map<string, Behavior>();
  for (const w of workloads) out.set(w.key, { ...DEFAULT_BEHAVIOR });
  for (const rule of rules.list() ?? []) {
    if (rule.entries() === undefined) continue;
    const m = readMatcher(rule);
    const patch: Partial<Behavior> = {};
    const startup = readDistribution(rule.child('startup'), { bare: 'fixed' });
    if (startup !== undefined) patch.startup = startup;
    const crash = rule.child('crash');
    if (!crash.missing && crash.entries() !== undefined) {
      const mtbf = readDistribution(crash.requireChild('mtbf'), { bare: 'exponential', positive: true });
      if (mtbf !== undefined) patch.crash = mtbf;
    }
    const runtime = readDistribution(rule.child('runtime'), { bare: 'fixed' });
    if (runtime !== undefined) patch.runtime = runtime;
    const shutdown = rule.child('shutdown').duration();
    if (shutdown !== undefined) patch.shutdownS = shutdown;
    let hits = 0;
    const noRuntime: string[] = [];
    for (const w of workloads) {
      if (!matches(m, w)) continue;
      hits++;
      out.set(w.key, { ...out.get(w.key)!, ...patch });
      if (w.job === null) noRuntime.push(w.key);
    }
    if (hits === 0) rule.warn('this behavior rule matches no workload');
    // Only the Job controller reads `runtime` (sim/controllers/job.ts); other pods run until deleted.
    else if (runtime !== undefined && noRuntime.length > 0) {
      rule.child('runtime').warn(`applies only to Jobs and CronJobs (a pod's time from Ready to completion); ignored for ${listed(noRuntime)}`);
    }
  }
  return out;
}

/** `Deployment/a, Deployment/b and 3 more`. */
function listed(keys: readonly string[]): string {
  return keys.length <= 3 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more`;
}

/**
 * The most pods of `w` that can be Ready at once (rollout surges aside): its replicas, or its
 * HPA's maxReplicas (`scaledMax`) when one scales it; Jobs their parallelism; null for
 * DaemonSets (one per eligible node) and CronJobs (concurrent Jobs under Allow).
 */
function mostReady(w: WorkloadDraft, scaledMax: ReadonlyMap<string, number>): number | null {
  if (w.kind === 'DaemonSet' || w.kind === 'CronJob') return null;
  return Math.max(w.replicas, scaledMax.get(w.key) ?? 0);
}

/**
 * Resolves every workload's minReady (by key). `scaledMax`: maxReplicas of the workloads an HPA
 * scales. A count above what the workload can have Ready is a warning: availability would be 0.
 */
export function resolveSlos(rules: Cur, workloads: readonly WorkloadDraft[], scaledMax: ReadonlyMap<string, number> = new Map()): Map<string, MinReady> {
  const out = new Map<string, MinReady>();
  for (const w of workloads) out.set(w.key, DEFAULT_MIN_READY);
  for (const rule of rules.list() ?? []) {
    if (rule.entries() === undefined) continue;
    const m = readMatcher(rule);
    const minReady = rule.child('minReady').intOrPercent({ max100: true });
    let hits = 0;
    const unreachable: string[] = [];
    for (const w of workloads) {
      if (!matches(m, w)) continue;
      hits++;
      if (minReady !== undefined) out.set(w.key, minReady);
      const most = mostReady(w, scaledMax);
      if (minReady?.kind === 'int' && most !== null && minReady.value > most) unreachable.push(`${w.key} (${most})`);
    }
    if (hits === 0) rule.warn('this slo rule matches no workload');
    else if (unreachable.length > 0) {
      rule.child('minReady').warn(
        `${minReady!.value} Ready pods is more than ${listed(unreachable)} can have (replicas, an HPA's maxReplicas, a Job's parallelism), ` +
          'so availability is 0 by construction; lower minReady or give it as a percentage',
      );
    }
  }
  return out;
}
