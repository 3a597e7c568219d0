// Preloaded by bench/memory.mjs and bench/workers.mjs (node --import): at exit, writes the
// process's peak resident set (getrusage max RSS, KiB), CPU time (user + system, every thread,
// seconds) and, on Linux, the main thread's own CPU time (/proc/self/task/PID/stat; null
// elsewhere) to the file named by KUBESIM_MEMORY_PROBE, as JSON. With
// KUBESIM_MEMORY_PROBE_LIVE=1 (and --expose-gc) it also samples the live JavaScript heap every
// 500 ms (heapUsed right after a full collection); those collections change the run's garbage
// profile, so bench/memory.mjs measures the peak RSS in a separate run without them.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.KUBESIM_MEMORY_PROBE;
const live = process.env.KUBESIM_MEMORY_PROBE_LIVE === '1';
let liveMax = 0;
const sample = () => {
  globalThis.gc();
  liveMax = Math.max(liveMax, process.memoryUsage().heapUsed);
};
/** CPU seconds of the main thread alone (clock ticks of 10 ms), or null where /proc has no such file. */
function mainThreadCpuS() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}
if (file !== undefined) {
  if (live) setInterval(sample, 500).unref();
  process.on('exit', () => {
    if (live) sample();
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ maxRssKiB: u.maxRSS, cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6, mainCpuS: mainThreadCpuS(), liveHeapMaxBytes: live ? liveMax : null }),
    );
  });
}
