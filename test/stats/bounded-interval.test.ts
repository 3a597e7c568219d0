import { describe, expect, test } from 'vitest';
import { boundedInterval, tInterval, UNIT_RANGE } from '../../src/stats/bounded-interval.js';
import { summarize } from '../../src/stats/summary.js';

describe('boundedInterval (effective-sample-size Wilson, t quantile)', () => {
  test('p = 0.9, n = 10 from 9 ones and a zero: the Wilson interval of 9 Bernoulli trials', () => {
    // mean 0.9; s^2 = (9 * 0.01 + 0.81) / 9 = 0.1; p (1 - p) n / s^2 = 0.09 * 10 / 0.1 = 9 = n_eff
    // (Bhatia-Davis: 0/1 data reach the largest variance, so n_eff is its floor n - 1)
    // z = t(0.975, 9) = 2.262157163, z^2 = 5.117355029, z^2 / n_eff = 0.568595003
    // centre = (0.9 + 5.117355029 / 18) / 1.568595003 = 1.184297502 / 1.568595003 = 0.755005275
    // half = 2.262157163 / 1.568595003 * sqrt(0.09 / 9 + 5.117355029 / 324)
    //      = 1.442154 * sqrt(0.01 + 0.015794306) = 1.442154 * 0.160606 = 0.231618832
    // -> [0.523386443, 0.986624107]  (plain Wilson with z = 1.96, n = 10: [0.596, 0.982])
    const s = summarize([1, 1, 1, 1, 0, 1, 1, 1, 1, 1], UNIT_RANGE);
    expect(s.mean).toBeCloseTo(0.9, 14);
    expect(s.stddev).toBeCloseTo(Math.sqrt(0.1), 14);
    expect(s.ci95Low).toBeCloseTo(0.5233864426345822, 9);
    expect(s.ci95High).toBeCloseTo(0.9866241071538231, 9);
  });

  test.each([
    // [mean, stddev, n, low, high], worked out in the comments
    // mean 0.5, s 0.1, n 3 ([0.4, 0.5, 0.6]): n_eff = 0.25 * 3 / 0.01 = 75; z^2 = 18.512820513
    //   centre 0.5 (symmetric); half = 4.302652730 / 1.246837607 * sqrt(0.25 / 75 + 18.512820513 / 22500)
    //   = 3.450852 * sqrt(0.003333333 + 0.000822792) = 3.450852 * 0.064468 = 0.222469624
    //   (t: 0.5 -/+ 0.248413771; far from the bounds the two agree to first order)
    [0.5, 0.1, 3, 0.2775303756604732, 0.7224696243395268],
  ])('mean %d, s %d, n %d -> [%d, %d]', (mean, sd, n, lo, hi) => {
    const [l, h] = boundedInterval(mean, sd, n, UNIT_RANGE);
    expect(l).toBeCloseTo(lo, 9);
    expect(h).toBeCloseTo(hi, 9);
  });

  test('far from the bounds and with many replications it is the t interval', () => {
    // mean 0.5, s 0.05, n 10000: n_eff = 0.25 * 10000 / 0.0025 = 1e6; z^2 / n_eff ~ 3.8e-6, so
    // both half-widths are 1.960201 * 0.05 / 100 = 0.00098010 within a few parts per million
    const [l, h] = boundedInterval(0.5, 0.05, 10_000, UNIT_RANGE);
    const [tl, th] = tInterval(0.5, 0.05, 10_000);
    expect(Math.abs(h - l - (th - tl)) / (th - tl)).toBeLessThan(5e-6);
  });

  test('a difference of shares on [-1, 1] is the unit interval mapped: [0.5, -0.5, 0, 1]', () => {
    // d: mean 0.25, s = 0.645497224; on [0, 1]: p = 0.625, s' = 0.322748612, s'^2 = 0.104166667
    // n_eff = max(3, 0.234375 * 4 / 0.104166667 = 9) = 9; z = t(0.975, 3) = 3.182446305, z^2 = 10.127964486
    // centre = (0.625 + 10.127964486 / 18) / 2.125329387 = 1.187664694 / 2.125329387 = 0.558814413
    // half = 3.182446305 / 2.125329387 * sqrt(0.234375 / 9 + 10.127964486 / 324)
    //      = 1.497389 * sqrt(0.026041667 + 0.031259150) = 1.497389 * 0.239376 = 0.358438988
    // unit [0.200375425, 0.917253401] -> -1 + 2 x = [-0.599249150, 0.834506801]
    const s = summarize([0.5, -0.5, 0, 1], { lo: -1, hi: 1 });
    expect(s.ci95Low).toBeCloseTo(-0.5992491496619159, 9);
    expect(s.ci95High).toBeCloseTo(0.8345068010074279, 9);
  });

  test('degenerate cases: n < 2 gives no interval, zero variance a zero-width one', () => {
    expect(boundedInterval(0.9, 0, 1, UNIT_RANGE)).toEqual([NaN, NaN]);
    expect(boundedInterval(NaN, NaN, 0, UNIT_RANGE)).toEqual([NaN, NaN]);
    expect(boundedInterval(1, 0, 10, UNIT_RANGE)).toEqual([1, 1]);
    expect(boundedInterval(0, 0, 10, UNIT_RANGE)).toEqual([0, 0]);
    expect(boundedInterval(0.3, 0, 4, UNIT_RANGE)).toEqual([0.3, 0.3]);
  });

  test('always inside the range, for skewed samples that push t outside it', () => {
    // One low replication among many at 1, and one high among many at 0, for n = 2..200.
    for (let n = 2; n <= 200; n++) {
      for (const [x, rest] of [[0.2, 1], [0.8, 0], [0.999999, 1], [1e-9, 0]] as const) {
        const values = Array.from({ length: n }, (_, i) => (i === 0 ? x : rest));
        const s = summarize(values, UNIT_RANGE);
        expect(s.ci95Low).toBeGreaterThanOrEqual(0);
        expect(s.ci95High).toBeLessThanOrEqual(1);
        expect(s.ci95Low).toBeLessThanOrEqual(s.mean);
        expect(s.ci95High).toBeGreaterThanOrEqual(s.mean);
        expect(s.ci95High).toBeGreaterThan(s.ci95Low);
      }
    }
  });
});
