// The steady state of one service with a given number of serving slots (Ready pods ×
// concurrency), and the latency law of a request in it. The fast mode mixes these states,
// weighted by the requests each served, to report the window's latency percentiles.
//
// Model (documented in README, "Traffic"):
// - Exponential service: M/M/c/K, exact (erlang.ts). Other service times: Allen-Cunneen, i.e.
//   the same probability of waiting and every wait scaled by (1 + c_s²)/2.
// - The queue bound is q = min(maxQueue, floor(timeout·cμ/f)) places, f = (1 + c_s²)/2: a
//   request that finds k waiting waits about (k+1)·f/(cμ), so the timeout admits about
//   timeout·cμ/f of them. Arrivals finding the queue full are dropped (P(blocked)).
// - The wait of a request that waits is exponential with the model's conditional mean (exact
//   for M/M/c, where it is Exp(cμ - λ); an approximation for a finite queue), capped at the
//   timeout. Latency = wait + service time (independent), so
//   P(T <= t) = p0·F_S(t) + (1 - p0)·E[F_S(t - min(X, cap))], X ~ Exp(θ).

import type { Distribution } from '../../scenario/model.js';
import { finiteQueue } from './erlang.js';
import { serviceCdf, serviceMoments } from './service-time.js';

/** A service's fixed traffic parameters (rates per second, times in seconds). */
export interface TrafficParams {
  lambda: number;
  serviceTime: Distribution;
  concurrency: number;
  /** Waiting places; Infinity = no bound other than the timeout. */
  maxQueue: number;
  timeoutS: number;
}

export interface StateModel {
  slots: number;
  /** Share of arrivals accepted (1 - P(blocked)); 0 with no slot. */
  accepted: number;
  /** P(no wait) among accepted requests. */
  p0: number;
  /** Rate (1/s) of the exponential wait of a request that waits, and its cap (s). */
  theta: number;
  capS: number;
  latencyMeanS: number;
  /** Busy slots / slots = carried load / c. */
  utilization: number;
  /** λ >= cμ (or no slot): the service is not available. */
  overloaded: boolean;
}

/** Precomputed per service: moments and CDF of the service time. */
export class ServiceLaw {
  readonly mu: number;
  readonly scv: number;
  readonly meanS: number;
  readonly cdf: (t: number) => number;
  readonly exponential: boolean;
  /** Allen-Cunneen's wait factor (1 + c_s²)/2. */
  readonly waitFactor: number;

  constructor(readonly p: TrafficParams) {
    const m = serviceMoments(p.serviceTime);
    this.meanS = m.mean;
    this.mu = 1 / m.mean;
    this.scv = m.scv;
    this.cdf = serviceCdf(p.serviceTime);
    this.exponential = p.serviceTime.dist === 'exponential';
    this.waitFactor = (1 + m.scv) / 2;
  }

  /** The steady state with `pods` serving pods. O(c) (Erlang B recursion). */
  state(pods: number): StateModel {
    const { lambda, concurrency, maxQueue, timeoutS } = this.p;
    const c = pods * concurrency;
    if (c === 0) return { slots: 0, accepted: 0, p0: 1, theta: 1, capS: 0, latencyMeanS: NaN, utilization: 0, overloaded: true };
    const cmu = c * this.mu;
    const f = this.waitFactor;
    const q = Math.min(maxQueue, Math.floor((timeoutS * cmu) / f));
    const out = finiteQueue(c, lambda, this.mu, q);
    const accepted = 1 - out.blocked;
    const pWait = accepted > 0 ? out.waits / accepted : 0;
    const waitMean = out.waitMeanIfWaiting * f;
    const theta = waitMean > 0 ? 1 / waitMean : Infinity;
    const capS = timeoutS;
    // E[min(X, cap)] for X ~ Exp(θ) = (1 - e^{-θ·cap})/θ
    const cappedWait = theta === Infinity ? 0 : -Math.expm1(-theta * capS) / theta;
    return {
      slots: c,
      accepted,
      p0: 1 - pWait,
      theta,
      capS,
      latencyMeanS: this.meanS + pWait * cappedWait,
      utilization: Math.min(1, (lambda * accepted) / cmu),
      overloaded: lambda >= cmu,
    };
  }

  /** P(T <= t) in state `s` (accepted requests). */
  latencyCdf(s: StateModel, t: number): number {
    if (t <= 0) return 0;
    const fs = this.cdf(t);
    if (s.p0 >= 1 || s.theta === Infinity) return fs;
    return s.p0 * fs + (1 - s.p0) * this.waitedCdf(s, t);
  }

  /** P(min(X, cap) + S <= t), X ~ Exp(θ). */
  private waitedCdf(s: StateModel, t: number): number {
    const theta = s.theta;
    const cap = s.capS;
    const L = t < cap ? t : cap;
    const atom = t >= cap ? Math.exp(-theta * cap) * this.cdf(t - cap) : 0;
    if (this.exponential) {
      // ∫_0^L (1 - e^{-μ(t-w)}) θe^{-θw} dw = (1 - e^{-θL}) - θ·e^{-μt}(e^{(μ-θ)L} - 1)/(μ - θ)
      const mu = this.mu;
      const x = (mu - theta) * L;
      const h = Math.abs(x) < 1e-9 ? L * Math.exp(-mu * t) : (Math.exp(-mu * t + x) - Math.exp(-mu * t)) / (mu - theta);
      return -Math.expm1(-theta * L) - theta * h + atom;
    }
    // u = 1 - e^{-θw} maps [0, L] onto [0, U]; midpoint rule in u (F_S is bounded and monotone,
    // so the error is at most U/N per jump of F_S).
    const U = -Math.expm1(-theta * L);
    const N = 512;
    let acc = 0;
    for (let i = 0; i < N; i++) {
      const u = ((i + 0.5) / N) * U;
      acc += this.cdf(t + Math.log1p(-u) / theta);
    }
    return (acc * U) / N + atom;
  }
}

/**
 * The p-quantile of a mixture of states, weights ∝ requests served in each. Bisection on the
 * mixture CDF to a relative precision of 1e-9 (the CDF is monotone). NaN if no weight.
 */
export function mixtureQuantile(law: ServiceLaw, states: StateModel[], weights: ArrayLike<number>, p: number): number {
  let total = 0;
  for (let i = 0; i < states.length; i++) total += weights[i]!;
  if (!(total > 0)) return NaN;
  const cdf = (t: number): number => {
    let acc = 0;
    for (let i = 0; i < states.length; i++) if (weights[i]! > 0) acc += weights[i]! * law.latencyCdf(states[i]!, t);
    return acc / total;
  };
  let hi = law.meanS > 0 ? law.meanS : 1e-6;
  let guard = 0;
  while (cdf(hi) < p && guard++ < 200) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 100 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return hi;
}
