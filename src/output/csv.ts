// metrics.csv and summary.csv (SPEC section 4). Every number goes through formatNumber, records
// end in LF, fields are quoted only when they hold a comma, quote or line break (csv-stringify's
// default). Rows are written in the order given: the caller sorts them (point, replication,
// subject, metric) so that output is byte-identical whatever the worker split.

import { stringify } from 'csv-stringify/sync';
import type { Summary } from '../stats/summary.js';
import { formatNumber } from './format.js';

/** One metric of one replication (a metrics.csv row). */
export interface MetricRow {
  point: number;
  /** Values of the swept parameters, in the order of the header's parameter columns. */
  params: string[];
  replication: number;
  seed: number;
  subjectKind: string;
  subject: string;
  metric: string;
  value: number;
}

/** One metric at one sweep point, summarised across replications (a summary.csv row). */
export interface SummaryRow {
  point: number;
  params: string[];
  subjectKind: string;
  subject: string;
  metric: string;
  summary: Summary;
}

/** Anything text can be appended to, such as an AtomicWriter. */
export interface TextSink {
  write(chunk: string): void;
}

export const CSV_OPTIONS = { record_delimiter: 'unix' } as const;

/** Records per csv-stringify call when streaming: amortises its setup, bounds memory. */
const STREAM_BATCH_ROWS = 4096;

/** scenario,point,<params>,replication,seed,subject_kind,subject,metric,value */
export function metricsHeader(paramNames: string[]): string[] {
  return ['scenario', 'point', ...paramNames, 'replication', 'seed', 'subject_kind', 'subject', 'metric', 'value'];
}

/** scenario,point,<params>,subject_kind,subject,metric,n,mean,stddev,ci95_low,ci95_high,p50,p95,p99,min,max */
export function summaryHeader(paramNames: string[]): string[] {
  return [
    'scenario', 'point', ...paramNames, 'subject_kind', 'subject', 'metric',
    'n', 'mean', 'stddev', 'ci95_low', 'ci95_high', 'p50', 'p95', 'p99', 'min', 'max',
  ];
}

/** A record's parameter values must match the header's parameter columns. */
export function checkParams(params: string[], paramNames: string[], point: number): void {
  if (params.length !== paramNames.length) {
    throw new Error(`Expected ${paramNames.length} parameter values at point ${point}, got ${params.length}`);
  }
}

/** One metrics.csv record (fields as text). */
export function metricsRecord(scenario: string, paramNames: string[], row: MetricRow): string[] {
  checkParams(row.params, paramNames, row.point);
  return [
    scenario, formatNumber(row.point), ...row.params, formatNumber(row.replication), formatNumber(row.seed),
    row.subjectKind, row.subject, row.metric, formatNumber(row.value),
  ];
}

function summaryRecord(scenario: string, paramNames: string[], row: SummaryRow): string[] {
  checkParams(row.params, paramNames, row.point);
  const s = row.summary;
  return [
    scenario, formatNumber(row.point), ...row.params, row.subjectKind, row.subject, row.metric,
    formatNumber(s.n), formatNumber(s.mean), formatNumber(s.stddev), formatNumber(s.ci95Low),
    formatNumber(s.ci95High), formatNumber(s.p50), formatNumber(s.p95), formatNumber(s.p99),
    formatNumber(s.min), formatNumber(s.max),
  ];
}

/** The whole metrics.csv, header included, as one string. */
export function metricsCsv(scenario: string, paramNames: string[], rows: MetricRow[]): string {
  const records = [metricsHeader(paramNames)];
  for (const row of rows) records.push(metricsRecord(scenario, paramNames, row));
  return stringify(records, CSV_OPTIONS);
}

/** The whole summary.csv, header included, as one string. */
export function summaryCsv(scenario: string, paramNames: string[], rows: SummaryRow[]): string {
  const records = [summaryHeader(paramNames)];
  for (const row of rows) records.push(summaryRecord(scenario, paramNames, row));
  return stringify(records, CSV_OPTIONS);
}

function writeBatched<R>(sink: TextSink, header: string[], rows: Iterable<R>, toRecord: (row: R) => string[]): void {
  sink.write(stringify([header], CSV_OPTIONS));
  let batch: string[][] = [];
  for (const row of rows) {
    batch.push(toRecord(row));
    if (batch.length === STREAM_BATCH_ROWS) {
      sink.write(stringify(batch, CSV_OPTIONS));
      batch = [];
    }
  }
  if (batch.length > 0) sink.write(stringify(batch, CSV_OPTIONS));
}

/**
 * metrics.csv streamed to `sink` (for example an AtomicWriter) in batches of 4096 rows; the
 * bytes are identical to metricsCsv. Memory is bounded by one batch plus the sink's buffer.
 */
export function writeMetricsCsv(sink: TextSink, scenario: string, paramNames: string[], rows: Iterable<MetricRow>): void {
  writeBatched(sink, metricsHeader(paramNames), rows, (row) => metricsRecord(scenario, paramNames, row));
}

/** summary.csv streamed to `sink`; the bytes are identical to summaryCsv. */
export function writeSummaryCsv(sink: TextSink, scenario: string, paramNames: string[], rows: Iterable<SummaryRow>): void {
  writeBatched(sink, summaryHeader(paramNames), rows, (row) => summaryRecord(scenario, paramNames, row));
}
