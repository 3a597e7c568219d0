// Replications per second of `kubesim-des run` for several --workers counts, on one scenario.
// Runs the compiled CLI (npm run build first); each count is timed `--runs` times after one
// warm-up, the median is reported, and the metrics.csv files are checked byte-identical.
//
//   node bench/workers.mjs [--scenario scenarios/web-under-failures.yaml] [--replications 64]
//                          [--workers 1,2] [--runs 3]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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
const counts = a.workers.split(',').map(Number);
const runs = Number(a.runs);
const reps = Number(a.replications);
process.stdout.write(`${a.scenario}: ${reps} replications, workers ${counts.join(', ')}; ${runs} runs + 1 warm-up each; ${availableParallelism()} cores\n`);

let reference = null;
const medians = [];
for (const w of counts) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
    const r = spawnSync(process.execPath, [cli, 'run', a.scenario, '--out', out, '--replications', String(reps), '--workers', String(w), '--quiet'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`run failed (exit ${r.status}): ${r.stderr}`);
    // run.json's wall time covers the tasks only (pool start-up included, scenario loading not).
    const wallS = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).wallTimeS;
    const metrics = readFileSync(join(out, 'metrics.csv'), 'utf8');
    if (reference === null) reference = metrics;
    else if (metrics !== reference) throw new Error(`metrics.csv with --workers ${w} differs from the first run's`);
    rmSync(out, { recursive: true });
    if (i > 0) times.push(wallS);
  }
  times.sort((x, y) => x - y);
  const med = times[Math.floor(times.length / 2)];
  medians.push(med);
  process.stdout.write(`  --workers ${w}: median ${med.toFixed(3)} s, ${(reps / med).toFixed(1)} replications/s (runs: ${times.map((t) => t.toFixed(3)).join(', ')})\n`);
}
process.stdout.write(`speed-up vs --workers ${counts[0]}: ${medians.map((m, i) => `${counts[i]}: ${(medians[0] / m).toFixed(2)}x`).join(', ')}; metrics.csv identical\n`);
