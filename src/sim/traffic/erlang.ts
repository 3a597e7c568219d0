// Queueing formulas for c identical servers fed by Poisson arrivals (rate λ, per second), each
// serving at rate μ (1 / mean service time). Pure functions; every result is in seconds or a
// probability. Notation as in Gross & Harris, "Fundamentals of Queueing Theory", ch. 2:
// offered load a = λ/μ (Erlangs), utilisation ρ = a/c.
//
// Numerics: Erlang B by the recursion B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)), which never
// forms a^c or c! and is stable for any c (O(c)). Erlang C and the finite-queue (M/M/c/K)
// quantities are derived from B, so they are stable too.

/** Erlang B: blocking probability of M/M/c/c (no queue). O(c). */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: probability that an arrival waits in M/M/c (needs ρ = a/c < 1; 1 otherwise). */
export function erlangC(c: number, a: number): number {
  const rho = a / c;
  if (rho >= 1) return 1;
  const b = erlangB(c, a);
  return b / (1 - rho * (1 - b));
}

/** M/M/c mean waiting time in queue, Wq = C(c, a) / (cμ - λ); Infinity when λ >= cμ. */
export function mmcWaitMean(c: number, lambda: number, mu: number): number {
  if (lambda >= c * mu) return Infinity;
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** M/M/c P(Wq > t) = C(c, a)·e^{-(cμ - λ)t} (FIFO). */
export function mmcWaitTail(c: number, lambda: number, mu: number, t: number): number {
  if (lambda >= c * mu) return 1;
  return erlangC(c, lambda / mu) * Math.exp(-(c * mu - lambda) * t);
}

/**
 * Allen-Cunneen approximation of M/G/c's mean wait: Wq(M/M/c)·(c_a² + c_s²)/2 with c_a² = 1
 * for Poisson arrivals and c_s² the squared coefficient of variation of the service time.
 * Exact for c_s² = 1; for c = 1 it is the Pollaczek-Khinchine formula, exact for any c_s².
 */
export function allenCunneenWaitMean(c: number, lambda: number, mu: number, cs2: number): number {
  return (mmcWaitMean(c, lambda, mu) * (1 + cs2)) / 2;
}

/** Σ_{j=0..n} r^j and Σ_{j=0..n} j·r^j, for 0 <= r <= 1 (n may be Infinity when r < 1). */
function geometricSums(r: number, n: number): { s0: number; s1: number } {
  if (n < 0) return { s0: 0, s1: 0 };
  if (1 - r < 1e-9) return { s0: n + 1, s1: (n * (n + 1)) / 2 };
  if (n === Infinity) return { s0: 1 / (1 - r), s1: r / ((1 - r) * (1 - r)) };
  const rn = Math.pow(r, n);
  const s0 = (1 - rn * r) / (1 - r);
  const s1 = (r * (1 - (n + 1) * rn + n * rn * r)) / ((1 - r) * (1 - r));
  return { s0, s1 };
}

/** What an arrival sees in M/M/c/K. */
export interface QueueOutcome {
  /** P(arrival is turned away because c + q are in the system). */
  blocked: number;
  /** P(arrival waits), among all arrivals (blocked ones excluded from it). */
  waits: number;
  /** Mean wait of an arrival that waits, in seconds. */
  waitMeanIfWaiting: number;
}

/**
 * M/M/c/K with K = c + q (q waiting places; q = Infinity is M/M/c and needs ρ < 1). By PASTA an
 * arrival sees the stationary law: π_j ∝ a^j/j! for j <= c and π_{c+k} = π_c·ρ^k for k <= q.
 * Writing B = ErlangB(c, a), states j <= c carry mass (1 - B) and B relative to each other, so
 * with G(n) = Σ_{k=0..n} ρ^k: Z = (1 - B) + B·G(q), P(blocked) = B·ρ^q/Z,
 * P(wait) = B·G(q-1)/Z, and an arrival finding c + k waits Erlang(k+1, cμ), so
 * E[W | wait] = Σ_{k<q} ρ^k (k+1) / (G(q-1)·cμ). For ρ > 1 every sum is divided by ρ^q
 * (weights r^{q-k}, r = 1/ρ) so nothing overflows. q = Infinity, ρ < 1 gives Erlang C and
 * E[W | wait] = 1/(cμ - λ).
 */
export function finiteQueue(c: number, lambda: number, mu: number, q: number): QueueOutcome {
  const a = lambda / mu;
  const rho = a / c;
  const b = erlangB(c, a);
  const cmu = c * mu;
  if (q === 0) return { blocked: b, waits: 0, waitMeanIfWaiting: 0 };
  if (rho <= 1) {
    const gq = geometricSums(rho, q);
    const gq1 = geometricSums(rho, q - 1);
    const z = 1 - b + b * gq.s0;
    const rhoQ = q === Infinity ? 0 : Math.pow(rho, q);
    return {
      blocked: (b * rhoQ) / z,
      waits: (b * gq1.s0) / z,
      waitMeanIfWaiting: (gq1.s1 + gq1.s0) / gq1.s0 / cmu,
    };
  }
  // ρ > 1: weight of state c + k is r^{q-k}; j = q - k runs 0..q.
  const r = 1 / rho;
  const all = geometricSums(r, q); // j = 0..q
  const waiting = all.s0 - 1; // j = 1..q (k = 0..q-1)
  const z = (1 - b) * Math.pow(r, q) + b * all.s0;
  // Σ_{j=1..q} r^j (q + 1 - j) / Σ_{j=1..q} r^j = (q + 1) - Σ j r^j / Σ r^j
  const meanK1 = q + 1 - all.s1 / waiting;
  return { blocked: b / z, waits: (b * waiting) / z, waitMeanIfWaiting: meanK1 / cmu };
}
