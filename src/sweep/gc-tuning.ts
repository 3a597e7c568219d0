// V8 settings made by the program itself (no node flag for the user to pass). They change where
// and when V8 does its own work, never what is computed.
//
// Allocation-site pretenuring off, always. A run is thousands of replications of about a
// millisecond each, and each one's objects die when it ends. V8 watches which allocation sites'
// objects survive a scavenge and then allocates theirs directly in the old generation; here that
// catches most set-up sites (their objects are alive during whichever scavenge falls inside their
// replication), and the pretenured objects point at young ones, which the scavenger must then
// keep: on web-under-failures in-process, 40% of what replications allocated survived each
// scavenge (4.6 of 11.5 MB, then promoted, filling the old generation) against under 1% (the
// replication in progress) with pretenuring off; process CPU per replication fell by about a
// quarter (results/BENCHMARKS.md).
//
// V8's background work inline, when the simulation threads fill the cores. V8 optimizes hot
// functions (TurboFan), scavenges the young generation and frees ArrayBuffers' memory on its
// own pool of helper threads. In-process those use a core the simulation leaves idle. With one
// simulation thread per core they only compete with the simulation threads, and the hand-off
// costs more than the work: on 2 cores, two threads of web-under-failures spent 20-36 µs per
// replication on the helpers, besides ~0.8 s of helper CPU per isolate while it warms up (TurboFan
// compiling ~280 functions); done inline, the same replications took 10-15% less wall time as bare
// simulation threads and 4-5% less through the whole CLI (results/BENCHMARKS.md). V8 flags are per process;
// these three are read when an isolate starts (compiling) or each time V8 does the work
// (scavenging, freeing), so set before the worker threads start they take effect there, and the
// main thread, which only collects results meanwhile, keeps its own compiler thread.

import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

let tuned = false;
let inline = false;

/** Turns V8's allocation-site pretenuring off for this process. Idempotent. */
export function tuneGarbageCollector(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}

/**
 * Before starting `threads` simulation threads: when they fill the cores, V8's optimizing
 * compiler, scavenger and ArrayBuffer sweeper run on the thread that needs them, not on V8's
 * helper threads. For the rest of the process (idempotent).
 */
export function inlineV8BackgroundWork(threads: number, cores = availableParallelism()): boolean {
  if (inline || threads < cores) return inline;
  inline = true;
  setFlagsFromString('--no-concurrent-recompilation');
  setFlagsFromString('--no-parallel-scavenge');
  setFlagsFromString('--no-concurrent-array-buffer-sweeping');
  return true;
}
