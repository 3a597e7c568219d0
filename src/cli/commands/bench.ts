// `kubesim-des bench`: the built-in cluster benchmark. Runs the synthetic 1,000-node /
// 30,000-pod / 30-day scenario with node failures `runs` times after one warm-up run and prints
// the median wall time and events per second. Figures go to results/BENCHMARKS.md by hand,
// with this command line.

import { performance } from 'node:perf_hooks';
import { benchmarkScenario } from '../../bench/synthetic.js';
import { runReplication } from '../../sim/simulation.js';
import { replicationSeed } from '../../sim/random/streams.js';
import { quantileSorted } from '../../stats/percentile.js';

export function benchCommand(a: { runs: number; nodes: number; pods: number; days: number }): void {
  const s = benchmarkScenario(a.nodes, a.pods, a.days);
  process.stdout.write(`cluster benchmark: ${a.nodes} nodes, ${a.pods} pods, ${a.days} days, node-crash MTBF 30d; ${a.runs} runs + 1 warm-up\n`);
  const walls: number[] = [];
  const rates: number[] = [];
  for (let i = 0; i <= a.runs; i++) {
    const seed = replicationSeed(s.seed, 0, i);
    const t0 = performance.now();
    const r = runReplication(s, seed);
    const wall = (performance.now() - t0) / 1000;
    const heapMiB = process.memoryUsage().heapUsed / 1024 ** 2;
    const label = i === 0 ? 'warm-up' : `run ${i}`;
    process.stdout.write(
      `  ${label.padEnd(8)} ${wall.toFixed(3)} s  ${r.eventsProcessed} events  ${(r.eventsProcessed / wall).toFixed(0)} events/s  heap ${heapMiB.toFixed(0)} MiB\n`,
    );
    if (i > 0) {
      walls.push(wall);
      rates.push(r.eventsProcessed / wall);
    }
  }
  const med = (xs: number[]) => quantileSorted(Float64Array.from(xs).sort(), 0.5);
  process.stdout.write(`median wall time ${med(walls).toFixed(3)} s, median ${med(rates).toFixed(0)} events/s\n`);
}
