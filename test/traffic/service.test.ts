// Traffic through the whole simulation: a service backed by a Deployment, its metrics against
// Erlang C in both modes, and drops while no pod serves.
import { describe, expect, it } from 'vitest';
import { nodeCrash, nodePool, podTemplate, scenario, traffic, workload } from '../../src/bench/synthetic.js';
import type { Scenario, TrafficEntry } from '../../src/scenario/model.js';
import { runReplication } from '../../src/sim/simulation.js';
import { summarize } from '../../src/stats/summary.js';

/** `replicas` pods of `web` on 3 nodes, Ready at once; traffic to them. */
function webScenario(t: Partial<TrafficEntry> & { ratePerS: number }, over: Partial<Scenario> = {}): Scenario {
  return scenario({
    horizonS: 2060,
    warmupS: 60,
    nodePools: [nodePool({ name: 'general', count: 3 })],
    workloads: [workload({ name: 'web', replicas: 2, template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }) })],
    traffic: [traffic({ service: 'web', workloads: [0], ...t })],
    ...over,
  });
}

function serviceMetric(r: ReturnType<typeof runReplication>, metric: string): number {
  const m = r.metrics.find((x) => x.subjectKind === 'service' && x.metric === metric);
  if (m === undefined) throw new Error(`no service metric ${metric}`);
  return m.value;
}

// The reference system: 2 pods × concurrency 1 = 2 slots, λ = 30/s, exponential service with
// mean 50 ms (μ = 20/s). a = λ/μ = 1.5, ρ = 0.75.
// B(1, 1.5) = 1.5/2.5 = 0.6; B(2, 1.5) = 1.5·0.6/(2 + 0.9) = 0.310345
// C = B/(1 - ρ(1 - B)) = 0.310345/(1 - 0.75·0.689655) = 9/14 = 0.642857
// Wq = C/(cμ - λ) = (9/14)/10 = 0.0642857 s; mean T = 0.05 + 0.0642857 = 0.1142857 s
// With θ = cμ - λ = 10: P(T > t) = (1 - C)e^{-μt} + C(θe^{-μt} - μe^{-θt})/(θ - μ)
//                                = (9/7)e^{-10t} - (2/7)e^{-20t}
const C = 9 / 14;
const MEAN_T = 0.05 + C / 10;
function tail(t: number): number {
  return (9 / 7) * Math.exp(-10 * t) - (2 / 7) * Math.exp(-20 * t);
}
/** Solves tail(t) = 1 - p by bisection (tail is decreasing for t >= 0). */
function quantile(p: number): number {
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > 1 - p) lo = mid;
    else hi = mid;
  }
  return lo;
}

describe('fast mode on a static cluster', () => {
  const r = runReplication(webScenario({ ratePerS: 30, serviceTime: { dist: 'exponential', mean: 0.05 }, mode: 'fast' }), 1);

  it('matches Erlang C within 1%: mean, p50, p99, utilisation', () => {
    // p99: (9/7)e^{-10t} ≈ 0.01 -> t ≈ ln(128.57)/10 = 0.4856 s
    expect(quantile(0.99)).toBeCloseTo(0.4856, 3);
    expect(serviceMetric(r, 'latency_mean_s') / MEAN_T - 1).toBeLessThan(0.01);
    expect(Math.abs(serviceMetric(r, 'latency_mean_s') / MEAN_T - 1)).toBeLessThan(0.01);
    expect(Math.abs(serviceMetric(r, 'latency_p50_s') / quantile(0.5) - 1)).toBeLessThan(0.01);
    expect(Math.abs(serviceMetric(r, 'latency_p99_s') / quantile(0.99) - 1)).toBeLessThan(0.01);
    expect(serviceMetric(r, 'utilization_mean')).toBeCloseTo(0.75, 9);
  });

  it('counts λ × window requests, no drops (P(W > 60 s) = C·e^{-600} = 0), always available', () => {
    expect(serviceMetric(r, 'requests')).toBeCloseTo(30 * 2000, 6);
    expect(serviceMetric(r, 'dropped_fraction')).toBeLessThan(1e-12);
    expect(serviceMetric(r, 'availability')).toBe(1);
    expect(serviceMetric(r, 'disrupted_s')).toBe(0);
    expect(serviceMetric(r, 'disrupted_latency_p99_s')).toBeNaN();
  });
});

describe('exact mode on a static cluster', () => {
  // 8 independent replications of 2,000 s (about 60,000 requests each). Each replication's
  // estimate is one observation; the 8 are i.i.d., so their sample standard deviation over √8
  // is the standard error of their mean whatever the autocorrelation inside a run. Allowed
  // error: 4 standard errors (for Student's t with 7 degrees of freedom, two-sided
  // P(|t| > 4) ≈ 0.005; the seeds are fixed, so the test itself is deterministic). Each run
  // starts empty, a bias of order the relaxation time (~1/(cμ(1 - √ρ)²) ≈ 1.4 s) over 60 s
  // of warm-up, negligible.
  const s = webScenario({ ratePerS: 30, serviceTime: { dist: 'exponential', mean: 0.05 }, mode: 'exact' });
  const runs = Array.from({ length: 8 }, (_, i) => runReplication(s, 100 + i));
  const within4se = (metric: string, expected: number) => {
    const xs = runs.map((r) => serviceMetric(r, metric));
    const { mean, stddev } = summarize(xs);
    const se = stddev / Math.sqrt(xs.length);
    expect(se).toBeGreaterThan(0);
    expect(Math.abs(mean - expected)).toBeLessThan(4 * se);
  };

  it('mean latency and P(T > p99) agree with Erlang C within sampling error', () => {
    within4se('latency_mean_s', MEAN_T);
    within4se('latency_p50_s', quantile(0.5));
    within4se('latency_p99_s', quantile(0.99));
    within4se('utilization_mean', 0.75);
  });

  it('counts every arrival in the window (Poisson: 60,000 ± 4·√60,000) and drops none', () => {
    for (const r of runs) {
      expect(Math.abs(serviceMetric(r, 'requests') - 60_000)).toBeLessThan(4 * Math.sqrt(60_000));
      expect(serviceMetric(r, 'dropped_fraction')).toBe(0);
    }
  });

  it('is deterministic: the same seed gives the same figures', () => {
    expect(runReplication(s, 100).metrics).toEqual(runs[0]!.metrics);
  });
});

describe('drops while no pod serves', () => {
  // One node, one pod; the node crashes at 1000 s and is repaired at 1200 s (before the
  // 50 s + 300 s taint eviction), the pod restarts at once (startup 0). No pod serves during
  // [1000, 1200]: every request arriving then is dropped. Window [0, 3000]:
  // dropped_fraction = λ·200/(λ·3000) = 1/15; availability = 1 - 200/3000 = 14/15.
  // Load: λ = 10/s, μ = 20/s on 2 slots (ρ = 0.25): no other drops.
  function crashed(mode: 'fast' | 'exact'): Scenario {
    return scenario({
      horizonS: 3000,
      nodePools: [nodePool({ name: 'general', count: 1 })],
      workloads: [workload({ name: 'web', replicas: 1, template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }) })],
      failures: [nodeCrash({ target: { pools: [], names: ['general-0'] }, atS: 1000, repair: { dist: 'fixed', value: 200 } })],
      traffic: [traffic({ service: 'web', workloads: [0], ratePerS: 10, serviceTime: { dist: 'exponential', mean: 0.05 }, concurrency: 2, mode })],
    });
  }

  it('fast: exactly 1/15 dropped, 14/15 available, 200 s disrupted with everything dropped', () => {
    const r = runReplication(crashed('fast'), 1);
    expect(serviceMetric(r, 'requests')).toBeCloseTo(30_000, 6);
    expect(serviceMetric(r, 'dropped_fraction')).toBeCloseTo(1 / 15, 9);
    expect(serviceMetric(r, 'availability')).toBeCloseTo(14 / 15, 12);
    expect(serviceMetric(r, 'disrupted_s')).toBe(200);
    expect(serviceMetric(r, 'disrupted_dropped_fraction')).toBe(1);
  });

  it('exact: the arrivals of those 200 s (Poisson, 2,000 ± 4·√2,000) plus at most the 2 in flight', () => {
    const r = runReplication(crashed('exact'), 7);
    const dropped = serviceMetric(r, 'dropped_fraction') * serviceMetric(r, 'requests');
    expect(Math.abs(dropped - 2000)).toBeLessThan(4 * Math.sqrt(2000) + 2);
    expect(serviceMetric(r, 'availability')).toBeCloseTo(14 / 15, 12);
    expect(serviceMetric(r, 'disrupted_dropped_fraction')).toBe(1);
  });
});

describe('general service times and queue bounds, both modes', () => {
  const replicate = (s: Scenario, metric: string, n = 8) => {
    const xs = Array.from({ length: n }, (_, i) => serviceMetric(runReplication(s, 200 + i), metric));
    const { mean, stddev } = summarize(xs);
    return { mean, se: stddev / Math.sqrt(n) };
  };

  it('M/D/1 (fixed 50 ms, λ = 10/s, ρ = 0.5): Pollaczek-Khinchine Wq = λE[S²]/(2(1-ρ)) = 10·0.0025/1 = 0.025 s, T = 0.075 s', () => {
    const t = { ratePerS: 10, serviceTime: { dist: 'fixed', value: 0.05 } as const };
    const one = { workloads: [workload({ name: 'web', replicas: 1, template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }) })] };
    // fast: Allen-Cunneen is exact for the mean when c = 1
    const fast = runReplication(webScenario({ ...t, mode: 'fast' }, one), 1);
    expect(serviceMetric(fast, 'latency_mean_s')).toBeCloseTo(0.075, 9);
    // exact: 8 replications of 20,000 requests, within 4 standard errors
    const ex = replicate(webScenario({ ...t, mode: 'exact' }, one), 'latency_mean_s');
    expect(Math.abs(ex.mean - 0.075)).toBeLessThan(4 * ex.se);
  });

  it('M/M/1/11 (maxQueue 10, λ = 30/s, μ = 20/s, ρ = 1.5): P(blocked) = (1-ρ)ρ^11/(1-ρ^12) = 0.5·86.498/128.746 = 0.3359 in both modes', () => {
    const rho = 1.5;
    const pb = ((1 - rho) * rho ** 11) / (1 - rho ** 12);
    expect(pb).toBeCloseTo(0.3359, 4);
    const t = { ratePerS: 30, serviceTime: { dist: 'exponential', mean: 0.05 } as const, maxQueue: 10 };
    const one = { workloads: [workload({ name: 'web', replicas: 1, template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }) })] };
    const fast = runReplication(webScenario({ ...t, mode: 'fast' }, one), 1);
    expect(serviceMetric(fast, 'dropped_fraction')).toBeCloseTo(pb, 9);
    // λ >= cμ: overloaded, so never "available" whatever the queue does
    expect(serviceMetric(fast, 'availability')).toBe(0);
    const ex = replicate(webScenario({ ...t, mode: 'exact' }, one), 'dropped_fraction');
    expect(Math.abs(ex.mean - pb)).toBeLessThan(4 * ex.se);
  });

  it('a timeout: M/M/1+D (λ = 30/s, μ = 20/s, patience T = 0.2 s) drops 0.3547 in exact mode; fast approximates it by M/M/1/5', () => {
    // Virtual wait density (Baccelli-Boyer-Hebuterne): λP0·e^{-(μ-λ)x} below T, λP0·e^{-(μ-λ)T}e^{-μ(x-T)}
    // above. With e^{-(μ-λ)T} = e^{2} = 7.389:
    // P0 = 1/[1 + λ(1 - e^{2})/(μ - λ) + ρe^{2}] = 1/[1 + 19.167 + 11.083] = 0.0320,
    // P(abandon) = P0·ρ·e^{2} = 0.3547 (check: λ(1 - 0.3547) = 19.36 = μ(1 - P0)).
    const e2 = Math.exp(2);
    const p0 = 1 / (1 + (30 * (1 - e2)) / -10 + 1.5 * e2);
    const pAb = p0 * 1.5 * e2;
    expect(pAb).toBeCloseTo(0.3547, 4);
    const t = { ratePerS: 30, serviceTime: { dist: 'exponential', mean: 0.05 } as const, timeoutS: 0.2 };
    const one = { workloads: [workload({ name: 'web', replicas: 1, template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }) })] };
    const ex = replicate(webScenario({ ...t, mode: 'exact' }, one), 'dropped_fraction');
    expect(Math.abs(ex.mean - pAb)).toBeLessThan(4 * ex.se);
    // fast: the timeout admits floor(T·cμ) = 4 waiting places: M/M/1/5 blocks
    // (1-ρ)ρ^5/(1-ρ^6) = 0.5·7.594/10.391 = 0.3654, 3% above the exact 0.3547 (documented
    // as an approximation).
    const fast = serviceMetric(runReplication(webScenario({ ...t, mode: 'fast' }, one), 1), 'dropped_fraction');
    expect(fast).toBeCloseTo((-0.5 * 1.5 ** 5) / (1 - 1.5 ** 6), 9);
    expect(Math.abs(fast / pAb - 1)).toBeLessThan(0.04);
  });

  it('fast mode costs events per capacity change, not per request: 10/s and 10,000/s process the same events', () => {
    const events = (ratePerS: number) =>
      runReplication(webScenario({ ratePerS, serviceTime: { dist: 'exponential', mean: 0.0001 }, mode: 'fast' }, { horizonS: 30 * 86400 }), 1).eventsProcessed;
    expect(events(10_000)).toBe(events(10));
  });
});
