// PDB arithmetic worked by hand (reference section 2.1; kube: disruption.go
// getExpectedPodCount, updatePdbStatus; intstr.GetScaledValueFromIntOrPercent).
import { describe, expect, it } from 'vitest';
import { pdbStatus, scaledValue } from '../../src/sim/disruption/pdb-math.js';
import type { IntOrPercent } from '../../src/scenario/model.js';

const int = (value: number): IntOrPercent => ({ kind: 'int', value });
const pct = (value: number): IntOrPercent => ({ kind: 'percent', value });

describe('scaledValue (GetScaledValueFromIntOrPercent)', () => {
  it.each([
    // [value, total, roundUp, expected, arithmetic]
    [pct(50), 7, true, 4, 'ceil(50*7/100 = 3.5) = 4 (the docs example)'],
    [pct(50), 7, false, 3, 'floor(3.5) = 3'],
    [pct(25), 10, true, 3, 'ceil(2.5) = 3'],
    [pct(25), 10, false, 2, 'floor(2.5) = 2'],
    [pct(90), 10, true, 9, 'ceil(9) = 9'],
    [pct(1), 1, true, 1, 'ceil(0.01) = 1'],
    [pct(0), 5, true, 0, 'ceil(0) = 0'],
    [int(3), 100, true, 3, 'an int is taken as is'],
  ] as const)('%o of %i (roundUp %s) = %i', (v, total, up, want) => {
    expect(scaledValue(v, total, up)).toBe(want);
  });
});

describe('pdbStatus', () => {
  const counts = (matchedPods: number, expectedScale: number, currentHealthy: number, scaleUnknown = false) => ({
    matchedPods,
    expectedScale,
    currentHealthy,
    scaleUnknown,
  });

  it('minAvailable int: desired = the int; expectedCount = matched pods', () => {
    // 5 pods, all healthy, minAvailable 4 -> allowed = 5 - 4 = 1
    expect(pdbStatus({ minAvailable: int(4), maxUnavailable: null }, counts(5, 5, 5))).toEqual({
      expectedCount: 5,
      desiredHealthy: 4,
      currentHealthy: 5,
      disruptionsAllowed: 1,
    });
  });

  it('minAvailable %: desired = ceil(pct x controller replicas / 100)', () => {
    // replicas 7, minAvailable 50% -> ceil(3.5) = 4; healthy 6 -> allowed 2
    const st = pdbStatus({ minAvailable: pct(50), maxUnavailable: null }, counts(8, 7, 6));
    expect(st.desiredHealthy).toBe(4);
    expect(st.expectedCount).toBe(7);
    expect(st.disruptionsAllowed).toBe(2);
  });

  it('maxUnavailable %: rounds the unavailable count UP, so desired rounds down', () => {
    // replicas 10, maxUnavailable 25% -> ceil(2.5) = 3 may be unavailable; desired = 10 - 3 = 7
    const st = pdbStatus({ minAvailable: null, maxUnavailable: pct(25) }, counts(10, 10, 10));
    expect(st.desiredHealthy).toBe(7);
    expect(st.disruptionsAllowed).toBe(3);
  });

  it('maxUnavailable int larger than replicas floors desired at 0', () => {
    // replicas 2, maxUnavailable 5 -> max(0, 2 - 5) = 0; healthy 2 -> allowed 2
    const st = pdbStatus({ minAvailable: null, maxUnavailable: int(5) }, counts(2, 2, 2));
    expect(st.desiredHealthy).toBe(0);
    expect(st.disruptionsAllowed).toBe(2);
  });

  it('disruptionsAllowed is floored at 0 when fewer are healthy than desired', () => {
    // minAvailable 3, healthy 2 -> max(0, 2 - 3) = 0
    expect(pdbStatus({ minAvailable: int(3), maxUnavailable: null }, counts(3, 3, 2)).disruptionsAllowed).toBe(0);
  });

  it('expectedCount <= 0 forces disruptionsAllowed to 0', () => {
    // maxUnavailable 1 with no controller replicas found: expected 0 -> allowed 0 even with healthy pods
    expect(pdbStatus({ minAvailable: null, maxUnavailable: int(1) }, counts(2, 0, 2)).disruptionsAllowed).toBe(0);
  });

  it('failSafe when a percentage PDB cannot find the scale of a controller', () => {
    expect(pdbStatus({ minAvailable: pct(50), maxUnavailable: null }, counts(3, 0, 3, true)).disruptionsAllowed).toBe(0);
  });
});
