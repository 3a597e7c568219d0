import { describe, expect, test } from 'vitest';
import { summarize, summarizeBounded01 } from '../../src/stats/summary.js';

describe('summarize', () => {
  test('[1, 2, 3, 4] worked by hand', () => {
    // mean = 10 / 4 = 2.5
    // s^2 = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3, s = 1.2909944487358056
    // t(0.975, 3) = 3.1824463052837078; half = 3.182446305 * 1.290994449 / 2 = 2.0542602567605206
    const s = summarize([4, 2, 1, 3]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.stddev).toBeCloseTo(1.2909944487358056, 14);
    expect(s.ci95Low).toBeCloseTo(2.5 - 2.0542602567605206, 12);
    expect(s.ci95High).toBeCloseTo(2.5 + 2.0542602567605206, 12);
    expect(s.p50).toBe(2.5);
    expect(s.p95).toBeCloseTo(3.85, 12);
    expect(s.p99).toBeCloseTo(3.97, 12);
    expect(s.min).toBe(1);
    expect(s.max).toBe(4);
  });

  test('NaN values are left out and n counts the rest', () => {
    const withNaN = summarize([Number.NaN, 4, 2, Number.NaN, 1, 3]);
    expect(withNaN).toEqual(summarize([4, 2, 1, 3]));
  });

  test('n = 1: stddev 0 and the CI collapses to the mean', () => {
    expect(summarize([Number.NaN, 7.5])).toEqual({
      n: 1, mean: 7.5, stddev: 0, ci95Low: 7.5, ci95High: 7.5, p50: 7.5, p95: 7.5, p99: 7.5, min: 7.5, max: 7.5,
    });
  });

  test('all NaN or empty: n = 0 and every field NaN', () => {
    for (const input of [[Number.NaN, Number.NaN], []]) {
      const s = summarize(input);
      expect(s.n).toBe(0);
      for (const key of ['mean', 'stddev', 'ci95Low', 'ci95High', 'p50', 'p95', 'p99', 'min', 'max'] as const) {
        expect(s[key]).toBeNaN();
      }
    }
  });

  test('constant sample: stddev 0 and a zero-width CI', () => {
    const s = summarize(new Float64Array([3, 3, 3]));
    expect(s.stddev).toBe(0);
    expect([s.ci95Low, s.ci95High]).toEqual([3, 3]);
  });

  test('does not reorder the caller array', () => {
    const x = [3, 1, 2];
    summarize(x);
    expect(x).toEqual([3, 1, 2]);
  });

  test('deterministic for the same input order', () => {
    const x = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e3 + 0.1);
    expect(summarize(x)).toEqual(summarize(x.slice()));
  });
});

describe('summarizeBounded01', () => {
  test('clamps the upper bound at 1', () => {
    // [0.999, 0.9995, 1, 1, 0.998]: mean 0.9993, s = 0.0008366600265340797,
    // t(0.975, 4) * s / sqrt(5) = 0.0010388506...; t interval [0.99826114936, 1.00033885063]
    const s = summarizeBounded01([0.999, 0.9995, 1, 1, 0.998]);
    expect(s.mean).toBeCloseTo(0.9993, 14);
    expect(s.ci95Low).toBeCloseTo(0.9982611493663165, 12);
    expect(s.ci95High).toBe(1);
  });

  test('clamps the lower bound at 0', () => {
    // [0, 0, 0.1]: mean 0.0333, t interval [-0.11008842, 0.17675509] -> [0, 0.17675509]
    const s = summarizeBounded01([0, 0, 0.1]);
    expect(s.ci95Low).toBe(0);
    expect(s.ci95High).toBeCloseTo(0.1 / 3 + (1.1100884243 - 0.9666666667), 8);
  });

  test('every replication at 1 gives [1, 1]; all NaN stays NaN', () => {
    const s = summarizeBounded01([1, 1, 1]);
    expect([s.ci95Low, s.ci95High]).toEqual([1, 1]);
    expect(summarizeBounded01([Number.NaN]).ci95Low).toBeNaN();
  });

  test('an interval already inside [0, 1] is unchanged', () => {
    const x = [0.4, 0.5, 0.6];
    expect(summarizeBounded01(x)).toEqual(summarize(x));
  });
});
