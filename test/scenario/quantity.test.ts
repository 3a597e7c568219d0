import { describe, expect, test } from 'vitest';
import { milliValue, parseQuantity, value, type Quantity } from '../../src/scenario/quantity.js';

function q(s: string | number): Quantity {
  const r = parseQuantity(s);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function err(s: string | number): string {
  const r = parseQuantity(s);
  if (r.ok) throw new Error(`${String(s)} parsed`);
  return r.message;
}

describe('parseQuantity: exact values (kube: resource.ParseQuantity, MilliValue, Value)', () => {
  test.each([
    // input, MilliValue = ceil(q*1000), Value = ceil(q)
    ['500m', 500, 1], // 0.5 -> Value rounds up to 1
    ['100m', 100, 1], // kube doc: "100m".Value() == 1
    ['2', 2000, 2],
    ['0.1m', 1, 1], // 0.0001 -> rounded up to 1m (kube doc: "0.1m will rounded up to 1m")
    ['1.5', 1500, 2],
    ['1Ki', 1024000, 1024],
    ['1.5Gi', 1610612736000, 1610612736], // 1.5 * 2^30 = 1610612736 exactly
    ['128Gi', 137438953472000, 137438953472], // 128 * 2^30
    ['100M', 100_000_000_000, 100_000_000], // decimal mega
    ['1k', 1_000_000, 1000],
    ['1e3', 1_000_000, 1000], // decimal exponent
    ['1E3', 1_000_000, 1000], // upper-case E followed by a number is an exponent too
    ['2E', 2e21, 2e18], // E alone is exa: 2 * 10^18
    ['1.5e-3', 2, 1], // 0.0015 -> 1.5m -> MilliValue ceil 2
    ['5n', 1, 1], // 5e-9 -> ceil to 1m, 1
    ['0', 0, 0],
    ['+3', 3000, 3],
    ['.5', 500, 1],
    ['5.', 5000, 5],
    ['1e+2', 100_000, 100],
  ])('%s -> milli %d, value %d', (input, milli, units) => {
    const v = q(input);
    expect(milliValue(v)).toBe(milli);
    expect(value(v)).toBe(units);
  });

  test('parses to nano precision, rounding non-zero values up (kube: ParseQuantity rounds to Nano, RoundUp)', () => {
    expect(q('1.5Gi').nano).toBe(1_610_612_736_000_000_000n);
    expect(q('0.1n').nano).toBe(1n); // 1e-10 rounds up to 1n
    expect(q('1e-20').nano).toBe(1n);
    expect(q('-0.1n').nano).toBe(-1n); // away from zero
  });

  test('numbers from YAML are read through their decimal form', () => {
    expect(milliValue(q(0.5))).toBe(500);
    expect(value(q(2))).toBe(2);
    expect(value(q(1e21))).toBe(1e21); // String(1e21) = "1e+21"
  });

  test('negative quantities parse (the callers refuse them where they make no sense)', () => {
    expect(milliValue(q('-500m'))).toBe(-500);
    expect(value(q('-1.5'))).toBe(-1); // ceil(-1.5) = -1
  });
});

describe('parseQuantity: errors', () => {
  test('upper-case K is not a suffix', () => {
    expect(err('1K')).toBe('invalid quantity "1K": unknown suffix "K" (Kubernetes suffixes are case-sensitive: use k or Ki)');
    expect(err('12K')).toBe('invalid quantity "12K": unknown suffix "K" (Kubernetes suffixes are case-sensitive: use k or Ki)');
  });
  test('case mistakes in binary suffixes', () => {
    expect(err('1gi')).toBe('invalid quantity "1gi": unknown suffix "gi" (Kubernetes suffixes are case-sensitive: use Gi)');
  });
  test('byte suffixes', () => {
    expect(err('1GB')).toBe('invalid quantity "1GB": unknown suffix "GB" (Kubernetes has no byte suffix: use G or Gi)');
  });
  test('malformed numbers', () => {
    expect(err('1.2.3')).toBe('invalid quantity "1.2.3": unknown suffix ".3" (expected n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>)');
    expect(err('abc')).toBe('invalid quantity "abc": must start with a number, e.g. "500m" or "2Gi"');
    expect(err('')).toBe('invalid quantity "": empty');
    expect(err(' 1')).toMatch(/must start with a number/);
    expect(err('1e')).toMatch(/unknown suffix "e"/);
    expect(err('1 Gi')).toMatch(/unknown suffix " Gi"/);
  });
  test('absurd exponents', () => {
    expect(err('1e5000')).toBe('invalid quantity "1e5000": exponent 5000 is out of range');
  });
});
