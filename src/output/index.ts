export { formatNumber } from './format.js';
export { writeFileAtomic, openAtomicWriter } from './atomic-write.js';
export type { AtomicWriter } from './atomic-write.js';
export {
  metricsHeader, metricsCsv, writeMetricsCsv, summaryHeader, summaryCsv, writeSummaryCsv,
} from './csv.js';
export type { MetricRow, SummaryRow, TextSink } from './csv.js';
export { renderSummaryTable, renderJson, formatDuration, formatCount } from './table.js';
export type { TableOptions } from './table.js';
export { buildRunJson, sha256Hex, writeRunJsonAtomic } from './run-json.js';
export type { RunInfo, ReplicationSeed } from './run-json.js';
