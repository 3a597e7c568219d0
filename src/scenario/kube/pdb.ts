// policy/v1 PodDisruptionBudget -> PodDisruptionBudget.
//
// kube: pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec: minAvailable and
// maxUnavailable are non-negative ints or percentages of at most 100%, and not both set.
// policy/v1 has no defaulting for them. With neither set the API accepts the object, but the
// disruption controller then sees expectedCount 0 and allows no eviction at all; the model
// wants one of the two, so the loader asks for it.
// A null selector selects no pods in policy/v1 (an empty one selects the whole namespace).

import type { PodDisruptionBudget } from '../model.js';
import { readLabelSelector } from './labels.js';
import type { KubeObject } from './meta.js';

const POLICIES = ['IfHealthyBudget', 'AlwaysAllow'] as const;

export function readPdb(o: KubeObject): PodDisruptionBudget | undefined {
  const spec = o.cur.requireChild('spec');
  if (spec.missing || spec.entries() === undefined) return undefined;
  const minCur = spec.child('minAvailable');
  const maxCur = spec.child('maxUnavailable');
  const minAvailable = minCur.intOrPercent({ max100: true }) ?? null;
  const maxUnavailable = maxCur.intOrPercent({ max100: true }) ?? null;
  if ((!minCur.missing && minAvailable === null) || (!maxCur.missing && maxUnavailable === null)) return undefined;
  if (minAvailable !== null && maxUnavailable !== null) {
    spec.error('minAvailable and maxUnavailable cannot be both set');
    return undefined;
  }
  if (minAvailable === null && maxUnavailable === null) {
    spec.error('set one of minAvailable or maxUnavailable (with neither, Kubernetes allows no eviction at all)');
    return undefined;
  }
  const polCur = spec.child('unhealthyPodEvictionPolicy');
  const pol = polCur.str();
  let unhealthyPodEvictionPolicy: PodDisruptionBudget['unhealthyPodEvictionPolicy'] = 'IfHealthyBudget';
  if (pol !== undefined) {
    if (!(POLICIES as readonly string[]).includes(pol)) {
      polCur.error(`unsupported value ${JSON.stringify(pol)}: supported values: "AlwaysAllow", "IfHealthyBudget"`);
      return undefined;
    }
    unhealthyPodEvictionPolicy = pol as PodDisruptionBudget['unhealthyPodEvictionPolicy'];
  }
  const selCur = spec.child('selector');
  if (selCur.missing) {
    selCur.warn('a PodDisruptionBudget without a selector selects no pods (policy/v1); ignored');
    return undefined;
  }
  const selector = readLabelSelector(selCur);
  if (selector === undefined) return undefined;
  return { name: o.name, namespace: o.namespace, selector, minAvailable, maxUnavailable, unhealthyPodEvictionPolicy, source: o.pos };
}
