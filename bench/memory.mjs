// Memory of `kubesim-des run` against its number of replications (issue #5: flat within 10%
// from 1,000 to 100,000). Runs the compiled CLI (npm run build first) once per count and per
// --workers count, with bench/memory-probe.mjs preloaded, and reports the peak resident set (max
// RSS) of the whole process, every thread included. In-process (--workers 1) the main thread
// holds everything the run keeps; with threads the main thread also holds the results that
// wait for earlier tasks, and each thread has its own V8 heap. With --live, a second run per
// count reports the main thread's peak live heap (heapUsed after a full collection, every 500 ms:
// what the run keeps, without the garbage awaiting collection that RSS also counts).
//
//   node bench/memory.mjs [--scenario scenarios/web-under-failures.yaml] [--replications 1000,100000]
//                         [--workers 1,2] [--live]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'scenarios/web-under-failures.yaml' },
    replications: { type: 'string', default: '1000,100000' },
    workers: { type: 'string', default: '1,2' },
    live: { type: 'boolean', default: false },
  },
});
const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const probe = join(import.meta.dirname, 'memory-probe.mjs');
const counts = a.replications.split(',').map(Number);
const mib = (bytes) => (bytes / 1048576).toFixed(1);
const workerCounts = a.workers.split(',').map(Number);
process.stdout.write(`${a.scenario}\n`);
function measure(reps, workers, live) {
  const out = mkdtempSync(join(tmpdir(), 'kubesim-membench-'));
  const probeFile = join(out, 'probe.json');
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [...(live ? ['--expose-gc'] : []), '--import', probe, cli, 'run', a.scenario, '--out', join(out, 'run'), '--replications', String(reps), '--workers', String(workers), '--quiet'],
    { encoding: 'utf8', env: { ...process.env, KUBESIM_MEMORY_PROBE: probeFile, KUBESIM_MEMORY_PROBE_LIVE: live ? '1' : '0' } },
  );
  if (r.status !== 0) throw new Error(`run failed (exit ${r.status}): ${r.stderr}`);
  const wallS = (performance.now() - t0) / 1000;
  const p = JSON.parse(readFileSync(probeFile, 'utf8'));
  rmSync(out, { recursive: true });
  return { wallS, rss: p.maxRssKiB * 1024, live: p.liveHeapMaxBytes };
}
for (const workers of workerCounts) {
  process.stdout.write(`--workers ${workers}\n`);
  const rows = [];
  for (const reps of counts) {
    const m = measure(reps, workers, false);
    const l = a.live ? measure(reps, workers, true).live : null;
    rows.push({ reps, rss: m.rss, live: l });
    process.stdout.write(
      `  ${String(reps).padStart(7)} replications: ${m.wallS.toFixed(1)} s (${(reps / m.wallS).toFixed(0)}/s), max RSS ${mib(m.rss)} MiB` +
        (l !== null ? `, peak live heap ${mib(l)} MiB` : '') + '\n',
    );
  }
  const first = rows[0];
  for (const r of rows.slice(1)) {
    process.stdout.write(
      `  ${r.reps} vs ${first.reps}: max RSS x${(r.rss / first.rss).toFixed(3)}` + (r.live !== null ? `, live heap x${(r.live / first.live).toFixed(3)}` : '') + '\n',
    );
  }
}
