// One V8 setting, made by the program itself (no node flag for the user to pass): allocation-site
// pretenuring off. A run is thousands of replications of about a millisecond each, and each one's
// objects die when it ends. V8 watches which allocation sites' objects survive a scavenge and
// then allocates theirs directly in the old generation; here that catches most set-up sites
// (their objects are alive during whichever scavenge falls inside their replication), and the
// pretenured objects point at young ones, which the scavenger must then keep: on
// web-under-failures in-process, 40% of what replications allocated survived each scavenge
// (4.6 of 11.5 MB, then promoted, filling the old generation) against under 1% (the replication
// in progress) with pretenuring off; process CPU per replication fell by about a quarter
// (results/BENCHMARKS.md). The flag changes where objects are allocated, never what is computed.
// V8 flags are per process: worker threads started later run with it too (there the survival
// stays high for other reasons, see BENCHMARKS.md).

import { setFlagsFromString } from 'node:v8';

let tuned = false;

/** Turns V8's allocation-site pretenuring off for this process. Idempotent. */
export function tuneGarbageCollector(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
