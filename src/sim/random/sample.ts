// Sampling from the scenario's distributions (all in seconds). Each call draws a fixed number
// of uniforms for a given distribution type, except `normal`'s rejection of negatives.

import type { Distribution } from '../../scenario/model.js';
import type { Rng } from './streams.js';

/** One standard normal variate (Box-Muller; draws two uniforms, uses one). */
export function standardNormal(rng: Rng): number {
  let u = rng();
  while (u <= 0) u = rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function sample(d: Distribution, rng: Rng): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'exponential':
      return -d.mean * Math.log(1 - rng());
    case 'uniform':
      return d.min + rng() * (d.max - d.min);
    case 'normal': {
      // Truncated at 0 by rejection (a true truncated normal, not a clamp); after 64 rejections
      // (a mean far below 0) fall back to 0.
      for (let i = 0; i < 64; i++) {
        const x = d.mean + d.stddev * standardNormal(rng);
        if (x >= 0) return x;
      }
      return 0;
    }
    case 'lognormal':
      return Math.exp(d.mu + d.sigma * standardNormal(rng));
    case 'weibull':
      return d.scale * Math.pow(-Math.log(1 - rng()), 1 / d.shape);
    case 'empirical':
      return d.values[Math.floor(rng() * d.values.length)]!;
    default: {
      const never: never = d;
      throw new Error(`Expected a known distribution, got ${JSON.stringify(never)}`);
    }
  }
}

/** The distribution's mean, where it has a closed form (used in docs and tests). */
export function meanOf(d: Distribution): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'exponential':
      return d.mean;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'normal':
      return d.mean; // before truncation
    case 'lognormal':
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case 'weibull': {
      // scale * Gamma(1 + 1/shape), Lanczos approximation
      return d.scale * gamma(1 + 1 / d.shape);
    }
    case 'empirical':
      return d.values.reduce((s, v) => s + v, 0) / d.values.length;
  }
}

function gamma(z: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.PI / (Math.sin(Math.PI * z) * gamma(1 - z));
  z -= 1;
  let x = c[0]!;
  for (let i = 1; i < g + 2; i++) x += c[i]! / (z + i);
  const t = z + g + 0.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * x;
}
