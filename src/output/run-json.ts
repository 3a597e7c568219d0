// run.json: provenance of one run (SPEC section 4). Keys are written in a fixed order so the file
// diffs cleanly; wall time and throughput naturally differ between runs, nothing else should.

import { createHash } from 'node:crypto';
import { openAtomicWriter } from './atomic-write.js';

/** The seed used by one (point, replication). */
export interface ReplicationSeed {
  point: number;
  replication: number;
  seed: number;
}

export interface RunInfo {
  /** kubesim-des version (package.json). */
  version: string;
  scenario: string;
  /** sha256Hex of the scenario file's text, then each manifest file's. */
  scenarioHash: string;
  /**
   * The run's identity (src/sweep/identity.ts): the scenario and manifests, the --set overrides
   * and the policy modules' text. Absent from a merge of shards written before it existed.
   */
  inputsHash?: string;
  /** argv after `node`, as typed. */
  commandLine: string[];
  /** The root seed every stream derives from. */
  seed: number;
  replications: number;
  /** Number of sweep points. */
  points: number;
  workers: number;
  /** Wall-clock duration of the run, seconds. */
  wallTimeS: number;
  /** Events the simulation kernels processed, all replications together. */
  eventsProcessed: number;
  /** Iterated once, in order (a run streams them from disk: value-spill.ts). */
  seeds?: Iterable<ReplicationSeed>;
  /** Set by `run --shard I/N`: which slice of the task list this folder holds. */
  shard?: { index: number; count: number };
  /** Set by `merge`: the shard runs it combined, in shard order. */
  mergedShards?: { dir: string; shard: { index: number; count: number }; commandLine: string[]; workers: number; wallTimeS: number }[];
}

/** SHA-256 of the UTF-8 bytes of `text` (or of the buffer), lowercase hex. */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Pretty JSON (2-space indent, trailing newline) with keys in the order of RunInfo, then
 * eventsPerSecond = eventsProcessed / wallTimeS (null when wallTimeS is 0), then `shard`,
 * `mergedShards` and `seeds` when given.
 */
export function buildRunJson(info: RunInfo): string {
  const parts: string[] = [];
  emitRunJson(info, (chunk) => parts.push(chunk));
  return parts.join('');
}

/**
 * Writes buildRunJson(info) to `path` atomically, streaming the seeds: the text of 100,000 seeds
 * (about 8 MB) is never one string.
 */
export async function writeRunJsonAtomic(path: string, info: RunInfo): Promise<void> {
  const out = openAtomicWriter(path);
  try {
    emitRunJson(info, (chunk) => out.write(chunk));
  } catch (err) {
    out.abort();
    throw err;
  }
  await out.commit();
}

/**
 * The text of JSON.stringify(runJsonObject, null, 2) + '\n', in chunks: everything but the seeds
 * through JSON.stringify, then each seed formatted the way JSON.stringify indents it (a test
 * checks the bytes against JSON.stringify of the whole object).
 */
function emitRunJson(info: RunInfo, write: (chunk: string) => void): void {
  const head = JSON.stringify(runJsonHead(info), null, 2);
  if (info.seeds === undefined) {
    write(`${head}\n`);
    return;
  }
  write(`${head.slice(0, -2)},\n  "seeds": [`); // head ends with '\n}'
  let first = true;
  for (const s of info.seeds) {
    write(
      `${first ? '\n' : ',\n'}    {\n      "point": ${JSON.stringify(s.point)},\n      "replication": ${JSON.stringify(s.replication)},\n` +
        `      "seed": ${JSON.stringify(s.seed)}\n    }`,
    );
    first = false;
  }
  write(first ? ']\n}\n' : '\n  ]\n}\n');
}

function runJsonHead(info: RunInfo): Record<string, unknown> {
  const eventsPerSecond = info.wallTimeS > 0 ? info.eventsProcessed / info.wallTimeS : null;
  const out: Record<string, unknown> = {
    version: info.version,
    scenario: info.scenario,
    scenarioHash: info.scenarioHash,
    ...(info.inputsHash !== undefined ? { inputsHash: info.inputsHash } : {}),
    commandLine: info.commandLine,
    seed: info.seed,
    replications: info.replications,
    points: info.points,
    workers: info.workers,
    wallTimeS: info.wallTimeS,
    eventsProcessed: info.eventsProcessed,
    eventsPerSecond,
  };
  if (info.shard !== undefined) out.shard = { index: info.shard.index, count: info.shard.count };
  if (info.mergedShards !== undefined) out.mergedShards = info.mergedShards;
  return out;
}
