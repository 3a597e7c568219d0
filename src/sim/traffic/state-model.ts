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
  /** The values of a discrete S (fixed, empirical up to 512 values), else null. */
  private readonly atoms: Float64Array | null;
  /** F_S is smooth (Gauss-Legendre applies). */
  private readonly smooth: boolean;

  constructor(readonly p: TrafficParams) {
    const m = serviceMoments(p.serviceTime);
    this.meanS = m.mean;
    this.mu = 1 / m.mean;
    this.scv = m.scv;
    this.cdf = serviceCdf(p.serviceTime);
    this.exponential = p.serviceTime.dist === 'exponential';
    this.waitFactor = (1 + m.scv) / 2;
    const d = p.serviceTime;
    this.atoms = d.dist === 'fixed' ? Float64Array.of(d.value) : d.dist === 'empirical' && d.values.length <= 512 ? Float64Array.from(d.values) : null;
    this.smooth = d.dist === 'normal' || d.dist === 'lognormal' || d.dist === 'weibull';
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
    if (s.p0 >= 1 || s.theta === Infinity) return this.cdf(t);
    if (this.atoms !== null) {
      // Discrete S (fixed, empirical): P(T <= t) = mean over values v of P(W <= t - v), exact.
      let acc = 0;
      for (let i = 0; i < this.atoms.length; i++) acc += waitCdf(s, t - this.atoms[i]!);
      return acc / this.atoms.length;
    }
    return s.p0 * this.cdf(t) + (1 - s.p0) * this.waitedCdf(s, t);
  }

  /** P(min(X, cap) + S <= t), X ~ Exp(θ), for a continuous S. */
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
    // ∫_0^L F_S(t - w) θe^{-θw} dw with u = 1 - e^{-θw} (u in [0, U]): ∫_0^U F_S(t + ln(1-u)/θ) du.
    const U = -Math.expm1(-theta * L);
    let acc = 0;
    if (this.smooth) {
      // F_S is smooth (normal, lognormal, Weibull): 64-point Gauss-Legendre.
      for (let i = 0; i < GL_NODES.length; i++) {
        const u = ((GL_NODES[i]! + 1) / 2) * U;
        acc += GL_WEIGHTS[i]! * this.cdf(t + Math.log1p(-u) / theta);
      }
      return (acc * U) / 2 + atom;
    }
    // F_S has kinks (uniform): midpoint rule, error at most U/N per kink's jump in slope.
    const N = 512;
    for (let i = 0; i < N; i++) acc += this.cdf(t + Math.log1p(-((i + 0.5) / N) * U) / theta);
    return (acc * U) / N + atom;
  }
}

/** P(W <= x) of an accepted request: no wait with p0, else min(Exp(θ), cap). */
function waitCdf(s: StateModel, x: number): number {
  if (x < 0) return 0;
  if (x >= s.capS) return 1;
  return s.p0 + (1 - s.p0) * -Math.expm1(-s.theta * x);
}

/** Gauss-Legendre nodes and weights on [-1, 1] (Newton on P_n, as in Numerical Recipes gauleg). */
function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      dp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / dp;
      if (Math.abs(z - z1) < 1e-15) break;
    }
    nodes[i] = z;
    weights[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { nodes, weights };
}
const GL = gaussLegendre(64);
const GL_NODES = GL.nodes;
const GL_WEIGHTS = GL.weights;

/**
 * The p-quantile of a mixture of states, weights ∝ requests served in each: the smallest t
 * with F(t) >= p, F the mixture CDF (monotone). A bracket [lo, hi] with F(lo) < p <= F(hi) is
 * narrowed by the Illinois variant of regula falsi (superlinear on smooth F; the halving of
 * the stale end keeps it converging across jumps of F) to a relative width of 1e-7. NaN if no
 * weight.
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
  let lo = 0;
  let fHi = cdf(hi) - p;
  let guard = 0;
  while (fHi < 0 && guard++ < 200) {
    lo = hi;
    hi *= 2;
    fHi = cdf(hi) - p;
  }
  let fLo = lo === 0 ? -p : cdf(lo) - p;
  let side = 0;
  for (let i = 0; i < 200 && hi - lo > 1e-7 * hi; i++) {
    let t = hi - (fHi * (hi - lo)) / (fHi - fLo);
    if (!(t > lo && t < hi)) t = (lo + hi) / 2;
    const f = cdf(t) - p;
    if (f >= 0) {
      hi = t;
      fHi = f;
      if (side === 1) fLo /= 2;
      side = 1;
    } else {
      lo = t;
      fLo = f;
      if (side === -1) fHi /= 2;
      side = -1;
    }
  }
  return hi;
}
