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
    for (const w of workloads) {
      if (!matches(m, w)) continue;
      hits++;
      out.set(w.key, { ...out.get(w.key)!, ...patch });
    }
    if (hits === 0) rule.warn('this behavior rule matches no workload');
  }
  return out;
}

/** Resolves every workload's minReady (by key). */
export function resolveSlos(rules: Cur, workloads: readonly WorkloadDraft[]): Map<string, MinReady> {
  const out = new Map<string, MinReady>();
  for (const w of workloads) out.set(w.key, DEFAULT_MIN_READY);
  for (const rule of rules.list() ?? []) {
    if (rule.entries() === undefined) continue;
    const m = readMatcher(rule);
    const minReady = rule.child('minReady').intOrPercent({ max100: true });
    let hits = 0;
    for (const w of workloads) {
      if (!matches(m, w)) continue;
      hits++;
      if (minReady !== undefined) out.set(w.key, minReady);
    }
    if (hits === 0) rule.warn('this slo rule matches no workload');
  }
  return out;
}
