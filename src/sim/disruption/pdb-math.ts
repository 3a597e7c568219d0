// PodDisruptionBudget arithmetic, pure functions (reference section 2.1).

import type { IntOrPercent, PodDisruptionBudget } from '../../scenario/model.js';

/**
 * kube: intstr.GetScaledValueFromIntOrPercent. A percentage is scaled against `total` and
 * rounded up (`math.Ceil`) or down (`math.Floor`); an int is returned as is.
 */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v.kind === 'int') return v.value;
  const x = (v.value * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export interface PdbCounts {
  /** Every existing pod matched by the selector, whatever its phase (terminating included). */
  matchedPods: number;
  /** kube: getExpectedScale — Σ spec.replicas over the distinct controllers of matched pods. */
  expectedScale: number;
  /** getExpectedScale failed (a matched pod's controller has no scale): failSafe. */
  scaleUnknown: boolean;
  /** kube: countHealthyPods — matched, no deletionTimestamp, Ready. */
  currentHealthy: number;
}

export interface PdbStatus {
  expectedCount: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

/** kube: DisruptionController.getExpectedPodCount + updatePdbStatus (+ failSafe). */
export function pdbStatus(pdb: Pick<PodDisruptionBudget, 'minAvailable' | 'maxUnavailable'>, c: PdbCounts): PdbStatus {
  let expectedCount: number;
  let desiredHealthy: number;
  const needsScale = pdb.maxUnavailable !== null || (pdb.minAvailable !== null && pdb.minAvailable.kind === 'percent');
  if (needsScale && c.scaleUnknown) {
    // kube: failSafe — sync error, disruptionsAllowed = 0.
    return { expectedCount: 0, desiredHealthy: 0, currentHealthy: c.currentHealthy, disruptionsAllowed: 0 };
  }
  if (pdb.maxUnavailable !== null) {
    expectedCount = c.expectedScale;
    const maxUnavailable = scaledValue(pdb.maxUnavailable, expectedCount, true);
    desiredHealthy = Math.max(0, expectedCount - maxUnavailable);
  } else if (pdb.minAvailable !== null && pdb.minAvailable.kind === 'int') {
    desiredHealthy = pdb.minAvailable.value;
    expectedCount = c.matchedPods;
  } else {
    expectedCount = c.expectedScale;
    desiredHealthy = scaledValue(pdb.minAvailable!, expectedCount, true);
  }
  let disruptionsAllowed = Math.max(0, c.currentHealthy - desiredHealthy);
  if (expectedCount <= 0) disruptionsAllowed = 0;
  return { expectedCount, desiredHealthy, currentHealthy: c.currentHealthy, disruptionsAllowed };
}
