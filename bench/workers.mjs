// Replications per second of `kubesim-des run` for several --workers counts, on one scenario.
// Runs the compiled CLI (npm run build first). The runs are interleaved (round 1: every worker
// count at every replication count, then round 2, ...) so that a change in the machine's load
// hits them alike; one warm-up round first. Reports per (workers, replications) the median wall
// time of the tasks (run.json's wallTimeS: pool start-up included, scenario loading not),
// replications per second, and the median CPU time of the whole process (every thread; from
// bench/memory-probe.mjs). Then, per worker count: speed-up and parallel efficiency (speed-up /
// workers, against the first count) at the largest replication count; the steady-state rate
// (the marginal rate between the smallest and largest counts, which cancels the fixed start-up
// of the pool and of each thread's JIT warm-up once every thread is past its first ~2,500
// replications at the smaller count); CPU milliseconds per replication (total, and marginal), which
// moves much less than wall time with the machine's load; and, with threads, on Linux, the main
// thread's marginal CPU per task: it only collects results and writes the files, so one over it
// is the most tasks per second any number of threads can deliver (the ceiling of a many-core
// curve). The load average is printed before and after. The metrics.csv files are checked
// byte-identical for each replication count.
//
//   node bench/workers.mjs [--scenario scenarios/web-under-failures.yaml] [--replications 2000,10000]
//                          [--workers 1,2] [--runs 5]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'scenarios/web-under-failures.yaml' },
    replications: { type: 'string', default: '2000,10000' },
    workers: { type: 'string', default: '1,2' },
    runs: { type: 'string', default: '5' },
  },
});
const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const probe = join(import.meta.dirname, 'memory-probe.mjs');
const counts = a.workers.split(',').map(Number);
const repCounts = a.replications.split(',').map(Number).sort((x, y) => x - y);
const runs = Number(a.runs);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
process.stdout.write(
  `${a.scenario}: replications ${repCounts.join(', ')}; workers ${counts.join(', ')}; ${runs} interleaved rounds + 1 warm-up; ` +
    `${availableParallelism()} cores; load average ${load()}\n`,
);

const reference = new Map(); // replications -> metrics.csv
const wall = new Map(); // `${w}/${reps}` -> seconds
const cpu = new Map();
const mainCpu = new Map(); // main thread alone (Linux), for the collecting thread's cost per task
const key = (w, reps) => `${w}/${reps}`;
for (let i = 0; i <= runs; i++) {
  for (const reps of repCounts) {
    for (const w of counts) {
      const out = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
      const probeFile = join(out, 'probe.json');
      const r = spawnSync(
        process.execPath,
        ['--import', probe, cli, 'run', a.scenario, '--out', join(out, 'run'), '--replications', String(reps), '--workers', String(w), '--quiet'],
        { encoding: 'utf8', env: { ...process.env, KUBESIM_MEMORY_PROBE: probeFile } },
      );
      if (r.status !== 0) throw new Error(`run failed (exit ${r.status}): ${r.stderr}`);
      const wallS = JSON.parse(readFileSync(join(out, 'run', 'run.json'), 'utf8')).wallTimeS;
      const { cpuS, mainCpuS } = JSON.parse(readFileSync(probeFile, 'utf8'));
      const metrics = readFileSync(join(out, 'run', 'metrics.csv'), 'utf8');
      if (!reference.has(reps)) reference.set(reps, metrics);
      else if (metrics !== reference.get(reps)) throw new Error(`metrics.csv of ${reps} replications with --workers ${w} differs from the first run's`);
      rmSync(out, { recursive: true });
      if (i === 0) continue;
      const k = key(w, reps);
      if (!wall.has(k)) {
        wall.set(k, []);
        cpu.set(k, []);
        mainCpu.set(k, []);
      }
      wall.get(k).push(wallS);
      cpu.get(k).push(cpuS);
      mainCpu.get(k).push(mainCpuS ?? NaN);
    }
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
for (const reps of repCounts) {
  for (const w of counts) {
    const k = key(w, reps);
    const med = median(wall.get(k));
    process.stdout.write(
      `  ${String(reps).padStart(6)} replications, --workers ${w}: median ${med.toFixed(3)} s, ${(reps / med).toFixed(0)} replications/s; ` +
        `CPU ${median(cpu.get(k)).toFixed(2)} s (runs: ${wall.get(k).map((t) => t.toFixed(2)).join(', ')})\n`,
    );
  }
}
const lo = repCounts[0];
const hi = repCounts[repCounts.length - 1];
const base = median(wall.get(key(counts[0], hi)));
const baseSteady = repCounts.length > 1 ? (hi - lo) / (median(wall.get(key(counts[0], hi))) - median(wall.get(key(counts[0], lo)))) : NaN;
for (const w of counts) {
  const med = median(wall.get(key(w, hi)));
  const speedup = base / med;
  const cpuHi = median(cpu.get(key(w, hi)));
  let line = `  --workers ${w} at ${hi}: speed-up ${speedup.toFixed(2)}x, efficiency ${(speedup / (w / counts[0])).toFixed(2)}; CPU ${((1000 * cpuHi) / hi).toFixed(3)} ms/replication`;
  if (repCounts.length > 1) {
    const steady = (hi - lo) / (med - median(wall.get(key(w, lo))));
    const cpuMarginal = (cpuHi - median(cpu.get(key(w, lo)))) / (hi - lo);
    line +=
      ` (marginal ${(1000 * cpuMarginal).toFixed(3)} ms); steady state ${steady.toFixed(0)} replications/s, ` +
      `speed-up ${(steady / baseSteady).toFixed(2)}x, efficiency ${(steady / baseSteady / (w / counts[0])).toFixed(2)}`;
    // With threads, the main thread only collects and writes: its marginal CPU per task bounds
    // the tasks per second any number of threads can deliver.
    const mainMarginal = (median(mainCpu.get(key(w, hi))) - median(mainCpu.get(key(w, lo)))) / (hi - lo);
    if (w > 1 && Number.isFinite(mainMarginal) && mainMarginal > 0) {
      line += `; main thread ${(1e6 * mainMarginal).toFixed(0)} µs CPU per task (collects at most ~${(1 / mainMarginal).toFixed(0)} tasks/s)`;
    }
  }
  process.stdout.write(line + '\n');
}
process.stdout.write(`metrics.csv identical across worker counts; load average at the end ${load()}\n`);
