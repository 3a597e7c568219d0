// The fast mode's report: the window's requests, drops, latency and utilisation, integrated
// over the time the service spent at each serving-pod count (history.ts), each count being an
// M/M/c/K (or Allen-Cunneen M/G/c/K) steady state (state-model.ts). Cost: O(distinct counts)
// models, plus the percentile bisections; nothing depends on the number of requests.
//
// Between two changes of the Ready count the queue is assumed to be in its steady state (the
// relaxation time of an M/M/c queue, about 1/(cμ(1-√ρ)²), is short next to the minutes
// between pod changes at production rates).

import type { ServingHistory } from './history.js';
import { mixtureQuantile, type ServiceLaw, type StateModel } from './state-model.js';

/** One window's figures for a service (or for its disrupted time only). */
export interface TrafficFigures {
  requests: number;
  dropped: number;
  latencyMeanS: number;
  latencyP50S: number;
  latencyP99S: number;
  /** Time-average of busy/slots over the time with at least one slot; NaN if none. */
  utilizationMean: number;
  /** Seconds with at least one serving pod and λ < cμ. */
  availableS: number;
  timeS: number;
}

/** Steady states by pod count, computed once each (O(c) per count). */
export class StateCache {
  private readonly states: (StateModel | undefined)[] = [];
  private readonly p99 = new Map<number, number>();
  constructor(readonly law: ServiceLaw) {}

  at(pods: number): StateModel {
    let s = this.states[pods];
    if (s === undefined) {
      s = this.law.state(pods);
      this.states[pods] = s;
    }
    return s;
  }

  /** p99 latency of the steady state with `pods` serving pods (NaN with none). */
  p99At(pods: number): number {
    if (pods === 0) return NaN;
    let v = this.p99.get(pods);
    if (v === undefined) {
      v = mixtureQuantile(this.law, [this.at(pods)], [1], 0.99);
      this.p99.set(pods, v);
    }
    return v;
  }
}

/** Figures over the cells of `time` (seconds per pod count). */
export function fastFigures(cache: StateCache, time: Float64Array): TrafficFigures {
  const lambda = cache.law.p.lambda;
  const states: StateModel[] = [];
  const weights: number[] = [];
  let requests = 0;
  let dropped = 0;
  let accepted = 0;
  let latSum = 0;
  let utilTime = 0;
  let utilSum = 0;
  let availableS = 0;
  let timeS = 0;
  for (let n = 0; n < time.length; n++) {
    const t = time[n]!;
    if (!(t > 0)) continue;
    timeS += t;
    const s = cache.at(n);
    const r = lambda * t;
    requests += r;
    dropped += r * (1 - s.accepted);
    if (n === 0) continue;
    const a = r * s.accepted;
    accepted += a;
    latSum += a * s.latencyMeanS;
    utilTime += t;
    utilSum += t * s.utilization;
    if (!s.overloaded) availableS += t;
    states.push(s);
    weights.push(a);
  }
  return {
    requests,
    dropped,
    latencyMeanS: accepted > 0 ? latSum / accepted : NaN,
    latencyP50S: mixtureQuantile(cache.law, states, weights, 0.5),
    latencyP99S: mixtureQuantile(cache.law, states, weights, 0.99),
    utilizationMean: utilTime > 0 ? utilSum / utilTime : NaN,
    availableS,
    timeS,
  };
}

/** calm + hit, cell by cell. */
export function allTime(h: ServingHistory): Float64Array {
  const out = new Float64Array(h.calm.length);
  for (let i = 0; i < out.length; i++) out[i] = h.calm[i]! + h.hit[i]!;
  return out;
}
