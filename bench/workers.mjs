// Replications per second of `kubesim-des run` for several --workers counts, on one scenario.
// Runs the compiled CLI (npm run build first). The counts are interleaved (run 1 of every count,
// then run 2, ...) so that a change in the machine's load hits them alike; one warm-up round
// first. Reports per count the median wall time of the tasks (run.json's wallTimeS: pool
// start-up included, scenario loading not), replications per second, speed-up and parallel
// efficiency (speed-up / workers) against the first count, and the median CPU time of the whole
// process (every thread; from bench/memory-probe.mjs). The metrics.csv files are checked
// byte-identical.
//
//   node bench/workers.mjs [--scenario scenarios/web-under-failures.yaml] [--replications 64]
//                          [--workers 1,2] [--runs 3]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'scenarios/web-under-failures.yaml' },
    replications: { type: 'string', default: '64' },
    workers: { type: 'string', default: '1,2' },
    runs: { type: 'string', default: '3' },
  },
});
const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const probe = join(import.meta.dirname, 'memory-probe.mjs');
const counts = a.workers.split(',').map(Number);
const runs = Number(a.runs);
const reps = Number(a.replications);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
process.stdout.write(
  `${a.scenario}: ${reps} replications, workers ${counts.join(', ')}; ${runs} interleaved runs + 1 warm-up; ${availableParallelism()} cores; load average ${load()}\n`,
);

let reference = null;
const wall = counts.map(() => []);
const cpu = counts.map(() => []);
for (let i = 0; i <= runs; i++) {
  counts.forEach((w, c) => {
    const out = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
    const probeFile = join(out, 'probe.json');
    const r = spawnSync(
      process.execPath,
      ['--import', probe, cli, 'run', a.scenario, '--out', join(out, 'run'), '--replications', String(reps), '--workers', String(w), '--quiet'],
      { encoding: 'utf8', env: { ...process.env, KUBESIM_MEMORY_PROBE: probeFile } },
    );
    if (r.status !== 0) throw new Error(`run failed (exit ${r.status}): ${r.stderr}`);
    const wallS = JSON.parse(readFileSync(join(out, 'run', 'run.json'), 'utf8')).wallTimeS;
    const cpuS = JSON.parse(readFileSync(probeFile, 'utf8')).cpuS;
    const metrics = readFileSync(join(out, 'run', 'metrics.csv'), 'utf8');
    if (reference === null) reference = metrics;
    else if (metrics !== reference) throw new Error(`metrics.csv with --workers ${w} differs from the first run's`);
    rmSync(out, { recursive: true });
    if (i > 0) {
      wall[c].push(wallS);
      cpu[c].push(cpuS);
    }
  });
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const base = median(wall[0]);
counts.forEach((w, c) => {
  const med = median(wall[c]);
  const speedup = base / med;
  process.stdout.write(
    `  --workers ${w}: median ${med.toFixed(3)} s, ${(reps / med).toFixed(1)} replications/s, speed-up ${speedup.toFixed(2)}x, ` +
      `efficiency ${(speedup / (w / counts[0])).toFixed(2)}; CPU ${median(cpu[c]).toFixed(2)} s (runs: ${wall[c].map((t) => t.toFixed(3)).join(', ')})\n`,
  );
});
process.stdout.write(`metrics.csv identical; load average at the end ${load()}\n`);
