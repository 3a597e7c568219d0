import { describe, expect, test } from 'vitest';
import { summarize } from '../../src/stats/summary.js';
import { UNIT_RANGE } from '../../src/stats/bounded-interval.js';

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

  test('n = 1: no stddev (divisor n - 1 = 0; pandas and R give NaN too) and no CI, with or without a range', () => {
    const want = { n: 1, mean: 0.75, stddev: NaN, ci95Low: NaN, ci95High: NaN, p50: 0.75, p95: 0.75, p99: 0.75, min: 0.75, max: 0.75 };
    expect(summarize([Number.NaN, 0.75])).toEqual(want);
    expect(summarize([0.75], UNIT_RANGE)).toEqual(want);
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

  test('a scratch buffer gives the same summary, and a short one is not used', () => {
    const x = [5, 1, 4, 2, 3, NaN];
    const scratch = new Float64Array(10).fill(99);
    expect(summarize(x, undefined, scratch)).toEqual(summarize(x));
    expect(Array.from(scratch.subarray(0, 5))).toEqual([1, 2, 3, 4, 5]); // sorted there
    const short = new Float64Array(2);
    expect(summarize(x, undefined, short)).toEqual(summarize(x));
    expect(Array.from(short)).toEqual([0, 0]);
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

describe('summarize with a range (shares)', () => {
  test('near 1: the interval stays below 1 without clipping, where t went past it', () => {
    // [0.999, 0.9995, 1, 1, 0.998]: mean 0.9993, s = 0.00083666002653, n = 5
    // t interval: 0.9993 -/+ 2.7764451052 * 0.00083666 / sqrt(5) = [0.99826114937, 1.00033885063]
    // bounded: n_eff = 0.9993 * 0.0007 * 5 / 0.00083666^2 = 0.00349755 / 7.0e-7 = 4996.5
    //   z^2 / n_eff = 7.708647422 / 4996.5 = 0.001542809; denom = 1.001542809
    //   centre = (0.9993 + 7.708647422 / 9993) / denom = (0.9993 + 0.000771405) / 1.001542809 = 0.998530862
    //   half = 2.776445105 / 1.001542809 * sqrt(7.0e-7 / 5 + 7.708647422 / (4 * 4996.5^2))
    //        = 2.772168 * sqrt(1.4e-7 + 7.7195e-8) = 2.772168 * 0.000466042 = 0.001291945
    //   -> [0.997238917, 0.999822807]
    const s = summarize([0.999, 0.9995, 1, 1, 0.998], UNIT_RANGE);
    expect(s.mean).toBeCloseTo(0.9993, 14);
    expect(s.ci95Low).toBeCloseTo(0.9972389169673855, 9);
    expect(s.ci95High).toBeCloseTo(0.9998228067819327, 9);
    expect(s.p50).toBe(0.9995); // the percentiles do not depend on the range
  });

  test('near 0: the lower bound is above 0 where t went to -0.11', () => {
    // [0, 0, 0.1]: mean 1/30, s = 0.057735027, t interval [-0.11008842, 0.17675509]
    // s^2 = 1/300 = 0.0033333; p (1 - p) n = (1/30)(29/30) 3 = 0.0966667; n_eff = 0.0966667 / 0.0033333 = 29
    //   z = t(0.975, 2) = 4.302652730, z^2 = 18.512820513, z^2 / n_eff = 0.638373
    //   centre = (1/30 + 18.512820513 / 58) / 1.638373 = 0.352525 / 1.638373 = 0.215164598
    //   half = 4.302652730 / 1.638373 * sqrt(0.0966667 / 3 / 29 + 18.512820513 / (4 * 841))
    //        = 2.626149 * sqrt(0.00111111 + 0.00550322) = 2.626149 * 0.0813285 = 0.213582829
    //   -> [0.001581769, 0.428747427]
    const s = summarize([0, 0, 0.1], UNIT_RANGE);
    expect(s.ci95Low).toBeCloseTo(0.0015817693277284106, 9);
    expect(s.ci95High).toBeCloseTo(0.4287474265708143, 9);
  });

  test('every replication at 1: a zero-width interval at 1 (no variation seen); all NaN stays NaN', () => {
    const s = summarize([1, 1, 1], UNIT_RANGE);
    expect([s.ci95Low, s.ci95High]).toEqual([1, 1]);
    expect(summarize([Number.NaN], UNIT_RANGE).ci95Low).toBeNaN();
  });

  test('a non-negative metric keeps the plain t interval, below 0 included (not clipped)', () => {
    // [0, 0, 0.1] without a range: 1/30 -/+ 4.302652730 * 0.057735027 / sqrt(3) = [-0.110088424, 0.176755091]
    const s = summarize([0, 0, 0.1]);
    expect(s.ci95Low).toBeCloseTo(-0.11008842432, 9);
    expect(s.ci95High).toBeCloseTo(0.17675509099, 9);
  });
});
