import { describe, expect, test } from 'vitest';
import type { Summary } from '../../src/stats/summary.js';
import {
  metricsCsv, metricsHeader, summaryCsv, summaryHeader, writeMetricsCsv, writeSummaryCsv,
  type MetricRow, type SummaryRow,
} from '../../src/output/csv.js';

const metricRows: MetricRow[] = [
  { point: 0, params: ['3', 'spread'], replication: 0, seed: 12345, subjectKind: 'workload', subject: 'web', metric: 'availability', value: 0.9997123456789 },
  { point: 0, params: ['3', 'spread'], replication: 1, seed: 67890, subjectKind: 'workload', subject: 'web', metric: 'sched_latency_p99_s', value: Number.NaN },
  { point: 1, params: ['5', 'bin,pack'], replication: 0, seed: 4242, subjectKind: 'cluster', subject: '', metric: 'node_failures', value: 2 },
];

const summary: Summary = {
  n: 30, mean: 0.5, stddev: 1 / 3, ci95Low: 0.25, ci95High: 0.75, p50: 0.5, p95: 0.9, p99: 0.99, min: 0, max: 1,
};

describe('headers (SPEC section 4)', () => {
  test('metrics.csv', () => {
    expect(metricsHeader(['replicas', 'policy']).join(',')).toBe(
      'scenario,point,replicas,policy,replication,seed,subject_kind,subject,metric,value',
    );
  });

  test('summary.csv', () => {
    expect(summaryHeader(['replicas']).join(',')).toBe(
      'scenario,point,replicas,subject_kind,subject,metric,n,mean,stddev,ci95_low,ci95_high,p50,p95,p99,min,max',
    );
  });

  test('no swept parameters', () => {
    expect(metricsHeader([]).join(',')).toBe('scenario,point,replication,seed,subject_kind,subject,metric,value');
  });
});

describe('metricsCsv', () => {
  test('exact bytes: LF endings, NaN as empty field, quoting only where needed', () => {
    expect(metricsCsv('quickstart', ['replicas', 'policy'], metricRows)).toBe(
      'scenario,point,replicas,policy,replication,seed,subject_kind,subject,metric,value\n' +
        'quickstart,0,3,spread,0,12345,workload,web,availability,0.999712345679\n' +
        'quickstart,0,3,spread,1,67890,workload,web,sched_latency_p99_s,\n' +
        'quickstart,1,5,"bin,pack",0,4242,cluster,,node_failures,2\n',
    );
  });

  test('header only when there are no rows', () => {
    expect(metricsCsv('s', [], [])).toBe('scenario,point,replication,seed,subject_kind,subject,metric,value\n');
  });

  test('a row with the wrong number of parameter values is an error', () => {
    expect(() => metricsCsv('s', ['replicas'], metricRows)).toThrow('Expected 1 parameter values at point 0, got 2');
  });

  test('streamed output is byte-identical, across batch boundaries', () => {
    const many: MetricRow[] = Array.from({ length: 10_000 }, (_, i) => ({
      point: i % 3, params: [String(i % 7)], replication: i, seed: i * 7919, subjectKind: 'workload',
      subject: `w${i % 5}`, metric: 'restarts', value: i / 7,
    }));
    const chunks: string[] = [];
    writeMetricsCsv({ write: (c) => chunks.push(c) }, 'big', ['replicas'], many);
    expect(chunks.length).toBe(1 + 3); // header, then batches of 4096, 4096, 1808
    expect(chunks.join('')).toBe(metricsCsv('big', ['replicas'], many));
  });
});

describe('summaryCsv', () => {
  test('exact bytes', () => {
    const rows: SummaryRow[] = [
      { point: 2, params: ['3'], subjectKind: 'workload', subject: 'web', metric: 'downtime_s', summary },
      {
        point: 2, params: ['3'], subjectKind: 'service', subject: 'api', metric: 'latency_p99_s',
        summary: { ...summary, n: 0, mean: NaN, stddev: NaN, ci95Low: NaN, ci95High: NaN, p50: NaN, p95: NaN, p99: NaN, min: NaN, max: NaN },
      },
    ];
    expect(summaryCsv('quickstart', ['replicas'], rows)).toBe(
      'scenario,point,replicas,subject_kind,subject,metric,n,mean,stddev,ci95_low,ci95_high,p50,p95,p99,min,max\n' +
        'quickstart,2,3,workload,web,downtime_s,30,0.5,0.333333333333,0.25,0.75,0.5,0.9,0.99,0,1\n' +
        'quickstart,2,3,service,api,latency_p99_s,0,,,,,,,,,\n',
    );
  });

  test('streamed output is byte-identical', () => {
    const rows: SummaryRow[] = [{ point: 0, params: [], subjectKind: 'cluster', subject: 'cluster', metric: 'node_failures', summary }];
    let text = '';
    writeSummaryCsv({ write: (c) => (text += c) }, 's', [], rows);
    expect(text).toBe(summaryCsv('s', [], rows));
  });
});
