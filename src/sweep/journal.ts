// The resumable record of a run in progress: <out>/.partial/tasks.jsonl (the shard-file format
// of shard-file.ts: a header, then one line per finished task, in task order, with its exact
// metric values, as base64 of their bytes) and, with --trace, <out>/.partial/events.csv (those tasks' events.csv records,
// header excluded), and with `output.timeseries`, <out>/.partial/timeseries.csv (likewise). Lines are appended as tasks finish in order, so after an interruption
// (Ctrl-C) the file holds a prefix of the task list; `run --resume` replays that prefix through
// the same ResultWriter and runs the rest, giving the bytes of an uninterrupted run. The
// folder is removed once the run's files are in place.
//
// Lines are buffered and written at most FLUSH_MS apart (or every FLUSH_CHARS), not one write(2)
// per task: a task of a small scenario takes under half a millisecond, and its own system call
// cost the main thread 2% of an in-process run. close() (Ctrl-C, a failure) writes what is
// buffered; a process killed outright loses what was held back, at most the tasks that finished
// within a second before the latest one (a slow task is written as soon as it finishes), which
// --resume runs again. Each flush writes a task's events and samples before its line, so the
// files still hold a prefix of the task list.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { describeInputs, headerLine, parseShardFile, taskLine, type ParsedShard, type ShardHeader } from './shard-file.js';
import type { MetricKey } from './execute.js';
import type { Task, TaskList } from './tasks.js';

export const PARTIAL_DIR = '.partial';
const TASKS = 'tasks.jsonl';
const EVENTS = 'events.csv';
const TIMESERIES = 'timeseries.csv';
/** Longest time (ms) a finished task waits in the buffer before it is written. */
const FLUSH_MS = 1000;
/** Buffered characters (all three files) that trigger a write regardless of time. */
const FLUSH_CHARS = 1 << 16;

/** A .partial record that is not of this run (another scenario, --set, seed, replications, shard or --trace). */
export class JournalMismatch extends Error {}

export type JournalHeader = Omit<ShardHeader, 'format'>;
export type JournalTask = ParsedShard['tasks'][number] & { traceCsv: string; timeseriesCsv: string };

/**
 * The finished tasks recorded under outDir, checked against this run (`header`, and `tasks`, the
 * selected task list, of which they must be a prefix); [] when there is no record. A last line
 * cut short (the process killed mid-write) is dropped. The record must be of the same run (the
 * header's fields, inputsHash included: identity.ts) and made with the same --trace, since a
 * record without events cannot give an events.csv, nor one with events a run without.
 */
export function readJournal(outDir: string, header: JournalHeader, tasks: TaskList): JournalTask[] {
  const file = join(outDir, PARTIAL_DIR, TASKS);
  if (!existsSync(file)) return [];
  let text = readFileSync(file, 'utf8');
  text = text.slice(0, text.lastIndexOf('\n') + 1);
  if (text === '') return [];
  let parsed: ParsedShard;
  try {
    parsed = parseShardFile(text, file);
  } catch (err) {
    throw new JournalMismatch(err instanceof Error ? err.message : String(err));
  }
  const h = parsed.header;
  if (h.inputsHash === undefined) {
    throw new JournalMismatch(
      `${file}: recorded by an earlier kubesim-des, without the run's --set overrides and policy modules (inputsHash), so it cannot be ` +
        'checked against this run. Run without --resume to start over',
    );
  }
  const { trace: recordedTrace, ...recorded } = h;
  const { trace: wantTrace, ...wanted } = { ...header, format: h.format };
  if (JSON.stringify(sorted(recorded)) !== JSON.stringify(sorted(wanted))) {
    const onlyInputs = JSON.stringify(sorted({ ...recorded, inputsHash: '' })) === JSON.stringify(sorted({ ...wanted, inputsHash: '' }));
    throw new JournalMismatch(
      `${file}: recorded for another run (${describeRun(h)}); expected ${describeRun(header)}` +
        (onlyInputs ? ' (the same scenario and manifests, but other --set overrides or policy module contents)' : '') +
        '. Run with the same scenario and flags, or without --resume to start over',
    );
  }
  const trace = wantTrace === true;
  if ((recordedTrace === true) !== trace) {
    throw new JournalMismatch(
      `${file}: recorded ${recordedTrace === true ? 'with' : 'without'} --trace; resume with the same flags (${recordedTrace === true ? 'with' : 'without'} --trace), ` +
        'or run without --resume to start over',
    );
  }
  const eventsPath = join(outDir, PARTIAL_DIR, EVENTS);
  const events = trace && existsSync(eventsPath) ? readFileSync(eventsPath, 'utf8') : '';
  const tsPath = join(outDir, PARTIAL_DIR, TIMESERIES);
  const series = header.timeseries === true && existsSync(tsPath) ? readFileSync(tsPath, 'utf8') : '';
  const out: JournalTask[] = [];
  let offset = 0;
  let tsOffset = 0;
  for (const [i, t] of parsed.tasks.entries()) {
    const want = i < tasks.length ? tasks.at(i) : undefined;
    if (want === undefined || want.index !== t.task || want.seed !== t.seed) {
      throw new JournalMismatch(`${file}:${i + 2}: expected task ${want?.index ?? '(none)'}, got task ${t.task}`);
    }
    // This task's events or samples not all recorded (killed between the writes): run it again.
    if (offset + t.traceChars > events.length) break;
    if (tsOffset + t.timeseriesChars > series.length) break;
    out.push({ ...t, traceCsv: events.slice(offset, offset + t.traceChars), timeseriesCsv: series.slice(tsOffset, tsOffset + t.timeseriesChars) });
    offset += t.traceChars;
    tsOffset += t.timeseriesChars;
  }
  return out;
}

/** A record's run, for messages: "scenario S, hash H, inputs I, seed N, R replications, shard I/N". */
function describeRun(h: JournalHeader): string {
  return `${describeInputs(h)}, ${h.replications} replications, shard ${h.shard.index}/${h.shard.count}`;
}

function sorted(o: object): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Appends finished tasks to <out>/.partial; starts from `kept` (the tasks a resume replays). */
export class Journal {
  private readonly tasksFd: number;
  private readonly eventsFd: number | null;
  private readonly timeseriesFd: number | null;
  private readonly keysWritten = new Set<number>();
  private closed = false;
  /** Buffered text per file, written by flush(). */
  private tasksText = '';
  private eventsText = '';
  private timeseriesText = '';
  private lastFlush = performance.now();

  /** `header.trace`: also record each task's events.csv records. */
  constructor(
    private readonly outDir: string,
    header: JournalHeader,
    kept: JournalTask[],
  ) {
    const dir = join(outDir, PARTIAL_DIR);
    mkdirSync(dir, { recursive: true });
    // Rewritten from what is kept: drops a cut-short line, or a record this run starts over.
    let text = headerLine(header);
    let events = '';
    let series = '';
    for (const t of kept) {
      text += this.line(t, t.keys, t.values, t.events, t.traceCsv.length, t.timeseriesCsv.length);
      events += t.traceCsv;
      series += t.timeseriesCsv;
    }
    writeFileSync(join(dir, TASKS), text);
    this.tasksFd = openSync(join(dir, TASKS), 'a');
    if (header.trace === true) {
      writeFileSync(join(dir, EVENTS), events);
      this.eventsFd = openSync(join(dir, EVENTS), 'a');
    } else {
      rmSync(join(dir, EVENTS), { force: true });
      this.eventsFd = null;
    }
    if (header.timeseries === true) {
      writeFileSync(join(dir, TIMESERIES), series);
      this.timeseriesFd = openSync(join(dir, TIMESERIES), 'a');
    } else {
      rmSync(join(dir, TIMESERIES), { force: true });
      this.timeseriesFd = null;
    }
  }

  private line(
    task: { task?: number; index?: number; point: number; replication: number; seed: number }, keys: MetricKey[], values: Float64Array,
    events: number, traceChars: number, timeseriesChars: number,
  ): string {
    const first = !this.keysWritten.has(task.point);
    this.keysWritten.add(task.point);
    const index = task.index ?? task.task!;
    const t = { index, point: task.point, replication: task.replication, seed: task.seed };
    return taskLine(t, events, traceChars, first ? keys : null, values, timeseriesChars, true); // values as base64 (shard-file.ts)
  }

  /** Records one finished task (tasks in task order); written within FLUSH_MS, or by close(). */
  add(task: Task, keys: MetricKey[], values: Float64Array, events: number, traceCsv: string, timeseriesCsv = ''): void {
    if (this.eventsFd !== null) this.eventsText += traceCsv;
    const ts = this.timeseriesFd !== null ? timeseriesCsv : '';
    this.timeseriesText += ts;
    this.tasksText += this.line(task, keys, values, events, traceCsv.length, ts.length);
    const now = performance.now();
    if (now - this.lastFlush >= FLUSH_MS || this.tasksText.length + this.eventsText.length + this.timeseriesText.length >= FLUSH_CHARS) {
      this.flush();
      this.lastFlush = now;
    }
  }

  /** Writes the buffered tasks: events and samples first, then the lines that count them. */
  private flush(): void {
    if (this.eventsText.length > 0) writeSync(this.eventsFd!, this.eventsText);
    if (this.timeseriesText.length > 0) writeSync(this.timeseriesFd!, this.timeseriesText);
    if (this.tasksText.length > 0) writeSync(this.tasksFd, this.tasksText);
    this.eventsText = '';
    this.timeseriesText = '';
    this.tasksText = '';
  }

  /** Writes what is buffered and closes the files. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.tasksFd);
    if (this.eventsFd !== null) closeSync(this.eventsFd);
    if (this.timeseriesFd !== null) closeSync(this.timeseriesFd);
  }

  /** The run's files are in place: the record is no longer needed. */
  remove(): void {
    this.close();
    rmSync(join(this.outDir, PARTIAL_DIR), { recursive: true, force: true });
  }
}
