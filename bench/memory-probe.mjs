// Preloaded by bench/memory.mjs (node --expose-gc --import): every 250 ms, and once at exit,
// records the process's resident set (getrusage max RSS) and its live JavaScript heap (heapUsed
// right after a full collection) in the file named by KUBESIM_MEMORY_PROBE, as JSON.
import { writeFileSync } from 'node:fs';

const file = process.env.KUBESIM_MEMORY_PROBE;
let liveMax = 0;
const sample = () => {
  globalThis.gc?.();
  liveMax = Math.max(liveMax, process.memoryUsage().heapUsed);
};
if (file !== undefined) {
  setInterval(sample, 250).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, liveHeapMaxBytes: liveMax }));
  });
}
