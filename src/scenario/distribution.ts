// Time distributions of the scenario file -> `Distribution` (every time parameter in seconds).
//
//   8s | 90 | 1h                          bare duration: `fixed` (or `exponential` with that mean
//                                        where the context says so, e.g. `mtbf: 30d`)
//   {dist: fixed, value}
//   {dist: exponential, mean}
//   {dist: uniform, min, max}
//   {dist: normal, mean, stddev}         truncated at 0 when sampled
//   {dist: lognormal, median, p99}       converted: mu = ln(median), sigma = (ln(p99) - mu) / z99
//   {dist: lognormal, mu, sigma}         parameters of ln(seconds)
//   {dist: weibull, shape, scale}        shape unitless, scale a duration
//   {dist: empirical, values: [...]}     sampled uniformly from the listed durations

import type { Cur } from './cursor.js';
import { isMap } from './cursor.js';
import type { Distribution } from './model.js';
import { didYouMean } from './suggest.js';

/** z such that Phi(z) = 0.99 (standard normal 99th percentile). */
export const Z99 = 2.3263478740408408;

export const DIST_NAMES = ['fixed', 'exponential', 'uniform', 'normal', 'lognormal', 'weibull', 'empirical'] as const;

const FIELDS: Record<(typeof DIST_NAMES)[number], readonly string[]> = {
  fixed: ['value'],
  exponential: ['mean'],
  uniform: ['min', 'max'],
  normal: ['mean', 'stddev'],
  lognormal: ['median', 'p99', 'mu', 'sigma'],
  weibull: ['shape', 'scale'],
  empirical: ['values'],
};

export interface DistributionOptions {
  /** What a bare duration means: `fixed` (startup, repair, ...) or `exponential` (mtbf). */
  bare: 'fixed' | 'exponential';
  /** Times between events (mtbf) must be > 0, or the simulation would never advance. */
  positive?: boolean;
}

/** lognormal {median, p99} -> {mu, sigma}; median and p99 in seconds, p99 > median > 0. */
export function lognormalFromQuantiles(medianS: number, p99S: number): { mu: number; sigma: number } {
  const mu = Math.log(medianS);
  return { mu, sigma: (Math.log(p99S) - mu) / Z99 };
}

/** Reads a distribution at `c`; undefined if missing or invalid (reported). */
export function readDistribution(c: Cur, opts: DistributionOptions): Distribution | undefined {
  if (c.missing) return undefined;
  if (typeof c.value === 'string' || typeof c.value === 'number') {
    const s = c.duration();
    if (s === undefined) return undefined;
    if (opts.positive && s <= 0) return void c.mustBe('longer than 0s');
    return opts.bare === 'exponential' ? { dist: 'exponential', mean: s } : { dist: 'fixed', value: s };
  }
  if (!isMap(c.value)) {
    c.mustBe('a duration or a distribution such as {dist: lognormal, median: 8s, p99: 40s}');
    return undefined;
  }
  const kind = c.requireChild('dist');
  const name = kind.str();
  if (name === undefined) return undefined;
  if (!(DIST_NAMES as readonly string[]).includes(name)) {
    kind.error(`unknown distribution ${JSON.stringify(name)} (expected one of ${DIST_NAMES.join(', ')})${didYouMean(name, DIST_NAMES)}`);
    return undefined;
  }
  const dist = name as (typeof DIST_NAMES)[number];
  c.only(['dist', ...FIELDS[dist]]);
  const before = c.rc.diags.errorCount;
  const time = (key: string, gt?: number): number | undefined => c.requireChild(key).duration(gt === undefined ? {} : { gt });
  const out = ((): Distribution | undefined => {
    switch (dist) {
      case 'fixed': {
        const value = time('value', opts.positive ? 0 : undefined);
        return value === undefined ? undefined : { dist, value };
      }
      case 'exponential': {
        const mean = time('mean', 0);
        return mean === undefined ? undefined : { dist, mean };
      }
      case 'uniform': {
        const min = time('min');
        const max = time('max', opts.positive ? 0 : undefined);
        if (min === undefined || max === undefined) return undefined;
        if (min > max) return void c.error(`uniform needs min <= max, got min ${min}s and max ${max}s`);
        return { dist, min, max };
      }
      case 'normal': {
        const mean = time('mean', opts.positive ? 0 : undefined);
        const stddev = time('stddev');
        return mean === undefined || stddev === undefined ? undefined : { dist, mean, stddev };
      }
      case 'lognormal':
        return readLognormal(c);
      case 'weibull': {
        const shape = c.requireChild('shape').num({ gt: 0 });
        const scale = time('scale', 0);
        return shape === undefined || scale === undefined ? undefined : { dist, shape, scale };
      }
      case 'empirical': {
        const items = c.requireChild('values').list();
        if (items === undefined) return undefined;
        if (items.length === 0) return void c.child('values').error('must list at least one duration');
        const values: number[] = [];
        for (const it of items) {
          const v = it.missing ? void it.mustBe('a duration') : it.duration();
          if (v !== undefined) values.push(v);
        }
        if (values.length !== items.length) return undefined;
        if (opts.positive && values.every((v) => v === 0)) return void c.child('values').error('must contain a duration longer than 0s');
        return { dist, values };
      }
    }
  })();
  return c.rc.diags.errorCount === before ? out : undefined;
}

function readLognormal(c: Cur): Distribution | undefined {
  const byQuantiles = c.has('median') || c.has('p99');
  const byParams = c.has('mu') || c.has('sigma');
  if (byQuantiles && byParams) return void c.error('lognormal takes either {median, p99} or {mu, sigma}, not both');
  if (byParams) {
    const mu = c.requireChild('mu').num();
    const sigma = c.requireChild('sigma').num({ min: 0 });
    return mu === undefined || sigma === undefined ? undefined : { dist: 'lognormal', mu, sigma };
  }
  const median = c.requireChild('median').duration({ gt: 0 });
  const p99 = c.requireChild('p99').duration();
  if (median === undefined || p99 === undefined) return undefined;
  if (!(p99 > median)) return void c.error(`lognormal needs p99 > median, got median ${median}s and p99 ${p99}s`);
  return { dist: 'lognormal', ...lognormalFromQuantiles(median, p99) };
}
