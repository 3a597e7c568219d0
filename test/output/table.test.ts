import { describe, expect, test } from 'vitest';
import type { SummaryRow } from '../../src/output/csv.js';
import { formatCount, formatDuration, renderJson, renderSummaryTable } from '../../src/output/table.js';
import type { Summary } from '../../src/stats/summary.js';

function summary(n: number, mean: number, ci95Low: number, ci95High: number): Summary {
  return { n, mean, stddev: 0, ci95Low, ci95High, p50: mean, p95: mean, p99: mean, min: mean, max: mean };
}

function row(point: number, params: string[], subjectKind: string, subject: string, metric: string, s: Summary): SummaryRow {
  return { point, params, subjectKind, subject, metric, summary: s };
}

describe('formatDuration', () => {
  test.each([
    [0, '0 s'],
    [0.42, '0.42 s'],
    [0.0034, '0.0034 s'],
    [1, '1.00 s'],
    [12.34, '12.3 s'],
    [59.94, '59.9 s'],
    [59.96, '1m 00s'], // would print as 60.0 s
    [200, '3m 20s'],
    [3599.4, '59m 59s'],
    [3599.6, '1h 00m'],
    [7500, '2h 05m'], // 125 min
    [93_600, '1d 02h'], // 26 h
    [Number.NaN, '-'],
    [Infinity, 'inf'],
    [-12.34, '-12.3 s'],
  ])('%f s -> %j', (v, text) => {
    expect(formatDuration(v)).toBe(text);
  });
});

describe('formatCount', () => {
  test.each([
    [3, '3'],
    [2.5, '2.5'],
    [1234.567, '1234.57'],
    [0.004, '0'],
    [-1.005, '-1'], // -1.005 is -1.00499999... in binary
    [Number.NaN, '-'],
  ])('%f -> %j', (v, text) => {
    expect(formatCount(v)).toBe(text);
  });
});

describe('renderSummaryTable', () => {
  const single: SummaryRow[] = [
    row(0, [], 'workload', 'web', 'availability', summary(30, 0.999712, 0.99950, 0.999923)),
    row(0, [], 'workload', 'web', 'downtime_s', summary(30, 200, 150.2, 249.8)),
    row(0, [], 'workload', 'web', 'outages', summary(30, 2.5, 1.123, 3.877)),
    row(0, [], 'cluster', '', 'node_failures', summary(1, 4, 4, 4)),
  ];

  test('one point: header, rule, aligned rows, no heading, no colour', () => {
    expect(renderSummaryTable(single)).toBe(
      [
        'subject       metric             mean                95% CI   n',
        '------------  -------------  --------  --------------------  --',
        'workload web  availability   99.9712%  [99.9500%, 99.9923%]  30',
        'workload web  downtime_s       3m 20s      [2m 30s, 4m 10s]  30',
        'workload web  outages             2.5          [1.12, 3.88]  30',
        'cluster       node_failures         4                     -   1',
      ].join('\n') + '\n',
    );
  });

  test('availability keeps 99.99% and 99.999% apart, and never rounds up to 100%', () => {
    const text = renderSummaryTable([
      row(0, [], 'workload', 'a', 'availability', summary(1, 0.9999, 0.9999, 0.9999)),
      row(0, [], 'workload', 'b', 'availability', summary(1, 0.99999, 0.99999, 0.99999)),
      // gap 1e-5 = 0.001%: ceil(3) + 1 = 4 decimals; gap 1e-7 = 0.00001%: ceil(5) + 1 = 6 decimals
      row(0, [], 'workload', 'c', 'availability', summary(1, 0.9999999, 0.9999999, 0.9999999)),
      row(0, [], 'workload', 'd', 'availability', summary(1, 1, 1, 1)),
    ]);
    expect(text).toContain('99.9900%');
    expect(text).toContain('99.9990%');
    expect(text).toContain('99.999990%');
    expect(text).toContain('100.0000%');
    // gap 0.00015%: ceil(3.82) + 1 = 5 decimals, two significant digits of the gap
    expect(renderSummaryTable([row(0, [], 'workload', 'e', 'availability', summary(1, 0.9999985, 0, 0))])).toContain(
      '99.99985%',
    );
  });

  test('n = 0 shows dashes', () => {
    const text = renderSummaryTable([
      row(0, [], 'service', 'api', 'latency_p99_s', summary(0, NaN, NaN, NaN)),
    ]);
    expect(text.split('\n')[2]).toBe('service api  latency_p99_s     -       -  0');
  });

  test('several points: one block per point, headed by its parameters', () => {
    const rows = [
      row(0, ['3', 'spread'], 'workload', 'web', 'restarts', summary(5, 1, 0.5, 1.5)),
      row(1, ['5', 'spread'], 'workload', 'web', 'restarts', summary(5, 0.25, 0, 0.5)),
    ];
    const text = renderSummaryTable(rows, { paramNames: ['replicas', 'policy'] });
    const lines = text.split('\n');
    expect(lines[0]).toBe('point 0: replicas=3, policy=spread');
    expect(lines[3]).toContain('[0.5, 1.5]');
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('point 1: replicas=5, policy=spread');
    expect(lines[8]).toContain('[0, 0.5]');
    // without names the values alone
    expect(renderSummaryTable(rows).split('\n')[0]).toBe('point 0: 3, spread');
  });

  test('colour only on request', () => {
    expect(renderSummaryTable(single)).not.toContain('\x1b[');
    const coloured = renderSummaryTable(single, { color: true });
    expect(coloured).toContain('\x1b[1msubject');
    // Same text once the escape codes are removed.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(renderSummaryTable(single));
  });

  test('no rows', () => {
    expect(renderSummaryTable([])).toBe('no metrics\n');
  });
});

describe('renderJson', () => {
  const rows = [row(0, ['3'], 'workload', 'web', 'availability', { ...summary(2, 0.99, 0.98, 1), p99: NaN })];

  test('stable key order; NaN as null; params keyed by name when names are given', () => {
    const parsed = JSON.parse(renderJson(rows, { paramNames: ['replicas'] })) as Record<string, unknown>[];
    expect(Object.keys(parsed[0]!)).toEqual([
      'point', 'params', 'subjectKind', 'subject', 'metric', 'n', 'mean', 'stddev', 'ci95Low', 'ci95High',
      'p50', 'p95', 'p99', 'min', 'max',
    ]);
    expect(parsed[0]!.params).toEqual({ replicas: '3' });
    expect(parsed[0]!.p99).toBeNull();
    expect(parsed[0]!.mean).toBe(0.99);
  });

  test('params as an array without names; pretty with a trailing newline', () => {
    const text = renderJson(rows);
    expect(text.startsWith('[\n  {\n    "point": 0,\n    "params": [\n      "3"\n    ],')).toBe(true);
    expect(text.endsWith('}\n]\n')).toBe(true);
  });
});
