// One task, run where it is (in-process or inside a pool worker), returned as a compact record:
// the metric values of the replication in one Float64Array, their keys (subject kind, subject,
// metric) beside them, and the task's metrics.csv and events.csv records as CSV text (formatted
// where the task ran, so the main thread only appends), and, when the scenario asks for it, its
// timeseries.csv records: the simulation keeps them as numbers (sim/metrics/timeseries.ts) and
// they are formatted here, off the main thread. Nothing is sent per event.

import { stringify } from 'csv-stringify/sync';
import type { Scenario } from '../scenario/model.js';
import { runReplication } from '../sim/simulation.js';
import type { TimeseriesData } from '../sim/metrics/timeseries.js';
import { formatNumber } from '../output/format.js';
import { CSV_OPTIONS, metricsRecord } from '../output/csv.js';

/** What identifies one metric of a replication; the same list for every replication of a point. */
export interface MetricKey {
  subjectKind: string;
  subject: string;
  metric: string;
}

/** The part of a Task a worker needs. */
export interface TaskSpec {
  point: number;
  replication: number;
  seed: number;
}

/** What the CSV records of a task need besides the task. */
export interface CsvContext {
  scenarioName: string;
  paramNames: string[];
  /** Swept parameter values, indexed by point. */
  pointParams: string[][];
}

export interface TaskResult {
  /** The metric keys, aligned with `values`; null when this worker already sent them for the point. */
  keys: MetricKey[] | null;
  values: Float64Array;
  eventsProcessed: number;
  /** metrics.csv records of this task, header excluded. */
  metricsCsv: string;
  /** events.csv records of this task, header excluded ('' without tracing). */
  traceCsv: string;
  /** timeseries.csv records of this task, header excluded ('' without `output.timeseries`). */
  timeseriesCsv: string;
}

/** events.csv header (SPEC section 4). */
export const EVENTS_HEADER = ['scenario', 'point', 'replication', 'time_s', 'event', 'node', 'pod', 'workload', 'detail'];

/** timeseries.csv header (SPEC section 4). */
export const TIMESERIES_HEADER = ['scenario', 'point', 'replication', 'time_s', 'subject_kind', 'subject', 'metric', 'value'];

/**
 * Test hook: KUBESIM_TEST_FAIL_TASKS="0:1,2:0" makes those (point:replication) tasks throw, so
 * the failure path (finish the others, report each, exit 1) is tested end to end. Read once.
 */
const FAIL_TASKS = new Set((process.env.KUBESIM_TEST_FAIL_TASKS ?? '').split(',').filter((s) => s !== ''));

/** `timeseries`: format the samples (false where no timeseries.csv is written, as in `compare`). */
export function executeTask(scenario: Scenario, ctx: CsvContext, task: TaskSpec, trace: boolean, timeseries = true): TaskResult {
  if (FAIL_TASKS.has(`${task.point}:${task.replication}`)) throw new Error('injected failure (KUBESIM_TEST_FAIL_TASKS)');
  const r = runReplication(scenario, task.seed, { trace, timeseries });
  const keys: MetricKey[] = new Array(r.metrics.length);
  const values = new Float64Array(r.metrics.length);
  r.metrics.forEach((m, i) => {
    keys[i] = { subjectKind: m.subjectKind, subject: m.subject, metric: m.metric };
    values[i] = m.value;
  });
  let traceCsv = '';
  if (trace && r.trace.length > 0) {
    const point = String(task.point);
    const rep = String(task.replication);
    traceCsv = stringify(
      r.trace.map((t) => [ctx.scenarioName, point, rep, formatNumber(t.timeS), t.event, t.node, t.pod, t.workload, t.detail]),
      CSV_OPTIONS,
    );
  }
  const timeseriesCsv = timeseries && r.timeseries !== null ? timeseriesCsvOf(ctx.scenarioName, task, r.timeseries) : '';
  return { keys, values, eventsProcessed: r.eventsProcessed, metricsCsv: metricsCsvOf(ctx, task, keys, values), traceCsv, timeseriesCsv };
}

/**
 * The timeseries.csv records of one task, header excluded: time-major (sample times ascending),
 * then the series in registration order. The same bytes as csv-stringify of each row (a unit
 * test checks), built faster (a replication may have millions of samples): the constant fields
 * (scenario, series keys) are escaped once by csv-stringify, and formatNumber's output never
 * needs quoting (digits, '.', '-', '+', 'e', 'inf', '').
 */
export function timeseriesCsvOf(scenarioName: string, task: TaskSpec, ts: TimeseriesData): string {
  const head = `${csvField(scenarioName)},${formatNumber(task.point)},${formatNumber(task.replication)},`;
  const n = ts.keys.length;
  const tails = ts.keys.map((k) => `,${csvField(k.subjectKind)},${csvField(k.subject)},${csvField(k.metric)},`);
  const chunks: string[] = [];
  for (let i = 0; i < ts.timesS.length; i++) {
    const row = head + formatNumber(ts.timesS[i]!);
    let text = '';
    for (let k = 0; k < n; k++) text += `${row}${tails[k]!}${formatNumber(ts.values[i * n + k]!)}\n`;
    chunks.push(text);
  }
  return chunks.join('');
}

/** One CSV field as csv-stringify writes it (quoted only when it holds a comma, quote or line break). */
function csvField(v: string): string {
  return stringify([[v]], CSV_OPTIONS).slice(0, -1);
}

/** The metrics.csv records of one task (the one formatter of those rows: runs, shards, merge). */
export function metricsCsvOf(ctx: CsvContext, task: TaskSpec, keys: MetricKey[], values: Float64Array): string {
  const params = ctx.pointParams[task.point]!;
  const records: string[][] = new Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    records[k] = metricsRecord(ctx.scenarioName, ctx.paramNames, {
      point: task.point, params, replication: task.replication, seed: task.seed,
      subjectKind: key.subjectKind, subject: key.subject, metric: key.metric, value: values[k]!,
    });
  }
  return stringify(records, CSV_OPTIONS);
}
