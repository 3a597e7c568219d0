// The piscina worker: runs chunks of tasks of the scenario points it was given once, at
// start-up, in workerData (structured-cloned once per worker, never per task). A chunk's results
// come back packed (ChunkResult): every task's metric values in one Float64Array (moved, not
// copied) and a small record per task; the metrics.csv records go as UTF-8 bytes through a ring
// buffer shared with the main thread (metrics-ring.ts), or, when it is full, as one string in
// the message. (The records as UTF-8 bytes in a moved buffer per chunk cost the main thread
// more: the external memory of ~150 KB per chunk made V8 mark-compact the main heap every ~1,000
// tasks. The shared ring is allocated once per worker.) Sends each point's
// metric keys with its first result for that point only; the pool keeps them per point. A task
// that throws is returned as its error message and stack, so the other tasks of its chunk still
// count. User policy modules are imported once, at start-up (top-level await).

import { isAbsolute } from 'node:path';
import { threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { loadUserPolicy } from '../sim/scheduler/user/registry.js';
import type { Scenario } from '../scenario/model.js';
import { executeTask, type CsvContext, type MetricKey, type TaskSpec } from './execute.js';
import { ChunkRecords, MetricsRingWriter, RING_CAPACITY } from './metrics-ring.js';

export interface WorkerData extends CsvContext {
  /** Indexed by point; null for points this pool runs no task of. */
  scenarios: (Scenario | null)[];
  trace: boolean;
  /** Format timeseries.csv records (scenarios with `output.timeseries`). */
  timeseries: boolean;
  /** Format metrics.csv records (false for `compare`, which reads only the values). */
  metricsCsv: boolean;
}

/** One task of a chunk: where its values and metrics.csv records lie in the chunk's blocks. */
export interface ChunkTask {
  /** The metric keys, aligned with the values; null when this worker already sent them for the point. */
  keys: MetricKey[] | null;
  /** Number of values (in ChunkResult.values, after the previous tasks'). */
  valueCount: number;
  /**
   * Length of its metrics.csv records, after the previous tasks': in bytes in the metrics ring
   * when ChunkResult.ring is set, else in UTF-16 code units in ChunkResult.metrics.
   */
  metricsLength: number;
  eventsProcessed: number;
  traceCsv: string;
  timeseriesCsv: string;
}

export type ChunkItem = ChunkTask | { error: string; stack: string | undefined };

export interface ChunkResult {
  items: ChunkItem[];
  /** The values of the chunk's finished tasks, back to back, in task order. */
  values: Float64Array;
  /** The metrics.csv records of the chunk's finished tasks, back to back, in task order ('' when in the ring). */
  metrics: string;
  /** This worker's metrics ring when the records are there (from ringStart on), else null. */
  ring: SharedArrayBuffer | null;
  ringStart: number;
  /** This worker's thread id: the ring's (one ring per thread). */
  ringId: number;
}

const data = workerData as WorkerData;

// User policy modules (absolute paths, validated by the main thread) are imported before the
// first task: a replication is synchronous and only looks them up.
for (const s of data.scenarios) {
  if (s == null || !isAbsolute(s.scheduler.policy)) continue;
  const why = await loadUserPolicy(s.scheduler.policy);
  if (why !== null) throw new Error(`scheduler policy ${s.scheduler.policy}: ${why}`);
}
const keysSent = new Set<number>();
// metrics.csv records go to the main thread through this ring (metrics-ring.ts). Tests shrink it
// (KUBESIM_TEST_RING_BYTES, a power of two) so that chunks also take the string path.
const ringBytes = Number(process.env.KUBESIM_TEST_RING_BYTES || RING_CAPACITY); // unset or ''
const ring = data.metricsCsv ? new MetricsRingWriter(ringBytes) : null;
// The current chunk's metrics.csv records, as bytes from the moment each task finishes.
const records = new ChunkRecords();

/**
 * The current chunk's metric values, back to back, copied as each task finishes, in one buffer
 * reused from chunk to chunk. A task's own array (~0.5 KB) kept until the chunk's end was alive at
 * the scavenges in between, so V8 promoted it to the old generation, which grew until a full
 * collection: the thread's memory grew with the run's length for its first ~60,000 tasks.
 */
let chunkValues = new Float64Array(1 << 13);
let chunkValueCount = 0;

function keepValues(values: Float64Array): void {
  const need = chunkValueCount + values.length;
  if (need > chunkValues.length) {
    const grown = new Float64Array(Math.max(need, 2 * chunkValues.length));
    grown.set(chunkValues.subarray(0, chunkValueCount));
    chunkValues = grown;
  }
  chunkValues.set(values, chunkValueCount);
  chunkValueCount = need;
}

/**
 * Runs one task; its values go to `chunkValues` and its metrics.csv records to `records` at once,
 * and its item keeps neither (metricsLength is set when the chunk's records are put).
 */
function runOne(task: TaskSpec): ChunkItem {
  try {
    const scenario = data.scenarios[task.point];
    if (scenario == null) throw new Error(`Expected the scenario of point ${task.point} in this worker, got none`);
    const result = executeTask(scenario, data, task, data);
    let keys: MetricKey[] | null = result.keys;
    if (keysSent.has(task.point)) keys = null;
    else keysSent.add(task.point);
    keepValues(result.values);
    records.add(result.metricsCsv);
    return {
      keys, valueCount: result.values.length, metricsLength: 0, eventsProcessed: result.eventsProcessed, traceCsv: result.traceCsv,
      timeseriesCsv: result.timeseriesCsv,
    };
  } catch (err) {
    return err instanceof Error ? { error: err.message, stack: err.stack } : { error: String(err), stack: undefined };
  }
}

export default function runChunk(tasks: TaskSpec[]): ReturnType<typeof move> {
  records.clear();
  chunkValueCount = 0;
  const items = tasks.map(runOne);
  // Its own ArrayBuffer: moved to the main thread.
  const values = chunkValues.slice(0, chunkValueCount);
  const slot = ring?.put(records.view()) ?? null;
  const lengths = slot !== null ? records.byteLengths : records.unitLengths;
  let t = 0;
  for (const item of items) if (!('error' in item)) item.metricsLength = lengths[t++]!;
  const metrics = slot !== null || records.bytes === 0 ? '' : records.text();
  const result: ChunkResult = { items, values, metrics, ring: slot?.ring ?? null, ringStart: slot?.start ?? 0, ringId: threadId };
  return move({ [transferableSymbol]: [values.buffer], [valueSymbol]: result });
}
