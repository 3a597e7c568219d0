// Preloaded by bench/memory.mjs and bench/workers.mjs (node --import): at exit, writes the
// process's peak resident set (getrusage max RSS, KiB) and CPU time (user + system, every thread,
// seconds) to the file named by KUBESIM_MEMORY_PROBE, as JSON. With
// KUBESIM_MEMORY_PROBE_LIVE=1 (and --expose-gc) it also samples the live JavaScript heap every
// 500 ms (heapUsed right after a full collection); those collections change the run's garbage
// profile, so bench/memory.mjs measures the peak RSS in a separate run without them.
import { writeFileSync } from 'node:fs';

const file = process.env.KUBESIM_MEMORY_PROBE;
const live = process.env.KUBESIM_MEMORY_PROBE_LIVE === '1';
let liveMax = 0;
const sample = () => {
  globalThis.gc();
  liveMax = Math.max(liveMax, process.memoryUsage().heapUsed);
};
if (file !== undefined) {
  if (live) setInterval(sample, 500).unref();
  process.on('exit', () => {
    if (live) sample();
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKiB: u.maxRSS, cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6, liveHeapMaxBytes: live ? liveMax : null }));
  });
}
