// Validation against closed forms (issue #6): the machine-repairman model and k-out-of-n
// availability. Exponential up times (mtbf; the next crash is drawn at repair, so up times are
// i.i.d. Exp(MTBF)) and exponential repairs make each node an alternating renewal process that
// is up a fraction p = MTBF / (MTBF + MTTR) of the time in steady state; nodes are independent.
//
// What the simulator is compared with: `nodes_ready_mean` counts machines up (a node stops
// counting at the crash instant, not 50 s later when the API marks it NotReady), and a pod stops
// serving at the crash instant (SPEC section 4). The warm-up (10 relaxation times 1/(λ+μ)) makes
// the all-up start negligible: the bias decays as e^{-(λ+μ)t}, e^{-10} < 5e-5.
import { describe, expect, it } from 'vitest';
import { nodeCrash, nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import { tQuantile } from '../../src/stats/t-distribution.js';
import { run } from '../support/sim.js';

const MTBF = 14_400; // 4 h
const MTTR = 7_200; // 2 h
const p = MTBF / (MTBF + MTTR); // 2/3
const RATE = 1 / MTBF + 1 / MTTR; // λ + μ = 1/4800 per s
const WARMUP = 10 / RATE; // 48,000 s

function failing(n: number, horizonS: number, workloads: ReturnType<typeof workload>[] = []) {
  return scenario({
    horizonS,
    warmupS: WARMUP,
    nodePools: [nodePool({ name: 'general', count: n })],
    workloads,
    failures: [nodeCrash({ mtbf: { dist: 'exponential', mean: MTBF }, repair: { dist: 'exponential', mean: MTTR } })],
  });
}

describe('machine-repairman: N nodes, exponential failures and repairs, no workloads', () => {
  it('time-average of nodes up = N·MTBF/(MTBF+MTTR), within 4 standard errors', () => {
    const N = 10;
    const T = 2e7; // measured window, s (about 930 up/down cycles per node)
    const r = run(failing(N, WARMUP + T), 7);
    // A two-state Markov process (up -> down at λ, down -> up at μ) has autocovariance
    // p(1-p)·e^{-(λ+μ)|τ|}, so its time-average over T has variance ≈ 2p(1-p)/((λ+μ)T); N
    // independent nodes add: Var = N·2p(1-p)/((λ+μ)T) = 10·2·(2/9)·4800/2e7 = 1.067e-3, sd 0.033.
    const expected = N * p; // 6.667
    const se = Math.sqrt((N * 2 * p * (1 - p)) / (RATE * T));
    expect(se).toBeCloseTo(0.0327, 4);
    expect(Math.abs(r.metric('cluster', 'nodes_ready_mean') - expected)).toBeLessThan(4 * se);
    // The failure count: per node a renewal process of cycle mean m = MTBF + MTTR = 21,600 s
    // and variance s² = MTBF² + MTTR² = 2.592e8 s²; over T its count has mean T/m and variance
    // ≈ T·s²/m³ (renewal CLT): 925.9 ± 22.7 per node; 10 nodes: 9259.3 ± 71.7.
    const m = MTBF + MTTR;
    const countSe = Math.sqrt((N * T * (MTBF ** 2 + MTTR ** 2)) / m ** 3);
    expect(countSe).toBeCloseTo(71.7, 1);
    expect(Math.abs(r.metric('cluster', 'node_failures') - (N * T) / m)).toBeLessThan(4 * countSe);
  });
});

describe('k-out-of-n availability', () => {
  it('P(at least k of n pods serving) = Σ_{j>=k} C(n,j) p^j (1-p)^(n-j), for k = 1..5', () => {
    // n = 5 nodes; 5 DaemonSets (one pod per node, tolerating the unreachable taint forever,
    // restarted on repair with startup 0 s), DaemonSet k with minReady k: its Ready pods are
    // exactly the nodes up, so its availability is the time share with at least k nodes up.
    const n = 5;
    const ds = [1, 2, 3, 4, 5].map((k) =>
      workload({ name: `k${k}`, kind: 'DaemonSet', minReady: { kind: 'int', value: k }, template: podTemplate({ labels: { app: `k${k}` }, cpuMilli: 100 }) }),
    );
    // p = 2/3: P(j up) = C(5,j)·2^j / 243 = 1, 10, 40, 80, 80, 32 (/243) for j = 0..5, so
    // P(>= k) = 242, 232, 192, 112, 32 (/243) for k = 1..5.
    const exact = [242, 232, 192, 112, 32].map((x) => x / 243);
    exact.forEach((e, i) => expect(binomialTail(n, i + 1, p)).toBeCloseTo(e, 12));
    // Tolerance by batch means: R independent replications (seeds 1..R), each one batch; their
    // mean's t-based standard error. The rarest state (all 5 down, 1/243 of the time, episodes
    // of 1/(5μ) = 1440 s) is entered ~9 times per 3e6 s replication, so the batch means are
    // close to normal; 99.9% two-sided t bound with R - 1 df.
    const R = 16;
    const T = 3e6;
    const avail = Array.from({ length: R }, (_, i) => {
      const r = run(failing(n, WARMUP + T, ds), i + 1);
      return [1, 2, 3, 4, 5].map((k) => r.metric(`k${k}`, 'availability'));
    });
    const t = tQuantile(0.9995, R - 1); // 4.07
    for (let k = 1; k <= n; k++) {
      const xs = avail.map((a) => a[k - 1]!);
      const mean = xs.reduce((a, b) => a + b, 0) / R;
      const se = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (R - 1) / R);
      expect(se, `k=${k}`).toBeGreaterThan(0);
      expect(Math.abs(mean - exact[k - 1]!), `k=${k}: mean ${mean}, expected ${exact[k - 1]}, se ${se}`).toBeLessThan(t * se);
    }
  });
});

/** P(X >= k) for X ~ Binomial(n, p). */
function binomialTail(n: number, k: number, p: number): number {
  let s = 0;
  for (let j = k; j <= n; j++) {
    let c = 1;
    for (let i = 1; i <= j; i++) c = (c * (n - j + i)) / i;
    s += c * p ** j * (1 - p) ** (n - j);
  }
  return s;
}
