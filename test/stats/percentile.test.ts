import { describe, expect, test } from 'vitest';
import { quantileSorted } from '../../src/stats/percentile.js';

describe('quantileSorted (Hyndman-Fan type 7, numpy default)', () => {
  // sorted [1, 1, 2, 3, 4, 5, 6, 9], n = 8, h = 7p:
  //   p = 0.10: h = 0.7  -> x[0] + 0.7 (x[1] - x[0]) = 1 + 0.7 * 0 = 1
  //   p = 0.25: h = 1.75 -> 1 + 0.75 * (2 - 1) = 1.75
  //   p = 0.50: h = 3.5  -> 3 + 0.5 * (4 - 3) = 3.5
  //   p = 0.90: h = 6.3  -> 6 + 0.3 * (9 - 6) = 6.9
  // numpy.percentile([3,1,4,1,5,9,2,6], [0,10,25,50,90,100]) = [1, 1, 1.75, 3.5, 6.9, 9]
  const sample = [1, 1, 2, 3, 4, 5, 6, 9];
  test.each([
    [0, 1],
    [0.1, 1],
    [0.25, 1.75],
    [0.5, 3.5],
    [0.9, 6.9],
    [1, 9],
  ])('p = %f -> %f', (p, q) => {
    expect(quantileSorted(sample, p)).toBeCloseTo(q, 12);
  });

  test('[1, 2, 3, 4]: p50 = 2.5, p95 = 3 + 0.85 = 3.85, p99 = 3 + 0.97 = 3.97', () => {
    const x = new Float64Array([1, 2, 3, 4]);
    expect(quantileSorted(x, 0.5)).toBe(2.5);
    expect(quantileSorted(x, 0.95)).toBeCloseTo(3.85, 12);
    expect(quantileSorted(x, 0.99)).toBeCloseTo(3.97, 12);
  });

  test('one value is every quantile; empty gives NaN', () => {
    expect(quantileSorted([7], 0.3)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  test('equal infinite neighbours stay infinite', () => {
    expect(quantileSorted([1, Infinity, Infinity], 0.9)).toBe(Infinity);
  });

  test('rejects p outside [0, 1]', () => {
    expect(() => quantileSorted([1, 2], 1.01)).toThrow('Expected p in [0, 1], got 1.01');
  });
});
