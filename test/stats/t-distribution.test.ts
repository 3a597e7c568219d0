import { describe, expect, test } from 'vitest';
import { lnGamma, regularizedBeta, tCdf, tQuantile } from '../../src/stats/t-distribution.js';

// Reference quantiles from scipy.stats.t.ppf (and printed tables for the 0.975 column).
const QUANTILES: [p: number, df: number, t: number][] = [
  [0.975, 1, 12.706204736174707],
  [0.975, 2, 4.302652729749464],
  [0.975, 3, 3.1824463052837078],
  [0.975, 9, 2.2621571627982053],
  [0.975, 29, 2.045229642132703],
  [0.975, 100, 1.9839715185235518],
  [0.975, 1000, 1.9623390808264083],
  [0.95, 10, 1.8124611228116756],
  [0.995, 3, 5.840909309733355],
  [0.999, 4, 7.173182219782307],
  [0.75, 1, 1], // Cauchy: tan(pi/4) = 1
  [0.9, 0.5, 10.27032441023451], // non-integer df
  [0.025, 5, -2.5705818356363146],
  [0.6, 7, 0.2631668613520228],
  [0.999999, 2, 707.1057205157666],
];

describe('tQuantile', () => {
  test.each(QUANTILES)('t(%f, df=%f) = %f', (p, df, t) => {
    expect(Math.abs(tQuantile(p, df) - t)).toBeLessThanOrEqual(1e-9 * Math.abs(t));
  });

  test('values quoted in tables, to the printed digits', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706204736, 9);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.30265273, 8);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.262157163, 9);
    expect(tQuantile(0.975, 29)).toBeCloseTo(2.045229642, 9);
    expect(tQuantile(0.975, 1000)).toBeCloseTo(1.962339, 6);
  });

  test('very large df tends to the normal quantile 1.959963985', () => {
    // scipy: t.ppf(0.975, 1e6) = 1.9599663568141...
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.95996635681, 9);
  });

  test('far tail: Cauchy quantile tan(pi (p - 1/2))', () => {
    // p = 1e-12: tan(pi * (1e-12 - 0.5)) = -1 / (pi * 1e-12) = -318309886183.79
    expect(tQuantile(1e-12, 1) / -318309886183.79).toBeCloseTo(1, 10);
  });

  test('symmetric: t(p) = -t(1 - p), t(0.5) = 0', () => {
    for (const df of [1, 3, 30]) {
      expect(tQuantile(0.5, df)).toBe(0);
      expect(tQuantile(0.1, df)).toBeCloseTo(-tQuantile(0.9, df), 12);
    }
  });

  test('p = 0 and p = 1 are the infinite ends', () => {
    expect(tQuantile(0, 5)).toBe(-Infinity);
    expect(tQuantile(1, 5)).toBe(Infinity);
  });

  test('rejects p outside [0, 1] and df <= 0', () => {
    expect(() => tQuantile(1.5, 3)).toThrow('Expected p in [0, 1], got 1.5');
    expect(() => tQuantile(Number.NaN, 3)).toThrow(RangeError);
    expect(() => tQuantile(0.5, 0)).toThrow('Expected df to be a finite number > 0, got 0');
  });
});

describe('tCdf', () => {
  test('df = 1 is Cauchy: F(t) = 1/2 + atan(t) / pi', () => {
    for (const t of [-10, -1, 0, 0.3, 2, 50]) expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
  });

  test('df = 2 closed form: F(t) = 1/2 + t / (2 sqrt(2 + t^2))', () => {
    for (const t of [-3, -0.5, 0, 1, 4.302652729749464]) {
      expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
    }
  });

  test('inverts tQuantile', () => {
    for (const df of [1, 2.5, 7, 40, 500]) {
      for (const p of [0.001, 0.05, 0.3, 0.7, 0.975]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 12);
    }
  });

  test('infinite and NaN arguments', () => {
    expect(tCdf(Infinity, 3)).toBe(1);
    expect(tCdf(-Infinity, 3)).toBe(0);
    expect(tCdf(Number.NaN, 3)).toBeNaN();
  });
});

describe('helpers', () => {
  test('lnGamma: Gamma(5) = 24, Gamma(1/2) = sqrt(pi), Gamma(0.1) = 9.513507698668732', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lnGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 13);
  });

  test('regularizedBeta: I_x(1, 1) = x, I_x(2, 1) = x^2, ends at 0 and 1', () => {
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedBeta(0.3, 2, 1)).toBeCloseTo(0.09, 14);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });
});
