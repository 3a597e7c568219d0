// scheduling.k8s.io/v1 PriorityClass, and the two classes every cluster has.
//
// kube: pkg/apis/scheduling/validation ValidatePriorityClass: user classes have a value of at
// most HighestUserDefinablePriority (1e9) and no `system-` name prefix; only one class may be
// globalDefault (the priority admission plugin refuses a second one). preemptionPolicy
// defaults to PreemptLowerPriority (kube: SetDefaults_PriorityClass).

import type { Diagnostics } from '../errors.js';
import type { SourcePos } from '../model.js';
import type { KubeObject } from './meta.js';
import type { PreemptionPolicy, PriorityTable } from './pod-template.js';

/** kube: scheduling.HighestUserDefinablePriority. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** kube: scheduling.SystemCriticalPriority. */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

/** kube: scheduling.SystemPriorityClasses(): present in every cluster. */
export const SYSTEM_PRIORITY_CLASSES: ReadonlyArray<[string, number]> = [
  ['system-node-critical', SYSTEM_CRITICAL_PRIORITY + 1000],
  ['system-cluster-critical', SYSTEM_CRITICAL_PRIORITY],
];

/** Builds the priority table from the PriorityClass objects (in load order). */
export function readPriorityClasses(objects: KubeObject[], diags: Diagnostics): PriorityTable {
  const classes: PriorityTable['classes'] = new Map();
  for (const [name, value] of SYSTEM_PRIORITY_CLASSES) classes.set(name, { value, preemptionPolicy: 'PreemptLowerPriority' });
  const seen = new Map<string, SourcePos>();
  let globalDefault: string | null = null;
  let globalDefaultPos: SourcePos | null = null;
  for (const o of objects) {
    const c = o.cur;
    if (classes.has(o.name)) {
      const first = seen.get(o.name);
      c.child('metadata').child('name').error(
        first === undefined
          ? `${JSON.stringify(o.name)} is a built-in PriorityClass of every cluster`
          : `PriorityClass ${JSON.stringify(o.name)} already exists (first defined at ${first.file}:${first.line}:${first.col})`,
      );
      continue;
    }
    if (o.name.startsWith('system-')) {
      c.child('metadata').child('name').error("priority class names with 'system-' prefix are reserved for system use only");
      continue;
    }
    const value = c.requireChild('value').int({ max: HIGHEST_USER_DEFINABLE_PRIORITY, min: -2147483648 });
    const isDefault = c.child('globalDefault').bool() ?? false;
    const polCur = c.child('preemptionPolicy');
    const pol = polCur.str() ?? 'PreemptLowerPriority';
    if (pol !== 'PreemptLowerPriority' && pol !== 'Never') {
      polCur.error(`unsupported value ${JSON.stringify(pol)}: supported values: "Never", "PreemptLowerPriority"`);
      continue;
    }
    if (value === undefined) continue;
    if (isDefault) {
      if (globalDefault !== null && globalDefaultPos !== null) {
        c.child('globalDefault').error(
          `PriorityClass ${JSON.stringify(globalDefault)} is already marked as default (${globalDefaultPos.file}:${globalDefaultPos.line}:${globalDefaultPos.col}); only one default can exist`,
        );
        continue;
      }
      globalDefault = o.name;
      globalDefaultPos = o.pos;
    }
    classes.set(o.name, { value, preemptionPolicy: pol as PreemptionPolicy });
    seen.set(o.name, o.pos);
  }
  return { classes, globalDefault };
}
