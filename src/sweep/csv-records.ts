// The records of metrics.csv and timeseries.csv, formatted by hand for speed: a replication of a
// small scenario lasts about a millisecond, and csv-stringify on its ~40 metrics.csv rows cost
// about as much as a tenth of it. The bytes are csv-stringify's (unit tests compare them): the
// text fields (scenario, parameter values, subject kind, subject, metric) are escaped once, by
// csv-stringify itself, and kept; formatNumber's output never needs quoting (digits, '.', '-',
// '+', 'e', 'inf', '').

import { stringify } from 'csv-stringify/sync';
import { formatNumber } from '../output/format.js';
import { checkParams, CSV_OPTIONS } from '../output/csv.js';
import type { TimeseriesData } from '../sim/metrics/timeseries.js';
import type { CsvContext, MetricKey, TaskSpec } from './execute.js';

/** One CSV field as csv-stringify writes it (quoted only when it holds a comma, quote or line break). */
export function csvField(v: string): string {
  return stringify([[v]], CSV_OPTIONS).slice(0, -1);
}

/** Per context (one per run, worker or writer), per point: `scenario,point,<params>,` escaped. */
const headsByContext = new WeakMap<CsvContext, string[]>();
/** Per metric key list (one per point and worker): `,subject_kind,subject,metric,` escaped. */
const tailsByKeys = new WeakMap<MetricKey[], string[]>();

function pointHead(ctx: CsvContext, point: number): string {
  let heads = headsByContext.get(ctx);
  if (heads === undefined) headsByContext.set(ctx, (heads = []));
  let head = heads[point];
  if (head === undefined) {
    const params = ctx.pointParams[point]!;
    checkParams(params, ctx.paramNames, point);
    head = `${csvField(ctx.scenarioName)},${formatNumber(point)},${params.map((p) => `${csvField(p)},`).join('')}`;
    heads[point] = head;
  }
  return head;
}

/** `,subject_kind,subject,metric,` escaped: what follows the head of a record, before its value. */
function keyTail(k: MetricKey): string {
  return `,${csvField(k.subjectKind)},${csvField(k.subject)},${csvField(k.metric)},`;
}

function keyTails(keys: MetricKey[]): string[] {
  let tails = tailsByKeys.get(keys);
  if (tails === undefined) {
    tails = keys.map(keyTail);
    tailsByKeys.set(keys, tails);
  }
  return tails;
}

/**
 * The metrics.csv records of one task (the one formatter of those rows: runs, shards, merge):
 * scenario,point,<params>,replication,seed,subject_kind,subject,metric,value. The escaped text
 * is cached per context and per keys array, so callers should pass the same `keys` array for
 * every task of a point (executeTask does).
 */
export function metricsCsvOf(ctx: CsvContext, task: TaskSpec, keys: MetricKey[], values: Float64Array): string {
  const head = `${pointHead(ctx, task.point)}${formatNumber(task.replication)},${formatNumber(task.seed)}`;
  const tails = keyTails(keys);
  let text = '';
  for (let k = 0; k < keys.length; k++) text += `${head}${tails[k]!}${formatNumber(values[k]!)}\n`;
  return text;
}

/**
 * The timeseries.csv records of one task, header excluded: time-major (sample times ascending),
 * then the series in registration order.
 */
export function timeseriesCsvOf(scenarioName: string, task: TaskSpec, ts: TimeseriesData): string {
  const head = `${csvField(scenarioName)},${formatNumber(task.point)},${formatNumber(task.replication)},`;
  const n = ts.keys.length;
  const tails = ts.keys.map(keyTail);
  const chunks: string[] = [];
  for (let i = 0; i < ts.timesS.length; i++) {
    const row = head + formatNumber(ts.timesS[i]!);
    let text = '';
    for (let k = 0; k < n; k++) text += `${row}${tails[k]!}${formatNumber(ts.values[i * n + k]!)}\n`;
    chunks.push(text);
  }
  return chunks.join('');
}
