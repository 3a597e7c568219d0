import { describe, expect, test } from 'vitest';
import { lognormalFromQuantiles, readDistribution, Z99, type DistributionOptions } from '../../src/scenario/distribution.js';
import type { Distribution } from '../../src/scenario/model.js';
import { cursorOf } from './helpers.js';

function dist(yaml: string, opts: DistributionOptions = { bare: 'fixed' }): Distribution | undefined {
  const { cur, diags } = cursorOf(`d: ${yaml}\n`);
  const d = readDistribution(cur.child('d'), opts);
  const errs = diags.errors();
  if (errs.length > 0) throw new Error(errs.map((e) => e.format()).join('\n'));
  return d;
}

function errors(yaml: string, opts: DistributionOptions = { bare: 'fixed' }): string[] {
  const { cur, diags } = cursorOf(`d: ${yaml}\n`);
  expect(readDistribution(cur.child('d'), opts)).toBeUndefined();
  return diags.errors().map((e) => e.format());
}

describe('distributions', () => {
  test('a bare duration is fixed, or exponential where the context says so (mtbf)', () => {
    expect(dist('8s')).toEqual({ dist: 'fixed', value: 8 });
    expect(dist('90')).toEqual({ dist: 'fixed', value: 90 });
    expect(dist('30d', { bare: 'exponential' })).toEqual({ dist: 'exponential', mean: 2592000 }); // 30 * 86400
  });

  test('every form, time parameters as durations in seconds', () => {
    expect(dist('{dist: fixed, value: 2m}')).toEqual({ dist: 'fixed', value: 120 });
    expect(dist('{dist: exponential, mean: 25ms}')).toEqual({ dist: 'exponential', mean: 0.025 });
    expect(dist('{dist: uniform, min: 1s, max: 1m}')).toEqual({ dist: 'uniform', min: 1, max: 60 });
    expect(dist('{dist: normal, mean: 10s, stddev: 2s}')).toEqual({ dist: 'normal', mean: 10, stddev: 2 });
    expect(dist('{dist: lognormal, mu: 1.5, sigma: 0.5}')).toEqual({ dist: 'lognormal', mu: 1.5, sigma: 0.5 });
    expect(dist('{dist: weibull, shape: 1.5, scale: 1h}')).toEqual({ dist: 'weibull', shape: 1.5, scale: 3600 });
    expect(dist('{dist: empirical, values: [1s, 2s, 1m]}')).toEqual({ dist: 'empirical', values: [1, 2, 60] });
  });

  test('lognormal {median, p99} -> {mu, sigma}, worked by hand', () => {
    // median 8s, p99 40s:
    //   mu    = ln 8                  = 2.0794415416798357
    //   sigma = (ln 40 - ln 8) / z99  = ln 5 / 2.3263478740408408
    //         = 1.6094379124341003 / 2.3263478740408408 = 0.69183028...
    const d = dist('{dist: lognormal, median: 8s, p99: 40s}');
    expect(d).toMatchObject({ dist: 'lognormal' });
    const { mu, sigma } = d as { mu: number; sigma: number };
    expect(mu).toBeCloseTo(2.0794415416798357, 14);
    expect(sigma).toBeCloseTo(0.6918302848827697, 14);
    // Round trip: exp(mu + z99 * sigma) is the p99 again.
    expect(Math.exp(mu + Z99 * sigma)).toBeCloseTo(40, 10);
    expect(lognormalFromQuantiles(3600, 43200).mu).toBeCloseTo(Math.log(3600), 14);
  });

  test('validation', () => {
    expect(errors('{dist: lognormal, median: 40s, p99: 8s}')).toEqual([
      't.yaml:1:4: d: lognormal needs p99 > median, got median 40s and p99 8s',
    ]);
    expect(errors('{dist: uniform, min: 2m, max: 1m}')).toEqual(['t.yaml:1:4: d: uniform needs min <= max, got min 120s and max 60s']);
    expect(errors('{dist: empirical, values: []}')).toEqual(['t.yaml:1:30: d.values: must list at least one duration']);
    expect(errors('{dist: exponential, mean: 0}')).toEqual(['t.yaml:1:30: d.mean must be longer than 0s, got 0']);
    expect(errors('{dist: gamma, mean: 1}')).toEqual([
      't.yaml:1:11: d.dist: unknown distribution "gamma" (expected one of fixed, exponential, uniform, normal, lognormal, weibull, empirical)',
    ]);
    expect(errors('{dist: lognormal, medain: 8s, p99: 40s}')).toEqual([
      't.yaml:1:4: d: missing required field "median"',
      't.yaml:1:22: d.medain: unknown field "medain" (did you mean "median"?)',
    ]);
    expect(errors('{dist: lognormal, median: 8s, p99: 40s, sigma: 1}')).toEqual([
      't.yaml:1:4: d: lognormal takes either {median, p99} or {mu, sigma}, not both',
    ]);
    expect(errors('0s', { bare: 'exponential', positive: true })).toEqual(['t.yaml:1:4: d must be longer than 0s, got "0s"']);
    expect(errors('[1, 2]')).toEqual(['t.yaml:1:4: d must be a duration or a distribution such as {dist: lognormal, median: 8s, p99: 40s}, got a list']);
  });
});
