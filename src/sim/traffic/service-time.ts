// The service-time distribution as the fast mode needs it: mean, squared coefficient of
// variation (c_s² = Var/mean², Allen-Cunneen's input) and the CDF. Each follows the sampler in
// src/sim/random/sample.ts exactly (normal is truncated at 0 by rejection, empirical picks one
// of its values uniformly), so both traffic modes model the same distribution.

import type { Distribution } from '../../scenario/model.js';

/** Standard normal CDF Φ(x) via erfc (W. J. Cody's rational approximation, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  // Numerical Recipes erfcc: fractional error < 1.2e-7 everywhere.
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Γ(z), Lanczos (g = 7, 9 terms), relative error ~1e-15 for z > 0. */
export function gammaFn(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.PI / (Math.sin(Math.PI * z) * gammaFn(1 - z));
  z -= 1;
  let x = c[0]!;
  for (let i = 1; i < 9; i++) x += c[i]! / (z + i);
  const t = z + 7.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * x;
}

/** Mean (s) and c_s² of a service-time distribution. */
export interface ServiceMoments {
  mean: number;
  scv: number;
}

export function serviceMoments(d: Distribution): ServiceMoments {
  switch (d.dist) {
    case 'fixed':
      return { mean: d.value, scv: 0 };
    case 'exponential':
      return { mean: d.mean, scv: 1 };
    case 'uniform': {
      const m = (d.min + d.max) / 2;
      const w = d.max - d.min;
      return { mean: m, scv: m > 0 ? (w * w) / 12 / (m * m) : 0 };
    }
    case 'normal': {
      if (d.stddev === 0) return { mean: Math.max(0, d.mean), scv: 0 };
      // Normal truncated to [0, ∞): α = -m/σ, λ = φ(α)/(1-Φ(α)); mean = m + σλ,
      // Var = σ²(1 + αλ - λ²).
      const alpha = -d.mean / d.stddev;
      const lam = normalPdf(alpha) / (1 - normalCdf(alpha));
      const mean = d.mean + d.stddev * lam;
      const v = d.stddev * d.stddev * (1 + alpha * lam - lam * lam);
      return { mean, scv: v / (mean * mean) };
    }
    case 'lognormal': {
      const s2 = d.sigma * d.sigma;
      return { mean: Math.exp(d.mu + s2 / 2), scv: Math.expm1(s2) };
    }
    case 'weibull': {
      const g1 = gammaFn(1 + 1 / d.shape);
      const g2 = gammaFn(1 + 2 / d.shape);
      return { mean: d.scale * g1, scv: g2 / (g1 * g1) - 1 };
    }
    case 'empirical': {
      const n = d.values.length;
      let s = 0;
      for (const v of d.values) s += v;
      const m = s / n;
      let ss = 0;
      for (const v of d.values) ss += (v - m) * (v - m);
      return { mean: m, scv: m > 0 ? ss / n / (m * m) : 0 };
    }
  }
}

/** P(S <= t) as a function; built once per service (the empirical values are sorted once). */
export function serviceCdf(d: Distribution): (t: number) => number {
  switch (d.dist) {
    case 'fixed':
      return (t) => (t >= d.value ? 1 : 0);
    case 'exponential':
      return (t) => (t <= 0 ? 0 : -Math.expm1(-t / d.mean));
    case 'uniform':
      return (t) => (t >= d.max ? 1 : t < d.min ? 0 : (t - d.min) / (d.max - d.min));
    case 'normal': {
      if (d.stddev === 0) return (t) => (t >= Math.max(0, d.mean) ? 1 : 0);
      const lo = normalCdf(-d.mean / d.stddev);
      return (t) => (t <= 0 ? 0 : (normalCdf((t - d.mean) / d.stddev) - lo) / (1 - lo));
    }
    case 'lognormal':
      return (t) => (t <= 0 ? 0 : d.sigma === 0 ? (Math.log(t) >= d.mu ? 1 : 0) : normalCdf((Math.log(t) - d.mu) / d.sigma));
    case 'weibull':
      return (t) => (t <= 0 ? 0 : -Math.expm1(-Math.pow(t / d.scale, d.shape)));
    case 'empirical': {
      const v = Float64Array.from(d.values).sort();
      const n = v.length;
      return (t) => {
        // count of values <= t by binary search
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (v[mid]! <= t) lo = mid + 1;
          else hi = mid;
        }
        return lo / n;
      };
    }
  }
}
