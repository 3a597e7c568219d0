// How well the simulation itself runs on several threads, with no pool, no messages and no output:
// the ceiling `--workers N` can reach. Runs --replications tasks of one scenario point through
// executeTask, split evenly over T threads (T = 1: in-process, as `--workers 1` runs; T > 1:
// plain worker_threads, each loading the scenario itself), and reports per thread count the
// median wall time (from the first task to the last, scenario loading excluded), speed-up and
// efficiency (speed-up / T) against the first thread count, and each thread's warm-up: the CPU
// its JavaScript thread spent on its first 2,000 tasks beyond what 2,000 tasks cost it later.
// A fresh isolate runs interpreted code and compiles hot functions with TurboFan (on V8's own
// threads, not counted here) before it reaches full speed, and every extra thread pays that
// again. Runs compiled code (npm run build first); rounds interleave the thread counts so load
// changes hit them alike.
//
//   node bench/isolates.mjs [--scenario scenarios/web-under-failures.yaml] [--replications 40000]
//                           [--threads 1,2] [--runs 3]

import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const dist = join(import.meta.dirname, '..', 'dist');
const WARMUP = 2000;

/** Runs tasks [from, from + n); returns wall ms, and the CPU ms of the first WARMUP tasks and of the rest. */
async function runSlice(scenarioPath, from, n) {
  (await import(join(dist, 'sweep', 'gc-tuning.js'))).tuneGarbageCollector();
  const { loadScenarioFile } = await import(join(dist, 'scenario', 'index.js'));
  const { executeTask } = await import(join(dist, 'sweep', 'execute.js'));
  const loaded = loadScenarioFile(scenarioPath);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const scenario = loaded.loaded.points[0].scenario;
  const ctx = { scenarioName: loaded.loaded.name ?? 'bench', paramNames: [], pointParams: [[]] };
  const cpuMs = () => {
    const u = process.threadCpuUsage?.() ?? threadCpu();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpuMs();
  let cWarm = c0;
  for (let i = 0; i < n; i++) {
    if (i === Math.min(WARMUP, n)) cWarm = cpuMs();
    executeTask(scenario, ctx, { point: 0, replication: from + i, seed: from + i }, { trace: false });
  }
  const c1 = cpuMs();
  if (n <= WARMUP) cWarm = c1;
  return { wallMs: performance.now() - t0, warmCpuMs: cWarm - c0, restCpuMs: c1 - cWarm, rest: Math.max(0, n - WARMUP) };
}

/**
 * This thread's CPU time in µs, as process.threadCpuUsage (Node 23.9+) reports it: on Node 20,
 * from Linux's /proc/thread-self/stat (utime and stime, in clock ticks of 10 ms).
 */
function threadCpu() {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) * 10_000, system: Number(f[12]) * 10_000 };
}

if (!isMainThread) {
  parentPort.postMessage(await runSlice(workerData.scenario, workerData.from, workerData.n));
} else {
  const { values: a } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'scenarios/web-under-failures.yaml' },
      replications: { type: 'string', default: '40000' },
      threads: { type: 'string', default: '1,2' },
      runs: { type: 'string', default: '3' },
    },
  });
  const n = Number(a.replications);
  const counts = a.threads.split(',').map(Number);
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`${a.scenario}: ${n} replications; threads ${counts.join(', ')}; ${a.runs} interleaved rounds; ${availableParallelism()} cores; load average ${load()}\n`);
  const results = new Map(counts.map((t) => [t, []]));
  for (let r = 0; r < Number(a.runs); r++) {
    for (const t of counts) {
      let slices;
      if (t === 1) slices = [await runSlice(a.scenario, 0, n)];
      else {
        slices = await Promise.all(
          Array.from({ length: t }, (_, k) => {
            const from = Math.floor((k * n) / t);
            const to = Math.floor(((k + 1) * n) / t);
            return new Promise((resolve, reject) => {
              const w = new Worker(new URL(import.meta.url), { workerData: { scenario: a.scenario, from, n: to - from } });
              w.once('message', resolve);
              w.once('error', reject);
            });
          }),
        );
      }
      results.get(t).push(slices);
    }
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const wall = (slices) => Math.max(...slices.map((s) => s.wallMs)) / 1000;
  const base = median(results.get(counts[0]).map(wall));
  for (const t of counts) {
    const runs = results.get(t);
    const w = median(runs.map(wall));
    const speedup = base / w;
    // Warm-up: CPU of the first WARMUP tasks minus WARMUP tasks at the thread's later pace.
    const warm = median(runs.flatMap((slices) => slices.map((s) => (s.rest > 0 ? s.warmCpuMs - (WARMUP * s.restCpuMs) / s.rest : NaN))));
    const pace = median(runs.flatMap((slices) => slices.map((s) => (s.rest > 0 ? (1000 * s.restCpuMs) / s.rest : NaN))));
    process.stdout.write(
      `  ${t} thread(s): median ${w.toFixed(2)} s (runs: ${runs.map((s) => wall(s).toFixed(2)).join(', ')}), ${(n / w).toFixed(0)} replications/s, ` +
        `speed-up ${speedup.toFixed(2)}x, efficiency ${((speedup * counts[0]) / t).toFixed(2)}; per thread: warm-up ${(warm / 1000).toFixed(2)} s CPU, ` +
        `then ${pace.toFixed(0)} µs CPU per replication\n`,
    );
  }
  process.stdout.write(`load average after: ${load()}\n`);
}
