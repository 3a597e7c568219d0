// One task, run where it is (in-process or inside a pool worker), returned as a compact record:
// the metric values of the replication in one Float64Array, their keys (subject kind, subject,
// metric) beside them, and the task's metrics.csv and events.csv records as CSV text (formatted
// where the task ran, so the main thread only appends), and, when the scenario asks for it, its
// timeseries.csv records: the simulation keeps them as numbers (sim/metrics/timeseries.ts) and
// they are formatted here, off the main thread. Nothing is sent per event.

import { stringify } from 'csv-stringify/sync';
import type { Scenario } from '../scenario/model.js';
import { runReplication } from '../sim/simulation.js';
import type { MetricRecord } from '../sim/metrics/recorder.js';
import { formatNumber } from '../output/format.js';
import { CSV_OPTIONS } from '../output/csv.js';
import { metricsCsvOf, timeseriesCsvOf } from './csv-records.js';

export { metricsCsvOf, timeseriesCsvOf } from './csv-records.js';

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
  /** metrics.csv records of this task, header excluded ('' when not asked for). */
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

/** The last key list built per scenario point: every replication of a point has the same keys. */
const keysByScenario = new WeakMap<Scenario, MetricKey[]>();

/**
 * The metric keys of a replication's records: the cached list of its scenario point when the
 * records match it key for key (they do, but nothing is assumed), a new list otherwise. One list
 * per point keeps the per-task work and garbage down and lets metricsCsvOf reuse its escaped
 * text.
 */
function metricKeys(scenario: Scenario, metrics: MetricRecord[]): MetricKey[] {
  const cached = keysByScenario.get(scenario);
  if (cached !== undefined && cached.length === metrics.length && cached.every((k, i) => sameKey(k, metrics[i]!))) return cached;
  const keys = metrics.map((m) => ({ subjectKind: m.subjectKind, subject: m.subject, metric: m.metric }));
  keysByScenario.set(scenario, keys);
  return keys;
}

function sameKey(k: MetricKey, m: MetricRecord): boolean {
  return k.subjectKind === m.subjectKind && k.subject === m.subject && k.metric === m.metric;
}

/** What a task formats besides its metric values. */
export interface TaskOutputs {
  /** events.csv records (`--trace`). */
  trace: boolean;
  /** timeseries.csv records, where the scenario asks for them (default true). */
  timeseries?: boolean;
  /** metrics.csv records (default true; `compare` reads only the values). */
  metricsCsv?: boolean;
}

export function executeTask(scenario: Scenario, ctx: CsvContext, task: TaskSpec, outputs: TaskOutputs): TaskResult {
  const { trace, timeseries = true, metricsCsv = true } = outputs;
  if (FAIL_TASKS.has(`${task.point}:${task.replication}`)) throw new Error('injected failure (KUBESIM_TEST_FAIL_TASKS)');
  const r = runReplication(scenario, task.seed, { trace, timeseries });
  const keys = metricKeys(scenario, r.metrics);
  const values = new Float64Array(r.metrics.length);
  for (let i = 0; i < values.length; i++) values[i] = r.metrics[i]!.value;
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
  return {
    keys, values, eventsProcessed: r.eventsProcessed, metricsCsv: metricsCsv ? metricsCsvOf(ctx, task, keys, values) : '', traceCsv, timeseriesCsv,
  };
}
