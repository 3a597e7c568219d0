// Queueing formulas against textbook values worked by hand (Gross & Harris ch. 2 notation:
// a = λ/μ, ρ = a/c).
import { describe, expect, it } from 'vitest';
import { allenCunneenWaitMean, erlangB, erlangC, finiteQueue, mmcWaitMean, mmcWaitTail } from '../../src/sim/traffic/erlang.js';

/** Erlang B straight from its definition (a^c/c!) / Σ_{k<=c} a^k/k!, for small c. */
function erlangBDirect(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= c; k++) {
    term *= a / k;
    sum += term;
  }
  return term / sum;
}

describe('Erlang B and C', () => {
  it.each([
    // c, a, B: B(1, a) = a/(1+a); B(2, 1) = (1/2)/(1 + 1 + 1/2) = 0.2
    [1, 0.5, 1 / 3],
    [1, 2, 2 / 3],
    [2, 1, 0.2],
    // B(10, 5): (5^10/10!)/Σ 5^k/k! = 2.6911/146.38 = 0.018385 (Erlang tables: 0.0184)
    [10, 5, erlangBDirect(10, 5)],
  ])('B(%d, %d) = %f', (c, a, b) => {
    expect(erlangB(c, a)).toBeCloseTo(b, 12);
  });

  it('B(10, 5) matches the Erlang table value 0.01838', () => {
    expect(erlangB(10, 5)).toBeCloseTo(0.01838, 5);
  });

  it('stays finite and matches a log-space sum for 1,000 servers (no a^c or c! overflow)', () => {
    // Direct in log space: log(a^k/k!) = k·ln a - lnΓ(k+1), summed with the max factored out.
    const c = 1000;
    const a = 950;
    const logs: number[] = [];
    let lf = 0;
    for (let k = 0; k <= c; k++) {
      if (k > 0) lf += Math.log(k);
      logs.push(k * Math.log(a) - lf);
    }
    const m = Math.max(...logs);
    const sum = logs.reduce((s, l) => s + Math.exp(l - m), 0);
    const direct = Math.exp(logs[c]! - m) / sum;
    expect(erlangB(c, a)).toBeCloseTo(direct, 12);
    expect(erlangB(c, a)).toBeGreaterThan(0);
  });

  it.each([
    // M/M/1: C = ρ. λ=1, μ=2: B = 1/3, C = (1/3)/(1 - 0.5·(2/3)) = 0.5
    [1, 0.5, 0.5],
    // M/M/2, λ=1, μ=1: a=1, B(2,1)=0.2, C = 0.2/(1 - 0.5·0.8) = 1/3
    [2, 1, 1 / 3],
    // overload: every arrival waits
    [2, 2, 1],
  ])('C(%d, %d) = %f', (c, a, expected) => {
    expect(erlangC(c, a)).toBeCloseTo(expected, 12);
  });
});

describe('M/M/c waiting time', () => {
  it('M/M/1 with ρ = 0.5: Wq = ρ/(μ - λ) = 0.5/(2 - 1) = 0.5 s', () => {
    expect(mmcWaitMean(1, 1, 2)).toBeCloseTo(0.5, 12);
  });

  it('M/M/2 with λ = μ = 1: Wq = C/(cμ - λ) = (1/3)/(2 - 1) = 1/3 s', () => {
    expect(mmcWaitMean(2, 1, 1)).toBeCloseTo(1 / 3, 12);
  });

  it.each([
    // P(W > t) = C·e^{-(cμ-λ)t}: M/M/2 λ=μ=1: (1/3)e^{-t}
    [2, 1, 1, 0, 1 / 3],
    [2, 1, 1, 1, Math.exp(-1) / 3],
    [2, 1, 1, 2.5, Math.exp(-2.5) / 3],
    // M/M/1 λ=1 μ=2: 0.5·e^{-t}
    [1, 1, 2, 3, 0.5 * Math.exp(-3)],
  ])('c=%d λ=%d μ=%d: P(W > %d) = %f', (c, l, mu, t, p) => {
    expect(mmcWaitTail(c, l, mu, t)).toBeCloseTo(p, 12);
  });

  it('overload (λ >= cμ) has no steady state: infinite wait', () => {
    expect(mmcWaitMean(1, 2, 2)).toBe(Infinity);
  });

  it('Allen-Cunneen: M/D/1 halves the M/M/1 wait (Pollaczek-Khinchine: λE[S²]/(2(1-ρ)) = 1·0.25/(2·0.5) = 0.25)', () => {
    expect(allenCunneenWaitMean(1, 1, 2, 0)).toBeCloseTo(0.25, 12);
    expect(allenCunneenWaitMean(2, 1, 1, 1)).toBeCloseTo(1 / 3, 12);
  });
});

describe('M/M/c/K (finite queue)', () => {
  it.each([
    // M/M/1/2 (one waiting place), ρ = 0.5: π ∝ 1, 0.5, 0.25 = (4, 2, 1)/7
    { c: 1, lambda: 1, mu: 2, q: 1, blocked: 1 / 7, waits: 2 / 7, mean: 0.5 },
    // ρ = 2: π ∝ 1, 2, 4 = (1, 2, 4)/7; the waiting one found k=0 ahead: Erlang(1, μ=1), 1 s
    { c: 1, lambda: 2, mu: 1, q: 1, blocked: 4 / 7, waits: 2 / 7, mean: 1 },
    // ρ = 1 exactly, q = 2: π uniform over 0..3 = 1/4 each; waits from states 1, 2: mean
    // ((1) + (2))/2 / μ = 1.5 s
    { c: 1, lambda: 1, mu: 1, q: 2, blocked: 1 / 4, waits: 1 / 2, mean: 1.5 },
    // q = 0 is Erlang B: M/M/2/2, a = 1: 0.2
    { c: 2, lambda: 1, mu: 1, q: 0, blocked: 0.2, waits: 0, mean: 0 },
  ])('c=$c λ=$lambda μ=$mu q=$q', ({ c, lambda, mu, q, blocked, waits, mean }) => {
    const o = finiteQueue(c, lambda, mu, q);
    expect(o.blocked).toBeCloseTo(blocked, 12);
    expect(o.waits).toBeCloseTo(waits, 12);
    expect(o.waitMeanIfWaiting).toBeCloseTo(mean, 12);
  });

  it('an unbounded queue is M/M/c: P(wait) = Erlang C and E[W | wait] = 1/(cμ - λ)', () => {
    const o = finiteQueue(2, 1, 1, Infinity);
    expect(o.blocked).toBe(0);
    expect(o.waits).toBeCloseTo(1 / 3, 12);
    expect(o.waitMeanIfWaiting).toBeCloseTo(1, 12);
  });

  it('a huge queue in overload neither overflows nor blocks less than the excess 1 - cμ/λ', () => {
    // λ = 2cμ: in a long queue almost every state is "full", so P(blocked) -> 1 - 1/ρ = 0.5
    // and a served request waits about q/(cμ) = 10^6/10 s.
    const o = finiteQueue(10, 20, 1, 1_000_000);
    expect(o.blocked).toBeCloseTo(0.5, 9);
    expect(o.waitMeanIfWaiting).toBeCloseTo(1_000_000 / 10, -1);
  });
});
