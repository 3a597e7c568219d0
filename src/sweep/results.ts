// Writes a run's result files while tasks complete, in task order: metrics.csv rows, events.csv
// and timeseries.csv records stream to disk (atomic writers: nothing appears under the final name until
// commit). The values the summaries need and the seeds run.json lists go to a ValueSpill (a
// temporary file read back at the end, value-spill.ts), so memory does not grow with the number
// of replications. A shard also writes tasks.jsonl (exact values, for `merge`) and no
// summary.csv (a partial summary would read as the answer). abort() leaves no file behind.

import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { openAtomicWriter, writeFileAtomic, type AtomicWriter } from '../output/atomic-write.js';
import { CSV_OPTIONS, metricsHeader, summaryCsv, type SummaryRow } from '../output/csv.js';
import { summaryRow } from './run.js';
import { ValueSpill } from './value-spill.js';
import { EVENTS_HEADER, metricsCsvOf, TIMESERIES_HEADER, type MetricKey } from './execute.js';
import { headerLine, SHARD_FILE, taskLine, type ShardHeader } from './shard-file.js';
import type { Task } from './tasks.js';

/** One finished task, as the writer needs it. */
export interface TaskValues {
  task: Task;
  keys: MetricKey[];
  values: Float64Array;
  eventsProcessed: number;
  /** metrics.csv records, header excluded, when already formatted (by metricsCsvOf), as text or UTF-8 bytes. */
  metricsCsv?: string | Uint8Array;
  /** events.csv records, header excluded. */
  traceCsv: string;
  /** timeseries.csv records, header excluded ('' when the run writes none). */
  timeseriesCsv?: string;
}

export interface ResultWriterOptions {
  outDir: string;
  scenarioName: string;
  paramNames: string[];
  /** Swept parameter values, indexed by point. */
  pointParams: string[][];
  trace: boolean;
  /** Write timeseries.csv (a point of the scenario sets `output.timeseries`). */
  timeseries?: boolean;
  /** Set for a shard: its tasks.jsonl header. */
  shard?: Omit<ShardHeader, 'format'>;
}

export class ResultWriter {
  eventsProcessed = 0;
  private readonly metrics: AtomicWriter;
  private readonly events: AtomicWriter | null;
  private readonly timeseries: AtomicWriter | null;
  private readonly shardFile: AtomicWriter | null;
  /** Metric keys by point, in task order of the points. */
  private readonly keys = new Map<number, MetricKey[]>();
  private readonly spill: ValueSpill;
  private readonly shardKeysWritten = new Set<number>();

  constructor(private readonly o: ResultWriterOptions) {
    this.metrics = openAtomicWriter(join(o.outDir, 'metrics.csv'));
    this.events = o.trace ? openAtomicWriter(join(o.outDir, 'events.csv')) : null;
    this.timeseries = o.timeseries === true ? openAtomicWriter(join(o.outDir, 'timeseries.csv')) : null;
    this.shardFile = o.shard !== undefined ? openAtomicWriter(join(o.outDir, SHARD_FILE)) : null;
    try {
      this.metrics.write(stringify([metricsHeader(o.paramNames)], CSV_OPTIONS));
      this.events?.write(stringify([EVENTS_HEADER], CSV_OPTIONS));
      this.timeseries?.write(stringify([TIMESERIES_HEADER], CSV_OPTIONS));
      if (o.shard !== undefined) this.shardFile!.write(headerLine(o.shard));
      this.spill = new ValueSpill(); // last: nothing after it can fail and leave its folder behind
    } catch (err) {
      this.metrics.abort();
      this.events?.abort();
      this.timeseries?.abort();
      this.shardFile?.abort();
      throw err;
    }
  }

  /** Tasks added so far. */
  get tasks(): number {
    return this.spill.tasks;
  }

  /** Every added task's (point, replication, seed), in task order (run.json's seeds). */
  seeds(): Iterable<{ point: number; replication: number; seed: number }> {
    return this.spill.seeds();
  }

  /** Appends one task's results; tasks must come in task order. */
  add(t: TaskValues): void {
    const { task, keys, values } = t;
    const m = t.metricsCsv ?? metricsCsvOf(this.o, task, keys, values);
    if (typeof m === 'string') this.metrics.write(m);
    else this.metrics.writeBytes(m);
    if (this.events !== null && t.traceCsv.length > 0) this.events.write(t.traceCsv);
    const ts = this.timeseries !== null ? (t.timeseriesCsv ?? '') : '';
    if (ts.length > 0) this.timeseries!.write(ts);
    if (this.shardFile !== null) {
      const first = !this.shardKeysWritten.has(task.point);
      this.shardKeysWritten.add(task.point);
      this.shardFile.write(taskLine(task, t.eventsProcessed, t.traceCsv.length, first ? keys : null, values, ts.length));
    }
    if (!this.keys.has(task.point)) this.keys.set(task.point, keys);
    this.spill.append(task.point, task.replication, task.seed, values);
    this.eventsProcessed += t.eventsProcessed;
  }

  /** Summary rows: points in task order, metrics in the recorder's order. */
  summaryRows(): SummaryRow[] {
    const out: SummaryRow[] = [];
    let scratch = new Float64Array(0); // one sort buffer for every series, grown to the longest
    for (const point of this.spill.points) {
      const params = this.o.pointParams[point]!;
      const keys = this.keys.get(point)!;
      this.spill.forEachColumn(point, (k, values) => {
        if (scratch.length < values.length) scratch = new Float64Array(values.length);
        out.push(summaryRow({ point, params, ...keys[k]! }, values, scratch));
      });
    }
    return out;
  }

  /**
   * Writes summary.csv (not for a shard) and renames every file into place. The recorded values
   * stay readable (seeds() for run.json) until dispose().
   */
  async commit(): Promise<SummaryRow[]> {
    const rows = this.summaryRows();
    try {
      if (this.o.shard === undefined) {
        await writeFileAtomic(join(this.o.outDir, 'summary.csv'), summaryCsv(this.o.scenarioName, this.o.paramNames, rows));
      }
      await this.metrics.commit();
      await this.events?.commit();
      await this.timeseries?.commit();
      await this.shardFile?.commit();
    } catch (err) {
      this.abort();
      throw err;
    }
    return rows;
  }

  abort(): void {
    this.metrics.abort();
    this.events?.abort();
    this.timeseries?.abort();
    this.shardFile?.abort();
    this.spill.dispose();
  }

  /** Removes the recorded values (after run.json is written). */
  dispose(): void {
    this.spill.dispose();
  }
}
