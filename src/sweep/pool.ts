// Runs a list of tasks, in-process (workers = 1) or on a piscina pool of worker threads, and
// hands every outcome to the caller in task-list order whatever order they finish in: results
// that finish early wait in a map until the tasks before them are done, so memory holds only
// the out-of-order ones. A failing task does not stop the others; its outcome carries a
// TaskError with the point, replication and seed that reproduce it.

import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import type { Scenario } from '../scenario/model.js';
import { taskSlice, tasksFrom, type Task, type TaskList } from './tasks.js';
import { TaskError } from './run.js';
import { executeTask, type CsvContext, type MetricKey, type TaskSpec } from './execute.js';
import type { ChunkResult, ChunkTask, WorkerData } from './worker.js';
import { MetricsRingReader, type RingRegion } from './metrics-ring.js';
import { inlineV8BackgroundWork, tuneGarbageCollector } from './gc-tuning.js';

export interface PoolInput extends CsvContext {
  /** Indexed by point. */
  scenarios: Scenario[];
  /** In output order. */
  tasks: TaskList;
  /**
   * 1 = in-process; more = worker threads (capped at the number of tasks); 'auto' = the
   * available cores, unless the run is too short to pay for starting them (see AUTO_PROBE_MS).
   */
  workers: number | 'auto';
  trace: boolean;
  /** Produce timeseries.csv records (default true; `compare` writes none). */
  timeseries?: boolean;
  /** Produce metrics.csv records (default true; `compare` reads only the values). */
  metricsCsv?: boolean;
  /**
   * Aborting it (Ctrl-C) stops the run promptly: no further task starts, running worker threads
   * are terminated, and no further outcome is reported; runTasks then returns.
   */
  signal?: AbortSignal;
  /** The run's --seed, when given: a failed task's re-run hint repeats it (TaskError). */
  seedFlag?: number;
}

export type TaskOutcome =
  | {
      ok: true; task: Task; keys: MetricKey[]; values: Float64Array; eventsProcessed: number;
      /**
       * The task's metrics.csv records: text, or UTF-8 bytes from a worker thread's ring
       * (metrics-ring.ts) that are valid only until onOutcome returns (slice() them to keep them).
       */
      metricsCsv: string | Uint8Array;
      traceCsv: string; timeseriesCsv: string;
    }
  | { ok: false; task: Task; error: TaskError };

export interface PoolCallbacks {
  /** Called once per task, in task-list order. */
  onOutcome(outcome: TaskOutcome): void;
  /** Called as each task finishes (any order): progress. */
  onDone?(done: number, total: number): void;
}

/** The default of --workers: the cores this process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** The number of threads a run of `tasks` tasks uses for `--workers N`. */
export function effectiveWorkers(requested: number, tasks: number): number {
  return Math.max(1, Math.min(requested, tasks));
}

/**
 * With the default --workers, the first tasks run in-process for up to this long (a probe), and
 * their pace decides whether the rest goes to worker threads (threadsPayOff). One cold task, as
 * this used to time, cost several times a warm one, so every run looked long: 200 replications
 * of web-under-failures went to two threads and took 1.24 s instead of 0.79 s in-process.
 */
export const AUTO_PROBE_MS = 1000;

/**
 * Wall time worker threads cost beyond their share of the work: starting them and loading the
 * modules (~0.2 s), then each warming V8 up again (its first ~2,000 replications of
 * web-under-failures take 1.2-1.4 s longer than at its warm pace: interpreted code and V8
 * compiling the hot code on the thread itself). Measured on 2 cores (results/BENCHMARKS.md):
 * 1.6 s more than the steady rate predicts, at 20,000 and at 100,000 replications alike, against
 * 0.6 s in-process.
 */
export const THREAD_WARMUP_MS = 1600;

/** Parallel efficiency of warm threads (0.97 measured on 2 cores; margin for more threads). */
const WARM_EFFICIENCY = 0.95;

/**
 * With the default --workers: whether `threads` worker threads would finish work that takes
 * `remainingMs` in-process sooner than this thread would, counting their start and warm-up.
 * On 2 threads that needs more than ~3.4 s of remaining work, on 16 more than ~1.7 s.
 */
export function threadsPayOff(remainingMs: number, threads: number): boolean {
  return threads > 1 && remainingMs > remainingMs / (WARM_EFFICIENCY * threads) + THREAD_WARMUP_MS;
}

/**
 * Runs the tasks; returns the number of threads used (1 = in-process). With `shared`, worker
 * threads are taken from it (started by the first call that needs them, at that call's count)
 * and left running for the next call; without, they are started and stopped here.
 */
export async function runTasks(input: PoolInput, cb: PoolCallbacks, shared?: SharedThreads): Promise<number> {
  tuneGarbageCollector(); // many short replications: see gc-tuning.ts
  const total = input.tasks.length;
  let first = 0;
  let workers: number;
  if (input.workers === 'auto') {
    workers = effectiveWorkers(defaultWorkers(), total);
    if (workers > 1 && shared?.started !== true) {
      // The probe: tasks in-process for up to AUTO_PROBE_MS; the pace of its last quarter
      // (the warmest) estimates what the rest would take here.
      const t0 = performance.now();
      const doneAt: number[] = []; // doneAt[i]: when probe task i finished
      first = await runInProcess(input, cb, 0, total, () => {
        const now = performance.now();
        doneAt.push(now);
        return now - t0 < AUTO_PROBE_MS;
      });
      if (first === total || input.signal?.aborted === true) return 1;
      const last = doneAt.length - 1;
      const end = doneAt[last]!;
      // The first task to finish in the last quarter; the pace is over the tasks after it (over
      // the whole probe when only the last task finished there).
      const k = doneAt.findIndex((t) => t >= t0 + 0.75 * (end - t0));
      const paceMs = k < last ? (end - doneAt[k]!) / (last - k) : (end - t0) / doneAt.length;
      workers = threadsPayOff(paceMs * (total - first), workers) ? effectiveWorkers(workers, total - first) : 1;
    }
  } else {
    workers = effectiveWorkers(input.workers, total);
  }
  if (workers === 1) {
    await runInProcess(input, cb, first, total, () => true);
    return 1;
  }
  const threads = shared?.get(input, workers) ?? new Threads(input, workers, pointsOf(input.tasks));
  try {
    await runOnThreads({ ...input, tasks: tasksFrom(input.tasks, first) }, threads, first, total, cb);
  } finally {
    if (shared === undefined) await threads.destroy();
  }
  return threads.count;
}

/**
 * Runs tasks [from, to) in-process, in order, while `more()` (asked after each task) is true;
 * returns the position of the first task not run. Yields to the event loop between tasks so
 * that a signal (Ctrl-C) is handled after the task it arrives in (a few microseconds per task).
 */
async function runInProcess(input: PoolInput, cb: PoolCallbacks, from: number, to: number, more: () => boolean): Promise<number> {
  let i = from;
  while (i < to) {
    if (i > from) await new Promise<void>((resolve) => setImmediate(resolve));
    if (input.signal?.aborted === true) break;
    cb.onOutcome(inProcess(input, input.tasks.at(i)));
    i++; // not inside onDone?.(...): an absent callback skips its arguments too
    cb.onDone?.(i, to);
    if (!more()) break;
  }
  return i;
}

/** The points `tasks` has tasks of. */
function pointsOf(tasks: TaskList): Set<number> {
  const points = new Set<number>();
  for (let i = 0; i < tasks.length; i++) points.add(tasks.at(i).point);
  return points;
}

/**
 * Worker threads kept across several runTasks calls: `--target-ci` runs its batches on the same
 * threads, so each thread loads the scenario and warms its JIT up once, not once per batch
 * (40 batches of 500 replications with --workers 2 took 53.8 s with new threads per batch, 12.9 s
 * in-process). Every point's scenario is shipped, since later calls may run any. destroy() when done.
 */
export class SharedThreads {
  private threads: Threads | null = null;

  /** Threads were started by an earlier call: later calls use them without probing. */
  get started(): boolean {
    return this.threads !== null;
  }

  /** The threads, started on first use with `workers` of them. */
  get(input: PoolInput, workers: number): Threads {
    this.threads ??= new Threads(input, workers, null);
    return this.threads;
  }

  async destroy(): Promise<void> {
    await this.threads?.destroy();
    this.threads = null;
  }
}

/** A piscina pool of worker threads and what the main thread keeps about them. */
class Threads {
  readonly count: number;
  /**
   * Metric keys by point. A thread sends a point's keys with its first result for that point
   * (in whichever run), and its later results arrive after that one (one thread's messages keep
   * their order).
   */
  readonly keysByPoint = new Map<number, MetricKey[]>();
  private readonly pool: Piscina;
  /** Each thread's metrics ring, by thread id: kept as long as the threads. */
  private readonly rings = new Map<number, MetricsRingReader>();
  /** Set once the threads are being stopped (stop() or destroy()). */
  private stopped: Promise<void> | null = null;
  private error: unknown = null;

  /** `points`: the points whose scenarios the threads get (null: all). */
  constructor(input: PoolInput, workers: number, points: Set<number> | null) {
    this.count = workers;
    const workerData: WorkerData = {
      scenarioName: input.scenarioName,
      paramNames: input.paramNames,
      pointParams: input.pointParams,
      scenarios: input.scenarios.map((s, p) => (points === null || points.has(p) ? s : null)),
      trace: input.trace,
      timeseries: input.timeseries ?? true,
      metricsCsv: input.metricsCsv ?? true,
    };
    inlineV8BackgroundWork(workers); // threads that fill the cores: see gc-tuning.ts
    this.pool = new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: workers,
      maxThreads: workers,
      // Each thread holds IN_FLIGHT_PER_THREAD chunks: one running, the next already in its
      // message port, so it starts that one without waiting for the main thread (see runOnThreads).
      concurrentTasksPerWorker: IN_FLIGHT_PER_THREAD,
      idleTimeout: 60_000,
      workerData,
    });
    // The pool's own 'error' events. After a stop (Ctrl-C) they are expected and ignored: a result
    // a thread had already posted can arrive for a task the stopped pool no longer knows
    // ("Unexpected message from Worker"). Any other is raised once the run's tasks are settled
    // (takeError) rather than crashing the process.
    this.pool.on('error', (err: unknown) => {
      if (this.stopped === null) this.error ??= err;
    });
  }

  /**
   * Runs one chunk. Callers never have more than count x IN_FLIGHT_PER_THREAD chunks out, so
   * piscina hands each to a thread at once and never queues one: chunks start in the order they
   * are run. (piscina's own queue does not keep that order. Chunks with an abort signal that
   * found every thread busy went to a queue it serves last in, first out, so the first chunks
   * queued ran last: every result after them waited, up to 19,616 of 20,000 tasks at once,
   * holding their metrics.csv records, and the threads' rings filled up.)
   */
  run(specs: TaskSpec[]): Promise<ChunkResult> {
    return this.pool.run(specs) as Promise<ChunkResult>;
  }

  /**
   * Stops the threads now (Ctrl-C): running chunks end where they are, and every chunk not
   * finished rejects. The threads cannot be used again.
   */
  stop(): Promise<void> {
    this.stopped ??= this.pool.destroy();
    return this.stopped;
  }

  /** The reader of thread `id`'s metrics ring (`ring`, as its first message to carry it sent it). */
  ringReader(id: number, ring: SharedArrayBuffer): MetricsRingReader {
    let r = this.rings.get(id);
    if (r === undefined) this.rings.set(id, (r = new MetricsRingReader(ring)));
    return r;
  }

  /** The pool's error since the last call, or null. */
  takeError(): unknown {
    const err = this.error;
    this.error = null;
    return err;
  }

  destroy(): Promise<void> {
    return this.stop();
  }
}

/** The tasks on the threads; `before` tasks of `grandTotal` were done already (progress). */
async function runOnThreads(input: PoolInput, threads: Threads, before: number, grandTotal: number, cb: PoolCallbacks): Promise<void> {
  const total = input.tasks.length;
  const workers = threads.count;
  const keysByPoint = threads.keysByPoint;
  /** Outcomes that finished before the tasks ahead of them, with the ring region of their bytes. */
  const waiting = new Map<number, { outcome: TaskOutcome; region: RingRegion | null }>();
  let next = 0;
  let done = before;
  const signal = input.signal;
  const aborted = (): boolean => signal?.aborted === true;
  /** A task's outcome; with `region`, its records' bytes are there, done with once it is handed on. */
  const arrive = (pos: number, outcome: TaskOutcome, region: RingRegion | null = null): void => {
    if (aborted()) return;
    cb.onDone?.(++done, grandTotal);
    waiting.set(pos, { outcome, region });
    for (let w = waiting.get(next); w !== undefined; w = waiting.get(next)) {
      waiting.delete(next);
      next++;
      cb.onOutcome(w.outcome);
      w.region?.done();
      // onOutcome may have aborted the run (Ctrl-C, or the interrupt test hook): no further outcome.
      if (aborted()) return;
    }
  };
  /** One task of a chunk; `values` and `metrics` are its parts of the chunk's blocks. */
  const receive = (pos: number, task: Task, item: ChunkTask, values: Float64Array, metrics: string | Uint8Array, region: RingRegion | null): void => {
    if (item.keys !== null) keysByPoint.set(task.point, item.keys);
    const keys = keysByPoint.get(task.point);
    if (keys === undefined || keys.length !== values.length) {
      const cause = new Error(`Expected ${keys?.length ?? 'known'} metric keys for point ${task.point}, got ${values.length} values`);
      arrive(pos, { ok: false, task, error: failed(input, task, cause) }, region);
      return;
    }
    const outcome: TaskOutcome = {
      ok: true, task, keys, values, eventsProcessed: item.eventsProcessed, metricsCsv: metrics, traceCsv: item.traceCsv, timeseriesCsv: item.timeseriesCsv,
    };
    arrive(pos, outcome, region);
  };
  /** A chunk's results, from task `from` on: unpacked into one outcome per task. */
  const receiveChunk = (from: number, tasks: Task[], chunk: ChunkResult): void => {
    const ring = chunk.ring !== null ? threads.ringReader(chunk.ringId, chunk.ring) : null;
    let region: RingRegion | null = null;
    if (ring !== null) {
      let length = 0;
      let tasksIn = 0;
      for (const item of chunk.items) {
        if ('error' in item) continue;
        length += item.metricsLength;
        tasksIn++;
      }
      region = ring.region((chunk.ringStart + length) | 0, tasksIn);
    }
    let at = chunk.ringStart; // ring position of the next task's records
    let v = 0;
    let m = 0;
    chunk.items.forEach((item, i) => {
      const task = tasks[i]!;
      if ('error' in item) {
        const cause = new Error(item.error);
        if (item.stack !== undefined) cause.stack = item.stack;
        arrive(from + i, { ok: false, task, error: failed(input, task, cause) });
        return;
      }
      const values = chunk.values.subarray(v, (v += item.valueCount));
      if (ring === null) {
        receive(from + i, task, item, values, chunk.metrics.slice(m, (m += item.metricsLength)), null);
        return;
      }
      const bytes = ring.bytes(at, item.metricsLength);
      at = (at + item.metricsLength) | 0;
      receive(from + i, task, item, values, bytes, region);
    });
  };

  // Consecutive tasks go out in chunks: a replication can take a few milliseconds, less than
  // the round trip of a message. About 8 chunks per thread keep the threads evenly loaded. At most
  // IN_FLIGHT_PER_THREAD chunks per thread are out at a time (the next goes out as one is
  // received), each handed to a thread at once and started in task order, so memory holds a few
  // chunks' tasks and results whatever the run's length.
  const size = chunkSize(total, workers);
  let nextFrom = 0;
  /** The next chunk of consecutive tasks, or null when none is left (or the run is aborted). */
  const take = (): { from: number; tasks: Task[] } | null => {
    if (nextFrom >= total || signal?.aborted === true) return null;
    const from = nextFrom;
    nextFrom += size;
    return { from, tasks: taskSlice(input.tasks, from, from + size) };
  };
  // A pool lane submits its next chunk when its previous one has been received.
  const poolLane = async (): Promise<void> => {
    for (let c = take(); c !== null; c = take()) {
      const { from, tasks } = c;
      const specs: TaskSpec[] = tasks.map((t) => ({ point: t.point, replication: t.replication, seed: t.seed }));
      await threads.run(specs).then(
        (chunk) => receiveChunk(from, tasks, chunk),
        // The worker itself died (out of memory, a native crash): every task of the chunk failed.
        (err: unknown) => tasks.forEach((t, i) => arrive(from + i, { ok: false, task: t, error: failed(input, t, err) })),
      );
    }
  };
  // Ctrl-C: the threads stop at once; the chunks out reject, and arrive() ignores them.
  const stop = (): void => void threads.stop();
  signal?.addEventListener('abort', stop);
  try {
    await Promise.all(Array.from({ length: workers * IN_FLIGHT_PER_THREAD }, poolLane));
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  const err = threads.takeError();
  if (err !== null) throw err;
}

/**
 * Chunks out per thread: one running and the next in its message port, so that a thread goes
 * from one chunk to the next without waiting for the main thread to collect the first and send
 * another (40,000 replications on 2 threads: 0.31-0.34 s of a thread's 8.7 s went between
 * chunks with one each, 0.19-0.23 s with two).
 */
const IN_FLIGHT_PER_THREAD = 2;

/**
 * The most tasks per message. Each message costs the main thread ~150 µs of piscina's
 * bookkeeping (its task record, the structured clone of the specs) whatever
 * its size: with 32 tasks that was ~5 µs per task of the ~33 µs the main thread spends on each,
 * and the main thread's rate bounds a many-core run. 128 tasks of web-under-failures are ~50 ms
 * of work and ~730 KB of metrics.csv records per message.
 */
const MAX_CHUNK = 128;

/** Tasks per message: total / (8 x threads), between 1 and MAX_CHUNK. */
export function chunkSize(total: number, workers: number): number {
  return Math.max(1, Math.min(MAX_CHUNK, Math.floor(total / (workers * 8))));
}

/** The error of a task that threw: what reproduces it, --seed included. */
function failed(input: PoolInput, task: Task, cause: unknown): TaskError {
  return new TaskError(task.point, task.replication, task.seed, cause, undefined, input.seedFlag);
}

function inProcess(input: PoolInput, task: Task): TaskOutcome {
  try {
    const r = executeTask(input.scenarios[task.point]!, input, task, input);
    return {
      ok: true, task, keys: r.keys!, values: r.values, eventsProcessed: r.eventsProcessed, metricsCsv: r.metricsCsv, traceCsv: r.traceCsv,
      timeseriesCsv: r.timeseriesCsv,
    };
  } catch (err) {
    return { ok: false, task, error: failed(input, task, err) };
  }
}
