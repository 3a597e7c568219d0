// The steady-state latency law of one service state and the percentiles of a mixture of
// states, against closed forms worked by hand.
import { describe, expect, it } from 'vitest';
import type { Distribution } from '../../src/scenario/model.js';
import { mixtureQuantile, ServiceLaw } from '../../src/sim/traffic/state-model.js';
import { serviceMoments } from '../../src/sim/traffic/service-time.js';
import { StateCache } from '../../src/sim/traffic/fast.js';

function law(lambda: number, serviceTime: Distribution, concurrency = 1, timeoutS = 1e6, maxQueue = Infinity): ServiceLaw {
  return new ServiceLaw({ lambda, serviceTime, concurrency, maxQueue, timeoutS });
}

describe('one state', () => {
  it('M/M/1, λ = 1, μ = 2: response time ~ Exp(μ - λ = 1): mean 1 s, p50 ln 2, p99 ln 100', () => {
    const l = law(1, { dist: 'exponential', mean: 0.5 });
    const s = l.state(1);
    expect(s.latencyMeanS).toBeCloseTo(1, 9);
    expect(s.utilization).toBeCloseTo(0.5, 12);
    expect(s.accepted).toBeCloseTo(1, 12);
    for (const t of [0.1, 1, 3]) expect(l.latencyCdf(s, t)).toBeCloseTo(1 - Math.exp(-t), 9);
    expect(mixtureQuantile(l, [s], [1], 0.5)).toBeCloseTo(Math.LN2, 6);
    expect(mixtureQuantile(l, [s], [1], 0.99)).toBeCloseTo(Math.log(100), 6);
  });

  it('M/M/2, λ = μ = 1 (one pod, concurrency 2): C = 1/3, θ = cμ - λ = 1 = μ, so P(T > t) = (2/3)e^{-t} + (1/3)(1 + t)e^{-t}', () => {
    const l = law(1, { dist: 'exponential', mean: 1 }, 2);
    const s = l.state(1);
    expect(s.slots).toBe(2);
    expect(s.p0).toBeCloseTo(2 / 3, 12);
    // mean: 1 + C/(cμ - λ) = 1 + 1/3
    expect(s.latencyMeanS).toBeCloseTo(4 / 3, 9);
    // t = 1: e^{-1}(1 + 1/3) = 0.490506
    expect(1 - l.latencyCdf(s, 1)).toBeCloseTo(Math.exp(-1) * (4 / 3), 9);
    expect(1 - l.latencyCdf(s, 2.5)).toBeCloseTo(Math.exp(-2.5) * (1 + 2.5 / 3), 9);
  });

  it('the numerical convolution (any service law) agrees with the closed form: Weibull shape 1 is exponential', () => {
    const exp = law(30, { dist: 'exponential', mean: 0.05 }, 1);
    const wei = law(30, { dist: 'weibull', shape: 1, scale: 0.05 }, 1);
    expect(serviceMoments({ dist: 'weibull', shape: 1, scale: 0.05 }).scv).toBeCloseTo(1, 12);
    const se = exp.state(2);
    const sw = wei.state(2);
    // 64-point Gauss-Legendre on a smooth integrand: agreement to 5e-7
    for (const t of [0.01, 0.05, 0.1, 0.3, 0.6]) expect(wei.latencyCdf(sw, t)).toBeCloseTo(exp.latencyCdf(se, t), 6);
  });

  it('M/D/1 by Allen-Cunneen (= Pollaczek-Khinchine for c = 1): λ = 1, S = 0.5 s: mean T = 0.5 + 0.25', () => {
    const l = law(1, { dist: 'fixed', value: 0.5 });
    expect(l.state(1).latencyMeanS).toBeCloseTo(0.75, 9);
    // P(no wait) = 1 - ρ = 0.5; a request that does not wait takes exactly 0.5 s
    expect(l.latencyCdf(l.state(1), 0.5)).toBeGreaterThanOrEqual(0.5);
    expect(l.latencyCdf(l.state(1), 0.4999)).toBe(0);
    // A waiting request waits Exp(θ) with mean Wq/P(wait) = 0.25/0.5 = 0.5 s (θ = 2), so for
    // t >= 0.5: P(T <= t) = 0.5 + 0.5(1 - e^{-2(t - 0.5)}); P(T <= 1) = 0.5 + 0.5(1 - e^{-1}) = 0.8161
    const s = l.state(1);
    expect(l.latencyCdf(s, 1)).toBeCloseTo(0.5 + 0.5 * (1 - Math.exp(-1)), 12);
    // p50 sits on the jump at 0.5 s (F(0.5) = 0.5 exactly); p99: e^{-2(t-0.5)} = 0.02 -> t = 0.5 + ln(50)/2 = 2.456 s
    expect(mixtureQuantile(l, [s], [1], 0.5)).toBeCloseTo(0.5, 6);
    expect(mixtureQuantile(l, [s], [1], 0.99)).toBeCloseTo(0.5 + Math.log(50) / 2, 6);
  });

  it('an empirical service time is mixed value by value: {10 ms, 30 ms} with no wait is a two-step CDF', () => {
    // λ tiny against 4 slots: P(wait) ≈ 0, so P(T <= t) = share of values <= t
    const l = law(1e-6, { dist: 'empirical', values: [0.01, 0.03] }, 4);
    const s = l.state(1);
    expect(l.latencyCdf(s, 0.02)).toBeCloseTo(0.5, 9);
    expect(l.latencyCdf(s, 0.03)).toBeCloseTo(1, 9);
    expect(mixtureQuantile(l, [s], [1], 0.99)).toBeCloseTo(0.03, 6);
  });

  it('no pod: nothing accepted, overloaded; overload with a queue bound blocks the excess', () => {
    const l = law(30, { dist: 'exponential', mean: 0.05 }, 1, 60, 10);
    expect(l.state(0)).toMatchObject({ slots: 0, accepted: 0, overloaded: true, utilization: 0 });
    // one slot at μ = 20/s for λ = 30/s, 10 waiting places (M/M/1/11, ρ = 1.5):
    // P(blocked) = (1 - ρ)ρ^11/(1 - ρ^12) = 0.5·86.498/128.746 = 0.3359
    const s = l.state(1);
    const rho = 1.5;
    expect(1 - s.accepted).toBeCloseTo(((1 - rho) * rho ** 11) / (1 - rho ** 12), 9);
    expect(s.overloaded).toBe(true);
    // carried load λ(1 - P_b)/μ = 30·0.664/20 = 0.996 of the slot
    expect(s.utilization).toBeCloseTo((30 * s.accepted) / 20, 12);
  });
});

describe('current state (for timeseries and autoscaling)', () => {
  it('StateCache: the p99 and utilisation of the state with n pods, computed once per n', () => {
    const cache = new StateCache(law(1, { dist: 'exponential', mean: 0.5 }));
    expect(cache.p99At(1)).toBeCloseTo(Math.log(100), 6);
    expect(cache.p99At(0)).toBeNaN();
    expect(cache.at(1)).toBe(cache.at(1));
    expect(cache.at(1).utilization).toBeCloseTo(0.5, 12);
    // 2 pods: λ/(cμ) = 1/4
    expect(cache.at(2).utilization).toBeCloseTo(0.25, 12);
  });
});

describe('mixture percentiles', () => {
  it('a 3:1 mixture of the 1-pod state (T ~ Exp(1)) and the 2-pod state solves 0.75·F1(q) + 0.25·F2(q) = 0.99', () => {
    const l = law(1, { dist: 'exponential', mean: 0.5 });
    const one = l.state(1);
    const two = l.state(2);
    const q = mixtureQuantile(l, [one, two], [3, 1], 0.99);
    expect(0.75 * (1 - Math.exp(-q)) + 0.25 * l.latencyCdf(two, q)).toBeCloseTo(0.99, 8);
    // between the two components' own p99s
    expect(q).toBeLessThan(Math.log(100));
    expect(q).toBeGreaterThan(mixtureQuantile(l, [two], [1], 0.99));
  });

  it('no weight: NaN', () => {
    const l = law(1, { dist: 'exponential', mean: 0.5 });
    expect(mixtureQuantile(l, [l.state(1)], [0], 0.99)).toBeNaN();
  });
});
