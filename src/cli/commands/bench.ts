// `kubesim-des bench`: the built-in cluster benchmark. Runs the synthetic 1,000-node /
// 30,000-pod / 30-day scenario with node failures `runs` times after one warm-up run and prints
// medians of wall time and events per second, beside two baselines measured in the same run:
// - engine only: the same number of no-op events through the bare engine with a similar
//   number pending (what the event loop itself costs);
// - first-fit: the same scenario with the first-fit policy (what kube-default scoring costs).
// Figures go to results/BENCHMARKS.md with this command line.

import { performance } from 'node:perf_hooks';
import { benchmarkScenario } from '../../bench/synthetic.js';
import { runReplication } from '../../sim/simulation.js';
import { replicationSeed } from '../../sim/random/streams.js';
import { quantileSorted } from '../../stats/percentile.js';
import { Engine } from '../../sim/engine/engine.js';
import type { Scenario } from '../../scenario/model.js';
import { MAX_NODES } from '../../scenario/cluster.js';
import { UsageError } from '../errors.js';

const median = (xs: number[]) => quantileSorted(Float64Array.from(xs).sort(), 0.5);

interface Timed {
  wallS: number;
  events: number;
}

function timeScenario(s: Scenario, i: number): Timed {
  const t0 = performance.now();
  const r = runReplication(s, replicationSeed(s.seed, 0, i));
  return { wallS: (performance.now() - t0) / 1000, events: r.eventsProcessed };
}

/** The bare engine: `events` no-op events, `pending` kept in the heap, times spread uniformly. */
function timeEngine(events: number, pending: number): Timed {
  const e = new Engine(pending * 2);
  let x = 12345;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
  let left = events;
  let k = 0;
  k = e.register('noop', () => {
    if (--left > pending) e.schedule(e.now + next() * 1000, k);
  });
  for (let i = 0; i < pending; i++) e.schedule(next() * 1000, k);
  const t0 = performance.now();
  e.run(Infinity);
  return { wallS: (performance.now() - t0) / 1000, events: e.eventsProcessed };
}

export interface BenchFlags {
  runs: number;
  nodes?: number;
  pods?: number;
  days: number;
}

/**
 * `--runs`, `--nodes`, `--pods`, `--days` (yargs reads `--nodes abc` as NaN): checked before
 * anything runs, exit 2 as for the other commands' flags. `--nodes` has the scenario's node limit.
 */
export function checkBenchFlags(a: BenchFlags): void {
  const got = (v: number) => (Number.isNaN(v) ? 'something that is not a number' : String(v));
  const int = (flag: string, v: number | undefined, max = Infinity) => {
    if (v === undefined || (Number.isInteger(v) && v >= 1 && v <= max)) return;
    throw new UsageError(`${flag}: expected an integer >= 1${max === Infinity ? '' : ` and <= ${max}`}, got ${got(v)}`);
  };
  int('--runs', a.runs);
  int('--nodes', a.nodes, MAX_NODES);
  int('--pods', a.pods);
  if (!(Number.isFinite(a.days) && a.days > 0)) throw new UsageError(`--days: expected a number of days > 0, got ${got(a.days)}`);
}

export function benchCommand(a: { runs: number; nodes: number; pods: number; days: number }): void {
  const s = benchmarkScenario(a.nodes, a.pods, a.days);
  const ff: Scenario = { ...s, scheduler: { policy: 'first-fit', percentageOfNodesToScore: 0 } };
  process.stdout.write(
    `cluster benchmark: ${a.nodes} nodes, ${a.pods} pods, ${a.days} days, node-crash MTBF 30d; ${a.runs} runs + 1 warm-up\n`,
  );
  const sim: Timed[] = [];
  const simFF: Timed[] = [];
  const eng: Timed[] = [];
  for (let i = 0; i <= a.runs; i++) {
    const r = timeScenario(s, i);
    const f = timeScenario(ff, i);
    const b = timeEngine(r.events, Math.min(r.events, a.pods));
    const heapMiB = process.memoryUsage().heapUsed / 1024 ** 2;
    const label = i === 0 ? 'warm-up' : `run ${i}`;
    process.stdout.write(
      `  ${label.padEnd(8)} kube-default ${r.wallS.toFixed(3)} s (${r.events} events)  first-fit ${f.wallS.toFixed(3)} s  engine-only ${b.wallS.toFixed(3)} s  heap ${heapMiB.toFixed(0)} MiB\n`,
    );
    if (i > 0) {
      sim.push(r);
      simFF.push(f);
      eng.push(b);
    }
  }
  const wall = median(sim.map((t) => t.wallS));
  const rate = median(sim.map((t) => t.events / t.wallS));
  const wallFF = median(simFF.map((t) => t.wallS));
  const rateEng = median(eng.map((t) => t.events / t.wallS));
  process.stdout.write(
    `median: kube-default ${wall.toFixed(3)} s wall, ${rate.toFixed(0)} events/s; ` +
      `first-fit ${wallFF.toFixed(3)} s (kube-default/first-fit = ${(wall / wallFF).toFixed(2)}x); ` +
      `engine-only ${rateEng.toFixed(0)} events/s (simulation/engine-only per-event cost = ${(rateEng / rate).toFixed(1)}x)\n`,
  );
}
